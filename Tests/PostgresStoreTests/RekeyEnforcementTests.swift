import Foundation
import OrderModel
@testable import OrderStore
import PostgresStore
import Testing
import TestSupport

/// The rekey on the server: only a supervisor, only through qorgau.set_vault and qorgau.reseal in one transaction,
/// and nothing else rewrites a sealed survivor value, the owner's own functions included.
@Suite("The server's rekey")
struct RekeyEnforcementTests {
    /// A key record for a new key pair, as qorgau.set_vault takes it.
    static func newRecord() throws -> String {
        try Vault.create(passphrase: "forged passphrase").record.json.replacingOccurrences(of: "'", with: "''")
    }

    static let sealed = "'\\x01" + String(repeating: "ab", count: 80) + "'::bytea"

    @Test("a liaison or staff member with psql may not call the rekey's functions, nor rewrite a sealed value")
    func othersMayNot() throws {
        let site = try ServerSite()
        let zp1 = try site.id(of: "ZP-1")
        let correction = try site.cluster.superuser("SELECT min(id) FROM qorgau.corrections WHERE sealed IS NOT NULL",
                                                    database: site.database)
        let before = try site.snapshot()
        let record = try Self.newRecord()
        for login in [site.liaison, site.staff] {
            ServerEnforcementTests.expectRefused(site, as: login, [
                ("set_vault", "SELECT qorgau.set_vault('\(record)')"),
                ("reseal an order", "SELECT qorgau.reseal(ARRAY[\(zp1)]::bigint[], ARRAY[\(Self.sealed)], '{}', '{}')"),
                ("reseal a correction", "SELECT qorgau.reseal('{}', '{}', ARRAY[\(correction)]::bigint[], ARRAY[\(Self.sealed)])"),
                ("set_vault then reseal", """
                    BEGIN; SELECT qorgau.set_vault('\(record)');
                    SELECT qorgau.reseal(ARRAY[\(zp1)]::bigint[], ARRAY[\(Self.sealed)], '{}', '{}'); COMMIT;
                    """),
                ("rekeying", "SELECT qorgau.rekeying()"),
                ("update the sealed survivor", "UPDATE qorgau.orders SET survivor = \(Self.sealed) WHERE id = \(zp1)"),
                ("update a sealed correction", "UPDATE qorgau.corrections SET sealed = \(Self.sealed) WHERE id = \(correction)"),
                ("mark a rekey", "INSERT INTO qorgau.meta (key, value) VALUES ('rekeyTransaction', pg_current_xact_id()::text)"),
                ("swap the public key", "UPDATE qorgau.meta SET value = 'x' WHERE key = 'publicKey'"),
            ])
        }
        #expect(try site.snapshot() == before)
        #expect(try site.auditIntact())
    }

    @Test("a supervisor with psql rewrites a sealed value only inside a rekey that seals every value again")
    func supervisorOnlyInARekey() throws {
        let site = try ServerSite()
        let supervisor = site.supervisor
        let zp1 = try site.id(of: "ZP-1")
        let before = try site.snapshot()
        let record = try Self.newRecord()
        // No grant: not even a supervisor writes a table.
        ServerEnforcementTests.expectRefused(site, as: supervisor, [
            ("update the sealed survivor", "UPDATE qorgau.orders SET survivor = \(Self.sealed) WHERE id = \(zp1)"),
            ("update a sealed correction", "UPDATE qorgau.corrections SET sealed = \(Self.sealed)"),
            ("mark a rekey", "INSERT INTO qorgau.meta (key, value) VALUES ('rekeyTransaction', pg_current_xact_id()::text)"),
            ("swap the key record", "UPDATE qorgau.meta SET value = '\(record)' WHERE key = 'vault'"),
        ])
        // Outside a rekey's transaction, and with a mark of her own making, reseal refuses.
        ServerEnforcementTests.expectRefused(site, as: supervisor, [
            ("reseal alone", "SELECT qorgau.reseal(ARRAY[\(zp1)]::bigint[], ARRAY[\(Self.sealed)], '{}', '{}')"),
            ("reseal with a setting of her own", """
                BEGIN; SET LOCAL qorgau.rekeying = 'on';
                SELECT qorgau.reseal(ARRAY[\(zp1)]::bigint[], ARRAY[\(Self.sealed)], '{}', '{}'); COMMIT;
                """),
        ], because: "only in the transaction of a rekey")
        // A rekey that leaves values sealed to the old key does not commit: not the key record, not its entry.
        ServerEnforcementTests.expectRefused(site, as: supervisor, [
            ("a new key record alone", "BEGIN; SELECT qorgau.set_vault('\(record)'); COMMIT;"),
            ("a new key record and one value", """
                BEGIN; SELECT qorgau.set_vault('\(record)');
                SELECT qorgau.reseal(ARRAY[\(zp1)]::bigint[], ARRAY[\(Self.sealed)], '{}', '{}'); COMMIT;
                """),
        ], because: "seals every survivor value again")
        // The key the records are already sealed to is no new key.
        let current = try site.cluster.superuser("SELECT value FROM qorgau.meta WHERE key = 'vault'", database: site.database)
        ServerEnforcementTests.expectRefused(site, as: supervisor, [
            ("the same key pair", "SELECT qorgau.set_vault('\(current.replacingOccurrences(of: "'", with: "''"))')"),
        ], because: "new key pair")
        #expect(try site.snapshot() == before)
        #expect(try site.auditIntact())
    }

    @Test("the owner's own functions and triggers refuse rewriting a sealed value outside a rekey")
    func ownerToo() throws {
        let site = try ServerSite()
        let zp1 = try site.id(of: "ZP-1")
        let before = try site.snapshot()
        for (what, sql, because) in [
            ("survivor", "UPDATE qorgau.orders SET survivor = \(Self.sealed) WHERE id = \(zp1)", "never rewritten"),
            ("sealed correction", "UPDATE qorgau.corrections SET sealed = \(Self.sealed)", "never rewritten"),
            ("public key", "UPDATE qorgau.meta SET value = 'x' WHERE key = 'publicKey'", "by a rekey"),
            ("key record", "UPDATE qorgau.meta SET value = '{}' WHERE key = 'vault'", "by a rekey"),
        ] {
            let error = #expect(throws: PGClusterError.self, "\(what)") {
                try site.cluster.superuser("SET ROLE qorgau_owner; \(sql)", database: site.database)
            }
            #expect(error?.description.contains(because) == true, "\(what): \(error?.description ?? "")")
        }
        #expect(try site.snapshot() == before)
    }

    @Test("the program's rekey is one server transaction that the old key record cannot follow")
    func programRekey() throws {
        let site = try ServerSite()
        let oldRecord = try site.store.backend.currentKeyRecord()
        // A liaison's session open since before the rekey: it was shown the old public key.
        let liaison = try Backend.postgres.session(of: site.store, for: site.liaison, now: serverTestNow)
        let rekeyed = try site.store.rekey(newPassphrase: "a new passphrase, 2026", now: serverTestNow)
        try rekeyed.addOrder(serverOrder("ZP-5"), now: serverTestNow)
        // The public key a liaison seals with moved with the record, and her open session seals to it.
        let publicKey = try site.cluster.superuser("SELECT value FROM qorgau.meta WHERE key = 'publicKey'", database: site.database)
        #expect(publicKey == (try rekeyed.backend.currentKeyRecord()).publicKey.base64EncodedString())
        try liaison.addOrder(serverOrder("ZP-6"), now: serverTestNow)
        let oldKey = try Vault(record: oldRecord).unlocked(passphrase: Backend.passphrase)
        let survivors = try rekeyed.backend.sealedSurvivors()
        #expect(survivors.count == 5)
        for (_, key, sealed) in survivors {
            #expect(throws: StoreError.sealedValueDamaged) { try oldKey.open(sealed, context: key) }
        }
        #expect(try rekeyed.detail(number: "ZP-6", asOf: serverTestNow, now: serverTestNow).history.order.survivor.name
            == "Айгерим Нұрланқызы")
        // The server's entry, by the server's account.
        let rekey = try #require(try rekeyed.auditEntries(now: serverTestNow).last { $0.action == "rekey" })
        #expect(rekey.account == site.supervisor)
        #expect(rekey.detail == #"{"corrections":"1","orders":"3"}"#)
        #expect(try site.auditIntact())
    }
}
