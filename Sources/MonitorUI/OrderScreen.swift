import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// Everything about one order: terms, parties, service, next check, and its timeline.
/// `c` records a check, `b` a breach, `s` service, `r` a revocation.
final class OrderScreen: Screen {
    let id: ScreenID
    let number: String
    var detail: OrderDetail
    var scroll = 0

    /// The screen of an order just opened (the opening itself is the app's: it is recorded).
    init(detail: OrderDetail) {
        number = detail.history.order.number
        id = .order(number)
        self.detail = detail
    }

    func load(context: ScreenContext) throws {
        detail = try context.reader.detail(number: number, asOf: context.asOf)
    }

    func handle(_ press: KeyPress, context: ScreenContext) -> Command? {
        switch press.command {
        case .character("c"): return .startCheckIn(number)
        case .character("b"): return .openForm(.breach(number: number))
        case .character("s"): return .openForm(.serve(number: number))
        case .character("r"): return .openForm(.revoke(number: number))
        case .character("u") where context.mayUnlock:
            return .openForm(.unlock)
        case .character("x"):
            if let open = detail.history.breaches.last(where: \.isOpen), let id = open.id {
                return .openForm(.closeBreach(id: id, number: number))
            }
            return .flash(context.text("order.noOpenBreach"), .warning)
        case .down, .character("j"): scroll += 1
        case .up, .character("k"): scroll = max(scroll - 1, 0)
        case .pageDown: scroll += 10
        case .pageUp: scroll = max(scroll - 10, 0)
        case .home, .character("g"): scroll = 0
        default: return nil
        }
        return .nothing
    }

    /// The lines of the screen: fields, then the timeline, newest last.
    func lines(context: ScreenContext) -> [(String, Style)] {
        let t = detail.timeline, f = context.formats
        func style(_ emphasis: Timeline.Emphasis) -> Style {
            switch emphasis {
            case .normal: .normal
            case .warning: .warning
            case .critical: .critical
            case .ok: .ok
            case .notice: .notice
            }
        }
        let fields = OrderFields.lines(of: detail, words: context.words, format: f)
        // The values line up after the longest label (at least 16 columns, as in English).
        let labelWidth = min(max(16, (fields.compactMap(\.label).map { TextWidth.width(of: $0) }.max() ?? 0) + 2), 28)
        var lines: [(String, Style)] = fields.map {
            $0.label == nil ? ("", .normal) : (TextWidth.pad($0.label ?? "", toWidth: labelWidth) + $0.value, style($0.emphasis))
        }
        lines.append((context.text("order.timeline"), .header))
        for entry in Timeline.entries(of: detail, words: context.words) {
            lines.append(("  " + f.human(entry.at) + "  " + entry.text, style(entry.emphasis)))
        }
        for m in t.missedChecks {
            lines.append(("  " + context.text("event.missed", ["due": m.due.dotted, "days": context.words.days(m.daysLate)]), .warning))
        }
        // What the store masks («[hidden]») is said in the reader's language.
        let hidden = context.text("hidden")
        return lines.map { ($0.0.replacingOccurrences(of: Masked.hidden, with: hidden), $0.1) }
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        let keys = context.text(context.mayUnlock ? "order.keysLocked" : "order.keys")
        // The key hint takes the last rows of the body, as many as it needs.
        let hint = Wrap.lines(keys, width: width)
        let all = lines(context: context)
        let height = body.rows - hint.count - 1
        let top = min(scroll, max(all.count - height, 0))
        for (i, line) in all.dropFirst(top).prefix(height).enumerated() {
            canvas.put(line.0, row: body.top + i, col: 1, style: line.1, width: width)
        }
        for (i, line) in hint.enumerated() {
            canvas.put(line, row: body.top + body.rows - hint.count + i, col: 1, style: .dim, width: width)
        }
    }
}
