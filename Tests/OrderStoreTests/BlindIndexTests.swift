import Crypto
import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Scheduler
import Testing
import TestSupport

private let survivors = ["Айгерим Нұрланқызы", "Жанар Төлеуова", "Assel Nurlanqyzy", "Людмила Шамильевна"]

/// A file on disk with orders whose survivors' names the tests look for.
private func namedFile() throws -> (store: OrderStore, path: String) {
    let (boss, path) = try securedStore()
    let store = try boss.unlocked(passphrase: "correct horse battery")
    for (i, name) in survivors.enumerated() {
        try store.addOrder(order("BI-\(i)", survivor: name, respondent: "Ерлан Сапаров"), now: now)
    }
    return (store, path)
}

/// Every row of every table, as `sqlite3` shows it (text, and blobs in hex).
private func dump(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [path, ".dump"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

private func tokens(_ path: String) throws -> Set<Int64> {
    Set(try DatabaseQueue(path: path).read { db in try Int64.fetchAll(db, sql: "SELECT token FROM survivorIndex") })
}

/// SHA-256 of `text`, cut as the index cuts its tokens: what an unkeyed hash of a name or of its trigrams would store.
private func unkeyed(_ text: String) -> Int64 {
    SHA256.hash(data: Data(text.utf8)).withUnsafeBytes { raw in raw.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) } }
}

@Suite("The keyed index of survivors' names")
struct BlindIndexTests {
    @Test("the file holds no name, folded or not, and no unkeyed hash of one or of its parts")
    func nothingReadable() throws {
        let (store, path) = try namedFile()
        #expect(try store.ordersWithSurvivorMatching("нұрлан", now: now).count == 2)
        let text = try dump(path)
        let stored = try tokens(path)
        #expect(stored.count > 20)
        for name in survivors + ["Жанар Төлеуова"] {
            let folded = FoldedText(name)
            // Readings of four letters or more: a shorter one turns up by chance in sealed bytes and in the schema.
            for reading in folded.readings + name.split(separator: " ").map(String.init) where reading.unicodeScalars.count >= 4 {
                #expect(!text.contains(reading), "«\(reading)» is in the file")
                let hex = Data(reading.utf8).map { String(format: "%02X", $0) }.joined()
                #expect(!text.uppercased().contains(hex), "«\(reading)» is in the file as bytes")
                #expect(!stored.contains(unkeyed(reading)))
                for gram in BlindIndex.grams(reading) { #expect(!stored.contains(unkeyed(gram)), "an unkeyed hash of «\(gram)»") }
            }
            #expect(!stored.contains(unkeyed(name)))
        }
    }

    @Test("without the key nobody finds anything: another key's tokens match no order")
    func wrongKey() throws {
        let (store, path) = try namedFile()
        let other = try Vault.create(passphrase: "another one")
        let otherKey = try #require(BlindIndex.key(other))
        let rightKey = try #require(BlindIndex.key(store.vault))
        let sqlite = try #require(store.sqlite)
        for query in ["Айгерим", "nurlan", "Жанар"] {
            let wrong = BlindIndex.queryTokens(SearchQuery(query), key: otherKey).compactMap { $0 }
            #expect(try sqlite.survivorCandidates(wrong)?.sealed.isEmpty == true, "«\(query)» with another key")
            let right = BlindIndex.queryTokens(SearchQuery(query), key: rightKey).compactMap { $0 }
            #expect(try sqlite.survivorCandidates(right)?.sealed.isEmpty == false, "«\(query)» with the file's key")
        }
        // A locked session forms no query at all.
        #expect(try store.locked().ordersWithSurvivorMatching("Айгерим", now: now).isEmpty)
        _ = path
    }

    @Test("a search opens only the candidates the index gives, and finds what opening every name found")
    func sameAsOpeningAll() throws {
        let (store, _) = try namedFile()
        for query in ["Айгерим", "aigerim", "Assel", "Әсел", "нұрлан", "Nurlanqyzy", "людмила", "Ludmila", "shamil", "жанар tol",
                      "an", "а", "nobody"] {
            let search = SearchQuery(query)
            let expected = Set(try store.survivorNames(now: now).filter { search.matches(FoldedText($0.value)) }.keys)
            #expect(try store.ordersWithSurvivorMatching(query, now: now) == expected, "«\(query)»")
        }
    }

    @Test("an order added without the key is found by opening it, and indexed by the first search with the key")
    func addedLocked() throws {
        let (store, path) = try namedFile()
        let liaison = try store.session(for: "police7", now: now)
        try liaison.addOrder(order("BI-L", survivor: "Сауле Қасымова", respondent: "Тимур"), now: now)
        let unindexed = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM orderList WHERE survivorIndexed = 0")
        }
        #expect(unindexed == 1)
        #expect(try store.ordersWithSurvivorMatching("saule", now: now).count == 1)
        #expect(try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM orderList WHERE survivorIndexed = 0")
        } == 0)
        #expect(try store.ordersWithSurvivorMatching("Сауле", now: now).count == 1)
    }

    @Test("a rekey makes every token again under the new key: none of the old ones is left, and searches still find")
    func rekey() throws {
        let (store, path) = try namedFile()
        let before = try tokens(path)
        let next = try store.rekey(newPassphrase: "a new passphrase", now: now)
        let after = try tokens(path)
        #expect(!after.isEmpty)
        #expect(after.isDisjoint(with: before))
        #expect(try next.ordersWithSurvivorMatching("Айгерим", now: now).count == 1)
        #expect(try next.ordersWithSurvivorMatching("жанар", now: now).count == 2)
        let dumped = try dump(path)
        for token in before.prefix(50) { #expect(!dumped.contains("\(token),")) }
    }
}
