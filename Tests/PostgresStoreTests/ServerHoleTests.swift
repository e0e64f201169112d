import Foundation
import OrderModel
import OrderStore
import PostgresStore
import Testing
import TestSupport

/// Other ways round the server's rules than the obvious ones.
@Suite("The server leaves no side door")
struct ServerHoleTests {
    static let liaisonFunctions: Set<String> = [
        "add_breach", "add_check", "add_order", "change_mark", "changed_orders", "list_matches", "list_order", "me", "my_district", "record_refusal",
        "sealing_key", "serve_order",
    ]
    static let staffFunctions: Set<String> = [
        "add_breach", "add_order", "change_mark", "changed_orders", "index_survivors", "list_matches", "list_order", "me", "my_district",
        "record_refusal", "record_search", "record_view", "sealing_key",
    ]

    /// The qorgau functions `role` may execute (by name).
    static func executable(_ site: ServerSite, by role: String) throws -> Set<String> {
        let text = try site.cluster.superuser("""
            SELECT coalesce(string_agg(DISTINCT p.proname, ','), '') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'qorgau' AND has_function_privilege('\(role)', p.oid, 'EXECUTE')
            """, database: site.database)
        return Set(text.split(separator: ",").map(String.init))
    }

    @Test("no function is reachable beyond what each role is granted; every definer function fixes its search_path")
    func functionGrants() throws {
        let site = try ServerSite()
        #expect(try Self.executable(site, by: site.liaison) == Self.liaisonFunctions)
        #expect(try Self.executable(site, by: site.staff) == Self.staffFunctions)
        let stranger = uniqueRole("nobody")
        try site.cluster.createRole(stranger)
        #expect(try Self.executable(site, by: stranger).isEmpty)
        let r = site.psql("SELECT 1", as: stranger)
        #expect(r.status != 0, "a role in no Qorgau group connected to the database")
        let unfixed = try site.cluster.superuser("""
            SELECT coalesce(string_agg(p.proname, ','), '') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'qorgau' AND p.prosecdef
              AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%')
            """, database: site.database)
        #expect(unfixed == "")
        // Nothing of the schema is PUBLIC's.
        let publicObjects = try site.cluster.superuser("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) AS a
            WHERE n.nspname = 'qorgau' AND a.grantee = 0
            """, database: site.database)
        #expect(publicObjects == "0")
    }

    @Test("a liaison learns nothing of the sealed survivor through the planner's statistics")
    func statistics() throws {
        let site = try ServerSite()
        try site.cluster.superuser("ANALYZE qorgau.orders; ANALYZE qorgau.corrections;", database: site.database)
        let r = site.psql("""
            SELECT count(*) FROM pg_stats WHERE schemaname = 'qorgau'
              AND ((tablename = 'orders' AND attname = 'survivor') OR (tablename = 'corrections' AND attname = 'sealed'))
            """, as: site.liaison)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "0")
    }

    @Test("the people of one Qorgau database on a server read nothing of another's")
    func otherDatabase() throws {
        let mine = try ServerSite()
        let theirs = try ServerSite()
        let before = try theirs.snapshot()
        let statements = ["SELECT count(*) FROM qorgau.users", "SELECT count(*) FROM qorgau.history",
                          "SELECT count(*) FROM qorgau.audit_head", "SELECT count(*) FROM qorgau.orders",
                          "SELECT count(*) FROM qorgau.checks", "SELECT count(*) FROM qorgau.breaches"]
        for (who, login) in [("liaison", mine.liaison), ("staff", mine.staff)] {
            for sql in statements {
                let r = theirs.psql(sql, as: login)
                #expect(r.status != 0, "the \(who) of another database ran \(sql) and got \(r.out)")
            }
        }
        for sql in statements.suffix(3) {
            #expect(theirs.psql(sql, as: mine.supervisor).status != 0)
        }
        for sql in statements.prefix(3) {
            let r = theirs.psql(sql, as: mine.supervisor)
            #expect(r.status != 0, "the supervisor of another database ran \(sql) and got \(r.out)")
        }
        #expect(try theirs.snapshot() == before)
    }

    @Test("a stranger from another Qorgau database is recorded in this one's audit trail in the server's words, never hers")
    func strangerRefusalEntries() throws {
        let mine = try ServerSite()
        let theirs = try ServerSite()
        let before = try theirs.snapshot()
        // Every other write is refused to a stranger.
        let order = theirs.psql("""
            SELECT qorgau.add_order('X-1', 'protective-order', \(epoch("2026-11-21 10:00")), NULL, 30, 7, '', '', '', '\\x01',
                '', 'x', NULL, '', '', NULL, NULL)
            """, as: mine.liaison)
        #expect(order.status != 0)
        #expect(order.err.contains("not an enabled Qorgau user"), "\(order.err)")
        let r = theirs.psql("SELECT qorgau.record_refusal('anything a stranger likes')", as: mine.liaison)
        #expect(r.status == 0, "\(r.err)")
        let after = try theirs.snapshot()
        #expect(after["orders"] == before["orders"])
        let last = try theirs.cluster.superuser("SELECT account || '|' || action || '|' || entity || '|' || detail FROM qorgau.history "
                                                + "ORDER BY id DESC LIMIT 1", database: theirs.database)
        #expect(last == "\(mine.liaison)|refused|access|{\"reason\":\"not a user\"}")
        let wording = try theirs.cluster.superuser("SELECT count(*) FROM qorgau.history WHERE detail LIKE '%stranger likes%'",
                                                   database: theirs.database)
        #expect(wording == "0")
        #expect(try theirs.auditIntact())
    }

    @Test("a disabled supervisor's open session no longer reads the audit trail or the users")
    func disabledSupervisorSession() throws {
        let site = try ServerSite()
        let second = uniqueRole("sup2")
        try site.store.addUser(second, role: .supervisor, district: "", now: serverTestNow)
        let session = try Backend.postgres.session(of: site.store, for: second, now: serverTestNow)
        #expect(try session.auditEntries(now: serverTestNow).isEmpty == false)
        try site.store.disableUser(second, now: serverTestNow)
        #expect(throws: (any Error).self) { try session.orders(status: nil, asOf: serverTestNow) }
        #expect(throws: (any Error).self) { try session.alerts(asOf: serverTestNow) }
        #expect(throws: (any Error).self, "a disabled supervisor's session still reads the audit trail") {
            try session.auditEntries(now: serverTestNow)
        }
        #expect(throws: (any Error).self, "a disabled supervisor's session still reads the users") {
            try session.backend.users()
        }
    }

    @Test("the supervisor who installed cannot take the owner's role back to forge a check or rewrite the audit trail")
    func installerTakesOwner() throws {
        let site = try ServerSite()
        let before = try site.snapshot()
        let zp1 = try site.id(of: "ZP-1")
        #expect(try site.store.alerts(asOf: serverTestNow).contains { $0.orderNumber == "ZP-1" && $0.kind == .checkOverdue })
        let at = epoch("2026-11-21 10:00")
        let r = site.psql("""
            GRANT qorgau_owner TO "\(site.supervisor)";
            SET ROLE qorgau_owner;
            INSERT INTO qorgau.checks (order_id, at, officer, method, outcome, counted, note, recorded_at, recorded_by)
            VALUES (\(zp1), \(at), 'Другой офицер', 'visit', 'compliant', true, '', \(at), 'other_officer');
            ALTER TABLE qorgau.history DISABLE TRIGGER USER;
            UPDATE qorgau.history SET detail = '{}' WHERE action = 'breach.add';
            ALTER TABLE qorgau.history ENABLE TRIGGER USER;
            """, as: site.supervisor)
        let g = site.psql("GRANT qorgau_supervisor TO \"\(site.liaison)\"", as: site.supervisor)
        let after = try site.snapshot()
        let overdue = try site.store.alerts(asOf: serverTestNow).contains { $0.orderNumber == "ZP-1" && $0.kind == .checkOverdue }
        #expect(r.status != 0, "the installing supervisor became qorgau_owner and wrote the tables directly")
        #expect(after["checks"] == before["checks"])
        #expect(after["history"] == before["history"])
        // The forged check makes the overdue alert vanish.
        #expect(overdue)
        // Nor make a liaison a supervisor behind the audit trail's back.
        #expect(g.status != 0, "the installing supervisor granted a liaison the supervisors' group without an audit entry")
    }
}
