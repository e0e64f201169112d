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
    var survivorNames: [Int64: String]?

    mutating func load(from store: OrderStore, asOf instant: Date) throws {
        all = try store.orders(status: status, asOf: instant)
        refilter()
    }

    /// Applies the search (number, respondent or survivor; case-insensitive, Cyrillic and Latin) and the sort.
    mutating func refilter() {
        let q = query.lowercased()
        var rows = q.isEmpty ? all : all.filter {
            $0.order.number.lowercased().contains(q) || $0.order.respondent.name.lowercased().contains(q)
                || (survivorNames?[$0.order.id ?? 0] ?? $0.order.survivor.name).lowercased().contains(q)
        }
        rows.sort { a, b in
            let (x, y) = descending ? (b, a) : (a, b)
            switch sort {
            case .number: return x.order.number < y.order.number
            case .status: return (x.status.rawValue, x.order.number) < (y.status.rawValue, y.order.number)
            case .nextDue: return (x.nextDue?.ordinal ?? Int.max, x.order.number) < (y.nextDue?.ordinal ?? Int.max, y.order.number)
            case .expires:
                return (x.expires?.timeIntervalSince1970 ?? .infinity, x.order.number)
                    < (y.expires?.timeIntervalSince1970 ?? .infinity, y.order.number)
            case .district: return (x.order.district, x.order.number) < (y.order.district, y.order.number)
            case .respondent: return (x.order.respondent.name, x.order.number) < (y.order.respondent.name, y.order.number)
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
        let filter = app.text("orders.filter", [
            "status": status.map { app.text("status.\($0.rawValue)") } ?? app.text("status.all"),
            "count": String(visible.count),
            "sort": app.text("sort.\(sort.rawValue)") + (descending ? " ↓" : " ↑"),
        ])
        canvas.put(filter, row: body.top, col: 1, style: .header, width: body.cols - 2)
        let search = searching || !query.isEmpty ? app.text("orders.search", ["query": query]) : app.text("orders.searchHint")
        canvas.put(search, row: body.top + 1, col: 1, style: searching ? .input : .dim, width: body.cols - 2)
        if searching { canvas.setCursor(row: body.top + 1, col: 1 + TextWidth.width(of: search)) }
        let wide = body.cols >= 100
        var columns: [(String, Int)] = [(app.text("col.order"), 14), (app.text("col.status"), 9),
                                        (app.text("col.nextDue"), 10), (app.text("col.expires"), 10)]
        if wide { columns.append((app.text("col.district"), 22)) }
        columns.append((app.text("col.respondent"), 22))
        let used = columns.reduce(0) { $0 + $1.1 + 1 }
        columns.append((app.text("col.survivor"), max(body.cols - used - 2, 6)))
        Table.header(columns, on: canvas, row: body.top + 3)
        let height = body.rows - 5
        var c = cursor
        c.clamp(count: visible.count, height: height)
        for (i, s) in visible.enumerated().dropFirst(c.top).prefix(height) {
            var cells = [s.order.number, app.text("status.\(s.status.rawValue)"),
                         s.status == .active ? s.nextDue?.dotted ?? app.text("nextDue.none") : "-",
                         s.expires.map { app.formats.day($0).dotted } ?? "-"]
            if wide { cells.append(s.order.district) }
            cells += [s.order.respondent.name, Initials.of(s.order.survivor.name)]
            Table.row(cells, columns, on: canvas, row: body.top + 4 + i - c.top, style: i == c.selected ? .selected : .normal)
        }
        if visible.isEmpty {
            canvas.put(app.text("orders.none"), row: body.top + 5, col: 2, style: .dim)
        }
    }
}
