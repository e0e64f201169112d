import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Scheduler
import Testing
import Wording
import TestSupport

let almaty = TimeZone(identifier: "Asia/Almaty")!

/// A local time in Almaty: "2026-11-01 15:00".
func t(_ text: String, _ zone: TimeZone = almaty) -> Date {
    try! LocalDateTime(parsing: text)!.instant(in: zone)
}

func day(_ text: String) -> LocalDay { LocalDay(parsing: text)! }

/// A new empty store on `backend` whose first supervisor is `account`, unlocked (passphrase `Backend.passphrase`).
func newStore(_ backend: Backend = .sqlite, account: String = "liaison1") throws -> OrderStore {
    try backend.newStore(timeZone: almaty, rules: RuleSet.kazakhstan(), account: account, now: now)
}

extension Backend {
    /// A login for a person a test adds. On PostgreSQL a login is a role of the whole (per-process) cluster, and
    /// disabling a person takes the role's login away everywhere: each test gets names of its own there.
    func login(_ base: String) -> String {
        switch self {
        case .sqlite: return base
        case .postgres: return base + "_" + UUID().uuidString.prefix(8).lowercased()
        }
    }
}

func order(_ number: String, issued: String = "2026-11-01 10:00", served: String? = "2026-11-01 15:00",
           survivor: String = "Айгерим Нұрланқызы", respondent: String = "Нұрсұлтан Әбілқайыров",
           term: Int = 30, interval: Int = 7) -> Order {
    Order(number: number, issued: t(issued), served: served.map { t($0) }, termDays: term, checkIntervalDays: interval,
          district: "Медеуский", officer: "Ахметов Д.", survivor: Survivor(name: survivor, phone: "+7 701 000 0000"),
          respondent: Respondent(name: respondent))
}

let now = t("2026-11-22 09:00")

@Suite("The store")
struct StoreTests {
    @Test("the worked example of RULES.md, through the store", arguments: Backend.allCases)
    func workedExample(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.addOrder(order("ZP-1"), now: now)
        try store.addCheck("ZP-1", at: t("2026-11-06 11:00"), officer: "Ахметов Д.", method: .visit, outcome: .compliant,
                           note: "", now: now)
        try store.addCheck("zp-1 ", at: t("2026-11-16 12:00"), officer: "Ахметов Д.", method: .phone, outcome: .compliant,
                           note: "", now: now)
        let a22 = try store.alerts(asOf: t("2026-11-22 09:00"))
        #expect(a22.map(\.kind) == [.checkDue])
        #expect(a22.first?.daysLeft == 1)
        let a25 = try store.alerts(asOf: t("2026-11-25 00:00"))
        #expect(a25.map(\.kind) == [.checkOverdue])
        #expect(a25.first?.daysOverdue == 2)
        let a28 = try store.alerts(asOf: t("2026-11-28 00:00"))
        #expect(a28.map(\.kind) == [.checkOverdue, .expiring])
        #expect(a28.map(\.daysOverdue) == [5, nil])
        #expect(a28.last?.daysLeft == 3)
        let missed = try store.violations(from: day("2026-11-01"), to: day("2026-11-22"), asOf: t("2026-11-22 09:00"))
        #expect(missed.count == 1)
        #expect(missed.first?.due == day("2026-11-13"))
        #expect(missed.first?.checked == day("2026-11-16"))
        #expect(missed.first?.daysLate == 3)
    }

    @Test("the derived columns follow every write", arguments: Backend.allCases)
    func derivedColumns(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.addOrder(order("ZP-1"), now: now)
        #expect(try store.orders(status: .active, asOf: now).first?.nextDue == day("2026-11-08"))
        try store.addCheck("ZP-1", at: t("2026-11-06 11:00"), officer: "A", method: .visit, outcome: .notLocated,
                           note: "", now: now)
        #expect(try store.orders(status: .active, asOf: now).first?.nextDue == day("2026-11-08"))
        try store.addCheck("ZP-1", at: t("2026-11-07 11:00"), officer: "A", method: .visit, outcome: .compliant,
                           note: "", now: now)
        #expect(try store.orders(status: .active, asOf: now).first?.nextDue == day("2026-11-14"))
        try store.revoke("ZP-1", at: t("2026-11-10 09:00"), reason: "court order", now: now)
        #expect(try store.orders(status: .active, asOf: now).isEmpty)
        #expect(try store.orders(status: .revoked, asOf: now).map(\.order.number) == ["ZP-1"])
        #expect(try store.alerts(asOf: now).isEmpty)
    }

    @Test("a check with outcome breach opens a breach; closing it ends the alert", arguments: Backend.allCases)
    func breachFromCheck(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.addOrder(order("ZP-1"), now: now)
        let (_, opened) = try store.addCheck("ZP-1", at: t("2026-11-20 11:00"), officer: "A", method: .visit,
                                            outcome: .breach, note: "seen at her door", now: now)
        let breach = try #require(opened)
        #expect(breach.description == "seen at her door")
        #expect(try store.alerts(asOf: now).first?.kind == .breachOpen)
        try store.closeBreach(try #require(breach.id), action: "protocol drawn up", at: t("2026-11-21 10:00"), now: now)
        #expect(try store.alerts(asOf: now).allSatisfy { $0.kind != .breachOpen })
        // As of before the action, it was still open.
        #expect(try store.alerts(asOf: t("2026-11-21 09:00")).first?.kind == .breachOpen)
        #expect(throws: Refusal.breachAlreadyClosed(try #require(breach.id))) {
            try store.closeBreach(try #require(breach.id), action: "again", at: now, now: now)
        }
    }

    @Test("every write is recorded with the account that made it", arguments: Backend.allCases)
    func historyRecordsTheAccount(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.addOrder(order("ZP-1", served: nil), now: now)
        let officer = backend.login("officer2")
        try store.addUser(officer, role: .liaison, district: "", now: now)
        try backend.session(of: store, for: officer, now: now).serve("ZP-1", at: t("2026-11-02 10:00"), now: now)
        let entries = try store.auditEntries(now: now)
        #expect(entries.map(\.action) == ["init", "order.add", "user.add", "order.serve"])
        #expect(entries.map(\.account) == ["liaison1", "liaison1", "liaison1", officer])
        #expect(entries.allSatisfy { !$0.detail.contains("Айгерим") })
        #expect(try store.verifyAudit(now: now) == .intact(entries: 4, head: entries.last?.hash ?? ""))
    }

    static let refusals: [(String, @Sendable (OrderStore) throws -> Void, Refusal)] = [
        ("duplicate number, other case and spaces", { try $0.addOrder(order("  zp-1 "), now: now) },
         .duplicateNumber("ZP-1")),
        ("check before service", { try $0.addCheck("ZP-1", at: t("2026-11-01 14:59"), officer: "A", method: .visit,
                                                     outcome: .compliant, note: "", now: now) },
         .beforeService(what: .checkTime)),
        ("check in the future", { try $0.addCheck("ZP-1", at: now.addingTimeInterval(301), officer: "A", method: .visit,
                                                    outcome: .compliant, note: "", now: now) },
         .inFuture(what: .checkTime)),
        ("check on an unknown order", { try $0.addCheck("ZP-404", at: now, officer: "A", method: .visit,
                                                          outcome: .compliant, note: "", now: now) },
         .unknownOrder("ZP-404")),
        ("term of 31 days", { try $0.addOrder(order("ZP-2", term: 31), now: now) },
         .termOutOfRange(kind: .protectiveOrder, value: 31, min: 1, max: 30)),
        ("interval of 8 days", { try $0.addOrder(order("ZP-2", interval: 8), now: now) },
         .intervalOutOfRange(kind: .protectiveOrder, value: 8, min: 1, max: 7)),
        ("escape in a name", { try $0.addOrder(order("ZP-2", survivor: "A\u{1b}[2J"), now: now) },
         .controlCharacters(field: .survivorName)),
        ("right-to-left override in a name", { try $0.addOrder(order("ZP-2", respondent: "A\u{202e}B"), now: now) },
         .controlCharacters(field: .respondentName)),
        ("empty name", { try $0.addOrder(order("ZP-2", survivor: "   "), now: now) },
         .emptyText(field: .survivorName)),
        ("served before issued", { try $0.addOrder(order("ZP-2", issued: "2026-11-02 10:00", served: "2026-11-02 09:00"),
                                                   now: now) }, .servedBeforeIssued),
        ("serving twice", { try $0.serve("ZP-1", at: now, now: now) }, .alreadyServed(number: "ZP-1")),
    ]

    @Test("refusals write nothing", arguments: Backend.allCases, refusals.indices)
    func refusalsWriteNothing(_ backend: Backend, _ index: Int) throws {
        let (_, action, expected) = Self.refusals[index]
        let store = try newStore(backend)
        try store.addOrder(order("ZP-1"), now: now)
        try store.addCheck("ZP-1", at: t("2026-11-06 11:00"), officer: "A", method: .visit, outcome: .compliant,
                           note: "", now: now)
        let before = try store.counts()
        let histories = try store.histories()
        #expect(throws: expected) { try action(store) }
        let after = try store.counts()
        #expect(after == before)
        #expect(try store.histories() == histories)
    }

    @Test("revoking twice is refused", arguments: Backend.allCases)
    func revokeTwice(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.addOrder(order("ZP-1"), now: now)
        try store.revoke("ZP-1", at: t("2026-11-10 10:00"), reason: "court", now: now)
        #expect(throws: Refusal.alreadyRevoked(number: "ZP-1")) {
            try store.revoke("ZP-1", at: t("2026-11-11 10:00"), reason: "again", now: now)
        }
        #expect(throws: Refusal.afterEnd(what: .checkTime)) {
            try store.addCheck("ZP-1", at: t("2026-11-11 10:00"), officer: "A", method: .visit, outcome: .compliant,
                               note: "", now: now)
        }
    }

    @Test("facts entered late: a revocation dated before recorded entries is accepted with its real date",
          arguments: Backend.allCases)
    func lateRevocation(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.addOrder(order("ZP-1"), now: now)
        _ = try store.addCheck("ZP-1", at: t("2026-11-06 10:00"), officer: "A", method: .visit, outcome: .compliant, note: "", now: now)
        _ = try store.addBreach("ZP-1", at: t("2026-11-07 20:00"), description: "звонил", reportedBy: "Айгүл", now: now)
        try store.revoke("ZP-1", at: t("2026-11-05 12:00"), reason: "court, learnt late", now: now)
        let detail = try store.detail(number: "ZP-1", asOf: now, now: now)
        #expect(detail.history.order.revoked == t("2026-11-05 12:00"))
        #expect(detail.history.checks.count == 1)
        #expect(detail.history.breaches.count == 1)
        #expect(detail.timeline.status == .revoked)
        #expect(detail.timeline.missedChecks.isEmpty)
        // The breach recorded after the order's end still asks for action while open.
        #expect(try store.alerts(asOf: now).map(\.kind) == [.breachOpen])
        let words = Words.english
        let late = Timeline.entries(of: detail, words: words).filter { $0.text.contains(words.text("ui.event.afterEnd")) }
        #expect(late.count == 2)
    }

    /// SQLite only: it writes beneath the port with GRDB (the server's grants are tested in PostgresStoreTests).
    @Test("the database itself refuses deletes and rewrites")
    func appendOnly() throws {
        let store = try newStore()
        try store.addOrder(order("ZP-1"), now: now)
        try store.addCheck("ZP-1", at: t("2026-11-06 11:00"), officer: "A", method: .visit, outcome: .compliant,
                           note: "", now: now)
        for sql in ["DELETE FROM orders", "DELETE FROM checks", "DELETE FROM history", "UPDATE history SET account = 'x'",
                    "DELETE FROM users",
                    "UPDATE checks SET outcome = 'not-located', counted = 0", "UPDATE orders SET number = 'ZP-9'",
                    "UPDATE orders SET served = 0"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try store.writer.write { try $0.execute(sql: sql) } }
        }
        #expect(try store.counts().checks == 1)
    }

    @Test("the morning query, reading only candidates, agrees with the scheduler on whole histories",
          arguments: Backend.allCases)
    func alertsAgreeWithScheduler(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.fillDemo(now: now, orders: 200)
        let histories = try store.histories()
        for offset in stride(from: -40.0, through: 10, by: 2.5) {
            let asOf = now.addingTimeInterval(offset * 86_400)
            let fromStore = try store.alerts(asOf: asOf)
            let fromScheduler = store.scheduler.alerts(for: histories, asOf: asOf)
            #expect(fromStore == fromScheduler, "as of \(asOf)")
            let from = LocalDay(asOf, in: almaty) - 20, to = LocalDay(asOf, in: almaty)
            #expect(try store.violations(from: from, to: to, asOf: asOf)
                    == store.scheduler.violations(for: histories, from: from, to: to, asOf: asOf), "as of \(asOf)")
        }
    }

    @Test("the demonstration set has every kind of alert and violation", arguments: Backend.allCases)
    func demoHasEverything(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.fillDemo(now: now)
        let alerts = try store.alerts(asOf: now)
        #expect(Set(alerts.map(\.kind)) == Set(AlertKind.allCases))
        let violations = try store.violations(from: LocalDay(now, in: almaty) - 60, to: LocalDay(now, in: almaty), asOf: now)
        #expect(Set(violations.map(\.kind)) == [.missedCheck, .breach])
        #expect(violations.contains { $0.kind == .breach && $0.isOpen == false })
        let names = try store.histories().map(\.order.respondent.name)
        #expect(names.contains { $0.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } })
        #expect(names.contains { $0.allSatisfy(\.isASCII) })
        #expect(Set(try store.histories().map(\.order.district)).count >= 9)
    }
}

@Suite("The file")
struct FileTests {
    func tempPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-\(UUID().uuidString)/q.sqlite").path
    }

    @Test("a new file is private to its owner and remembers its zone")
    func createPrivate() throws {
        let path = tempPath()
        _ = try OrderStore.create(at: path, timeZone: almaty, rules: RuleSet.kazakhstan(), account: "liaison1",
                                  passphrase: "correct horse", now: now)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try OrderStore.open(at: path, account: "liaison1", now: now).timeZone.identifier == "Asia/Almaty")
        #expect(throws: StoreError.alreadyExists(path: path)) {
            try OrderStore.create(at: path, timeZone: almaty, rules: RuleSet.kazakhstan(), account: "liaison1",
                                  passphrase: "x", now: now)
        }
    }

    @Test("a missing file is not created by opening it")
    func missing() throws {
        let path = tempPath()
        #expect(throws: StoreError.missing(path: path)) { try OrderStore.open(at: path, account: "a", now: now) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a file that is not Qorgau's is refused and left as it was")
    func foreignFile() throws {
        let path = tempPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let bytes = Data("this is a shelter's spreadsheet, not a database\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try OrderStore.open(at: path, account: "a", now: now) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }
}

@Suite("Durability settings")
struct DurabilityTests {
    @Test("the file is in WAL mode and every commit is synced (synchronous = FULL)")
    func pragmas() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-\(UUID().uuidString).sqlite").path
        _ = try OrderStore.create(at: path, timeZone: almaty, rules: RuleSet.kazakhstan(), account: "a",
                                  passphrase: "correct horse", now: now)
        let store = try OrderStore.open(at: path, account: "a", now: now)
        let (mode, sync) = try store.writer.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(sync == 2)
    }
}
