import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Scheduler
import Testing

/// The bulk generator behind `qorgau-bench`: what it writes is valid, consistent and what was asked.
/// No timing here: the benchmark is a program you run (Benchmarks/RESULTS.md).
@Suite("Bulk load")
struct BulkLoadTests {
    static let zone = TimeZone(identifier: "Asia/Almaty")!
    static let loadNow = try! LocalDateTime(parsing: "2026-11-22 09:00")!.instant(in: zone)
    static let spec = BulkSpec(orders: 1500, inEffect: 200, seed: 77, jobs: 2)

    static func memoryStore() throws -> OrderStore {
        try OrderStore.inMemory(timeZone: zone, rules: RuleSet.kazakhstan(), account: "boss", now: loadNow)
    }

    static func tempPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-bulk-\(UUID().uuidString).sqlite").path
    }

    @Test("counts are what was asked, and the audit trail holds one entry for the load")
    func counts() throws {
        let store = try Self.memoryStore()
        let summary = try store.bulkLoad(Self.spec, now: Self.loadNow)
        let counts = try store.counts()
        #expect(counts.orders == 1500)
        #expect(summary.orders == 1500)
        #expect(counts.checks == summary.checks)
        #expect(counts.breaches == summary.breaches)
        #expect(counts.history == 2, "init and bulk.load")
        // About 4 checks an order and one order in 20 with a breach, as national figures have it.
        #expect((3.6...4.4).contains(Double(summary.checks) / 1500), "\(summary.checks) checks")
        #expect(abs(summary.breaches - 1500 / 20) <= 8, "\(summary.breaches) breaches")
        // About the asked number in effect today, whatever the history.
        let active = try store.orders(status: .active, asOf: Self.loadNow)
        #expect(active.count == summary.inEffect)
        #expect((150...250).contains(summary.inEffect), "\(summary.inEffect) in effect")
        let open = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM breaches WHERE closed IS NULL") }
        #expect(open == summary.openBreaches)
        let recorded = try #require(try store.bulkLoadRecord())
        #expect(recorded.orders == summary.orders && recorded.checks == summary.checks && recorded.breaches == summary.breaches)
        #expect(recorded.seed == 77 && recorded.inEffectTarget == 200 && recorded.loadedDay == "2026-11-22")
        #expect(try store.verifyAudit(now: now) == .intact(entries: 2, head: try Self.auditHead(store)))
    }

    static func auditHead(_ store: OrderStore) throws -> String {
        try store.writer.read { db in try String.fetchOne(db, sql: "SELECT hash FROM history ORDER BY id DESC LIMIT 1") } ?? ""
    }

    @Test("the store's alerts and violations on a bulk file equal the scheduler's on its whole histories")
    func agreesWithScheduler() throws {
        let store = try Self.memoryStore()
        try store.bulkLoad(Self.spec, now: Self.loadNow)
        let histories = try store.histories()
        #expect(histories.count == 1500)
        let instants = [0.0, -1.2, -3.5, -10, -45.25, -120].map { Self.loadNow.addingTimeInterval($0 * 86_400) }
        for instant in instants {
            let fromStore = try store.alerts(asOf: instant)
            #expect(fromStore == store.scheduler.alerts(for: histories, asOf: instant), "alerts as of \(instant)")
            let to = LocalDay(instant, in: Self.zone)
            for from in [to - 6, to - 30, to - 400] {
                #expect(try store.violations(from: from, to: to, asOf: instant)
                    == store.scheduler.violations(for: histories, from: from, to: to, asOf: instant), "violations as of \(instant)")
            }
        }
        // The morning has every kind of work a real one has.
        let kinds = Set(try store.alerts(asOf: Self.loadNow).map(\.kind))
        #expect(kinds.isSuperset(of: [.breachOpen, .checkOverdue, .checkDue, .expiring]), "\(kinds)")
        let missed = try store.violations(from: LocalDay(Self.loadNow, in: Self.zone) - 60, to: LocalDay(Self.loadNow, in: Self.zone),
                                          asOf: Self.loadNow)
        #expect(missed.contains { $0.kind == .missedCheck } && missed.contains { $0.kind == .breach })
    }

    @Test("the derived columns are the scheduler's timeline, as refreshDerived writes them")
    func derivedColumns() throws {
        let store = try Self.memoryStore()
        try store.bulkLoad(Self.spec, now: Self.loadNow)
        let histories = try store.histories()
        let rows = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, expires, ends, lastCountedCheck, nextDue FROM orders")
        }
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as Int64, $0) })
        for history in histories {
            let row = try #require(byID[history.order.id ?? -1])
            let timeline = store.scheduler.timeline(of: history, asOf: .distantFuture)
            let lastCounted = history.checks.filter(\.outcome.isCounted).map(\.at).max()
            #expect(row["expires"] as Double? == timeline.expires?.timeIntervalSince1970, "\(history.order.number)")
            #expect(row["ends"] as Double? == timeline.ends?.timeIntervalSince1970, "\(history.order.number)")
            #expect(row["nextDue"] as String? == timeline.nextDue?.iso, "\(history.order.number)")
            #expect(row["lastCountedCheck"] as Double? == lastCounted?.timeIntervalSince1970, "\(history.order.number)")
        }
    }

    @Test("every record passes the rules a typed one would")
    func everythingAdmissible() throws {
        let store = try Self.memoryStore()
        try store.bulkLoad(Self.spec, now: Self.loadNow)
        let s = store.scheduler
        let now = Self.loadNow
        var kinds = Set<OrderKind>()
        for history in try store.histories() {
            var order = history.order
            kinds.insert(order.kind)
            _ = try s.admitNew(order, now: now)
            for check in history.checks { _ = try s.admit(check, on: order, now: now) }
            for breach in history.breaches {
                _ = try s.admit(breach, on: order, now: now)
                if let closed = breach.closed {
                    var open = breach
                    open.closed = nil
                    _ = try s.admitClosing(open, at: closed, action: breach.action ?? "", now: now)
                }
                if let checkID = breach.checkID {
                    let check = try #require(history.checks.first { $0.id == checkID })
                    #expect(check.outcome == .breach && check.at == breach.occurred)
                }
            }
            if let revoked = order.revoked {
                let reason = order.revocationReason ?? ""
                order.revoked = nil
                order.revocationReason = nil
                _ = try s.admitRevocation(at: revoked, reason: reason, of: OrderHistory(order: order, checks: history.checks,
                                                                                       breaches: history.breaches), now: now)
            }
            #expect(history.order.survivor.name.split(separator: " ").count == 2, "the survivor's name opens")
        }
        #expect(kinds == Set(OrderKind.allCases))
    }

    @Test("the same spec and day give the same file, with any number of threads")
    func deterministic() throws {
        let one = try Self.memoryStore()
        var spec = Self.spec
        spec.orders = 600
        spec.jobs = 1
        let a = try one.bulkLoad(spec, now: Self.loadNow)
        let two = try Self.memoryStore()
        spec.jobs = 3
        let b = try two.bulkLoad(spec, now: Self.loadNow)
        #expect((a.orders, a.checks, a.breaches, a.inEffect) == (b.orders, b.checks, b.breaches, b.inEffect))
        #expect(try one.histories() == two.histories())
        let three = try Self.memoryStore()
        spec.seed = 78
        try three.bulkLoad(spec, now: Self.loadNow)
        #expect(try three.histories() != one.histories(), "another seed, another file")
    }

    @Test("no survivor's name is in the file as plain text; the file is left in WAL mode")
    func sealed() throws {
        let path = Self.tempPath()
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try OrderStore.create(at: path, timeZone: Self.zone, rules: RuleSet.kazakhstan(), account: "boss",
                                          passphrase: "bulk passphrase", now: Self.loadNow)
        var spec = Self.spec
        spec.orders = 400
        try store.bulkLoad(spec, now: Self.loadNow)
        let histories = try store.histories()
        let survivors = Set(histories.map(\.order.survivor.name))
        let phones = Set(histories.map(\.order.survivor.phone))
        #expect(survivors.count > 50)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: path + "-wal")) { bytes += wal }
        for secret in survivors.union(phones) {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "a survivor's detail is readable in the file")
        }
        // The search would have found them: respondents' names are stored as they are.
        let respondent = try #require(histories.first?.order.respondent.name)
        #expect(bytes.range(of: Data(respondent.utf8)) != nil)
        let mode = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let reopened = try OrderStore.open(at: path, account: "boss", now: Self.loadNow)
        #expect(try reopened.counts().orders == 400)
        #expect(try reopened.ordersWithSurvivorMatching("x", now: now).isEmpty, "locked without the passphrase")
    }

    @Test("a file that already holds orders is refused, and nothing is written")
    func refusesNonEmpty() throws {
        let store = try Self.memoryStore()
        var spec = Self.spec
        spec.orders = 50
        try store.bulkLoad(spec, now: Self.loadNow)
        let before = try store.counts()
        #expect(throws: BulkLoadError.notEmpty) { try store.bulkLoad(spec, now: Self.loadNow) }
        #expect(try store.counts() == before)
    }
}
