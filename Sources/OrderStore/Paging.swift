import Foundation
import OrderModel
import Scheduler

/// What the order list's search looks in, and how a row is placed in each sort: decided once here, for
/// every backend and for the columns a backend keeps of them.
public enum OrderListing {
    /// The fields a search of the list looks in (the survivor's name apart: it is sealed), folded.
    public static func searchText(_ order: Order) -> FoldedText {
        searchText(number: order.number, respondent: order.respondent.name, officer: order.officer, district: order.district)
    }

    public static func searchText(number: String, respondent: String, officer: String, district: String) -> FoldedText {
        FoldedText(joining: [number, respondent, officer, district])
    }

    /// The name a sort orders by (nil for `.number`, which orders by the number key alone).
    public static func sortedName(_ order: Order, _ sort: OrderSort) -> String? {
        switch sort {
        case .number: nil
        case .respondent: order.respondent.name
        case .district: order.district
        case .officer: order.officer
        }
    }

    /// Where `order` stands in `sort`: its sort column's value and its number key.
    public static func cursor(_ order: Order, _ sort: OrderSort) -> OrderCursor {
        OrderCursor(sortKey: sortedName(order, sort).map { NameOrder.sortKey($0).bytes } ?? Data(),
                    numberKey: Order.numberKey(order.number))
    }

    /// Whether `a` comes before `b` (sort key, then number key, both in byte order).
    public static func precedes(_ a: OrderCursor, _ b: OrderCursor) -> Bool {
        if a.sortKey != b.sortKey { return a.sortKey.lexicographicallyPrecedes(b.sortKey) }
        return Array(a.numberKey.utf8).lexicographicallyPrecedes(Array(b.numberKey.utf8))
    }

    /// Whether the row passes the search: every word in its fields, or its survivor matched.
    public static func matches(_ order: Order, _ search: OrderSearch?) -> Bool {
        guard let search, !search.query.isEmpty else { return true }
        return search.survivorIDs.contains(order.id ?? 0) || search.query.matches(searchText(order))
    }
}

extension StoreBackend {
    public func screenedOrderPage(_ request: OrderPageRequest) throws -> OrderPageRead {
        try pageInMemory(request)
    }

    public func survivorCandidates(_ words: [[[Int64]]]) throws -> SurvivorCandidates? { nil }

    public func sealedSurvivors(orderIDs ids: Set<Int64>) throws -> [(id: Int64, numberKey: String, sealed: Data)] {
        guard !ids.isEmpty else { return [] }
        return try sealedSurvivors().filter { ids.contains($0.id) }
    }

    public func scanOrderList(_ request: OrderPageRequest, batch: Int, passes: Int,
                              _ body: (_ pass: Int, Screened<OrderListRow>) throws -> Void) throws {
        try scanByPages(request, batch: batch, passes: passes, body)
    }

    /// The whole list read page after page (`screenedOrderPage`, pages of `batch`), `passes` times: for a backend
    /// that reads a snapshot of its own around it (or none: each page then sees the store as it is then).
    public func scanByPages(_ request: OrderPageRequest, batch: Int, passes: Int,
                            _ body: (_ pass: Int, Screened<OrderListRow>) throws -> Void) throws {
        for pass in 0 ..< passes {
            var page = request
            page.after = nil
            page.limit = max(batch, 1)
            repeat {
                let read = try screenedOrderPage(page)
                if !read.rows.values.isEmpty || !read.rows.damaged.isEmpty { try body(pass, read.rows) }
                page.after = read.next
            } while page.after != nil
        }
    }

    public func orderCount(_ request: OrderPageRequest, cap: Int?) throws -> Int {
        try countInMemory(request, cap: cap)
    }

    public func respondentNames(orderIDs ids: Set<Int64>) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [Int64: String] = [:]
        for row in try screenedOrders(status: nil, asOf: .distantFuture).values {
            if let id = row.order.id, ids.contains(id) { names[id] = row.order.respondent.name }
        }
        return names
    }

    /// The count of a list read whole, in memory (damaged orders counted too, as a backend with a
    /// count of its own does): for a backend without an index of its own.
    public func countInMemory(_ request: OrderPageRequest, cap: Int?) throws -> Int {
        let all = try screenedOrders(status: request.status, asOf: request.asOf)
        let found = all.values.count { OrderListing.matches($0.order, request.search) } + (request.searches ? 0 : all.damaged.count)
        return cap.map { min(found, $0) } ?? found
    }

    /// A page cut from the whole list, read and sorted in memory: for a backend without sort columns of
    /// its own. The order is the list's as the backend reads it (by number), names sorted stably on it;
    /// the damaged orders come with the first page only.
    public func pageInMemory(_ request: OrderPageRequest) throws -> OrderPageRead {
        let all = try screenedOrders(status: request.status, asOf: request.asOf)
        var rows = all.values.filter { OrderListing.matches($0.order, request.search) }
        if request.sort != .number {
            rows = NameOrder.sorted(rows) { OrderListing.sortedName($0.order, request.sort) ?? "" }
        }
        if request.descending { rows.reverse() }
        var start = 0
        if let after = request.after {
            let cursors = rows.map { OrderListing.cursor($0.order, request.sort) }
            if let at = cursors.firstIndex(where: { $0.numberKey == after.numberKey }) {
                start = at + 1
            } else {
                start = cursors.firstIndex { request.descending ? OrderListing.precedes($0, after) : OrderListing.precedes(after, $0) }
                    ?? rows.count
            }
        }
        let page = Array(rows[start ..< min(rows.count, start + max(request.limit, 0))])
        let next = start + page.count < rows.count ? page.last.map { OrderListing.cursor($0.order, request.sort) } : nil
        return OrderPageRead(rows: Screened(values: page, damaged: request.after == nil ? all.damaged : []), next: next)
    }
}
