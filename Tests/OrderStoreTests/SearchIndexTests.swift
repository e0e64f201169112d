import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Scheduler
import Testing
import TestSupport

/// A store whose names are written in the ways people write them: Kazakh and Russian Cyrillic, Kazakh Latin,
/// passport romanisations.
private func namesStore(_ backend: Backend) throws -> OrderStore {
    let store = try newStore(backend)
    let people: [(number: String, respondent: String, officer: String, district: String, survivor: String)] = [
        ("ZP-12/2026", "Жұмабаев Қайрат", "Ахметов Д.", "Медеуский", "Әсел Нұрланқызы"),
        ("ZP-13/2026", "Zhumabayev Kairat", "Qasymov E.", "Алмалинский", "Assel Nurlanqyzy"),
        ("ЗП-14", "Фёдоров Василий", "Бекова А.", "Әуезовский", "Людмила Шамильевна"),
        ("ЗП-15", "Vasiliev Fyodor", "Ахметов Д.", "Бостандыкский", "Ludmila Tsvetkova"),
        ("ot-16", "Шамиль Ашатұлы", "Ðilmurat Ö.", "Наурызбайский", "Жанар Төлеуова"),
        ("OT-17", "Асхат Чингизов", "Nurlan Ğ.", "Медеуский", "Гүлнар"),
        ("x-1", "Ли Ян", "Ким", "Турксибский", "Ян"),
    ]
    for p in people {
        var o = order(p.number, survivor: p.survivor, respondent: p.respondent)
        o.officer = p.officer
        o.district = p.district
        try store.addOrder(o, now: now)
    }
    return store
}

/// The searches of the list's fields, as typed: each script, transliterations, parts of words, one and two letters.
private let queries = [
    "Қайрат", "kairat", "Qairat", "кайрат", "zhumabaev", "Jumabaev", "Жумабаев", "fedorov", "Fyodorov", "Фёдоров", "Федоров",
    "vasiliev", "Васильев", "Vasilyev", "ashat", "Асхат", "chingiz", "Ch", "медеу", "Medeu", "almaly", "Алмалы", "Әуезов",
    "auezov", "zp-12", "ZP-12/2026", "зп", "ot-1", "16", "2026", "qasym", "Қасым", "ахмет", "ахметов д.", "kairat zhum",
    "Жұмабаев медеу", "a", "ли", "ян", "Ким", "x-", "й", "ll", "nothing", "Kairat nothing",
]

/// What the list found before the index: every row read, every field folded in memory.
private func inMemory(_ store: OrderStore, _ query: String) throws -> [String] {
    let search = SearchQuery(query)
    return try store.orders(status: nil, asOf: now).filter { search.matches(OrderListing.searchText($0.order)) }.map(\.order.number)
}

/// What the list finds now, through the store's pages (the survivors' names apart: see BlindIndexTests).
private func indexed(_ store: OrderStore, _ query: String) throws -> [String] {
    try pagedList(store.locked(), status: nil, sort: .number, limit: 4, search: query)
}

@Suite("The index of the list's folded text")
struct SearchIndexTests {
    @Test("every query finds through the index what folding every row in memory found", arguments: Backend.allCases)
    func sameAsInMemory(_ backend: Backend) throws {
        let store = try namesStore(backend)
        for query in queries {
            let expected = try inMemory(store, query)
            #expect(try indexed(store, query) == expected, "\(backend) «\(query)»")
        }
        // Spot checks that the table above is not all empty results.
        #expect(try indexed(store, "kairat") == ["ZP-12/2026", "ZP-13/2026"])
        #expect(try indexed(store, "Фёдор") == ["ЗП-14", "ЗП-15"])
        #expect(try indexed(store, "ли").contains("x-1"))
    }

    @Test("the index follows a new order, a correction, an import and an upgrade")
    func keptInSync() throws {
        let store = try namesStore(.sqlite)
        #expect(try indexed(store, "Нұрсұлтан").isEmpty)
        var o = order("ZP-99", respondent: "Нұрсұлтан Әбілқайыров")
        o.district = "Жетысуский"
        try store.addOrder(o, now: now)
        #expect(try indexed(store, "nursultan") == ["ZP-99"])
        #expect(try indexed(store, "zhetysu") == ["ZP-99"])
        try store.correct("ZP-99", field: .district, value: "Алатауский", reason: "typed the wrong district", now: now)
        #expect(try indexed(store, "zhetysu").isEmpty)
        #expect(try indexed(store, "Алатау") == ["ZP-99"])
        try store.correct("ZP-99", field: .officer, value: "Серікбаев", reason: "handed over", now: now)
        #expect(try indexed(store, "serikbaev") == ["ZP-99"])
        #expect(try pagedList(store, status: nil, sort: .officer, limit: 2, search: nil)
                == oldList(store, status: nil, sort: .officer, search: nil))

        // An import makes the index from the records.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-search-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = try OrderStore.create(at: folder + "/a.sqlite", timeZone: almaty, rules: RuleSet.kazakhstan(), account: "boss",
                                         passphrase: "correct horse battery", now: now)
        try file.addOrder(order("ZP-1", respondent: "Жұмабаев Қайрат"), now: now)
        try file.correct("ZP-1", field: .district, value: "Алатауский", reason: "typed the wrong district", now: now)
        try file.export(to: folder + "/a.export", now: now)
        let imported = try OrderStore.importFile(folder + "/a.export", to: folder + "/b.sqlite", account: "boss", now: now)
        #expect(try indexed(imported, "kairat") == ["ZP-1"])
        #expect(try indexed(imported, "alatau") == ["ZP-1"])
        #expect(try imported.unlocked(passphrase: "correct horse battery").orderSearch("Айгерим", now: now)?.survivorMatches.count == 1)
    }

    @Test("a file of the first schema is upgraded with its index: the corrected district is found", arguments: UpgradeTests.fixtures)
    func upgraded(_ fixture: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-up-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: fixture, toPath: path)
        let store = try OrderStore.open(at: path, account: "root", now: now)
        #expect(try indexed(store, "Алмалы") == ["ZP-1"])
        #expect(try indexed(store, "medeu").isEmpty)
        #expect(try indexed(store, "timur") == ["ZP-2"])
        #expect(try pagedList(store, status: nil, sort: .respondent, limit: 1, search: nil) == ["ZP-1", "ZP-2"])
        // Her name is not in the keyed index until a session with the passphrase searches: found by opening, then indexed.
        let unlocked = try store.unlocked(passphrase: "fixture-passphrase")
        #expect(try unlocked.ordersWithSurvivorMatching("aigerim", now: now).count == 1)
        let indexedNames = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM orderList WHERE survivorIndexed = 1") }
        #expect(indexedNames == 2)
        #expect(try unlocked.ordersWithSurvivorMatching("Айгерим", now: now).count == 1)
    }

    @Test("one- and two-letter words are matched on the folded text, row by row in the page's order, never by opening a record")
    func shortWords() throws {
        let store = try namesStore(.sqlite)
        for query in ["a", "ли", "й", "x-", "ян ли", "kairat a"] {
            #expect(try indexed(store, query) == inMemory(store, query), "«\(query)»")
        }
        let plan = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT rowid FROM orderSearch WHERE orderSearch MATCH ?", arguments: ["\"kai\""])
                .map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("VIRTUAL TABLE INDEX") })
    }
}
