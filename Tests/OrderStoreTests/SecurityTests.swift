import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Testing

/// A file-backed store with one order whose survivor details are distinctive, plus a liaison
/// and a staff account.
func securedStore() throws -> (OrderStore, String) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-sec-\(UUID().uuidString).sqlite").path
    let boss = try OrderStore.create(at: path, timeZone: almaty, rules: RuleSet.kazakhstan(), account: "boss",
                                     passphrase: "correct horse battery", now: now)
    try boss.addOrder(Order(number: "ZP-1", issued: t("2026-11-01 10:00"), served: t("2026-11-01 15:00"), termDays: 30,
                            checkIntervalDays: 7, district: "Медеуский",
                            survivor: Survivor(name: "Жанар Төлеуова", phone: "+7 777 123 4567",
                                               contact: "Shelter Umit, Abay 150", notes: "two children"),
                            respondent: Respondent(name: "Бауыржан Төлеуов")), now: now)
    try boss.addUser("police7", role: .liaison, district: "Медеуский", now: now)
    try boss.addUser("shelter3", role: .staff, district: "", now: now)
    return (boss, path)
}

@Suite("Roles, need-to-know, audit chain, encryption at rest")
struct SecurityTests {
    static let actions: [(String, Permission, @Sendable (OrderStore) throws -> Void)] = [
        ("add an order", .addOrder, { try $0.addOrder(order("ZP-9"), now: now) }),
        ("serve", .serve, { s in
            _ = try? s.session(for: "boss", now: now).addOrder(order("ZP-8", served: nil), now: now)
            try s.serve("ZP-8", at: t("2026-11-02 10:00"), now: now)
        }),
        ("record a check", .recordCheck, { try $0.addCheck("ZP-1", at: t("2026-11-05 10:00"), officer: "A", method: .visit,
                                                             outcome: .compliant, note: "", now: now) }),
        ("record a breach", .recordBreach, { _ = try $0.addBreach("ZP-1", at: t("2026-11-05 10:00"), description: "called",
                                                                    reportedBy: "survivor", now: now) }),
        ("revoke", .revoke, { try $0.revoke("ZP-1", at: t("2026-11-10 10:00"), reason: "court", now: now) }),
        ("close a breach", .closeBreach, { s in
            let breach = try s.session(for: "boss", now: now).addBreach("ZP-1", at: t("2026-11-05 10:00"), description: "x",
                                                                       reportedBy: "y", now: now)
            _ = try s.closeBreach(breach.id ?? 0, action: "protocol", at: now, now: now)
        }),
        ("manage users", .manageUsers, { try $0.addUser("new1", role: .staff, district: "", now: now) }),
        ("read the audit trail", .readAudit, { _ = try $0.auditEntries(now: now) }),
    ]

    @Test("each role may do its work and is refused the rest, with the refusal audited",
          arguments: Role.allCases, actions.indices)
    func roles(_ role: Role, _ index: Int) throws {
        let (boss, _) = try securedStore()
        let login = ["staff": "shelter3", "liaison": "police7", "supervisor": "boss"][role.rawValue] ?? ""
        let session = try boss.session(for: login, now: now)
        let (what, permission, action) = Self.actions[index]
        if role.may(permission) {
            try action(session)
        } else {
            let before = try boss.counts()
            #expect(throws: StoreError.notAllowed(account: login, role: role.rawValue, action: permission.rawValue), "\(what)") {
                try action(session)
            }
            let after = try boss.counts()
            #expect((after.orders, after.checks) == (before.orders, before.checks) || permission == .serve)
            let last = try boss.auditEntries(now: now).last
            #expect(last?.action == "refused")
            #expect(last?.account == login)
        }
        #expect(role.may(.viewSurvivor) == (role != .liaison))
    }

    @Test("an account that is not a user, or is disabled, is refused before anything is shown")
    func strangers() throws {
        let (boss, path) = try securedStore()
        #expect(throws: StoreError.notAUser(account: "mallory")) { try OrderStore.open(at: path, account: "mallory", now: now) }
        try boss.disableUser("police7", now: now)
        #expect(throws: StoreError.disabledUser(account: "police7")) { try OrderStore.open(at: path, account: "police7", now: now) }
        let refusals = try boss.auditEntries(now: now).filter { $0.action == "refused" }.map(\.account)
        #expect(refusals == ["mallory", "police7"])
        #expect(throws: StoreError.lastSupervisor) { try boss.disableUser("boss", now: now) }
    }

    @Test("need-to-know: who sees the survivor's details, and every opening is audited")
    func needToKnow() throws {
        let (boss, _) = try securedStore()
        let liaison = try boss.session(for: "police7", now: now)
        let seen = try liaison.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor
        #expect(seen == Survivor(name: "Ж. Т.", phone: "[hidden]", contact: "[hidden]", notes: "[hidden]"))
        let lockedStaff = try boss.session(for: "shelter3", now: now)
        #expect(try lockedStaff.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor.phone == "[hidden]")
        let staff = try lockedStaff.unlocked(passphrase: "correct horse battery")
        #expect(try staff.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor.contact == "Shelter Umit, Abay 150")
        let views = try boss.auditEntries(now: now).filter { $0.action == "survivor.view" }.map(\.account)
        #expect(views == ["shelter3"])
        #expect(try liaison.unlocked(passphrase: "correct horse battery").detail(number: "ZP-1", asOf: now, now: now)
                .history.order.survivor.name == "Ж. Т.")
        #expect(try liaison.orders(status: nil, asOf: now).first?.order.survivor.name == "Ж. Т.")
        #expect(try staff.ordersWithSurvivorMatching("жанар").count == 1)
        #expect(try liaison.ordersWithSurvivorMatching("жанар").isEmpty)
    }

    @Test("the file holds no survivor name, phone, address or notes in clear")
    func atRest() throws {
        let (boss, path) = try securedStore()
        try boss.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: path + "-wal")) { bytes += wal }
        for secret in ["Жанар", "Төлеуова", "+7 777 123 4567", "Shelter Umit", "two children"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the file")
        }
        #expect(bytes.range(of: Data("Бауыржан".utf8)) != nil)
    }

    @Test("a wrong passphrase is refused; rekey changes it and loses nothing")
    func passphrase() throws {
        let (boss, path) = try securedStore()
        let reopened = try OrderStore.open(at: path, account: "boss", now: now)
        #expect(throws: StoreError.wrongPassphrase) { try reopened.unlocked(passphrase: "wrong") }
        let unlocked = try reopened.unlocked(passphrase: "correct horse battery")
        try unlocked.rekey(newPassphrase: "new passphrase 2026", now: now)
        let again = try OrderStore.open(at: path, account: "boss", now: now)
        #expect(throws: StoreError.wrongPassphrase) { try again.unlocked(passphrase: "correct horse battery") }
        let survivor = try again.unlocked(passphrase: "new passphrase 2026").detail(number: "ZP-1", asOf: now, now: now)
            .history.order.survivor
        #expect(survivor.name == "Жанар Төлеуова")
        #expect(survivor.notes == "two children")
        #expect(throws: StoreError.notAllowed(account: "shelter3", role: "staff", action: Permission.rekey.rawValue)) {
            try boss.session(for: "shelter3", now: now).unlocked(passphrase: "new passphrase 2026").rekey(newPassphrase: "x", now: now)
        }
    }

    /// Tampering as someone with `sqlite3` would: drop the guard trigger, then change the table.
    static let tamperings: [(String, String, AuditFinding)] = [
        ("edit an entry", "UPDATE history SET account = 'someone' WHERE id = 3", .changed(id: 3)),
        ("edit an entry and rehash it", "UPDATE history SET detail = '{}', hash = 'x' WHERE id = 2", .changed(id: 2)),
        ("delete an entry", "DELETE FROM history WHERE id = 3", .removed(afterID: 2)),
        ("delete the last entries", "DELETE FROM history WHERE id >= 4", .truncated(afterID: 3)),
        ("insert an entry", """
            INSERT INTO history (id, at, account, action, entity, entityID, detail, prevHash, hash)
            SELECT id + 1, at, 'mallory', 'order.add', 'order', 1, '{}', hash, hash FROM history ORDER BY id DESC LIMIT 1
            """, .inserted(id: 5)),
    ]

    @Test("the audit chain names the first entry changed, removed or inserted", arguments: tamperings.indices)
    func tampering(_ index: Int) throws {
        let (boss, _) = try securedStore()
        let entries = try boss.auditEntries(now: now)
        #expect(entries.count == 4)
        #expect(try boss.verifyAudit(now: now) == .intact(entries: 4, head: entries[3].hash))
        let (_, sql, expected) = Self.tamperings[index]
        try boss.writer.write { db in
            try db.execute(sql: "DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete")
            try db.execute(sql: sql)
        }
        #expect(try boss.verifyAudit(now: now) == expected)
    }

    @Test("a correction is a new entry with a reason; the original stays, and survivor values stay sealed")
    func corrections() throws {
        let (boss, path) = try securedStore()
        try boss.correct("ZP-1", field: .district, value: "Алмалинский", reason: "typed the wrong district", now: now)
        try boss.correct("ZP-1", field: .survivorContact, value: "Shelter Zhan, Tole bi 5", reason: "moved", now: now)
        let staff = try boss.session(for: "shelter3", now: now).unlocked(passphrase: "correct horse battery")
        let detail = try staff.detail(number: "ZP-1", asOf: now, now: now)
        #expect(detail.history.order.district == "Алмалинский")
        #expect(detail.history.order.survivor.contact == "Shelter Zhan, Tole bi 5")
        #expect(detail.corrections.map(\.reason) == ["typed the wrong district", "moved"])
        let liaison = try boss.session(for: "police7", now: now)
        #expect(try liaison.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor.contact == "[hidden]")
        #expect(try liaison.orders(status: nil, asOf: now).first?.order.district == "Алмалинский")
        let original = try boss.writer.read { db in try String.fetchOne(db, sql: "SELECT district FROM orders") }
        #expect(original == "Медеуский")
        try boss.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).range(of: Data("Shelter Zhan".utf8)) == nil)
        #expect(throws: StoreError.self) {
            try liaison.correct("ZP-1", field: .officer, value: "x", reason: "y", now: now)
        }
        let entries = try boss.auditEntries(now: now)
        #expect(entries.filter { $0.action == "order.correct" }.count == 2)
        #expect(try boss.verifyAudit(now: now) == .intact(entries: entries.count, head: entries.last?.hash ?? ""))
    }

    @Test("hostile text never reaches a terminal: control characters and overrides are refused at the door",
          arguments: ["\u{1b}[2J", "A\u{202e}B", "x\u{0}y", "\u{9b}31m"])
    func hostileText(_ name: String) throws {
        let (boss, _) = try securedStore()
        #expect(throws: Refusal.self) {
            try boss.addOrder(Order(number: "ZP-7", issued: t("2026-11-01 10:00"), termDays: 30, checkIntervalDays: 7,
                                    survivor: Survivor(name: "A"), respondent: Respondent(name: name)), now: now)
        }
    }
}
