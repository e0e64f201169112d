import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Testing
import TestSupport

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

/// The same records on either backend: one order with distinctive survivor details, a liaison of its
/// district and a staff account, the first supervisor holding the session.
struct Secured {
    let backend: Backend
    let boss: OrderStore
    /// The file, on SQLite.
    let path: String
    let passphrase: String
    let liaison: String
    let staff: String
    var bossLogin: String { boss.user.login }

    init(_ backend: Backend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            (boss, path) = try securedStore()
            passphrase = "correct horse battery"
            (liaison, staff) = ("police7", "shelter3")
            return
        case .postgres:
            path = ""
            passphrase = Backend.passphrase
            (liaison, staff) = (backend.login("police7"), backend.login("shelter3"))
            boss = try backend.newStore(timeZone: almaty, rules: RuleSet.kazakhstan(), account: "boss", now: now)
        }
        try boss.addOrder(Order(number: "ZP-1", issued: t("2026-11-01 10:00"), served: t("2026-11-01 15:00"), termDays: 30,
                                checkIntervalDays: 7, district: "Медеуский",
                                survivor: Survivor(name: "Жанар Төлеуова", phone: "+7 777 123 4567",
                                                   contact: "Shelter Umit, Abay 150", notes: "two children"),
                                respondent: Respondent(name: "Бауыржан Төлеуов")), now: now)
        try boss.addUser(liaison, role: .liaison, district: "Медеуский", now: now)
        try boss.addUser(staff, role: .staff, district: "", now: now)
    }

    /// A new session of `login`, as the program opens one: from the file on SQLite, a new connection on PostgreSQL.
    func open(as login: String) throws -> OrderStore {
        switch backend {
        case .sqlite: return try OrderStore.open(at: path, account: login, now: now)
        case .postgres: return try backend.session(of: boss, for: login, now: now)
        }
    }
}

@Suite("Roles, need-to-know, audit chain, encryption at rest")
struct SecurityTests {
    /// What each role may try: the first store is the session of the role, the second the supervisor's.
    static let actions: [(String, Permission, @Sendable (OrderStore, OrderStore) throws -> Void)] = [
        ("add an order", .addOrder, { s, _ in try s.addOrder(order("ZP-9"), now: now) }),
        ("serve", .serve, { s, boss in
            _ = try? boss.addOrder(order("ZP-8", served: nil), now: now)
            try s.serve("ZP-8", at: t("2026-11-02 10:00"), now: now)
        }),
        ("record a check", .recordCheck, { s, _ in try s.addCheck("ZP-1", at: t("2026-11-05 10:00"), officer: "A",
                                                                  method: .visit, outcome: .compliant, note: "", now: now) }),
        ("record a breach", .recordBreach, { s, _ in _ = try s.addBreach("ZP-1", at: t("2026-11-05 10:00"), description: "called",
                                                                         reportedBy: "survivor", now: now) }),
        ("revoke", .revoke, { s, _ in try s.revoke("ZP-1", at: t("2026-11-10 10:00"), reason: "court", now: now) }),
        ("close a breach", .closeBreach, { s, boss in
            let breach = try boss.addBreach("ZP-1", at: t("2026-11-05 10:00"), description: "x", reportedBy: "y", now: now)
            _ = try s.closeBreach(breach.id ?? 0, action: "protocol", at: now, now: now)
        }),
        // A login of its own: on PostgreSQL adding a person makes a role of the whole cluster.
        ("manage users", .manageUsers, { s, _ in try s.addUser("new1_roles", role: .staff, district: "", now: now) }),
        ("read the audit trail", .readAudit, { s, _ in _ = try s.auditEntries(now: now) }),
    ]

    /// Every role with every action.
    static let roleActions: [(Role, Int)] = Role.allCases.flatMap { role in actions.indices.map { (role, $0) } }

    @Test("each role may do its work and is refused the rest, with the refusal audited",
          arguments: Backend.allCases, roleActions)
    func roles(_ backend: Backend, _ roleAction: (Role, Int)) throws {
        let (role, index) = roleAction
        let secured = try Secured(backend)
        let boss = secured.boss
        let login = [Role.staff: secured.staff, .liaison: secured.liaison, .supervisor: secured.bossLogin][role] ?? ""
        let session = try backend.session(of: boss, for: login, now: now)
        let (what, permission, action) = Self.actions[index]
        if role.may(permission) {
            try action(session, boss)
        } else {
            let before = try boss.counts()
            #expect(throws: StoreError.notAllowed(account: login, role: role, action: permission), "\(what)") {
                try action(session, boss)
            }
            let after = try boss.counts()
            #expect((after.orders, after.checks) == (before.orders, before.checks) || permission == .serve)
            let last = try boss.auditEntries(now: now).last
            #expect(last?.action == "refused")
            #expect(last?.account == login)
        }
        #expect(role.may(.viewSurvivor) == (role != .liaison))
    }

    @Test("an account that is not a user, or is disabled, is refused before anything is shown",
          arguments: Backend.allCases)
    func strangers(_ backend: Backend) throws {
        let secured = try Secured(backend)
        let boss = secured.boss
        let mallory = backend.login("mallory")
        switch backend {
        case .sqlite:
            #expect(throws: StoreError.notAUser(account: mallory)) { try secured.open(as: mallory) }
            try boss.disableUser(secured.liaison, now: now)
            #expect(throws: StoreError.disabledUser(account: secured.liaison)) { try secured.open(as: secured.liaison) }
            let refusals = try boss.auditEntries(now: now).filter { $0.action == "refused" }.map(\.account)
            #expect(refusals == [mallory, secured.liaison])
        case .postgres:
            // A role of the server that is no one's in Qorgau may not even connect (CONNECT is granted to Qorgau's
            // group roles only): the server refuses her at the door, before any record could be written.
            let stranger = backend.login("stranger")
            try PGCluster.shared().createRole(stranger)
            #expect(throws: StoreError.self) { try secured.open(as: stranger) }
            // One of another Qorgau database's people on the same server connects, and is refused here, audited.
            let other = try backend.newStore(timeZone: almaty, rules: RuleSet.kazakhstan(), account: "boss", now: now)
            try other.addUser(mallory, role: .staff, district: "", now: now)
            #expect(throws: StoreError.notAUser(account: mallory)) { try secured.open(as: mallory) }
            // A disabled person's login is taken away on the server: refused at the door, so only the server's log
            // can record that attempt, not Qorgau's trail.
            try boss.disableUser(secured.liaison, now: now)
            #expect(throws: StoreError.self) { try secured.open(as: secured.liaison) }
            let refusals = try boss.auditEntries(now: now).filter { $0.action == "refused" }.map(\.account)
            #expect(refusals == [mallory])
        }
        #expect(throws: StoreError.lastSupervisor) { try boss.disableUser(secured.bossLogin, now: now) }
    }

    @Test("need-to-know: who sees the survivor's details, and every opening is audited", arguments: Backend.allCases)
    func needToKnow(_ backend: Backend) throws {
        let secured = try Secured(backend)
        let boss = secured.boss
        let liaison = try backend.session(of: boss, for: secured.liaison, now: now)
        let seen = try liaison.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor
        #expect(seen == Survivor(name: "Ж. Т.", phone: "[hidden]", contact: "[hidden]", notes: "[hidden]"))
        let lockedStaff = try backend.session(of: boss, for: secured.staff, now: now)
        #expect(try lockedStaff.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor.phone == "[hidden]")
        let staff = try lockedStaff.unlocked(passphrase: secured.passphrase)
        #expect(try staff.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor.contact == "Shelter Umit, Abay 150")
        let views = try boss.auditEntries(now: now).filter { $0.action == "survivor.view" }.map(\.account)
        #expect(views == [secured.staff])
        // A liaison who knows the passphrase still sees initials only (on a server she is not even shown the wrapped key).
        let name = try liaison.unlocked(passphrase: secured.passphrase).detail(number: "ZP-1", asOf: now, now: now)
            .history.order.survivor.name
        #expect(name == "Ж. Т.")
        #expect(try liaison.orders(status: nil, asOf: now).first?.order.survivor.name == "Ж. Т.")
        #expect(try staff.ordersWithSurvivorMatching("жанар", now: now).count == 1)
        #expect(try liaison.ordersWithSurvivorMatching("жанар", now: now).isEmpty)
    }

    /// SQLite only (as the tampering test below): about the bytes of the file.
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

    @Test("a wrong passphrase is refused; rekey changes it and loses nothing", arguments: Backend.allCases)
    func passphrase(_ backend: Backend) throws {
        let secured = try Secured(backend)
        let boss = secured.boss
        let reopened = try secured.open(as: secured.bossLogin)
        #expect(throws: StoreError.wrongPassphrase) { try reopened.unlocked(passphrase: "wrong") }
        let unlocked = try reopened.unlocked(passphrase: secured.passphrase)
        try unlocked.rekey(newPassphrase: "new passphrase 2026", now: now)
        let again = try secured.open(as: secured.bossLogin)
        #expect(throws: StoreError.wrongPassphrase) { try again.unlocked(passphrase: secured.passphrase) }
        let survivor = try again.unlocked(passphrase: "new passphrase 2026").detail(number: "ZP-1", asOf: now, now: now)
            .history.order.survivor
        #expect(survivor.name == "Жанар Төлеуова")
        #expect(survivor.notes == "two children")
        #expect(throws: StoreError.notAllowed(account: secured.staff, role: .staff, action: .rekey)) {
            try backend.session(of: boss, for: secured.staff, now: now).unlocked(passphrase: "new passphrase 2026")
                .rekey(newPassphrase: "x", now: now)
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

    @Test("a correction is a new entry with a reason; the original stays, and survivor values stay sealed",
          arguments: Backend.allCases)
    func corrections(_ backend: Backend) throws {
        let secured = try Secured(backend)
        let boss = secured.boss
        try boss.correct("ZP-1", field: .district, value: "Алмалинский", reason: "typed the wrong district", now: now)
        try boss.correct("ZP-1", field: .survivorContact, value: "Shelter Zhan, Tole bi 5", reason: "moved", now: now)
        let staff = try backend.session(of: boss, for: secured.staff, now: now).unlocked(passphrase: secured.passphrase)
        let detail = try staff.detail(number: "ZP-1", asOf: now, now: now)
        #expect(detail.history.order.district == "Алмалинский")
        #expect(detail.history.order.survivor.contact == "Shelter Zhan, Tole bi 5")
        #expect(detail.corrections.map(\.reason) == ["typed the wrong district", "moved"])
        let liaison = try backend.session(of: boss, for: secured.liaison, now: now)
        switch backend {
        case .sqlite:
            #expect(try liaison.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor.contact == "[hidden]")
            #expect(try liaison.orders(status: nil, asOf: now).first?.order.district == "Алмалинский")
        case .postgres:
            // The server shows a liaison her district's orders only, by the corrected district: the order moved away.
            #expect(throws: Refusal.unknownOrder("ZP-1")) { try liaison.detail(number: "ZP-1", asOf: now, now: now) }
            #expect(try liaison.orders(status: nil, asOf: now).isEmpty)
            let almalinsky = backend.login("police8")
            try boss.addUser(almalinsky, role: .liaison, district: "Алмалинский", now: now)
            let other = try backend.session(of: boss, for: almalinsky, now: now)
            #expect(try other.detail(number: "ZP-1", asOf: now, now: now).history.order.survivor.contact == "[hidden]")
            #expect(try other.orders(status: nil, asOf: now).first?.order.district == "Алмалинский")
        }
        // Beneath the port: the original row is unchanged, and the corrected contact is nowhere in clear.
        switch backend {
        case .sqlite:
            let original = try boss.writer.read { db in try String.fetchOne(db, sql: "SELECT district FROM orders") }
            #expect(original == "Медеуский")
            try boss.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: secured.path)).range(of: Data("Shelter Zhan".utf8)) == nil)
        case .postgres:
            let cluster = try PGCluster.shared(), database = try Backend.database(of: boss)
            let original = try cluster.superuser("SELECT district FROM qorgau.orders", database: database)
            #expect(original.trimmingCharacters(in: .whitespacesAndNewlines) == "Медеуский")
            let rows = try cluster.superuser("SELECT c::text FROM qorgau.corrections AS c; SELECT h::text FROM qorgau.history AS h",
                                             database: database)
            #expect(rows.contains("Алмалинский"))
            #expect(!rows.contains("Shelter Zhan"))
        }
        #expect(throws: StoreError.self) {
            try liaison.correct("ZP-1", field: .officer, value: "x", reason: "y", now: now)
        }
        let entries = try boss.auditEntries(now: now)
        #expect(entries.filter { $0.action == "order.correct" }.count == 2)
        #expect(try boss.verifyAudit(now: now) == .intact(entries: entries.count, head: entries.last?.hash ?? ""))
    }

    @Test("several corrections with one reason are saved together or not at all", arguments: Backend.allCases)
    func correctionsTogether(_ backend: Backend) throws {
        let boss = try Secured(backend).boss
        // The second value is refused (an invisible character): the first must not be saved either.
        #expect(throws: Refusal.self) {
            try boss.correct("ZP-1", changes: [(.district, "Алмалинский"), (.officer, "Ahme\u{200b}tov")],
                             reason: "typed wrong", now: now)
        }
        #expect(try boss.detail(number: "ZP-1", asOf: now, now: now).corrections.isEmpty)
        try boss.correct("ZP-1", changes: [(.district, "Алмалинский"), (.officer, "Ahmetov")], reason: "typed wrong",
                         now: now)
        let detail = try boss.detail(number: "ZP-1", asOf: now, now: now)
        #expect(detail.history.order.district == "Алмалинский")
        #expect(detail.history.order.officer == "Ahmetov")
        #expect(detail.corrections.map(\.reason) == ["typed wrong", "typed wrong"])
    }

    @Test("hostile text never reaches a terminal: control characters and overrides are refused at the door",
          arguments: Backend.allCases, ["\u{1b}[2J", "A\u{202e}B", "x\u{0}y", "\u{9b}31m"])
    func hostileText(_ backend: Backend, _ name: String) throws {
        let boss = try Secured(backend).boss
        let before = try boss.counts()
        #expect(throws: Refusal.self) {
            try boss.addOrder(Order(number: "ZP-7", issued: t("2026-11-01 10:00"), termDays: 30, checkIntervalDays: 7,
                                    survivor: Survivor(name: "A"), respondent: Respondent(name: name)), now: now)
        }
        #expect(try boss.counts() == before)
    }
}
