import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// Every order, filtered by status, searched with `/`, sorted by column.
struct OrdersScreen {
    enum SortKey: String, CaseIterable {
        case number, status, nextDue, expires, district, respondent
    }

    /// nil means all.
    var status: OrderStatus? = .active
    var all: [OrderSummary] = []
    var query = ""
    var searching = false
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

    mutating func load(from store: OrderStore, asOf instant: Date) throws {
        all = try store.orders(status: status, asOf: instant)
        folded = [:]
        refilter()
    }

    /// Applies the search and the sort. The search matches number, respondent, officer, district and
    /// (when opened) the survivor, folded (`SearchFold`: case, Kazakh letters, Latin spelling); names
    /// sort by the Kazakh/Russian alphabet (`NameOrder`).
    mutating func refilter() {
        let query = SearchQuery(query)
        var rows = all
        if !query.isEmpty {
            rows = all.filter { summary in
                let o = summary.order
                let text = folded[o.id ?? 0] ?? FoldedText(joining: [o.number, o.respondent.name, o.officer, o.district,
                                                                     survivorNames?[o.id ?? 0] ?? o.survivor.name])
                if let id = o.id { folded[id] = text }
                return query.matches(text)
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

    mutating func handle(_ key: Key, app: MonitorApp) -> Command? {
        if searching {
            switch key {
            case .enter: searching = false
            case .escape: searching = false; query = ""
            case .backspace, .delete: if !query.isEmpty { query.removeLast() }
            case .character(let c): query.append(c)
            default: break
            }
            refilter()
            cursor.clamp(count: visible.count, height: app.listHeight)
            return nil
        }
        if cursor.move(key, count: visible.count, height: app.listHeight) { return nil }
        switch key {
        case .character("/"):
            searching = true
            if survivorNames == nil { return .loadSurvivorNames }
        case .character("f"):
            let cycle: [OrderStatus?] = [.active, .unserved, .expired, .revoked, nil]
            status = cycle[((cycle.firstIndex(of: status) ?? 0) + 1) % cycle.count]
            cursor = ListCursor()
            return .reload
        case .character("s"):
            let keys = SortKey.allCases
            sort = keys[((keys.firstIndex(of: sort) ?? 0) + 1) % keys.count]
            refilter()
        case .character("S"):
            descending.toggle()
            refilter()
        case .enter where visible.indices.contains(cursor.selected):
            return .openOrder(visible[cursor.selected].order.number)
        default:
            break
        }
        return nil
    }

    func draw(on canvas: Canvas, in body: Rect, app: MonitorApp) {
        let width = body.cols - 2
        var y = body.top
        let filter = app.text("orders.filter", [
            "status": status.map { app.text("status.\($0.rawValue)") } ?? app.text("status.all"),
            "count": app.words.number(visible.count),
            "sort": app.text("sort.\(sort.rawValue)") + (descending ? " ↓" : " ↑"),
        ])
        y += Wrap.draw(filter, on: canvas, row: y, col: 1, width: width, style: .header)
        if searching || !query.isEmpty {
            let search = app.text("orders.search", ["query": query])
            canvas.put(search, row: y, col: 1, style: searching ? .input : .dim, width: width)
            if searching { canvas.setCursor(row: y, col: 1 + min(TextWidth.width(of: search), width - 1)) }
            y += 1
        } else {
            y += Wrap.draw(app.text("orders.searchHint"), on: canvas, row: y, col: 1, width: width, style: .dim)
        }
        let wide = body.cols >= 100
        let statuses = OrderStatus.allCases.map { app.text("status.\($0.rawValue)") }
        var specs = [ColumnSpec(title: app.text("col.order"), base: 14, content: Table.widest(visible.map(\.order.number)), cap: 20),
                     ColumnSpec(title: app.text("col.status"), base: 9, content: Table.widest(statuses), cap: 14),
                     ColumnSpec(title: app.text("col.nextDue"), base: 10, content: TextWidth.width(of: app.text("nextDue.none")), cap: 12),
                     ColumnSpec(title: app.text("col.expires"), base: 10)]
        if wide { specs.append(ColumnSpec(title: app.text("col.district"), base: 22, shrinkable: true, minimum: 12)) }
        specs.append(ColumnSpec(title: app.text("col.respondent"), base: 22, free: true))
        // The survivor's initials: as wide as the header (and the initials) need.
        specs.append(ColumnSpec(title: app.text("col.survivor"), base: 6, content: 6))
        let columns = Table.layout(specs, width: body.cols)
        y += 1
        Table.header(columns, on: canvas, row: y)
        let listTop = y + 1
        let height = max(body.top + body.rows - 1 - listTop, 1)
        var c = cursor
        c.clamp(count: visible.count, height: height)
        for (i, s) in visible.enumerated().dropFirst(c.top).prefix(height) {
            var cells = [s.order.number, app.text("status.\(s.status.rawValue)"),
                         s.status == .active ? s.nextDue?.dotted ?? app.text("nextDue.none") : "-",
                         s.expires.map { app.formats.day($0).dotted } ?? "-"]
            if wide { cells.append(s.order.district) }
            cells += [s.order.respondent.name, Initials.of(s.order.survivor.name)]
            Table.row(cells, columns, on: canvas, row: listTop + i - c.top, style: i == c.selected ? .selected : .normal)
        }
        if visible.isEmpty {
            Wrap.draw(app.text("orders.none"), on: canvas, row: listTop + 1, col: 2, width: body.cols - 4, style: .dim)
        }
    }
}
