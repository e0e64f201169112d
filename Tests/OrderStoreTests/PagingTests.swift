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

    @Test("the whole list in one scan holds what the whole list filtered in memory holds, in the same order, for every status, sort, search and page size",
          arguments: Backend.allCases)
    func scanMatchesNaiveList(_ backend: Backend) throws {
        let store = try pagingStore(backend)
        for status in [nil] + OrderStatus.allCases.map(Optional.some) {
            for search in [nil, "ерлан", "Erlan", "zp-0", "медеу", "qasym", "Aigerim", "Жанар", "dana", "e", "ал", "Әлиев",
                           "ерлан жанар", "nothing-like-this"] {
                let found = try search.flatMap { try store.orderSearch($0, now: now) }
                for sort in OrderSort.allCases {
                    let whole = try oldList(store, status: status, sort: sort, search: search)
                    for size in [1, 3, 100] {
                        var passes: [[String]] = [[], []]
                        try store.eachOrderPage(status: status, sort: sort, search: found, asOf: now, pageSize: size, passes: 2) {
                            pass, page in
                            #expect(page.rows.count <= size)
                            passes[pass] += page.rows.map(\.order.number)
                        }
                        let label = "\(backend) \(status.map(\.rawValue) ?? "all") \(search ?? "-") \(sort) by \(size)"
                        #expect(passes[0] == whole, "\(label)")
                        #expect(passes[1] == whole, "\(label), second pass")
                    }
                }
            }
        }
    }

    @Test("a search finds exactly what the naive filter finds, on generated names and queries (repeated letters, overlaps, quotes, both scripts)",
          arguments: Backend.allCases)
    func searchMatchesNaiveFilter(_ backend: Backend) throws {
        let store = try newStore(backend)
        let syllables = ["ан", "ана", "ааа", "ов", "қақ", "ыс", "as", "an", "na", "\"", "ер", "ж", "Ә", "ё", "o'", "ка", "ак"]
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        func word() -> String { (0 ..< 1 + next(4)).map { _ in syllables[next(syllables.count)] }.joined() }
        var names: [String] = []
        for i in 0 ..< 30 {
            let name = word().capitalized + " " + word()
            names.append(name)
            // Her name from the same pieces: the keyed index gives candidates that hold every trigram of a word but
            // not the word ("ана" and "нан" apart for "анана"), which the list must drop.
            var o = order(String(format: "ZP-%02d", i), survivor: word().capitalized + " " + word(), respondent: name)
            o.district = word()
            o.officer = word().capitalized + " " + word().prefix(1) + "."
            try store.addOrder(o, now: now)
        }
        // A false candidate for certain: her name holds both trigrams of "анана", apart.
        var false1 = order("ZP-99", survivor: "Ана Нан", respondent: "Тест Тестов")
        false1.district = "Медеу"
        try store.addOrder(false1, now: now)
        let falseID = try #require(try store.orders(status: nil, asOf: now).first { $0.order.number == "ZP-99" }?.order.id)
        let anana = try #require(try store.orderSearch("анана", now: now))
        #expect(anana.survivorCandidates.contains(falseID), "\(backend)")
        // Every piece of one to six letters of the names (each a query), and pairs of them.
        var queries = Set<String>()
        for name in names.prefix(12) {
            let letters = Array(name)
            for start in letters.indices {
                for length in 1 ... 6 where start + length <= letters.count { queries.insert(String(letters[start ..< start + length])) }
            }
        }
        let pieces = queries.sorted()
        for _ in 0 ..< 40 { queries.insert(pieces[next(pieces.count)] + " " + pieces[next(pieces.count)]) }
        queries.formUnion(["ааааа", "анана", "\"\"", "o'ка", "kak", "qaq", "Ысқақ", "iskak"])
        for query in queries.sorted() {
            let whole = try oldList(store, status: nil, sort: .number, search: query)
            let found = try store.orderSearch(query, now: now)
            var scanned: [String] = []
            try store.eachOrderPage(status: nil, search: found, asOf: now, pageSize: 7) { _, page in scanned += page.rows.map(\.order.number) }
            #expect(scanned == whole, "\(backend) «\(query)»")
            #expect(try pagedList(store, status: nil, sort: .number, limit: 4, search: query) == whole, "\(backend) «\(query)», pages")
            // Counted in the store alone: the keyed index's false candidates with the matches (at most).
            let counted = try store.orderCount(status: nil, search: found, asOf: now)
            #expect(counted >= whole.count && counted <= whole.count + (found?.survivorCandidates.count ?? 0), "\(backend) «\(query)», count")
        }
    }

    @Test("writes made between two pages (and between two passes) of a scan change nothing of it: one snapshot",
          arguments: Backend.allCases)
    func scanIsOneSnapshot(_ backend: Backend) throws {
        var folder: String?
        defer { if let folder { try? FileManager.default.removeItem(atPath: folder) } }
        let store: OrderStore, other: OrderStore
        switch backend {
        case .sqlite:
            // A file, so that another connection writes while the scan reads (WAL).
            let made = NSTemporaryDirectory() + "qorgau-scan-\(UUID().uuidString)"
            folder = made
            store = try SQLiteBackend.create(at: made + "/orders.sqlite", timeZone: almaty, rules: RuleSet.kazakhstan(),
                                             account: "liaison1", passphrase: Backend.passphrase, now: now)
            other = try SQLiteBackend.open(at: made + "/orders.sqlite", account: "liaison1", now: now)
        case .postgres:
            store = try newStore(backend)
            let login = backend.login("writer")
            try store.addUser(login, role: .supervisor, district: "", now: now)
            other = try backend.session(of: store, for: login, now: now)
        }
        for i in 1 ... 6 { try store.addOrder(order(String(format: "ZP-%02d", i)), now: now) }
        let before = ["ZP-01", "ZP-02", "ZP-03", "ZP-04", "ZP-05", "ZP-06"]
        var passes: [[String]] = [[], []]
        var pages = 0
        try store.eachOrderPage(status: .active, asOf: now, pageSize: 2, passes: 2) { pass, page in
            passes[pass] += page.rows.map(\.order.number)
            pages += 1
            // After the first page: an order on a later page ends (leaves the list in effect), one is added among the
            // next page's rows and one among the last's; after the first page of the second pass, another ends.
            if pages == 1 {
                try other.revoke("ZP-04", at: t("2026-11-10 10:00"), reason: "withdrawn", now: now)
                try other.addOrder(order("ZP-03A"), now: now)
                try other.addOrder(order("ZP-05A"), now: now)
            } else if pass == 1 && passes[1].count == 2 {
                try other.revoke("ZP-06", at: t("2026-11-10 10:00"), reason: "withdrawn", now: now)
            }
        }
        #expect(pages == 6, "\(backend)")
        #expect(passes[0] == before, "\(backend)")
        #expect(passes[1] == before, "\(backend), second pass")
        let moved = ["ZP-01", "ZP-02", "ZP-03", "ZP-03A", "ZP-05", "ZP-05A"]
        // A search: its index is read in the same snapshot as the rows.
        let found = try store.orderSearch("zp", now: now)
        var searched: [String] = []
        pages = 0
        try store.eachOrderPage(status: .active, search: found, asOf: now, pageSize: 2) { _, page in
            searched += page.rows.map(\.order.number)
            pages += 1
            if pages == 1 {
                try other.addOrder(order("ZP-03B"), now: now)
                try other.revoke("ZP-05", at: t("2026-11-10 10:00"), reason: "withdrawn", now: now)
            }
        }
        #expect(searched == moved, "\(backend), search")
        var after: [String] = []
        try store.eachOrderPage(status: .active, search: found, asOf: now, pageSize: 2) { _, page in after += page.rows.map(\.order.number) }
        #expect(after == ["ZP-01", "ZP-02", "ZP-03", "ZP-03A", "ZP-03B", "ZP-05A"], "\(backend), read again")
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
