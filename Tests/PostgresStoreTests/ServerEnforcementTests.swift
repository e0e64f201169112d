import Foundation
import OrderModel
import OrderStore
import PostgresStore
import Testing
import TestSupport

/// What a person may not do is refused by the server itself, whatever client they use: here psql.
@Suite("The server refuses what a role may not do")
struct ServerEnforcementTests {
    /// UPDATE, DELETE, INSERT and TRUNCATE of every table, each an attack the issue names where there is one.
    static func writes(site: ServerSite, as login: String) throws -> [(String, String)] {
        let zp1 = try site.id(of: "ZP-1"), zp2 = try site.id(of: "ZP-2")
        let breach = try site.breachID(of: "ZP-1")
        let at = epoch("2026-11-21 10:00")
        return [
            ("update meta (swap the key record)", "UPDATE qorgau.meta SET value = '{\"forged\":true}' WHERE key = 'vault'"),
            ("delete meta", "DELETE FROM qorgau.meta"),
            ("insert meta", "INSERT INTO qorgau.meta (key, value) VALUES ('vault2', '{}')"),
            ("truncate meta", "TRUNCATE qorgau.meta"),
            ("update users (make herself supervisor)",
             "UPDATE qorgau.users SET role = 'supervisor', district = '' WHERE login = '\(login)'"),
            ("delete users", "DELETE FROM qorgau.users"),
            ("insert users", "INSERT INTO qorgau.users (login, role, district, disabled, created_at, created_by) "
                + "VALUES ('intruder', 'supervisor', '', false, 0, '\(login)')"),
            ("truncate users", "TRUNCATE qorgau.users CASCADE"),
            ("update orders (revoke)", "UPDATE qorgau.orders SET revoked = \(at), revocation_reason = 'forged' WHERE id = \(zp1)"),
            ("delete orders", "DELETE FROM qorgau.orders WHERE id = \(zp2)"),
            ("insert orders", "INSERT INTO qorgau.orders (number, number_key, kind, issued, term_days, check_interval_days, "
                + "district, officer, restrictions, survivor, survivor_initials, respondent_name, respondent_address, "
                + "respondent_phone, district_now, created_at, created_by) VALUES ('ZP-9', 'zp-9', 'protective-order', 0, 30, 7, "
                + "'Медеуский', '', '', '\\x00', '', 'x', '', '', 'Медеуский', 0, '\(login)')"),
            ("truncate orders", "TRUNCATE qorgau.orders CASCADE"),
            ("update checks (move a check)", "UPDATE qorgau.checks SET at = \(at)"),
            ("delete checks", "DELETE FROM qorgau.checks"),
            ("insert checks by another officer", "INSERT INTO qorgau.checks (order_id, at, officer, method, outcome, counted, note, "
                + "recorded_at, recorded_by) VALUES (\(zp1), \(at), 'Другой офицер', 'visit', 'compliant', true, '', \(at), "
                + "'other_officer')"),
            ("truncate checks", "TRUNCATE qorgau.checks CASCADE"),
            ("update breaches (close a breach)",
             "UPDATE qorgau.breaches SET closed = \(at), action = 'nothing', closed_by = '\(login)' WHERE id = \(breach)"),
            ("delete breaches", "DELETE FROM qorgau.breaches"),
            ("insert breaches", "INSERT INTO qorgau.breaches (order_id, occurred, reported, reported_by, description, recorded_at, "
                + "recorded_by) VALUES (\(zp1), \(at), \(at), 'x', 'x', \(at), 'x')"),
            ("truncate breaches", "TRUNCATE qorgau.breaches CASCADE"),
            ("update corrections", "UPDATE qorgau.corrections SET reason = 'forged'"),
            ("delete corrections", "DELETE FROM qorgau.corrections"),
            ("insert corrections", "INSERT INTO qorgau.corrections (order_id, field, value, reason, at, account) "
                + "VALUES (\(zp1), 'district', 'Алмалинский', 'x', \(at), 'x')"),
            ("truncate corrections", "TRUNCATE qorgau.corrections"),
            ("update history", "UPDATE qorgau.history SET account = 'someone_else'"),
            ("delete history", "DELETE FROM qorgau.history WHERE id > 1"),
            ("insert history", "INSERT INTO qorgau.history (id, at, account, action, entity, detail, prev_hash, hash) "
                + "VALUES (100000, 0, 'x', 'x', 'x', '{}', 'x', 'x')"),
            ("truncate history", "TRUNCATE qorgau.history"),
            ("update audit_head", "UPDATE qorgau.audit_head SET id = id + 1"),
            ("delete audit_head", "DELETE FROM qorgau.audit_head"),
            ("insert audit_head", "INSERT INTO qorgau.audit_head (one, id, hash) VALUES (true, 1, 'x')"),
            ("truncate audit_head", "TRUNCATE qorgau.audit_head"),
        ]
    }

    /// Runs each statement as `login`: each must fail for lack of privilege.
    static func expectRefused(_ site: ServerSite, as login: String, _ statements: [(String, String)],
                              because reason: String? = "permission denied",
                              sourceLocation: SourceLocation = #_sourceLocation) {
        for (what, sql) in statements {
            let r = site.psql(sql, as: login)
            #expect(r.status != 0, "\(what) was not refused: \(r.out)", sourceLocation: sourceLocation)
            if let reason { #expect(r.err.contains(reason), "\(what): \(r.err)", sourceLocation: sourceLocation) }
        }
    }

    @Test("a liaison with psql writes no table, reads no survivor or history, calls no supervisor's function")
    func liaisonWithPSQL() throws {
        let site = try ServerSite()
        let liaison = site.liaison
        let zp1 = try site.id(of: "ZP-1"), zp2 = try site.id(of: "ZP-2"), zp3 = try site.id(of: "ZP-3")
        let breach = try site.breachID(of: "ZP-1")
        let before = try site.snapshot()
        // She is a liaison of the store, connected as herself.
        #expect(site.psql("SELECT role || ' ' || district FROM qorgau.me()", as: liaison).out == "liaison " + ServerSite.home)

        Self.expectRefused(site, as: liaison, try Self.writes(site: site, as: liaison))

        // Survivor data, the audit trail, the key record and the other district stay out of sight.
        Self.expectRefused(site, as: liaison, [
            ("survivor column", "SELECT survivor FROM qorgau.orders"),
            ("every column of orders", "SELECT * FROM qorgau.orders"),
            ("whole rows of orders", "SELECT o FROM qorgau.orders o"),
            ("survivor in a condition", "SELECT count(*) FROM qorgau.orders WHERE length(survivor) > 0"),
            ("copy orders", "COPY qorgau.orders TO STDOUT"),
            ("sealed corrections", "SELECT sealed FROM qorgau.corrections"),
            ("history", "SELECT * FROM qorgau.history"),
            ("history count", "SELECT count(*) FROM qorgau.history"),
            ("audit head", "SELECT * FROM qorgau.audit_head"),
            ("users", "SELECT * FROM qorgau.users"),
        ])
        #expect(site.psql("SELECT count(*) FROM qorgau.meta WHERE key = 'vault'", as: liaison).out == "0")
        #expect(site.psql("SELECT count(*) FROM qorgau.meta WHERE key = 'timeZone'", as: liaison).out == "1")
        #expect(site.psql("SELECT string_agg(number, ',' ORDER BY number) FROM qorgau.orders", as: liaison).out == "ZP-1,ZP-3")
        #expect(site.psql("SELECT count(*) FROM qorgau.orders WHERE id = \(zp2)", as: liaison).out == "0")
        #expect(site.psql("SELECT count(*) FROM qorgau.checks WHERE order_id = \(zp2)", as: liaison).out == "0")
        #expect(site.psql("SELECT count(*) FROM qorgau.breaches WHERE order_id = \(zp2)", as: liaison).out == "0")
        #expect(site.psql("SELECT count(*) FROM qorgau.checks", as: liaison).out == "1")

        // The supervisor's functions.
        let at = epoch("2026-11-21 10:00")
        Self.expectRefused(site, as: liaison, [
            ("revoke_order", "SELECT qorgau.revoke_order(\(zp1), \(at), 'no longer needed')"),
            ("close_breach", "SELECT qorgau.close_breach(\(breach), \(at), 'nothing to do')"),
            ("add_user", "SELECT qorgau.add_user('\(liaison)_2', 'supervisor', '')"),
            ("set_vault", "SELECT qorgau.set_vault('{\"forged\":true}')"),
            ("disable_user", "SELECT qorgau.disable_user('\(site.supervisor)')"),
            ("correct_order", "SELECT qorgau.correct_order(\(zp1), 'district', 'Алмалинский', NULL, 'moved')"),
            ("record_view", "SELECT qorgau.record_view(\(zp1))"),
            ("record_event", "SELECT qorgau.record_event('export')"),
            ("grant_login", "SELECT qorgau.grant_login('\(liaison)', 'supervisor')"),
            ("revoke_login", "SELECT qorgau.revoke_login('\(site.supervisor)')"),
            ("audit", "SELECT qorgau.audit('order.revoke', 'order', \(zp1), '{}')"),
            ("refresh_order", "SELECT qorgau.refresh_order(\(zp1))"),
            ("order_for", "SELECT (qorgau.order_for(\(zp1), qorgau.me(), 'read')).survivor"),
            ("set role supervisor", "SET ROLE qorgau_supervisor"),
            ("set role owner", "SET ROLE qorgau_owner"),
            ("set session authorization", "SET SESSION AUTHORIZATION '\(site.supervisor)'"),
        ])
        Self.expectRefused(site, as: liaison, [("grant herself the supervisors' group", "GRANT qorgau_supervisor TO \(liaison)")],
                           because: nil)

        // The functions she may call still refuse what the rules refuse.
        let checkSQL = { (order: Int64, when: String) in
            "SELECT * FROM qorgau.add_check(\(order), \(when), 'Другой офицер', 'visit', 'compliant', '', '')"
        }
        let future = "extract(epoch FROM now())::float8 + 3600"
        Self.expectRefused(site, as: liaison, [("check on another district's order", checkSQL(zp2, at))],
                           because: "another district")
        Self.expectRefused(site, as: liaison, [("service of another district's order",
                                                "SELECT qorgau.serve_order(\(zp2), \(at))")], because: "another district")
        Self.expectRefused(site, as: liaison, [("breach on another district's order",
                                                "SELECT qorgau.add_breach(\(zp2), \(at), 'x', 'x')")], because: "another district")
        Self.expectRefused(site, as: liaison, [("order in another district",
            "SELECT qorgau.add_order('ZP-8', 'protective-order', \(at), NULL, 30, 7, '\(ServerSite.other)', '', '', '\\x01', "
                + "'', 'x', NULL, '', '', NULL, NULL)")], because: "another district")
        Self.expectRefused(site, as: liaison, [("check in the future", checkSQL(zp1, future))], because: "in the future")
        Self.expectRefused(site, as: liaison, [("check before service", checkSQL(zp1, epoch("2026-11-01 14:00")))],
                           because: "before the order was served")
        Self.expectRefused(site, as: liaison, [("check of an unserved order", checkSQL(zp3, at))], because: "has not been served")
        Self.expectRefused(site, as: liaison, [("service in the future", "SELECT qorgau.serve_order(\(zp3), \(future))")],
                           because: "in the future")

        #expect(try site.snapshot() == before)
        #expect(try site.auditIntact())
    }

    @Test("staff with psql write no table and may not record checks or services")
    func staffWithPSQL() throws {
        let site = try ServerSite()
        let staff = site.staff
        let zp1 = try site.id(of: "ZP-1"), zp3 = try site.id(of: "ZP-3")
        let before = try site.snapshot()
        Self.expectRefused(site, as: staff, try Self.writes(site: site, as: staff))
        let at = epoch("2026-11-21 10:00")
        Self.expectRefused(site, as: staff, [
            ("add_check", "SELECT * FROM qorgau.add_check(\(zp1), \(at), 'Ахметов Д.', 'visit', 'compliant', '', '')"),
            ("serve_order", "SELECT qorgau.serve_order(\(zp3), \(at))"),
            ("revoke_order", "SELECT qorgau.revoke_order(\(zp1), \(at), 'x')"),
            ("close_breach", "SELECT qorgau.close_breach(\(try site.breachID(of: "ZP-1")), \(at), 'x')"),
            ("add_user", "SELECT qorgau.add_user('\(staff)_2', 'supervisor', '')"),
            ("set_vault", "SELECT qorgau.set_vault('{}')"),
            ("history", "SELECT * FROM qorgau.history"),
            ("users", "SELECT * FROM qorgau.users"),
            ("set role supervisor", "SET ROLE qorgau_supervisor"),
            ("set role owner", "SET ROLE qorgau_owner"),
        ])
        // Staff see their district only.
        #expect(site.psql("SELECT string_agg(number, ',' ORDER BY number) FROM qorgau.orders", as: staff).out == "ZP-1,ZP-3")
        #expect(try site.snapshot() == before)
        #expect(try site.auditIntact())
    }

    @Test("a refusal by the server is audited although its transaction rolled back")
    func refusalAudited() throws {
        let site = try ServerSite()
        let session = try Backend.postgres.session(of: site.store, for: site.liaison, now: serverTestNow)
        let before = try site.snapshot()
        // The program asks nothing about districts when adding an order: the server refuses it.
        #expect(throws: StoreError.self) {
            try session.addOrder(serverOrder("ZP-7", district: ServerSite.other), now: serverTestNow)
        }
        // The program refuses a revocation itself, and records it too.
        #expect(throws: StoreError.self) {
            try session.revoke("ZP-1", at: almatyTime("2026-11-21 10:00"), reason: "forged", now: serverTestNow)
        }
        let entries = try site.store.auditEntries(now: serverTestNow)
        let refusals = entries.suffix(2)
        #expect(refusals.map(\.action) == ["refused", "refused"])
        #expect(refusals.allSatisfy { $0.account == site.liaison })
        #expect(refusals.first?.detail.contains(Permission.addOrder.rawValue) == true)
        #expect(refusals.last?.detail.contains(Permission.revoke.rawValue) == true)
        #expect(try site.cluster.superuser("SELECT count(*) FROM qorgau.orders WHERE number = 'ZP-7'", database: site.database) == "0")
        let after = try site.snapshot()
        for table in ["meta", "users", "orders", "checks", "breaches", "corrections"] { #expect(after[table] == before[table]) }
        #expect(try site.auditIntact())
    }

    @Test("a disabled person can no longer connect, and an open session of theirs is refused")
    func disabledUser() throws {
        let site = try ServerSite()
        let session = try Backend.postgres.session(of: site.store, for: site.liaison, now: serverTestNow)
        #expect(try session.alerts(asOf: serverTestNow).isEmpty == false)
        try site.store.disableUser(site.liaison, now: serverTestNow)

        let r = site.psql("SELECT 1", as: site.liaison)
        #expect(r.status != 0)
        #expect(r.err.contains("not permitted to log in"), "\(r.err)")
        #expect(throws: StoreError.self) {
            try PostgresBackend.open(conninfo: site.cluster.uri(database: site.database, user: site.liaison))
        }
        // The session she had open: no write, no read.
        let checksBefore = try site.cluster.superuser("SELECT count(*) FROM qorgau.checks", database: site.database)
        #expect(throws: StoreError.self) {
            try session.addCheck("ZP-1", at: almatyTime("2026-11-21 10:00"), officer: "Ахметов Д.", method: .visit,
                                 outcome: .compliant, note: "", now: serverTestNow)
        }
        #expect(throws: (any Error).self) { try session.alerts(asOf: serverTestNow) }
        #expect(throws: (any Error).self) { try session.orders(status: nil, asOf: serverTestNow) }
        #expect(try site.cluster.superuser("SELECT count(*) FROM qorgau.checks", database: site.database) == checksBefore)
        // A disabled person's attempts are recorded too (schema.sql, record_refusal).
        let last = try #require(try site.store.auditEntries(now: serverTestNow).last)
        #expect(last.action == "refused")
        #expect(last.account == site.liaison)
        #expect(try site.auditIntact())
    }

    @Test("what a liaison adds with psql is recorded with her login and the server's time, not what she sends")
    func recordedBySessionUser() throws {
        let site = try ServerSite()
        let zp1 = try site.id(of: "ZP-1")
        let start = try site.serverClock()
        let r = site.psql("""
            SELECT check_id || ',' || breach_id FROM qorgau.add_check(\(zp1), \(epoch("2026-11-20 11:00")), 'Другой офицер',
                'visit', 'breach', 'he was there', 'he was at her door')
            """, as: site.liaison)
        #expect(r.status == 0, "\(r.err)")
        let b = site.psql("SELECT qorgau.add_breach(\(zp1), \(epoch("2026-11-20 12:00")), 'Другой офицер', 'phoned her')",
                          as: site.liaison)
        #expect(b.status == 0, "\(b.err)")
        let end = try site.serverClock()
        let ids = r.out.split(separator: ",").compactMap { Int64($0) }
        try #require(ids.count == 2)
        let check = try site.cluster.superuser("""
            SELECT officer || '|' || recorded_by || '|' || recorded_at FROM qorgau.checks WHERE id = \(ids[0])
            """, database: site.database).split(separator: "|").map(String.init)
        #expect(check.count == 3)
        #expect(check.first == "Другой офицер")
        #expect(check.dropFirst().first == site.liaison)
        let recordedAt = Double(check.last ?? "") ?? 0
        #expect(recordedAt >= start - 0.001 && recordedAt <= end + 0.001)
        for breach in [ids[1], Int64(b.out) ?? 0] {
            let row = try site.cluster.superuser("""
                SELECT recorded_by || '|' || reported || '|' || recorded_at FROM qorgau.breaches WHERE id = \(breach)
                """, database: site.database).split(separator: "|").map(String.init)
            #expect(row.first == site.liaison)
            for value in row.dropFirst() {
                let instant = Double(value) ?? 0
                #expect(instant >= start - 0.001 && instant <= end + 0.001)
            }
        }
        let entries = try site.store.auditEntries(now: serverTestNow).suffix(3)
        #expect(entries.map(\.action) == ["check.add", "breach.add", "breach.add"])
        #expect(entries.allSatisfy { $0.account == site.liaison })
        #expect(entries.allSatisfy {
            $0.at.timeIntervalSince1970 >= start - 0.001 && $0.at.timeIntervalSince1970 <= end + 0.001
        })
        // Nor can she change who she is for the session.
        let spoof = site.psql("SET ROLE \(site.supervisor); SELECT qorgau.revoke_order(\(zp1), \(epoch("2026-11-21 10:00")), 'x')",
                              as: site.liaison)
        #expect(spoof.status != 0)
        #expect(try site.auditIntact())
    }
}
