import Wording
import OrderModel
import Scheduler
import Terminal

/// The opening screen, for shelter staff: today's alerts, most urgent first.
struct TodayScreen {
    var alerts: [Alert] = []
    var cursor = ListCursor()

    /// The word and symbol of each kind, so the screen reads the same without colour.
    static func tag(_ kind: AlertKind, _ app: MonitorApp) -> String { app.text("alert.\(kind.rawValue)") }

    static func style(_ kind: AlertKind) -> Style {
        switch kind {
        case .breachOpen: .critical
        case .checkOverdue, .unserved: .warning
        case .checkDue, .expiring: .notice
        }
    }

    /// How late or how soon, in a few words: "9 days late", "tomorrow", "2 days open".
    static func when(_ alert: Alert, _ app: MonitorApp) -> String {
        let c = app.words
        switch alert.kind {
        case .checkOverdue: return app.text("when.late", ["days": c.days(alert.daysOverdue ?? 0)])
        case .checkDue, .expiring: return c.when(inDays: alert.daysLeft ?? 0)
        case .breachOpen:
            guard let occurred = alert.occurred else { return "" }
            let hours = Int(app.figuresAsOf.timeIntervalSince(occurred) / 3600)
            let days = app.formats.day(app.figuresAsOf) - app.formats.day(occurred)
            if hours < 1 { return app.text("when.justNow") }
            return app.text("when.open", ["days": hours < 24 ? c.hours(hours) : c.days(days)])
        case .unserved:
            let hours = alert.issued.map { Int(app.figuresAsOf.timeIntervalSince($0) / 3600) } ?? 0
            return app.text("when.waiting", ["hours": c.hours(hours)])
        }
    }

    mutating func handle(_ key: Key, app: MonitorApp) -> Command? {
        if cursor.move(key, count: alerts.count, height: app.listHeight) { return nil }
        if key == .enter, alerts.indices.contains(cursor.selected) {
            return .openOrder(alerts[cursor.selected].orderNumber)
        }
        return nil
    }

    func draw(on canvas: Canvas, in body: Rect, app: MonitorApp) {
        let width = body.cols - 2
        let format = InstantFormat(timeZone: app.store.timeZone)
        var y = body.top
        y += Wrap.draw(app.text("today.title", ["day": app.formats.day(app.figuresAsOf).dotted]), on: canvas, row: y, col: 1,
                       width: width, style: .header)
        let counts = AlertKind.allCases.map { kind in
            "\(Self.tag(kind, app)) \(app.words.number(alerts.filter { $0.kind == kind }.count))"
        }
        y += Wrap.draw(Wrap.spread(counts, width: width), on: canvas, row: y, col: 1, width: width, style: .normal)
        let wide = body.cols >= 120
        let tags = AlertKind.allCases.map { Self.tag($0, app) }
        let whens = alerts.map { Self.when($0, app) }
        var specs = [ColumnSpec(title: app.text("col.alert"), base: 12, content: Table.widest(tags), cap: 16),
                     ColumnSpec(title: app.text("col.order"), base: 14, content: Table.widest(alerts.map(\.orderNumber)), cap: 20),
                     ColumnSpec(title: app.text("col.when"), base: 13, content: Table.widest(whens), cap: 20),
                     ColumnSpec(title: app.text("col.respondent"), base: body.cols >= 100 ? 22 : 18, shrinkable: true)]
        if wide { specs.append(ColumnSpec(title: app.text("col.district"), base: 18, shrinkable: true)) }
        specs.append(ColumnSpec(title: app.text("col.reason"), base: 0, free: true))
        let columns = Table.layout(specs, width: body.cols)
        y += 1
        Table.header(columns, on: canvas, row: y)
        let listTop = y + 1
        // The last row of the body holds the selected alert's reason in full.
        let height = max(body.top + body.rows - 2 - listTop, 1)
        guard !alerts.isEmpty else {
            Wrap.draw(app.text("today.none"), on: canvas, row: listTop + 1, col: 2, width: body.cols - 4, style: .ok)
            return
        }
        var c = cursor
        c.clamp(count: alerts.count, height: height)
        for (i, alert) in alerts.enumerated().dropFirst(c.top).prefix(height) {
            var cells = [Self.tag(alert.kind, app), alert.orderNumber, Self.when(alert, app), alert.respondent]
            if wide { cells.append(alert.district) }
            cells.append(app.words.reason(alert, format: format))
            Table.row(cells, columns, on: canvas, row: listTop + i - c.top,
                      style: i == c.selected ? .selected : .normal, firstStyle: Self.style(alert.kind))
        }
        if alerts.indices.contains(c.selected) {
            let alert = alerts[c.selected]
            canvas.put("▸ \(alert.orderNumber): \(app.words.reason(alert, format: format))", row: body.top + body.rows - 1, col: 1,
                       style: .header, width: width)
        }
    }
}
