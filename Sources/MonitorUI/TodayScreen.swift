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
        let counts = AlertKind.allCases.map { kind in
            "\(Self.tag(kind, app)) \(alerts.filter { $0.kind == kind }.count)"
        }.joined(separator: "   ")
        canvas.put(app.text("today.title", ["day": app.formats.day(app.figuresAsOf).dotted]), row: body.top, col: 1, style: .header)
        canvas.put(counts, row: body.top + 1, col: 1, style: .normal, width: body.cols - 2)
        let wide = body.cols >= 120
        var columns: [(String, Int)] = [(app.text("col.alert"), 12), (app.text("col.order"), 14),
                                        (app.text("col.when"), 13), (app.text("col.respondent"), body.cols >= 100 ? 22 : 18)]
        if wide { columns.append((app.text("col.district"), 18)) }
        let used = columns.reduce(0) { $0 + $1.1 + 1 }
        columns.append((app.text("col.reason"), max(body.cols - used - 2, 10)))
        Table.header(columns, on: canvas, row: body.top + 3)
        // The last row of the body holds the selected alert's reason in full.
        let height = body.rows - 6
        guard !alerts.isEmpty else {
            canvas.put(app.text("today.none"), row: body.top + 5, col: 2, style: .ok)
            return
        }
        var c = cursor
        c.clamp(count: alerts.count, height: height)
        for (i, alert) in alerts.enumerated().dropFirst(c.top).prefix(height) {
            var cells = [Self.tag(alert.kind, app), alert.orderNumber, Self.when(alert, app), alert.respondent]
            if wide { cells.append(alert.district) }
            cells.append(app.words.reason(alert, format: InstantFormat(timeZone: app.store.timeZone)))
            Table.row(cells, columns, on: canvas, row: body.top + 4 + i - c.top,
                      style: i == c.selected ? .selected : .normal, firstStyle: Self.style(alert.kind))
        }
        if alerts.indices.contains(c.selected) {
            let alert = alerts[c.selected]
            canvas.put("▸ \(alert.orderNumber): \(app.words.reason(alert, format: InstantFormat(timeZone: app.store.timeZone)))", row: body.top + body.rows - 1, col: 1, style: .header,
                       width: body.cols - 2)
        }
    }
}

/// Column layout shared by the list screens.
enum Table {
    static func header(_ columns: [(String, Int)], on canvas: Canvas, row: Int) {
        var x = 1
        for (title, width) in columns {
            canvas.put(title, row: row, col: x, style: .header, width: width)
            x += width + 1
        }
    }

    /// One row; the first cell may carry its own style (the alert's tag) unless the row is selected.
    static func row(_ cells: [String], _ columns: [(String, Int)], on canvas: Canvas, row: Int, style: Style,
                    firstStyle: Style? = nil) {
        let total = columns.reduce(0) { $0 + $1.1 + 1 }
        canvas.fill(row: row, col: 0, width: total + 1, style: style)
        var x = 1
        for (i, (cell, column)) in zip(cells, columns).enumerated() {
            let cellStyle = i == 0 && style != .selected ? (firstStyle ?? style) : style
            canvas.put(TextWidth.truncate(cell, toWidth: column.1), row: row, col: x, style: cellStyle, width: column.1)
            x += column.1 + 1
        }
    }
}
