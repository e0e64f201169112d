import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// For supervisors: missed checks and breaches in a period, grouped by district or officer, as a list
/// or as a table of counts per group; searched with `/`, saved to a CSV file with `e`.
final class ViolationsScreen: Screen {
    let id = ScreenID.violations

    enum Period: Equatable {
        case thisWeek, lastWeek, thisMonth, lastMonth
        case custom(from: LocalDay, to: LocalDay)
    }

    enum Grouping: String {
        case district, officer
    }

    enum Row: Equatable {
        case group(name: String, missed: Int, breaches: Int)
        case item(Violation)
    }

    /// One group's counts, for the summary table.
    struct GroupCount: Equatable {
        var name: String
        var missed: Int
        var breaches: Int
        var total: Int { missed + breaches }
    }

    var period = Period.thisMonth
    var grouping = Grouping.district
    /// The list with its group headers, or the table of counts per group (`t`).
    var showsSummary = false
    var from = LocalDay(ordinal: 0)
    var to = LocalDay(ordinal: 0)
    /// Every violation of the period, as read.
    private(set) var all: [Violation] = []
    /// The violations the search leaves, in the order the list shows them (by group).
    private(set) var shown: [Violation] = []
    /// The list: each group's header, then its violations.
    private(set) var rows: [Row] = []
    /// The counts per group, most first.
    private(set) var summary: [GroupCount] = []
    var total = (missed: 0, breaches: 0)
    /// The list's selection: always on a violation, never on a group's header.
    var cursor = ListCursor()
    var summaryCursor = ListCursor()
    var search = ListSearch()
    /// Each violation's searchable text (order, respondent, officer, district), folded once per load.
    private var folded: [FoldedText] = []
    /// The respondents' names by order ID, read for the search once it is first used.
    private var respondents: [Int64: String]?
    /// Where each group's header is in `rows`, by the group's name as shown.
    private var groupRows: [String: Int] = [:]

    /// The first and last day of a period containing `today`; weeks start on Monday.
    static func range(_ period: Period, today: LocalDay) -> (LocalDay, LocalDay) {
        // 1970-01-01 was a Thursday: ordinal + 3 counts days from a Monday.
        let monday = today - ((today.ordinal + 3) % 7 + 7) % 7
        switch period {
        case .thisWeek:
            return (monday, today)
        case .lastWeek:
            return (monday - 7, monday - 1)
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
        all = try context.reader.violations(from: from, to: to, asOf: context.asOf)
        if respondents != nil { try readRespondents(context: context) }
        recount(context: context)
    }

    /// `all` becomes `list`, the changed orders' violations read again (`refresh`); of the respondents' names, only
    /// theirs are read again.
    func replace(_ list: [Violation], changed: Refresh.Changed, context: ScreenContext) throws {
        all = list
        if let known = respondents {
            let ids = Set(all.compactMap(\.orderID)).filter { changed.contains($0) || known[$0] == nil }
            var names = known.filter { !changed.contains($0.key) }
            names.merge(try context.reader.respondentNames(orderIDs: ids)) { $1 }
            respondents = names
        }
        recount(context: context)
    }

    /// After `all` was read: the search's text, the totals and the groups again.
    private func recount(context: ScreenContext) {
        fold()
        total = (all.filter { $0.kind == .missedCheck }.count, all.filter { $0.kind == .breach }.count)
        regroup(context: context)
    }

    /// The respondents' names, for the search: the violations name the order, not its respondent. Only the
    /// orders of the violations listed are read, not every order.
    private func readRespondents(context: ScreenContext) throws {
        respondents = try context.reader.respondentNames(orderIDs: Set(all.compactMap(\.orderID)))
    }

    private func fold() {
        folded = all.map { v in
            FoldedText(joining: [v.orderNumber, v.orderID.flatMap { respondents?[$0] } ?? "", v.officer, v.district])
        }
    }

    /// The list and the summary from `all`, as the search and the grouping have them; the selection
    /// kept where it was, on a violation.
    private func regroup(context: ScreenContext) {
        let key: (Violation) -> String = grouping == .district ? { $0.district } : { $0.officer }
        let found = zip(all, folded).filter { search.matches($0.1) }.map(\.0)
        let groups = Dictionary(grouping: found, by: key)
        let names = groups.keys.sorted { NameOrder.sortKey($0) < NameOrder.sortKey($1) }
        summary = names.map { name in
            let items = groups[name] ?? []
            let missed = items.filter { $0.kind == .missedCheck }.count
            return GroupCount(name: Self.shownName(name), missed: missed, breaches: items.count - missed)
        }
        rows = []
        groupRows = [:]
        for (name, count) in zip(names, summary) {
            groupRows[count.name] = rows.count
            rows.append(.group(name: count.name, missed: count.missed, breaches: count.breaches))
            rows += (groups[name] ?? []).map(Row.item)
        }
        shown = names.flatMap { groups[$0] ?? [] }
        // Most first; groups with as many in the order of their names.
        summary = summary.enumerated().sorted { a, b in
            a.element.total != b.element.total ? a.element.total > b.element.total : a.offset < b.offset
        }.map(\.element)
        cursor.clamp(count: rows.count, height: context.listHeight)
        settle(forward: true, height: context.listHeight)
        summaryCursor.clamp(count: summary.count, height: context.listHeight)
    }

    private static func shownName(_ name: String) -> String { name.isEmpty ? "—" : name }

    private func isItem(_ index: Int) -> Bool {
        guard rows.indices.contains(index), case .item = rows[index] else { return false }
        return true
    }

    /// Moves the selection off a group's header: on to the next violation in the direction it was moving,
    /// else back the other way.
    private func settle(forward: Bool, height: Int) {
        guard !isItem(cursor.selected) else { return }
        let ahead = forward ? Array(cursor.selected..<rows.count) : Array((0...max(cursor.selected, 0)).reversed())
        let behind = forward ? Array((0..<max(cursor.selected, 0)).reversed()) : Array(cursor.selected..<rows.count)
        guard let index = (ahead + behind).first(where: isItem) else { return }
        cursor.selected = index
        cursor.clamp(count: rows.count, height: height)
    }

    /// The selected violation in the list.
    var selected: Violation? {
        guard !showsSummary, rows.indices.contains(cursor.selected), case .item(let v) = rows[cursor.selected] else { return nil }
        return v
    }

    /// A new period, grouping or search: the list starts at its top again.
    private func toTop() {
        cursor = ListCursor()
        summaryCursor = ListCursor()
    }

    func handle(_ press: KeyPress, context: ScreenContext) -> Command? {
        let height = context.listHeight
        let count = showsSummary ? summary.count : rows.count
        var moving = showsSummary ? summaryCursor : cursor
        if let outcome = search.handle(press, cursor: &moving, count: count, height: height,
                                       isMatch: { [self] in showsSummary || isItem($0) }) {
            if outcome == .started, respondents == nil {
                try? readRespondents(context: context)
                fold()
            }
            if outcome == .changed {
                toTop()
                regroup(context: context)
            } else if showsSummary {
                summaryCursor = moving
            } else {
                cursor = moving
            }
            return .nothing
        }
        let key = press.command
        if showsSummary {
            if summaryCursor.move(key, count: summary.count, height: height) { return .nothing }
        } else {
            let before = cursor.selected
            if cursor.move(key, count: rows.count, height: height) {
                settle(forward: cursor.selected >= before, height: height)
                return .nothing
            }
        }
        switch key {
        case .character("w"): return show(.thisWeek)
        case .character("W"): return show(.lastWeek)
        case .character("m"): return show(.thisMonth)
        case .character("l"): return show(.lastMonth)
        case .character("c"): return .openForm(.period(from: from, to: to))
        case .character("d"):
            grouping = grouping == .district ? .officer : .district
            toTop()
            regroup(context: context)
            return .nothing
        case .character("t"):
            showsSummary.toggle()
            return .nothing
        case .character("e"):
            guard !shown.isEmpty else { return .flash(context.text("violations.nothingToSave"), .warning) }
            let table = context.words.violationsTable(shown)
            return .openForm(.saveReport(Report(headers: table.headers, rows: table.rows,
                                                suggestedName: "violations-\(from.iso)-\(to.iso).csv")))
        case .enter:
            if showsSummary {
                // The group's violations in the list.
                guard summary.indices.contains(summaryCursor.selected),
                      let index = groupRows[summary[summaryCursor.selected].name] else { return .nothing }
                showsSummary = false
                cursor = ListCursor(selected: index + 1, top: index)
                cursor.clamp(count: rows.count, height: height)
                return .nothing
            }
            return selected.map { .openOrder($0.orderNumber) } ?? .nothing
        case .character("x"):
            guard let v = selected, v.kind == .breach, let id = v.breachID else {
                return .flash(context.text("violations.notOpenBreach"), .warning)
            }
            guard v.isOpen == true else {
                return .flash(context.text("violations.breachClosed", ["id": String(id), "number": v.orderNumber]), .notice)
            }
            return .openForm(.closeBreach(id: id, number: v.orderNumber))
        default: return nil
        }
    }

    /// What an empty list or table says: nothing in the period, or nothing the search finds.
    private func drawNone(on canvas: Canvas, row: Int, width: Int, context: ScreenContext) {
        Wrap.draw(context.text(search.filters ? "violations.noneFound" : "violations.none"), on: canvas, row: row, col: 2,
                  width: width - 2, style: .ok)
    }

    /// The keys, offering export and closing a breach only to the roles that may (others are told who may).
    private func keyHint(context: ScreenContext) -> String {
        var keys = [context.text(showsSummary ? "violations.keysSummary" : "violations.keys")]
        if context.may(.export) { keys.append(context.text("violations.key.export")) }
        if !showsSummary && context.may(.closeBreach) { keys.append(context.text("violations.key.close")) }
        return keys.joined(separator: " · ")
    }

    private func show(_ period: Period) -> Command {
        self.period = period
        toTop()
        return .reload
    }

    func receive(_ input: ScreenInput, context: ScreenContext) -> Command? {
        guard case .period(let from, let to) = input else { return nil }
        return show(.custom(from: from, to: to))
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        let periodName: String = switch period {
        case .thisWeek: context.text("period.week")
        case .lastWeek: context.text("period.lastWeek")
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
        y += Wrap.draw(keyHint(context: context), on: canvas, row: y, col: 1, width: width, style: .dim)
        if search.isActive {
            y += search.draw(hint: "", on: canvas, row: y, col: 1, width: width, context: context)
        }
        y += 1
        let bottom = body.top + body.rows
        if showsSummary {
            drawSummary(on: canvas, top: y, bottom: bottom, width: width, context: context)
        } else {
            drawList(on: canvas, top: y, bottom: bottom, width: width, cols: body.cols, context: context)
        }
    }

    /// The list: the column headers at `top`, the rows, and under them the selected violation in full
    /// with where it is in the list ("row 12 of 340"), on the rows above `bottom`.
    private func drawList(on canvas: Canvas, top: Int, bottom: Int, width: Int, cols: Int, context: ScreenContext) {
        let kinds = [context.text("violation.missed"), context.text("violation.breachOpen"), context.text("violation.breachClosed")]
        let specs = [ColumnSpec(title: context.text("col.day"), base: 10),
                     ColumnSpec(title: context.text("col.kind"), base: 12, content: Table.widest(kinds), cap: 18),
                     ColumnSpec(title: context.text("col.order"), base: 14, content: Table.widest(shown.map(\.orderNumber)), cap: 20),
                     ColumnSpec(title: context.text(grouping == .district ? "col.officer" : "col.district"), base: 20, shrinkable: true),
                     ColumnSpec(title: context.text("col.reason"), base: 0, free: true)]
        let columns = Table.layout(specs, width: cols)
        Table.header(columns, on: canvas, row: top)
        let listTop = top + 1
        guard !rows.isEmpty else { return drawNone(on: canvas, row: listTop + 1, width: width, context: context) }
        // Where the selection is, at the right of the first line under the list; the selected violation in
        // full beside it, on as many lines as it takes (up to four), a blank line above.
        let items = rows.prefix(through: min(cursor.selected, rows.count - 1)).filter { if case .item = $0 { true } else { false } }.count
        let position = ListCursor(selected: max(items - 1, 0)).position(count: shown.count, context: context)
        let room = width - TextWidth.width(of: position) - 1
        let detail = selected.map { Self.detail($0, context: context) } ?? ""
        let detailRows = min(Wrap.lines(detail, width: room).count, 4)
        let height = max(bottom - detailRows - 1 - listTop, 1)
        var c = cursor
        c.clamp(count: rows.count, height: height)
        for (i, row) in rows.enumerated().dropFirst(c.top).prefix(height) {
            let y = listTop + i - c.top
            let isSelected = i == c.selected
            switch row {
            case let .group(name, missed, breaches):
                // The counts always show; a long name gives way.
                let counts = context.text("violations.group", ["name": "", "missed": context.words.number(missed),
                                                               "breaches": context.words.number(breaches)])
                let room = max(width - TextWidth.width(of: counts), 1)
                canvas.put(context.text("violations.group", ["name": TextWidth.truncate(name, toWidth: room),
                                                             "missed": context.words.number(missed),
                                                             "breaches": context.words.number(breaches)]),
                           row: y, col: 1, style: isSelected ? .selected : .title, width: width)
            case .item(let v):
                Table.row([v.day.dotted, Self.kind(v, context: context), v.orderNumber,
                           grouping == .district ? v.officer : v.district, context.words.reason(v)], columns,
                          on: canvas, row: y, style: isSelected ? .selected : .normal,
                          firstStyle: v.kind == .breach && v.isOpen == true ? .critical : nil)
            }
        }
        let detailTop = bottom - detailRows
        Wrap.draw(detail, on: canvas, row: detailTop, col: 1, width: room, style: .header, maxRows: detailRows)
        canvas.put(position, row: detailTop, col: 1 + width - TextWidth.width(of: position), style: .dim,
                   width: TextWidth.width(of: position))
    }

    /// The table of counts per group, most first.
    private func drawSummary(on canvas: Canvas, top: Int, bottom: Int, width: Int, context: ScreenContext) {
        let numbers = summary.flatMap { [$0.missed, $0.breaches, $0.total].map(context.words.number) }
        let specs = [ColumnSpec(title: context.text(grouping == .district ? "col.district" : "col.officer"), base: 0, free: true),
                     ColumnSpec(title: context.text("col.missed"), base: 8, content: Table.widest(numbers)),
                     ColumnSpec(title: context.text("col.breaches"), base: 8, content: Table.widest(numbers)),
                     ColumnSpec(title: context.text("col.total"), base: 8, content: Table.widest(numbers))]
        let columns = Table.layout(specs, width: width + 2)
        Table.header(columns, on: canvas, row: top)
        let listTop = top + 1
        guard !summary.isEmpty else { return drawNone(on: canvas, row: listTop + 1, width: width, context: context) }
        let height = max(bottom - 2 - listTop, 1)
        var c = summaryCursor
        c.clamp(count: summary.count, height: height)
        for (i, group) in summary.enumerated().dropFirst(c.top).prefix(height) {
            Table.row([group.name] + [group.missed, group.breaches, group.total].map(context.words.number), columns,
                      on: canvas, row: listTop + i - c.top, style: i == c.selected ? .selected : .normal)
        }
        c.drawPosition(count: summary.count, on: canvas, row: bottom - 1, col: 1, width: width, context: context)
    }

    static func kind(_ v: Violation, context: ScreenContext) -> String {
        v.kind == .missedCheck ? context.text("violation.missed")
            : context.text(v.isOpen == true ? "violation.breachOpen" : "violation.breachClosed")
    }

    /// A violation in full: "▸ 13.11.2026 · missed check · ZP-1 · district · officer: why".
    static func detail(_ v: Violation, context: ScreenContext) -> String {
        "▸ " + [v.day.dotted, kind(v, context: context), v.orderNumber, shownName(v.district), shownName(v.officer)]
            .joined(separator: " · ") + ": " + context.words.reason(v)
    }
}
