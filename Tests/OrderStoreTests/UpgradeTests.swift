import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Scheduler
import Testing

/// Every released schema has a fixture in Tests/Fixtures (made by make-fixtures.sh), opened here
/// with the current code: a file from any earlier version must open, migrate and lose nothing.
@Suite("Upgrades from every released schema")
struct UpgradeTests {
    static let fixtures: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures").standardized
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".sqlite") }.sorted().map { folder.appendingPathComponent($0).path }
    }()

    func copy(_ fixture: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-fixture-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: fixture, toPath: path)
        return path
    }

    @Test("there is a fixture for the current schema")
    func current() {
        let names = Self.fixtures.map { ($0 as NSString).lastPathComponent }
        #expect(names.contains("schema-v1.sqlite"))
        #expect(Schema.migrator.migrations.count == names.count, "one fixture per released schema version")
    }

    @Test("a fixture opens, migrates, and keeps every record and its audit trail", arguments: fixtures)
    func opens(_ fixture: String) throws {
        let path = try copy(fixture)
        let store = try OrderStore.open(at: path, account: "root", now: now)
        let applied = try store.writer.read { db in try Schema.migrator.appliedIdentifiers(db) }
        #expect(applied == Set(Schema.migrator.migrations))
        let counts = try store.counts()
        #expect(counts.orders == 2 && counts.checks == 2 && counts.breaches == 2)
        if case .intact = try store.verifyAudit(now: now) {} else { Issue.record("audit trail broken in \(fixture)") }
        let detail = try store.unlocked(passphrase: "fixture-passphrase").detail(number: "ZP-1", asOf: t("2026-11-22 09:00"), now: now)
        #expect(detail.history.order.survivor.name == "Айгерим Нұрланқызы")
        #expect(detail.history.order.district == "Алмалинский")
        #expect(detail.timeline.missedChecks.map(\.due) == [day("2026-11-13")])
        let alerts = try store.alerts(asOf: t("2026-11-25 00:00")).map(\.kind)
        #expect(alerts.contains(.checkOverdue) && alerts.contains(.breachOpen) && alerts.contains(.unserved))
    }

    @Test("a migration that fails leaves the file at its old version")
    func failedMigration() throws {
        let path = try copy(try #require(Self.fixtures.last))
        let before = try DatabaseQueue(path: path).read { db in try Schema.migrator.appliedIdentifiers(db) }
        var broken = Schema.migrator
        struct Boom: Error {}
        broken.registerMigration("v-broken") { db in
            try db.execute(sql: "CREATE TABLE halfway (x)")
            throw Boom()
        }
        let queue = try DatabaseQueue(path: path)
        #expect(throws: Boom.self) { try broken.migrate(queue) }
        let (after, halfway) = try queue.read { db in
            (try Schema.migrator.appliedIdentifiers(db), try db.tableExists("halfway"))
        }
        #expect(after == before)
        #expect(!halfway)
    }
}
