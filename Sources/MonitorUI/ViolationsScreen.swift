import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// For supervisors: missed checks and breaches in a period, grouped by district or officer.
struct ViolationsScreen {
    enum Period: Equatable {
        case thisWeek, thisMonth, lastMonth
        case custom(from: LocalDay, to: LocalDay)
    }

    enum Grouping: String {
        case district, officer
    }

    enum Row {
        case group(name: String, missed: Int, breaches: Int)
        case item(Violation)
    }

    var period = Period.thisMonth
    var grouping = Grouping.district
    var from = LocalDay(ordinal: 0)
    var to = LocalDay(ordinal: 0)
    var rows: [Row] = []
    var total = (missed: 0, breaches: 0)
    var cursor = ListCursor()

    /// The first and last day of a period containing `today`; weeks start on Monday.
    static func range(_ period: Period, today: LocalDay) -> (LocalDay, LocalDay) {
        switch period {
        case .thisWeek:
            // 1970-01-01 was a Thursday: ordinal + 3 counts days from a Monday.
            let monday = today - ((today.ordinal + 3) % 7 + 7) % 7
            return (monday, today)
        case .thisMonth:
            return (LocalDay(year: today.year, month: today.month, day: 1) ?? today, today)
        case .lastMonth:
            let first = LocalDay(year: today.year, month: today.month, day: 1) ?? today
            let last = first - 1
            return (LocalDay(year: last.year, month: last.month, day: 1) ?? last, last)
        case .custom(let from, let to):
            return (from, to)
        }
    }

    mutating func load(from store: OrderStore, asOf instant: Date) throws {
        (from, to) = Self.range(period, today: LocalDay(instant, in: store.timeZone))
        let list = try store.violations(from: from, to: to, asOf: instant)
        total = (list.filter { $0.kind == .missedCheck }.count, list.filter { $0.kind == .breach }.count)
        let key: (Violation) -> String = grouping == .district ? { $0.district } : { $0.officer }
        let groups = Dictionary(grouping: list, by: key)
        rows = groups.keys.sorted().flatMap { name -> [Row] in
            let items = groups[name] ?? []
            let missed = items.filter { $0.kind == .missedCheck }.count
            return [.group(name: name.isEmpty ? "—" : name, missed: missed, breaches: items.count - missed)]
                + items.map(Row.item)
        }
    }

    mutating func handle(_ key: Key, app: MonitorApp) -> Command? {
        if cursor.move(key, count: rows.count, height: app.listHeight) { return nil }
        switch key {
        case .character("w"): period = .thisWeek; return .reload
        case .character("m"): period = .thisMonth; return .reload
        case .character("l"): period = .lastMonth; return .reload
        case .character("c"): return .openForm(.period)
        case .character("d"): grouping = grouping == .district ? .officer : .district; return .reload
        case .enter:
            if rows.indices.contains(cursor.selected), case .item(let v) = rows[cursor.selected] { return .openOrder(v.orderNumber) }
        case .character("x"):
            if rows.indices.contains(cursor.selected), case .item(let v) = rows[cursor.selected], v.kind == .breach,
               v.isOpen == true, let id = v.breachID {
                return .openForm(.closeBreach(id: id, number: v.orderNumber))
            }
            return .flash(app.text("violations.notOpenBreach"), .warning)
        default: break
        }
        return nil
    }

    func draw(on canvas: Canvas, in body: Rect, app: MonitorApp) {
        let width = body.cols - 2
        let periodName: String = switch period {
        case .thisWeek: app.text("period.week")
        case .thisMonth: app.text("period.month")
        case .lastMonth: app.text("period.lastMonth")
        case .custom: app.text("period.custom")
        }
        var y = body.top
        y += Wrap.draw(app.text("violations.title", ["period": periodName, "from": from.dotted, "to": to.dotted,
                                                     "missed": app.words.number(total.missed),
                                                     "breaches": app.words.number(total.breaches),
                                                     "grouping": app.text("grouping.\(grouping.rawValue)")]),
                       on: canvas, row: y, col: 1, width: width, style: .header)
        y += Wrap.draw(app.text("violations.keys"), on: canvas, row: y, col: 1, width: width, style: .dim)
        let kinds = [app.text("violation.missed"), app.text("violation.breachOpen"), app.text("violation.breachClosed")]
        let orders = rows.compactMap { row -> String? in if case .item(let v) = row { v.orderNumber } else { nil } }
        let specs = [ColumnSpec(title: app.text("col.day"), base: 10),
                     ColumnSpec(title: app.text("col.kind"), base: 12, content: Table.widest(kinds), cap: 18),
                     ColumnSpec(title: app.text("col.order"), base: 14, content: Table.widest(orders), cap: 20),
                     ColumnSpec(title: app.text(grouping == .district ? "col.officer" : "col.district"), base: 20, shrinkable: true),
                     ColumnSpec(title: app.text("col.reason"), base: 0, free: true)]
        let columns = Table.layout(specs, width: body.cols)
        y += 1
        Table.header(columns, on: canvas, row: y)
        let listTop = y + 1
        let height = max(body.top + body.rows - 1 - listTop, 1)
        var c = cursor
        c.clamp(count: rows.count, height: height)
        for (i, row) in rows.enumerated().dropFirst(c.top).prefix(height) {
            let y = listTop + i - c.top
            let selected = i == c.selected
            switch row {
            case let .group(name, missed, breaches):
                // The counts always show; a long name gives way.
                let counts = app.text("violations.group", ["name": "", "missed": app.words.number(missed),
                                                           "breaches": app.words.number(breaches)])
                let room = max(width - TextWidth.width(of: counts), 1)
                canvas.put(app.text("violations.group", ["name": TextWidth.truncate(name, toWidth: room),
                                                         "missed": app.words.number(missed),
                                                         "breaches": app.words.number(breaches)]),
                           row: y, col: 1, style: selected ? .selected : .title, width: width)
            case .item(let v):
                let kind = v.kind == .missedCheck ? app.text("violation.missed")
                    : app.text(v.isOpen == true ? "violation.breachOpen" : "violation.breachClosed")
                Table.row([v.day.dotted, kind, v.orderNumber, grouping == .district ? v.officer : v.district, app.words.reason(v)], columns,
                          on: canvas, row: y, style: selected ? .selected : .normal,
                          firstStyle: v.kind == .breach && v.isOpen == true ? .critical : nil)
            }
        }
        if rows.isEmpty {
            Wrap.draw(app.text("violations.none"), on: canvas, row: listTop + 1, col: 2, width: body.cols - 4, style: .ok)
        }
    }
}
