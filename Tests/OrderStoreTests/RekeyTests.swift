import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Testing
import TestSupport

/// Every sealed value of `numbers` as the store keeps it, with what it is bound to (as Reads.swift opens it).
private func sealedValues(_ store: OrderStore, _ numbers: [String]) throws -> [(what: String, context: String, sealed: Data)] {
    var values: [(String, String, Data)] = []
    for number in numbers {
        let stored = try #require(try store.backend.order(number: number))
        values.append((number, Order.numberKey(number), try #require(stored.sealedSurvivor)))
        for correction in stored.corrections where correction.field.isSurvivorData {
            values.append(("\(number) \(correction.field.rawValue)", correction.numberKey + "/" + correction.field.rawValue,
                           try #require(correction.sealed)))
        }
    }
    return values
}

/// The key record as the store keeps it, read beneath the facade: the file's meta row, or the server's as its supervisor sees it.
private func keyRecord(_ store: OrderStore, _ backend: Backend) throws -> Vault.Record {
    switch backend {
    case .sqlite:
        let json = try store.writer.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'vault'") }
        return try Vault.Record(json: try #require(json))
    case .postgres:
        return try store.backend.currentKeyRecord()
    }
}

@Suite("Rekey rotates the key itself")
struct RekeyTests {
    static let oldPassphrase = Backend.passphrase
    static let newPassphrase = "a new passphrase, 2026"

    /// A store with two orders, one of them with every survivor field corrected, and a staff member.
    static func store(_ backend: Backend) throws -> OrderStore {
        let store = try newStore(backend, account: "boss")
        try store.addOrder(order("ZP-1", survivor: "Жанар Төлеуова"), now: now)
        try store.addOrder(order("ZP-2", survivor: "Айгерим Нұрланқызы"), now: now)
        try store.correct("ZP-1", field: .survivorPhone, value: "+7 777 000 1111", reason: "new number", now: now)
        try store.correct("ZP-1", field: .survivorContact, value: "Shelter Umit, Abay 150", reason: "moved", now: now)
        try store.correct("ZP-1", field: .survivorNotes, value: "two children", reason: "told", now: now)
        try store.correct("ZP-1", field: .officer, value: "Ахметов Д. К.", reason: "full name", now: now)
        return store
    }

    @Test("after a rekey the old key record and the old passphrase open nothing, old or new; the new ones open all",
          arguments: Backend.allCases)
    func oldKeyOpensNothing(_ backend: Backend) throws {
        let store = try Self.store(backend)
        let oldRecord = try keyRecord(store, backend)
        let oldKey = try Vault(record: oldRecord).unlocked(passphrase: Self.oldPassphrase)
        let before = try sealedValues(store, ["ZP-1", "ZP-2"])
        for value in before { #expect(try oldKey.open(value.sealed, context: value.context) != nil, "\(value.what)") }

        let rekeyed = try store.rekey(newPassphrase: Self.newPassphrase, now: now)
        // New orders and corrections after the rekey: through the session that rekeyed (which still holds the old
        // key) and through the one it returned. Both seal to the key the store holds now.
        try store.addOrder(order("ZP-3", survivor: "Гүлнар Сейітова"), now: now)
        try rekeyed.addOrder(order("ZP-4", survivor: "Әсем Бекова"), now: now)
        try store.correct("ZP-2", field: .survivorContact, value: "Crisis centre, Almaty", reason: "moved", now: now)

        let newRecord = try keyRecord(store, backend)
        #expect(newRecord.publicKey != oldRecord.publicKey)
        #expect(newRecord.wrappedPrivateKey != oldRecord.wrappedPrivateKey)
        let numbers = ["ZP-1", "ZP-2", "ZP-3", "ZP-4"]
        let after = try sealedValues(store, numbers)
        #expect(after.count == before.count + 3)
        // Every old value was sealed again, bound to the same context.
        for value in before { #expect(!after.contains { $0.sealed == value.sealed }, "\(value.what) was left as it was") }
        for value in after {
            #expect(throws: StoreError.sealedValueDamaged, "\(value.what) opens with the old key") {
                try oldKey.open(value.sealed, context: value.context)
            }
        }
        let newKey = try Vault(record: newRecord).unlocked(passphrase: Self.newPassphrase)
        for value in after { #expect(try newKey.open(value.sealed, context: value.context) != nil, "\(value.what)") }
        #expect(throws: StoreError.wrongPassphrase) { try Vault(record: newRecord).unlocked(passphrase: Self.oldPassphrase) }

        // A session opened now, with the new passphrase, reads every survivor and every correction.
        let reopened = try backend.session(of: store, for: store.user.login, now: now).unlocked(passphrase: Self.newPassphrase)
        let zp1 = try reopened.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor
        #expect(zp1 == Survivor(name: "Жанар Төлеуова", phone: "+7 777 000 1111", contact: "Shelter Umit, Abay 150",
                                notes: "two children"))
        #expect(try reopened.detail(number: "ZP-2", asOf: now, now: now).history.order.survivor.contact == "Crisis centre, Almaty")
        #expect(try reopened.detail(number: "ZP-3", asOf: now, now: now).history.order.survivor.name == "Гүлнар Сейітова")
        #expect(try reopened.detail(number: "ZP-4", asOf: now, now: now).history.order.survivor.name == "Әсем Бекова")
        #expect(try rekeyed.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor.notes == "two children")
        // The session that still holds the old key is told why it opens nothing, not that the records are damaged.
        #expect(throws: StoreError.keyChanged) { try store.detail(number: "ZP-1", asOf: now, now: now) }
        // Its idle lock reads the new record: the new passphrase unlocks it, the old one no longer does.
        #expect(throws: StoreError.wrongPassphrase) { try store.locked().unlocked(passphrase: Self.oldPassphrase) }
        #expect(try store.locked().unlocked(passphrase: Self.newPassphrase).detail(number: "ZP-3", asOf: now, now: now)
            .history.order.survivor.name == "Гүлнар Сейітова")

        // One audit entry says so, and the chain holds.
        let rekeys = try rekeyed.auditEntries(now: now).filter { $0.action == "rekey" }
        #expect(rekeys.count == 1)
        #expect(rekeys.first?.account == store.user.login)
        #expect(rekeys.first?.detail == #"{"corrections":"3","orders":"2"}"#)
        guard case .intact = try rekeyed.verifyAudit(now: now) else {
            Issue.record("the audit chain does not verify")
            return
        }
    }

    @Test("a session unlocked before another session's rekey is refused a second rekey, changing nothing",
          arguments: Backend.allCases)
    func staleSessionRekey(_ backend: Backend) throws {
        let store = try Self.store(backend)
        let other = try backend.session(of: store, for: store.user.login, now: now).unlocked(passphrase: Self.oldPassphrase)
        try store.rekey(newPassphrase: Self.newPassphrase, now: now)
        let record = try keyRecord(store, backend)
        let sealed = try sealedValues(store, ["ZP-1", "ZP-2"]).map(\.sealed)
        #expect(throws: StoreError.keyChanged) { try other.rekey(newPassphrase: "yet another one", now: now) }
        #expect(try keyRecord(store, backend) == record)
        #expect(try sealedValues(store, ["ZP-1", "ZP-2"]).map(\.sealed) == sealed)
    }

    @Test("a rekey that meets a value it cannot open changes nothing, however far it got", arguments: Backend.allCases)
    func failureLeavesEverythingAsItWas(_ backend: Backend) throws {
        let store = try Self.store(backend)
        // The last sealed correction is damaged: the rekey has sealed every order again before it meets it.
        let stored = try #require(try store.backend.order(number: "ZP-1"))
        let last = try #require(stored.corrections.filter(\.field.isSurvivorData).map(\.id).max())
        switch backend {
        case .sqlite:
            try store.writer.write { db in
                let sql = try #require(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'corrections_no_update'"))
                try db.execute(sql: "DROP TRIGGER corrections_no_update")
                try db.execute(sql: "UPDATE corrections SET value = x'01' || randomblob(80) WHERE id = ?", arguments: [last])
                try db.execute(sql: sql)
            }
        case .postgres:
            try PGCluster.shared().superuser("""
                ALTER TABLE qorgau.corrections DISABLE TRIGGER corrections_guard;
                UPDATE qorgau.corrections SET sealed = '\\x01'::bytea || decode(repeat('ab', 80), 'hex') WHERE id = \(last);
                ALTER TABLE qorgau.corrections ENABLE TRIGGER corrections_guard;
                """, database: Backend.database(of: store))
        }
        let record = try keyRecord(store, backend)
        let sealed = try sealedValues(store, ["ZP-1", "ZP-2"]).map(\.sealed)
        let entries = try store.auditEntries(now: now).count

        #expect(throws: StoreError.rekeyRefused(order: "ZP-1")) { try store.rekey(newPassphrase: Self.newPassphrase, now: now) }

        #expect(try keyRecord(store, backend) == record)
        #expect(try sealedValues(store, ["ZP-1", "ZP-2"]).map(\.sealed) == sealed)
        #expect(try store.auditEntries(now: now).count == entries)
        let again = try backend.session(of: store, for: store.user.login, now: now).unlocked(passphrase: Self.oldPassphrase)
        #expect(try again.detail(number: "ZP-2", asOf: now, now: now).history.order.survivor.name == "Айгерим Нұрланқызы")
    }

    @Test("a rekey seals again more orders than one batch holds", arguments: Backend.allCases)
    func manyBatches(_ backend: Backend) throws {
        let store = try newStore(backend, account: "boss")
        let count = SQLiteTransaction.rekeyBatch + 7
        try store.write(.addOrder, now: now) { tx in
            for i in 0..<count { _ = try store.addOrder(order("ZP-\(i)", survivor: "Survivor \(i)"), in: tx, now: now) }
        }
        let oldKey = try Vault(record: keyRecord(store, backend)).unlocked(passphrase: Self.oldPassphrase)
        let rekeyed = try store.rekey(newPassphrase: Self.newPassphrase, now: now)
        let names = try rekeyed.survivorNames(now: now)
        #expect(names.count == count)
        #expect(Set(names.values) == Set((0..<count).map { "Survivor \($0)" }))
        let newKey = try Vault(record: keyRecord(store, backend)).unlocked(passphrase: Self.newPassphrase)
        for (_, key, sealed) in try store.backend.sealedSurvivors() {
            #expect(throws: StoreError.sealedValueDamaged) { try oldKey.open(sealed, context: key) }
            #expect(try newKey.open(sealed, context: key) != nil)
        }
    }

    @Test("staff may not rekey, and the refusal is audited", arguments: Backend.allCases)
    func staffMayNot(_ backend: Backend) throws {
        let store = try Self.store(backend)
        let staff = backend.login("shelter3")
        try store.addUser(staff, role: .staff, district: "", now: now)
        let session = try backend.session(of: store, for: staff, now: now).unlocked(passphrase: Self.oldPassphrase)
        let record = try keyRecord(store, backend)
        #expect(throws: StoreError.notAllowed(account: staff, role: .staff, action: .rekey)) {
            try session.rekey(newPassphrase: Self.newPassphrase, now: now)
        }
        #expect(try keyRecord(store, backend) == record)
        #expect(try store.auditEntries(now: now).last.map { [$0.account, $0.action] } == [staff, "refused"])
    }
}
