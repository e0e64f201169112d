import Wording
import OrderModel
import Scheduler
import Terminal

/// The opening screen, for shelter staff: today's alerts, most urgent first (the order RULES.md gives,
/// as the Scheduler returns them), searched with `/` and narrowed to one kind (`f`), the selected
/// alert's district (`d`) or officer (`o`).
final class TodayScreen: Screen {
    let id = ScreenID.today
    /// Every alert of the day, in the Scheduler's order.
    var alerts: [Alert] = []
    var cursor = ListCursor()
    /// The `/` search: number, respondent, district, officer.
    var search = ListSearch()
    /// The narrowing by `f`, `d`, `o`; nil means any.
    var kind: AlertKind?
    var district: String?
    var officer: String?
    /// `alerts` narrowed and searched, in the same order: what the list shows.
    private(set) var visible: [Alert] = []
    /// Each alert's searchable text, folded once per load (same indices as `alerts`).
    private var folded: [FoldedText]?

    var isNarrowed: Bool { kind != nil || district != nil || officer != nil }

    func load(context: ScreenContext) throws {
        alerts = try context.reader.alerts(asOf: context.asOf)
        relisted(context: context)
    }

    /// After `alerts` were read: the list as narrowed and searched again.
    func relisted(context: ScreenContext) {
        folded = nil
        refilter()
        cursor.clamp(count: visible.count, height: 1000)
    }

    /// Applies the narrowing and the search, keeping the Scheduler's order.
    func refilter() {
        if search.filters && folded == nil {
            folded = alerts.map { FoldedText(joining: [$0.orderNumber, $0.respondent, $0.district, $0.officer]) }
        }
        visible = alerts.indices.filter { i in
            let alert = alerts[i]
            return (kind.map { alert.kind == $0 } ?? true) && (district.map { alert.district == $0 } ?? true)
                && (officer.map { alert.officer == $0 } ?? true) && (folded.map { search.matches($0[i]) } ?? true)
        }.map { alerts[$0] }
    }

    /// What the list is narrowed to, in words ("!! BREACH · district Есиль"); nil when it is not.
    func narrowing(_ context: ScreenContext) -> String? {
        guard isNarrowed else { return nil }
        let parts = [kind.map { Self.tag($0, context) },
                     district.map { context.text("today.only.district", ["name": $0]) },
                     officer.map { context.text("today.only.officer", ["name": $0]) }].compactMap { $0 }
        return context.text("today.only", ["filter": parts.joined(separator: " · ")])
    }

    /// The word and symbol of each kind, so the screen reads the same without colour.
    static func tag(_ kind: AlertKind, _ context: ScreenContext) -> String { context.text("alert.\(kind.rawValue)") }

    static func style(_ kind: AlertKind) -> Style {
        switch kind {
        case .breachOpen: .critical
        case .checkOverdue, .unserved: .warning
        case .checkDue, .expiring: .notice
        }
    }

    /// How late or how soon, in a few words: "9 days late", "tomorrow", "2 days open".
    static func when(_ alert: Alert, _ context: ScreenContext) -> String {
        let c = context.words
        switch alert.kind {
        case .checkOverdue: return context.text("when.late", ["days": c.days(alert.daysOverdue ?? 0)])
        case .checkDue, .expiring: return c.when(inDays: alert.daysLeft ?? 0)
        case .breachOpen:
            guard let occurred = alert.occurred else { return "" }
            let hours = Int(context.asOf.timeIntervalSince(occurred) / 3600)
            let days = context.formats.day(context.asOf) - context.formats.day(occurred)
            if hours < 1 { return context.text("when.justNow") }
            return context.text("when.open", ["days": hours < 24 ? c.hours(hours) : c.days(days)])
        case .unserved:
            let hours = alert.issued.map { Int(context.asOf.timeIntervalSince($0) / 3600) } ?? 0
            return context.text("when.waiting", ["hours": c.hours(hours)])
        }
    }

    func handle(_ key: KeyPress, context: ScreenContext) -> Command? {
        if let outcome = search.handle(key, cursor: &cursor, count: visible.count, height: context.listHeight) {
            if outcome == .changed { narrowed(context) }
            return .nothing
        }
        if cursor.move(key.command, count: visible.count, height: context.listHeight) { return .nothing }
        let selected = visible.indices.contains(cursor.selected) ? visible[cursor.selected] : nil
        switch key.command {
        case .enter:
            return selected.map { .openOrder($0.orderNumber) }
        case .character("f"):
            // Each press the next kind, in the screen's order; after the last, every kind again.
            let cycle: [AlertKind?] = AlertKind.allCases + [nil]
            kind = cycle[((cycle.firstIndex(of: kind) ?? -1) + 1) % cycle.count]
        case .character("d"):
            guard district == nil else { district = nil; break }
            guard let selected else { return .nothing }
            district = selected.district
        case .character("o"):
            guard officer == nil else { officer = nil; break }
            guard let selected else { return .nothing }
            officer = selected.officer
        case .escape where isNarrowed:
            (kind, district, officer) = (nil, nil, nil)
        default:
            return nil
        }
        narrowed(context)
        return .nothing
    }

    /// After the search or the narrowing changed: the list again, the selected alert still selected
    /// when it is still shown, else the first.
    private func narrowed(_ context: ScreenContext) {
        let selected = visible.indices.contains(cursor.selected) ? visible[cursor.selected] : nil
        refilter()
        cursor.selected = selected.flatMap { visible.firstIndex(of: $0) } ?? 0
        cursor.clamp(count: visible.count, height: context.listHeight)
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        let format = context.formats
        var y = body.top
        var c = cursor
        c.clamp(count: visible.count, height: context.listHeight)
        let position = c.drawPosition(count: visible.count, on: canvas, row: y, col: 1, width: width, context: context)
        y += Wrap.draw(context.text("today.title", ["day": context.formats.day(context.asOf).dotted]), on: canvas, row: y, col: 1,
                       width: width - position, style: .header)
        let counts = AlertKind.allCases.map { kind in
            "\(Self.tag(kind, context)) \(context.words.number(alerts.filter { $0.kind == kind }.count))"
        }
        y += Wrap.draw(Wrap.spread(counts, width: width), on: canvas, row: y, col: 1, width: width, style: .normal)
        if let narrowing = narrowing(context) {
            y += Wrap.draw(narrowing, on: canvas, row: y, col: 1, width: width, style: .header)
        }
        y += search.draw(hint: context.text("today.searchHint"), on: canvas, row: y, col: 1, width: width, context: context)
        let wide = body.cols >= 120
        let tags = AlertKind.allCases.map { Self.tag($0, context) }
        let whens = visible.map { Self.when($0, context) }
        var specs = [ColumnSpec(title: context.text("col.alert"), base: 12, content: Table.widest(tags), cap: 16),
                     ColumnSpec(title: context.text("col.order"), base: 14, content: Table.widest(visible.map(\.orderNumber)), cap: 20),
                     ColumnSpec(title: context.text("col.when"), base: 13, content: Table.widest(whens), cap: 20),
                     ColumnSpec(title: context.text("col.respondent"), base: body.cols >= 100 ? 22 : 18, shrinkable: true)]
        if wide { specs.append(ColumnSpec(title: context.text("col.district"), base: 18, shrinkable: true)) }
        specs.append(ColumnSpec(title: context.text("col.reason"), base: 0, free: true))
        let columns = Table.layout(specs, width: body.cols)
        y += 1
        Table.header(columns, on: canvas, row: y)
        let listTop = y + 1
        // The last row of the body holds the selected alert's reason in full.
        let height = max(body.top + body.rows - 2 - listTop, 1)
        guard !alerts.isEmpty else {
            Wrap.draw(context.text("today.none"), on: canvas, row: listTop + 1, col: 2, width: body.cols - 4, style: .ok)
            return
        }
        guard !visible.isEmpty else {
            Wrap.draw(context.text("today.noneShown"), on: canvas, row: listTop + 1, col: 2, width: body.cols - 4, style: .dim)
            return
        }
        c.clamp(count: visible.count, height: height)
        for (i, alert) in visible.enumerated().dropFirst(c.top).prefix(height) {
            var cells = [Self.tag(alert.kind, context), alert.orderNumber, Self.when(alert, context), alert.respondent]
            if wide { cells.append(alert.district) }
            cells.append(context.words.reason(alert, format: format))
            Table.row(cells, columns, on: canvas, row: listTop + i - c.top,
                      style: i == c.selected ? .selected : .normal, firstStyle: Self.style(alert.kind))
        }
        if visible.indices.contains(c.selected) {
            let alert = visible[c.selected]
            canvas.put("▸ \(alert.orderNumber): \(context.words.reason(alert, format: format))", row: body.top + body.rows - 1, col: 1,
                       style: .header, width: width)
        }
    }
}
