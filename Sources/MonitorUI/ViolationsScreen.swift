import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// For supervisors: missed checks and breaches in a period, grouped by district or officer.
final class ViolationsScreen: Screen {
    let id = ScreenID.violations

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

    func load(context: ScreenContext) throws {
        (from, to) = Self.range(period, today: context.formats.day(context.asOf))
        let list = try context.reader.violations(from: from, to: to, asOf: context.asOf)
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

    func handle(_ press: KeyPress, context: ScreenContext) -> Command? {
        let key = press.command
        if cursor.move(key, count: rows.count, height: context.listHeight) { return .nothing }
        switch key {
        case .character("w"): period = .thisWeek; return .reload
        case .character("m"): period = .thisMonth; return .reload
        case .character("l"): period = .lastMonth; return .reload
        case .character("c"): return .openForm(.period(from: from, to: to))
        case .character("d"): grouping = grouping == .district ? .officer : .district; return .reload
        case .enter:
            if rows.indices.contains(cursor.selected), case .item(let v) = rows[cursor.selected] { return .openOrder(v.orderNumber) }
            return .nothing
        case .character("x"):
            if rows.indices.contains(cursor.selected), case .item(let v) = rows[cursor.selected], v.kind == .breach,
               v.isOpen == true, let id = v.breachID {
                return .openForm(.closeBreach(id: id, number: v.orderNumber))
            }
            return .flash(context.text("violations.notOpenBreach"), .warning)
        default: return nil
        }
    }

    func receive(_ input: ScreenInput, context: ScreenContext) -> Command? {
        guard case .period(let from, let to) = input else { return nil }
        period = .custom(from: from, to: to)
        cursor = ListCursor()
        return .reload
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        let periodName: String = switch period {
        case .thisWeek: context.text("period.week")
        case .thisMonth: context.text("period.month")
        case .lastMonth: context.text("period.lastMonth")
        case .custom: context.text("period.custom")
        }
        var y = body.top
        y += Wrap.draw(context.text("violations.title", ["period": periodName, "from": from.dotted, "to": to.dotted,
                                                     "missed": context.words.number(total.missed),
                                                     "breaches": context.words.number(total.breaches),
                                                     "grouping": context.text("grouping.\(grouping.rawValue)")]),
                       on: canvas, row: y, col: 1, width: width, style: .header)
        y += Wrap.draw(context.text("violations.keys"), on: canvas, row: y, col: 1, width: width, style: .dim)
        let kinds = [context.text("violation.missed"), context.text("violation.breachOpen"), context.text("violation.breachClosed")]
        let orders = rows.compactMap { row -> String? in if case .item(let v) = row { v.orderNumber } else { nil } }
        let specs = [ColumnSpec(title: context.text("col.day"), base: 10),
                     ColumnSpec(title: context.text("col.kind"), base: 12, content: Table.widest(kinds), cap: 18),
                     ColumnSpec(title: context.text("col.order"), base: 14, content: Table.widest(orders), cap: 20),
                     ColumnSpec(title: context.text(grouping == .district ? "col.officer" : "col.district"), base: 20, shrinkable: true),
                     ColumnSpec(title: context.text("col.reason"), base: 0, free: true)]
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
                let counts = context.text("violations.group", ["name": "", "missed": context.words.number(missed),
                                                           "breaches": context.words.number(breaches)])
                let room = max(width - TextWidth.width(of: counts), 1)
                canvas.put(context.text("violations.group", ["name": TextWidth.truncate(name, toWidth: room),
                                                         "missed": context.words.number(missed),
                                                         "breaches": context.words.number(breaches)]),
                           row: y, col: 1, style: selected ? .selected : .title, width: width)
            case .item(let v):
                let kind = v.kind == .missedCheck ? context.text("violation.missed")
                    : context.text(v.isOpen == true ? "violation.breachOpen" : "violation.breachClosed")
                Table.row([v.day.dotted, kind, v.orderNumber, grouping == .district ? v.officer : v.district, context.words.reason(v)], columns,
                          on: canvas, row: y, style: selected ? .selected : .normal,
                          firstStyle: v.kind == .breach && v.isOpen == true ? .critical : nil)
            }
        }
        if rows.isEmpty {
            Wrap.draw(context.text("violations.none"), on: canvas, row: listTop + 1, col: 2, width: body.cols - 4, style: .ok)
        }
    }
}
