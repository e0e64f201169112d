import Wording
import OrderModel
import Scheduler
import Terminal

/// The opening screen, for shelter staff: today's alerts, most urgent first.
final class TodayScreen: Screen {
    let id = ScreenID.today
    var alerts: [Alert] = []
    var cursor = ListCursor()

    func load(context: ScreenContext) throws {
        alerts = try context.reader.alerts(asOf: context.asOf)
        cursor.clamp(count: alerts.count, height: 1000)
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
        if cursor.move(key.command, count: alerts.count, height: context.listHeight) { return .nothing }
        if key.command == .enter, alerts.indices.contains(cursor.selected) {
            return .openOrder(alerts[cursor.selected].orderNumber)
        }
        return nil
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        let format = context.formats
        var y = body.top
        y += Wrap.draw(context.text("today.title", ["day": context.formats.day(context.asOf).dotted]), on: canvas, row: y, col: 1,
                       width: width, style: .header)
        let counts = AlertKind.allCases.map { kind in
            "\(Self.tag(kind, context)) \(context.words.number(alerts.filter { $0.kind == kind }.count))"
        }
        y += Wrap.draw(Wrap.spread(counts, width: width), on: canvas, row: y, col: 1, width: width, style: .normal)
        let wide = body.cols >= 120
        let tags = AlertKind.allCases.map { Self.tag($0, context) }
        let whens = alerts.map { Self.when($0, context) }
        var specs = [ColumnSpec(title: context.text("col.alert"), base: 12, content: Table.widest(tags), cap: 16),
                     ColumnSpec(title: context.text("col.order"), base: 14, content: Table.widest(alerts.map(\.orderNumber)), cap: 20),
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
        var c = cursor
        c.clamp(count: alerts.count, height: height)
        for (i, alert) in alerts.enumerated().dropFirst(c.top).prefix(height) {
            var cells = [Self.tag(alert.kind, context), alert.orderNumber, Self.when(alert, context), alert.respondent]
            if wide { cells.append(alert.district) }
            cells.append(context.words.reason(alert, format: format))
            Table.row(cells, columns, on: canvas, row: listTop + i - c.top,
                      style: i == c.selected ? .selected : .normal, firstStyle: Self.style(alert.kind))
        }
        if alerts.indices.contains(c.selected) {
            let alert = alerts[c.selected]
            canvas.put("▸ \(alert.orderNumber): \(context.words.reason(alert, format: format))", row: body.top + body.rows - 1, col: 1,
                       style: .header, width: width)
        }
    }
}
