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
        let periodName: String = switch period {
        case .thisWeek: app.text("period.week")
        case .thisMonth: app.text("period.month")
        case .lastMonth: app.text("period.lastMonth")
        case .custom: app.text("period.custom")
        }
        canvas.put(app.text("violations.title", ["period": periodName, "from": from.dotted, "to": to.dotted,
                                                 "missed": String(total.missed), "breaches": String(total.breaches),
                                                 "grouping": app.text("grouping.\(grouping.rawValue)")]),
                   row: body.top, col: 1, style: .header, width: body.cols - 2)
        canvas.put(app.text("violations.keys"), row: body.top + 1, col: 1, style: .dim, width: body.cols - 2)
        let columns: [(String, Int)] = [(app.text("col.day"), 10), (app.text("col.kind"), 12), (app.text("col.order"), 14),
                                        (app.text(grouping == .district ? "col.officer" : "col.district"), 20),
                                        (app.text("col.reason"), max(body.cols - 62, 10))]
        Table.header(columns, on: canvas, row: body.top + 3)
        let height = body.rows - 5
        var c = cursor
        c.clamp(count: rows.count, height: height)
        for (i, row) in rows.enumerated().dropFirst(c.top).prefix(height) {
            let y = body.top + 4 + i - c.top
            let selected = i == c.selected
            switch row {
            case let .group(name, missed, breaches):
                canvas.put(app.text("violations.group", ["name": name, "missed": String(missed), "breaches": String(breaches)]),
                           row: y, col: 1, style: selected ? .selected : .title, width: body.cols - 2)
            case .item(let v):
                let kind = v.kind == .missedCheck ? app.text("violation.missed")
                    : app.text(v.isOpen == true ? "violation.breachOpen" : "violation.breachClosed")
                Table.row([v.day.dotted, kind, v.orderNumber, grouping == .district ? v.officer : v.district, app.words.reason(v)], columns,
                          on: canvas, row: y, style: selected ? .selected : .normal,
                          firstStyle: v.kind == .breach && v.isOpen == true ? .critical : nil)
            }
        }
        if rows.isEmpty { canvas.put(app.text("violations.none"), row: body.top + 5, col: 2, style: .ok) }
    }
}
