import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// Every order, filtered by status, searched with `/`, sorted by column.
final class OrdersScreen: Screen {
    let id = ScreenID.orders

    enum SortKey: String, CaseIterable {
        case number, status, nextDue, expires, district, respondent
    }

    /// nil means all.
    var status: OrderStatus? = .active
    var all: [OrderSummary] = []
    /// The `/` search, with `n`/`N` and Esc.
    var search = ListSearch()
    var query: String { search.text }
    var sort = SortKey.number
    var descending = false
    var cursor = ListCursor()
    /// `all` filtered by the query and sorted: what the list shows.
    private(set) var visible: [OrderSummary] = []
    /// Survivors' names by order ID, opened in memory for the search when this session may see
    /// them; nil until the first search, emptied when the screen locks.
    var survivorNames: [Int64: String]? { didSet { folded = [:] } }
    /// Each order's searchable text, folded once (by order ID) rather than on every key.
    private var folded: [Int64: FoldedText] = [:]

    func load(context: ScreenContext) throws {
        all = try context.reader.orders(status: status, asOf: context.asOf)
        folded = [:]
        refilter()
        cursor.clamp(count: visible.count, height: context.listHeight)
    }

    /// Applies the search and the sort. The search matches number, respondent, officer, district and
    /// (when opened) the survivor, folded (`SearchFold`: case, Kazakh letters, Latin spelling); names
    /// sort by the Kazakh/Russian alphabet (`NameOrder`).
    func refilter() {
        var rows = all
        if search.filters {
            rows = all.filter { summary in
                let o = summary.order
                let text = folded[o.id ?? 0] ?? FoldedText(joining: [o.number, o.respondent.name, o.officer, o.district,
                                                                     survivorNames?[o.id ?? 0] ?? o.survivor.name])
                if let id = o.id { folded[id] = text }
                return search.matches(text)
            }
        }
        switch sort {
        case .district, .respondent:
            let keyed = rows.map { row in
                (row, NameOrder.sortKey(sort == .district ? row.order.district : row.order.respondent.name))
            }
            rows = keyed.sorted { a, b in
                let (x, y) = descending ? (b, a) : (a, b)
                return x.1 != y.1 ? x.1 < y.1 : x.0.order.number < y.0.order.number
            }.map(\.0)
        default:
            rows.sort { a, b in
                let (x, y) = descending ? (b, a) : (a, b)
                switch sort {
                case .status: return (x.status.rawValue, x.order.number) < (y.status.rawValue, y.order.number)
                case .nextDue: return (x.nextDue?.ordinal ?? Int.max, x.order.number) < (y.nextDue?.ordinal ?? Int.max, y.order.number)
                case .expires:
                    return (x.expires?.timeIntervalSince1970 ?? .infinity, x.order.number)
                        < (y.expires?.timeIntervalSince1970 ?? .infinity, y.order.number)
                default: return x.order.number < y.order.number
                }
            }
        }
        visible = rows
    }

    func handle(_ press: KeyPress, context: ScreenContext) -> Command? {
        switch search.handle(press, cursor: &cursor, count: visible.count, height: context.listHeight) {
        case .started: return survivorNames == nil ? .loadSurvivorNames : .nothing
        case .changed:
            refilter()
            cursor.clamp(count: visible.count, height: context.listHeight)
            return .nothing
        case .taken: return .nothing
        case nil: break
        }
        let key = press.command
        if cursor.move(key, count: visible.count, height: context.listHeight) { return .nothing }
        switch key {
        case .character("f"):
            let cycle: [OrderStatus?] = [.active, .unserved, .expired, .revoked, nil]
            status = cycle[((cycle.firstIndex(of: status) ?? 0) + 1) % cycle.count]
            cursor = ListCursor()
            return .reload
        case .character("s"):
            let keys = SortKey.allCases
            sort = keys[((keys.firstIndex(of: sort) ?? 0) + 1) % keys.count]
            refilter()
            return .nothing
        case .character("S"):
            descending.toggle()
            refilter()
            return .nothing
        case .enter where visible.indices.contains(cursor.selected):
            return .openOrder(visible[cursor.selected].order.number)
        default:
            return nil
        }
    }

    func receive(_ input: ScreenInput, context: ScreenContext) -> Command? {
        guard case .survivorNames(let names) = input else { return nil }
        survivorNames = names
        refilter()
        return nil
    }

    /// On lock: the opened names go, and so does the query, which may be a survivor's name.
    func forgetSurvivorData() {
        survivorNames = nil
        search = ListSearch()
        refilter()
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        var y = body.top
        let filter = context.text("orders.filter", [
            "status": status.map { context.text("status.\($0.rawValue)") } ?? context.text("status.all"),
            "count": context.words.number(visible.count),
            "sort": context.text("sort.\(sort.rawValue)") + (descending ? " ↓" : " ↑"),
        ])
        y += Wrap.draw(filter, on: canvas, row: y, col: 1, width: width, style: .header)
        // The position at the right end of the search line.
        let position = cursor.drawPosition(count: visible.count, on: canvas, row: y, col: 1, width: width, context: context)
        y += search.draw(hint: context.text("orders.searchHint"), on: canvas, row: y, col: 1, width: width - position,
                         context: context)
        let wide = body.cols >= 100
        let statuses = OrderStatus.allCases.map { context.text("status.\($0.rawValue)") }
        var specs = [ColumnSpec(title: context.text("col.order"), base: 14, content: Table.widest(visible.map(\.order.number)), cap: 20),
                     ColumnSpec(title: context.text("col.status"), base: 9, content: Table.widest(statuses), cap: 14),
                     ColumnSpec(title: context.text("col.nextDue"), base: 10, content: TextWidth.width(of: context.text("nextDue.none")), cap: 12),
                     ColumnSpec(title: context.text("col.expires"), base: 10)]
        if wide { specs.append(ColumnSpec(title: context.text("col.district"), base: 22, shrinkable: true, minimum: 12)) }
        specs.append(ColumnSpec(title: context.text("col.respondent"), base: 22, free: true))
        // The survivor's initials: as wide as the header (and the initials) need.
        specs.append(ColumnSpec(title: context.text("col.survivor"), base: 6, content: 6))
        let columns = Table.layout(specs, width: body.cols)
        y += 1
        Table.header(columns, on: canvas, row: y)
        let listTop = y + 1
        let height = max(body.top + body.rows - 1 - listTop, 1)
        var c = cursor
        c.clamp(count: visible.count, height: height)
        for (i, s) in visible.enumerated().dropFirst(c.top).prefix(height) {
            var cells = [s.order.number, context.text("status.\(s.status.rawValue)"),
                         s.status == .active ? s.nextDue?.dotted ?? context.text("nextDue.none") : "-",
                         s.expires.map { context.formats.day($0).dotted } ?? "-"]
            if wide { cells.append(s.order.district) }
            cells += [s.order.respondent.name, Initials.of(s.order.survivor.name)]
            Table.row(cells, columns, on: canvas, row: listTop + i - c.top, style: i == c.selected ? .selected : .normal)
        }
        if visible.isEmpty {
            Wrap.draw(context.text("orders.none"), on: canvas, row: listTop + 1, col: 2, width: body.cols - 4, style: .dim)
        }
    }
}
