import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Scheduler
import Testing
import TestSupport

/// A value written into a stored order by someone other than Qorgau: with `sqlite3` on the file (the guard
/// triggers dropped and CHECK constraints ignored first, as an attacker would), or by the cluster's superuser
/// on a server (triggers off with `session_replication_role = replica`, as a restore of a doctored dump would).
struct Damage: Sendable, CustomStringConvertible {
    let name: String
    /// SQL on the file; nil where the file cannot hold it.
    let sqlite: String?
    /// SQL on the server; nil where the server's types refuse it.
    let postgres: String?
    let field: DamagedField
    /// False for a value the morning's reduced read never looks at (a check's outcome: alerts read only the
    /// last counted check's time): there the order is computed as the rest of its row says.
    var morning = true

    var description: String { name }
}

@Suite("A bad row never takes the morning away")
struct DamagedRowsTests {
    static let bad = "(SELECT id FROM orders WHERE numberKey = 'bad-1')"
    static let badPG = "(SELECT id FROM qorgau.orders WHERE number_key = 'bad-1')"

    static let damages: [Damage] = [
        Damage(name: "a check interval of Int.max days",
               sqlite: "UPDATE orders SET checkIntervalDays = 9223372036854775807 WHERE id = \(bad)",
               postgres: "UPDATE qorgau.orders SET check_interval_days = 2147483647 WHERE id = \(badPG)", field: .checkIntervalDays),
        Damage(name: "served in 1e300", sqlite: "UPDATE orders SET served = 1e300 WHERE id = \(bad)",
               postgres: "UPDATE qorgau.orders SET served = 1e300 WHERE id = \(badPG)", field: .served),
        Damage(name: "issued 'garbage' (NaN on a server)", sqlite: "UPDATE orders SET issued = 'garbage' WHERE id = \(bad)",
               postgres: "UPDATE qorgau.orders SET issued = 'NaN' WHERE id = \(badPG)", field: .issued),
        Damage(name: "served at infinity", sqlite: "UPDATE orders SET served = 9e999 WHERE id = \(bad)",
               postgres: "UPDATE qorgau.orders SET served = 'Infinity' WHERE id = \(badPG)", field: .served),
        Damage(name: "a negative term", sqlite: "UPDATE orders SET termDays = -5 WHERE id = \(bad)",
               postgres: "UPDATE qorgau.orders SET term_days = -5 WHERE id = \(badPG)", field: .termDays),
        Damage(name: "a term of 2^31 - 1 days", sqlite: "UPDATE orders SET termDays = 2147483647 WHERE id = \(bad)",
               postgres: "UPDATE qorgau.orders SET term_days = 2147483647 WHERE id = \(badPG)", field: .termDays),
        Damage(name: "an unknown kind", sqlite: "UPDATE orders SET kind = 'restraining' WHERE id = \(bad)", postgres: nil,
               field: .kind),
        Damage(name: "a check at 'garbage' (NaN on a server)", sqlite: "UPDATE checks SET at = 'garbage' WHERE orderID = \(bad)",
               postgres: "UPDATE qorgau.checks SET at = 'NaN' WHERE order_id = \(badPG)", field: .checkTime),
        Damage(name: "a check before year 1", sqlite: "UPDATE checks SET at = -1e15 WHERE orderID = \(bad)",
               postgres: "UPDATE qorgau.checks SET at = -1e15 WHERE order_id = \(badPG)", field: .checkTime),
        Damage(name: "a check with an unknown outcome", sqlite: "UPDATE checks SET outcome = 'maybe' WHERE orderID = \(bad)",
               postgres: nil, field: .checkOutcome, morning: false),
        Damage(name: "a breach in 1e300", sqlite: "UPDATE breaches SET occurred = 1e300 WHERE orderID = \(bad)",
               postgres: "UPDATE qorgau.breaches SET occurred = 1e300 WHERE order_id = \(badPG)", field: .breachTime),
        Damage(name: "a number that is not UTF-8", sqlite: "UPDATE orders SET number = x'ff00' WHERE id = \(bad)", postgres: nil,
               field: .number),
        Damage(name: "a respondent's name that is not text", sqlite: "UPDATE orders SET respondentName = x'ff' WHERE id = \(bad)",
               postgres: nil, field: .respondentName),
        Damage(name: "revoked before year 1", sqlite: "UPDATE orders SET revoked = -1e20 WHERE id = \(bad)",
               postgres: "UPDATE qorgau.orders SET revoked = -1e20 WHERE id = \(badPG)", field: .revoked),
    ]

    /// Three good orders (one overdue, one checked, one unserved) and BAD-1, in effect with a check and an open breach.
    static func store(_ backend: Backend) throws -> OrderStore {
        let store = try newStore(backend, account: "boss")
        try store.addOrder(order("OK-1"), now: now)
        try store.addOrder(order("OK-2", served: "2026-11-10 12:00"), now: now)
        try store.addCheck("OK-2", at: t("2026-11-15 11:00"), officer: "Ахметов Д.", method: .visit, outcome: .compliant,
                           note: "", now: now)
        try store.addOrder(order("OK-3", issued: "2026-11-20 08:00", served: nil), now: now)
        try store.addOrder(order("BAD-1"), now: now)
        try store.addCheck("BAD-1", at: t("2026-11-05 11:00"), officer: "Ахметов Д.", method: .visit, outcome: .compliant,
                           note: "", now: now)
        try store.addBreach("BAD-1", at: t("2026-11-10 20:00"), description: "called her", reportedBy: "shelter", now: now)
        return store
    }

    /// Writes `damage` as its attacker would.
    static func write(_ damage: Damage, into store: OrderStore, _ backend: Backend) throws {
        switch backend {
        case .sqlite:
            guard let sql = damage.sqlite else { return }
            try store.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                for trigger in ["orders_fixed", "orders_served_once", "orders_revoked_once", "checks_no_update", "breaches_closed_once"] {
                    try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)")
                }
                try db.execute(sql: sql)
                try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
            }
        case .postgres:
            guard let sql = damage.postgres else { return }
            _ = try PGCluster.shared().superuser("SET session_replication_role = replica; \(sql);",
                                                 database: Backend.database(of: store))
        }
    }

    @Test("a damaged order is reported once; every other order keeps its alerts, violations, list and details",
          arguments: Backend.allCases, damages)
    func damagedOrder(_ backend: Backend, _ damage: Damage) throws {
        guard (backend == .sqlite ? damage.sqlite : damage.postgres) != nil else { return }
        let store = try Self.store(backend)
        let (from, to) = (day("2026-11-01"), day("2026-11-22"))
        let good = { (number: String) in number != "BAD-1" }
        let alerts = try store.alerts(asOf: now).filter { good($0.orderNumber) }
        let violations = try store.violations(from: from, to: to, asOf: now).filter { good($0.orderNumber) }
        let list = try store.orders(status: nil, asOf: now).filter { good($0.order.number) }
        let detail = try store.detail(number: "OK-1", asOf: now, now: now)
        #expect(alerts.count >= 3 && violations.count >= 1 && list.count == 3)
        let id = try #require(try store.orders(status: nil, asOf: now).first { $0.order.number == "BAD-1" }?.order.id)
        let expected = DamagedRecord(orderID: id, number: damage.field == .number ? nil : "BAD-1", field: damage.field)

        try Self.write(damage, into: store, backend)

        let screenedAlerts = try store.screenedAlerts(asOf: now)
        if damage.morning {
            #expect(screenedAlerts.values == alerts)
            #expect(screenedAlerts.damaged == [expected])
        } else {
            #expect(screenedAlerts.values.filter { good($0.orderNumber) } == alerts)
            #expect(screenedAlerts.damaged.isEmpty)
        }
        let screenedViolations = try store.screenedViolations(from: from, to: to, asOf: now)
        #expect(screenedViolations.values == violations)
        #expect(screenedViolations.damaged == [expected])
        let screenedList = try store.screenedOrders(status: nil, asOf: now)
        #expect(screenedList.values == list)
        // The list counts a check or breach out of bounds without reading it: the order, once, by its first sign.
        #expect(screenedList.damaged.map(\.orderID) == [id])
        #expect(screenedList.damaged.map(\.label) == [expected.label])
        #expect(try store.damagedRecords().map(\.orderID) == [id])
        #expect(try store.detail(number: "OK-1", asOf: now, now: now).timeline == detail.timeline)
        #expect(throws: StoreError.damagedRecord(expected)) { try store.detail(number: "BAD-1", asOf: now, now: now) }
        let histories = try store.screenedHistories()
        #expect(histories.values.map(\.order.number) == ["OK-1", "OK-2", "OK-3"])
        #expect(histories.damaged == [expected])
        // A write to the damaged order is refused with the same fact, never computed with its values.
        #expect(throws: StoreError.damagedRecord(expected)) {
            try store.addCheck("BAD-1", at: t("2026-11-21 10:00"), officer: "A", method: .visit, outcome: .compliant, note: "", now: now)
        }
        // The first day of the records is not moved by a damaged issue time.
        #expect(try store.firstIssueDay() == day("2026-11-01"))
    }

    /// Key records as someone with `sqlite3` or a superuser could leave them: each refused before any key is derived.
    static let keyRecords: [(String, @Sendable (inout Vault.Record) -> Void, String)] = [
        ("N = 2^40 (a hang, or 128 TiB)", { $0.rounds = 1 << 40 }, "N"),
        ("N = Int.max", { $0.rounds = Int.max }, "N"),
        ("N not a power of two", { $0.rounds = 40_000 }, "N"),
        ("N = 2 (a passphrase tried a million times a second)", { $0.rounds = 2 }, "N"),
        ("r = 2^20", { $0.blockSize = 1 << 20 }, "r"),
        ("r = 0", { $0.blockSize = 0 }, "r"),
        ("p = 2^30", { $0.parallelism = 1 << 30 }, "p"),
        ("p = -1", { $0.parallelism = -1 }, "p"),
        ("no salt", { $0.salt = Data() }, "salt"),
        ("a wrapped key of 1 MiB", { $0.wrappedPrivateKey = Data(count: 1 << 20) }, "key"),
    ]

    @Test("a key record outside sane bounds is refused at once, before any key derivation; the morning still works",
          arguments: Backend.allCases, keyRecords.indices)
    func absurdKeyRecord(_ backend: Backend, _ index: Int) throws {
        let (_, change, parameter) = Self.keyRecords[index]
        let store = try Self.store(backend)
        var record = store.vault.record
        change(&record)
        let json = try record.json
        switch backend {
        case .sqlite:
            try store.writer.write { db in try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'vault'", arguments: [json]) }
        case .postgres:
            _ = try PGCluster.shared().superuser(
                "SET session_replication_role = replica; UPDATE qorgau.meta SET value = '\(json)' WHERE key = 'vault';",
                database: Backend.database(of: store))
        }
        let locked = try store.locked()
        #expect(!locked.isUnlocked)
        let started = Date()
        #expect(throws: StoreError.keyRecordOutOfBounds(parameter: parameter)) {
            try locked.unlocked(passphrase: Backend.passphrase)
        }
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(try locked.alerts(asOf: now).contains { $0.orderNumber == "OK-1" })
    }

    @Test("the key record Qorgau writes keeps to the bounds")
    func ownKeyRecord() throws {
        try Vault.checkBounds(Vault.create(passphrase: "x").record)
    }

    /// Values that slip past every check still cannot trap the scheduler.
    static let absurdOrders: [(String, Order)] = {
        let base = order("X-1")
        func with(_ change: (inout Order) -> Void) -> Order {
            var o = base
            change(&o)
            return o
        }
        return [
            ("interval Int.max", with { $0.checkIntervalDays = .max }),
            ("interval Int.min", with { $0.checkIntervalDays = .min }),
            ("term Int.max", with { $0.termDays = .max }),
            ("term Int.min", with { $0.termDays = .min }),
            ("served 1e300", with { $0.served = Date(timeIntervalSince1970: 1e300) }),
            ("served -1e300", with { $0.served = Date(timeIntervalSince1970: -1e300) }),
            ("served NaN", with { $0.served = Date(timeIntervalSince1970: .nan) }),
            ("issued infinity", with { $0.issued = Date(timeIntervalSince1970: -.infinity) }),
            ("revoked NaN", with { $0.revoked = Date(timeIntervalSince1970: .nan) }),
        ]
    }()

    @Test("the scheduler's day arithmetic saturates instead of trapping", arguments: absurdOrders.indices)
    func schedulerBounded(_ index: Int) throws {
        let scheduler = Scheduler(rules: try RuleSet.kazakhstan(), timeZone: almaty)
        let order = Self.absurdOrders[index].1
        let history = OrderHistory(order: order, checks: [
            Check(orderID: 0, at: t("2026-11-05 10:00"), officer: "A", outcome: .compliant),
            Check(orderID: 0, at: Date(timeIntervalSince1970: 1e300), officer: "A", outcome: .compliant),
        ], breaches: [Breach(orderID: 0, occurred: Date(timeIntervalSince1970: -1e300), reported: now, reportedBy: "", description: "")])
        _ = scheduler.timeline(of: history, asOf: now)
        _ = scheduler.alerts(for: [history], asOf: now)
        _ = scheduler.violations(for: [history], from: day("2026-11-01"), to: day("2026-11-22"), asOf: now)
        _ = scheduler.status(of: order, asOf: now)
        let f = InstantFormat(timeZone: almaty)
        _ = (f.iso(order.served ?? now), f.human(order.issued))
    }

    @Test("LocalDay arithmetic saturates", arguments: [Int.max, Int.min, 1 << 62, -(1 << 62)])
    func localDaySaturates(_ days: Int) {
        let day = LocalDay(ordinal: 0)
        #expect(LocalDay.ordinals.contains((day + days).ordinal))
        #expect(LocalDay.ordinals.contains((day - days).ordinal))
        _ = (day + days) - (day - days)
        _ = (day + days).iso
        _ = LocalDay(Date(timeIntervalSince1970: Double(days) * 1e10), in: almaty).dotted
    }
}
