import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// Everything about one order: terms, parties, service, next check, and its timeline.
/// `c` records a check, `b` a breach, `s` service, `r` a revocation, `x` closes a breach, `e` corrects its
/// details: each offered only to a role that may, the others told who may.
///
/// Every line is wrapped, never cut: a long one shows its first rows and `…`, and the selected line
/// (↑↓, g/G) shows in full. ▲/▼ below the lines say there is more above or below.
final class OrderScreen: Screen {
    let id: ScreenID
    let number: String
    var detail: OrderDetail
    /// The selected line, among the lines that can be selected (fields and timeline entries).
    var cursor = ListCursor()
    /// The first row of the wrapped lines shown.
    private(set) var top = 0
    /// While `x` asks which of several open breaches to close: the cursor among them.
    private(set) var choosing: ListCursor?

    /// How many rows a long line shows while another is selected.
    static let rowsUnselected = 3

    /// The screen of an order just opened (the opening itself is the app's: it is recorded).
    init(detail: OrderDetail) {
        number = detail.history.order.number
        id = .order(number)
        self.detail = detail
    }

    func load(context: ScreenContext) throws {
        detail = try context.reader.detail(number: number, asOf: context.asOf)
    }

    /// The actions on an order, their keys, and who may take them.
    static let actions: [(key: Character, permission: Permission, hint: String)] = [
        ("c", .recordCheck, "order.key.check"), ("b", .recordBreach, "order.key.breach"), ("s", .serve, "order.key.serve"),
        ("r", .revoke, "order.key.revoke"), ("x", .closeBreach, "order.key.close"), ("e", .correct, "order.key.correct"),
    ]

    /// The open breaches, oldest first: what `x` closes.
    var openBreaches: [Breach] {
        detail.history.breaches.filter { $0.isOpen && $0.id != nil }.sorted { $0.occurred < $1.occurred }
    }

    func handle(_ press: KeyPress, context: ScreenContext) -> Command? {
        if choosing != nil { return choose(press, context: context) }
        if case .character(let c) = press.command, let action = Self.actions.first(where: { $0.key == c }) {
            guard context.may(action.permission) else { return .flash(context.whoMay(action.permission), .warning) }
            return act(c, context: context)
        }
        switch press.command {
        case .character("u") where context.mayUnlock:
            return .openForm(.unlock)
        default:
            let selectable = lines(context: context).filter(\.selectable).count
            return cursor.move(press.command, count: selectable, height: context.listHeight) ? .nothing : nil
        }
    }

    private func act(_ key: Character, context: ScreenContext) -> Command? {
        switch key {
        case "c": return .startCheckIn(number)
        case "b": return .openForm(.breach(number: number))
        case "s": return .openForm(.serve(number: number))
        case "r": return .openForm(.revoke(number: number))
        case "e": return .openForm(.correct(number: number))
        case "x":
            let open = openBreaches
            guard let only = open.first, let id = only.id else { return .flash(context.text("order.noOpenBreach"), .warning) }
            if open.count == 1 { return .openForm(.closeBreach(id: id, number: number)) }
            choosing = ListCursor()
            return .nothing
        default: return nil
        }
    }

    /// The keys of the list of open breaches: move, Enter closes the one chosen, Esc goes back.
    private func choose(_ press: KeyPress, context: ScreenContext) -> Command? {
        guard var list = choosing else { return nil }
        let open = openBreaches
        switch press.command {
        case .enter:
            choosing = nil
            guard open.indices.contains(list.selected), let id = open[list.selected].id else { return .nothing }
            return .openForm(.closeBreach(id: id, number: number))
        case .escape:
            choosing = nil
            return .nothing
        default:
            guard list.move(press.command, count: open.count, height: context.listHeight) else {
                // Any other key is the app's (tabs, help, quit), and the question is dropped.
                choosing = nil
                return nil
            }
            choosing = list
            return .nothing
        }
    }

    /// One line of the screen: what leads it (a label, a time), its text wrapped after the lead, its style.
    struct Line {
        var lead: String
        var text: String
        var style: Style
        var selectable = true

        /// The rows it takes at `width`: all of them, or its first `limit` with `…`.
        func rows(width: Int, limit: Int = .max) -> [String] {
            let leadWidth = TextWidth.width(of: lead)
            let room = max(width - leadWidth, 8)
            var parts = Wrap.words(text, width: room)
            if parts.count > limit {
                parts = Array(parts.prefix(limit))
                parts[limit - 1] = TextWidth.truncate(parts[limit - 1] + " …", toWidth: room)
            }
            let indent = String(repeating: " ", count: leadWidth)
            return parts.enumerated().map { ($0.offset == 0 ? lead : indent) + $0.element }
        }
    }

    /// The lines of the screen: fields, then the timeline, oldest first.
    func lines(context: ScreenContext) -> [Line] {
        let t = detail.timeline, f = context.formats
        // What the store masks («[hidden]») is said in the reader's language.
        let hidden = context.text("hidden")
        func shown(_ text: String) -> String { text.replacingOccurrences(of: Masked.hidden, with: hidden) }
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
        var lines: [Line] = fields.map { field in
            guard let label = field.label else { return Line(lead: "", text: "", style: .normal, selectable: false) }
            return Line(lead: TextWidth.pad(label, toWidth: labelWidth), text: shown(field.value), style: style(field.emphasis))
        }
        lines.append(Line(lead: "", text: context.text("order.timeline"), style: .header, selectable: false))
        for entry in Timeline.entries(of: detail, words: context.words) {
            lines.append(Line(lead: "  " + f.human(entry.at) + "  ", text: shown(entry.text), style: style(entry.emphasis)))
        }
        for m in t.missedChecks {
            lines.append(Line(lead: "  ", text: context.text("event.missed", ["due": m.due.dotted, "days": context.words.days(m.daysLate)]),
                              style: .warning))
        }
        return lines
    }

    /// The key hint: only the actions this role may take (the others say who may when pressed).
    func keyHint(context: ScreenContext) -> String {
        var parts = context.mayUnlock ? [context.text("order.key.unlock")] : []
        parts += Self.actions.filter { context.may($0.permission) }.map { context.text($0.hint) }
        parts += [context.text("order.key.move"), context.text("order.key.back")]
        return parts.joined(separator: Wrap.separator)
    }

    /// The rows of the lines at `width`, each with its style; the selected line's rows in full.
    func rows(width: Int, context: ScreenContext) -> (rows: [(text: String, style: Style)], selected: Range<Int>) {
        var rows: [(text: String, style: Style)] = []
        var selected = 0..<0
        var index = 0
        for line in lines(context: context) {
            let isSelected = line.selectable && index == cursor.selected
            let start = rows.count
            rows += line.rows(width: width, limit: isSelected ? .max : Self.rowsUnselected)
                .map { ($0, isSelected ? .selected : line.style) }
            if isSelected { selected = start..<rows.count }
            if line.selectable { index += 1 }
        }
        return (rows, selected)
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        if choosing != nil {
            drawChoice(on: canvas, in: body, context: context)
            return
        }
        // The key hint takes the last rows of the body, as many as it needs; the row above it says whether
        // there is more.
        let hint = Wrap.lines(keyHint(context: context), width: width)
        let height = max(body.rows - hint.count - 1, 1)
        let (rows, selected) = rows(width: width, context: context)
        // The selected line in view, whole when it fits.
        if selected.lowerBound < top { top = selected.lowerBound }
        if selected.upperBound > top + height { top = max(selected.upperBound - height, 0) }
        if selected.lowerBound < top { top = selected.lowerBound }
        top = max(0, min(top, rows.count - height))
        for (i, row) in rows.dropFirst(top).prefix(height).enumerated() {
            canvas.put(row.text, row: body.top + i, col: 1, style: row.style, width: width)
        }
        var more: [String] = []
        if top > 0 { more.append(context.text("order.moreAbove")) }
        if rows.count > top + height { more.append(context.text("order.moreBelow")) }
        if !more.isEmpty {
            canvas.put(more.joined(separator: Wrap.separator), row: body.top + height, col: 1, style: .dim, width: width)
        }
        for (i, line) in hint.enumerated() {
            canvas.put(line, row: body.top + body.rows - hint.count + i, col: 1, style: .dim, width: width)
        }
    }

    /// The open breaches to choose from: when, who reported it, and what happened, in full.
    private func drawChoice(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        let hint = Wrap.lines(context.text("order.chooseKeys"), width: width)
        var y = body.top + 1
        y += Wrap.draw(context.text("order.chooseBreach", ["number": number]), on: canvas, row: y, col: 1, width: width,
                       style: .header, maxRows: 2) + 1
        let bottom = body.top + body.rows - hint.count - 1
        for (i, breach) in openBreaches.enumerated() where y < bottom {
            let line = Line(lead: "  " + context.formats.human(breach.occurred) + "  ",
                            text: context.text("event.breach", ["id": String(breach.id ?? 0), "by": breach.reportedBy])
                                + ": " + breach.description,
                            style: .critical)
            let isSelected = i == choosing?.selected
            for row in line.rows(width: width, limit: isSelected ? .max : Self.rowsUnselected) where y < bottom {
                canvas.put(row, row: y, col: 1, style: isSelected ? .selected : line.style, width: width)
                y += 1
            }
        }
        for (i, line) in hint.enumerated() {
            canvas.put(line, row: body.top + body.rows - hint.count + i, col: 1, style: .dim, width: width)
        }
    }
}

extension ScreenContext {
    /// "Only a supervisor may revoke orders.": what a key not offered to this role says when pressed.
    func whoMay(_ permission: Permission) -> String {
        text("whoMay", ["who": words.whoMay(permission), "action": words.permission(permission)])
    }
}
