import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// Everything about one order: terms, parties, service, next check, and its timeline.
/// `c` records a check, `b` a breach, `s` service, `r` a revocation.
struct OrderScreen {
    var number: String
    var detail: OrderDetail
    var scroll = 0

    mutating func handle(_ key: Key, app: MonitorApp) -> Command? {
        switch key {
        case .character("c"): return .startCheckIn(number)
        case .character("b"): return .openForm(.breach(number: number))
        case .character("s"): return .openForm(.serve(number: number))
        case .character("r"): return .openForm(.revoke(number: number))
        case .character("u") where app.store.user.role.may(.viewSurvivor) && !app.store.isUnlocked:
            return .openForm(.unlock)
        case .character("x"):
            if let open = detail.history.breaches.last(where: \.isOpen), let id = open.id {
                return .openForm(.closeBreach(id: id, number: number))
            }
            return .flash(app.text("order.noOpenBreach"), .warning)
        case .down, .character("j"): scroll += 1
        case .up, .character("k"): scroll = max(scroll - 1, 0)
        case .pageDown: scroll += 10
        case .pageUp: scroll = max(scroll - 10, 0)
        case .home, .character("g"): scroll = 0
        default: break
        }
        return nil
    }

    /// The lines of the screen: fields, then the timeline, newest last.
    func lines(app: MonitorApp) -> [(String, Style)] {
        let t = detail.timeline, f = app.formats
        func style(_ emphasis: Timeline.Emphasis) -> Style {
            switch emphasis {
            case .normal: .normal
            case .warning: .warning
            case .critical: .critical
            case .ok: .ok
            case .notice: .notice
            }
        }
        let fields = OrderFields.lines(of: detail, words: app.words, format: f)
        // The values line up after the longest label (at least 16 columns, as in English).
        let labelWidth = min(max(16, (fields.compactMap(\.label).map { TextWidth.width(of: $0) }.max() ?? 0) + 2), 28)
        var lines: [(String, Style)] = fields.map {
            $0.label == nil ? ("", .normal) : (TextWidth.pad($0.label ?? "", toWidth: labelWidth) + $0.value, style($0.emphasis))
        }
        lines.append((app.text("order.timeline"), .header))
        for entry in Timeline.entries(of: detail, words: app.words) {
            lines.append(("  " + f.human(entry.at) + "  " + entry.text, style(entry.emphasis)))
        }
        for m in t.missedChecks {
            lines.append(("  " + app.text("event.missed", ["due": m.due.dotted, "days": app.words.days(m.daysLate)]), .warning))
        }
        // What the store masks («[hidden]») is said in the reader's language.
        let hidden = app.text("hidden")
        return lines.map { ($0.0.replacingOccurrences(of: Masked.hidden, with: hidden), $0.1) }
    }

    func draw(on canvas: Canvas, in body: Rect, app: MonitorApp) {
        let width = body.cols - 2
        let keys = app.text(app.store.user.role.may(.viewSurvivor) && !app.store.isUnlocked ? "order.keysLocked" : "order.keys")
        // The key hint takes the last rows of the body, as many as it needs.
        let hint = Wrap.lines(keys, width: width)
        let all = lines(app: app)
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
