import Foundation
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Scheduler
import Testing
import TestSupport

/// A store with ties in every sort: names repeated, in both scripts, some numbers differing only in case.
func pagingStore(_ backend: Backend) throws -> OrderStore {
    let store = try newStore(backend)
    let respondents = ["Ерлан Сапаров", "Әбілқайыров Н.", "ерлан сапаров", "Абай", "Timur", "Ерлан Сапаров", "Ёлкин", "Жанар"]
    let districts = ["Медеуский", "Алмалинский", "Әуезовский", "Медеуский"]
    let officers = ["Ахметов Д.", "Qasymov", "Ахметов Д.", "Бекова"]
    for i in 0 ..< 23 {
        var o = order(String(format: i % 5 == 0 ? "zp-%02d" : "ZP-%02d", i), issued: "2026-11-0\(1 + i % 9) 10:00",
                      served: i % 4 == 3 ? nil : "2026-11-0\(1 + i % 9) 15:00",
                      survivor: ["Айгерим Нұрланқызы", "Жанар Төлеуова", "Dana", "Гүлнар"][i % 4],
                      respondent: respondents[i % respondents.count])
        o.district = districts[i % districts.count]
        o.officer = officers[(i / 2) % officers.count]
        try store.addOrder(o, now: now)
    }
    try store.revoke("ZP-02", at: t("2026-11-10 10:00"), reason: "withdrawn", now: now)
    try store.correct("ZP-07", field: .district, value: "Алмалинский", reason: "typed the wrong district", now: now)
    try store.correct("ZP-08", field: .officer, value: "Әлиев", reason: "handed over", now: now)
    return store
}

/// The list as `order list` made it before paging: every row read, filtered in memory, sorted stably.
func oldList(_ store: OrderStore, status: OrderStatus?, sort: OrderSort, search: String?) throws -> [String] {
    var rows = try store.orders(status: status, asOf: now)
    if let search, !search.isEmpty {
        let query = SearchQuery(search)
        // Every survivor opened, as the search did before the keyed index of names.
        let survivors = query.isEmpty ? [] : Set(try store.survivorNames(now: now).filter { query.matches(FoldedText($0.value)) }.keys)
        rows = rows.filter {
            survivors.contains($0.order.id ?? 0) || query.matches(FoldedText(joining: [
                $0.order.number, $0.order.respondent.name, $0.order.officer, $0.order.district,
            ]))
        }
    }
    switch sort {
    case .number: break
    case .respondent: rows = NameOrder.sorted(rows) { $0.order.respondent.name }
    case .district: rows = NameOrder.sorted(rows) { $0.order.district }
    case .officer: rows = NameOrder.sorted(rows) { $0.order.officer }
    }
    return rows.map(\.order.number)
}

/// The list read page by page through `orderPage`.
func pagedList(_ store: OrderStore, status: OrderStatus?, sort: OrderSort, descending: Bool = false, limit: Int,
               search: String?) throws -> [String] {
    let found = try search.flatMap { try store.orderSearch($0, now: now) }
    var numbers: [String] = []
    var after: OrderCursor?
    var pages = 0
    repeat {
        let page = try store.orderPage(status: status, sort: sort, descending: descending, after: after, limit: limit,
                                       search: found, asOf: now)
        #expect(page.rows.count <= limit)
        numbers += page.rows.map(\.order.number)
        after = page.next
        pages += 1
    } while after != nil && pages < 1000
    return numbers
}

@Suite("Keyset pages of the order list")
struct PagingTests {
    @Test("pages cover every row once, in the list's order, for every sort, status and page size, both directions",
          arguments: Backend.allCases)
    func everyRowOnce(_ backend: Backend) throws {
        let store = try pagingStore(backend)
        for status in [nil] + OrderStatus.allCases.map(Optional.some) {
            for sort in OrderSort.allCases {
                let whole = try oldList(store, status: status, sort: sort, search: nil)
                for limit in [1, 2, 5, 7, 100] {
                    let paged = try pagedList(store, status: status, sort: sort, limit: limit, search: nil)
                    #expect(paged == whole, "\(backend) \(status.map(\.rawValue) ?? "all") \(sort) by \(limit)")
                    let back = try pagedList(store, status: status, sort: sort, descending: true, limit: limit, search: nil)
                    #expect(back == whole.reversed(), "\(backend) \(status.map(\.rawValue) ?? "all") \(sort) by \(limit), descending")
                }
            }
        }
    }

    @Test("a search read by pages finds what the whole list filtered in memory found, in the same order",
          arguments: Backend.allCases)
    func searchPages(_ backend: Backend) throws {
        let store = try pagingStore(backend)
        for search in ["ерлан", "Erlan", "ZP-0", "zp", "медеу", "Medeu", "qasym", "Қасым", "ахметов", "Aigerim", "Жанар", "dana",
                       "e", "ал", "Әлиев", "  ", "nothing-like-this"] {
            for sort in OrderSort.allCases {
                let whole = try oldList(store, status: nil, sort: sort, search: search)
                #expect(try pagedList(store, status: nil, sort: sort, limit: 3, search: search) == whole, "\(backend) \(search) \(sort)")
            }
        }
    }

    @Test("the count of a list is the number of rows its pages hold, for every status and search; a cap stops it",
          arguments: Backend.allCases)
    func counts(_ backend: Backend) throws {
        let store = try pagingStore(backend)
        for status in [nil] + OrderStatus.allCases.map(Optional.some) {
            for search in [nil, "ерлан", "zp", "ал", "Aigerim", "nothing-like-this"] {
                let found = try search.flatMap { try store.orderSearch($0, now: now) }
                let whole = try oldList(store, status: status, sort: .number, search: search)
                let label = "\(backend) \(status.map(\.rawValue) ?? "all") \(search ?? "-")"
                #expect(try store.orderCount(status: status, search: found, asOf: now) == whole.count, "\(label)")
                #expect(try store.orderCount(status: status, search: found, cap: 2, asOf: now) == min(whole.count, 2), "\(label)")
            }
        }
    }

    @Test("the respondents' names of the orders asked, and only those", arguments: Backend.allCases)
    func respondentNames(_ backend: Backend) throws {
        let store = try pagingStore(backend)
        let rows = try store.orders(status: nil, asOf: now)
        let asked = rows.filter { ["ZP-01", "ZP-04", "zp-05"].contains($0.order.number) }
        let names = try store.respondentNames(orderIDs: Set(asked.compactMap(\.order.id)))
        #expect(names == Dictionary(uniqueKeysWithValues: asked.compactMap { r in r.order.id.map { ($0, r.order.respondent.name) } }))
        #expect(names.count == 3)
        #expect(try store.respondentNames(orderIDs: []).isEmpty)
    }
}
