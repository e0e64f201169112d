import Foundation
import OrderModel
import OrderStore
@testable import PostgresStore
import Testing
import TestSupport

/// The order list's index on the server (schema 2): the folded text and sort keys as columns of the orders,
/// the keyed index of survivors' names, their protections, and the upgrade of a database of schema 1.
@Suite("The list's index on the server")
struct ListIndexServerTests {
    /// The survivor index's rows of `site`, as the superuser sees them (count and digest).
    static func tokens(_ site: ServerSite) throws -> String {
        try site.cluster.superuser("""
            SELECT count(*) || ' ' || md5(coalesce(string_agg(token || ':' || order_id, ',' ORDER BY token, order_id), ''))
            FROM qorgau.survivor_index
            """, database: site.database)
    }

    static func listColumns(_ site: ServerSite) throws -> String {
        try site.cluster.superuser("""
            SELECT md5(string_agg(id || ':' || coalesce(list_search, '-') || coalesce(encode(sort_respondent, 'hex'), '-')
                                  || coalesce(encode(sort_district, 'hex'), '-') || coalesce(encode(sort_officer, 'hex'), '-')
                                  || survivor_indexed, ',' ORDER BY id))
            FROM qorgau.orders
            """, database: site.database)
    }

    @Test("a liaison reads the list's columns of her district only, and neither reads nor writes any index row otherwise")
    func liaisonAttacks() throws {
        let site = try ServerSite()
        let mine = try site.id(of: "ZP-1"), theirs = try site.id(of: "ZP-2")
        let tokensBefore = try Self.tokens(site), columnsBefore = try Self.listColumns(site), before = try site.snapshot()
        #expect(tokensBefore.hasPrefix("0 ") == false, "the supervisor's orders were indexed when added")

        // Her district's folded text, and nothing of another district's, through the table or the search function.
        var r = site.psql("SELECT count(*) FROM qorgau.orders WHERE list_search IS NOT NULL", as: site.liaison)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "2")
        r = site.psql("SELECT count(*) FROM qorgau.list_matches('{0}', '{zp-}')", as: site.liaison)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "2")
        r = site.psql("SELECT count(*) FROM qorgau.list_matches('{0}', '{zp-}')", as: site.otherLiaison)
        #expect(r.out == "1")
        r = site.psql("SELECT count(*) FROM qorgau.list_matches('{0}', '{zp-}') AS id WHERE id = \(theirs)", as: site.liaison)
        #expect(r.out == "0")
        // A needle is a plain substring: LIKE's wildcards in it match only themselves.
        r = site.psql("SELECT count(*) FROM qorgau.list_matches('{0}', '{%}') UNION ALL SELECT count(*) FROM qorgau.list_matches('{0}', '{_}')",
                      as: site.liaison)
        #expect(r.out == "0\n0")

        // A check she may record (rolled back here), and which does not open the order's list columns (below).
        let check = "SELECT qorgau.add_check(\(mine), \(epoch("2026-11-02 10:00")), 'x', 'visit', 'compliant', '', '');"
        r = site.psql("BEGIN; \(check) ROLLBACK;", as: site.liaison)
        #expect(r.status == 0, "\(r.err)")

        // The survivors' tokens: not hers to read, count, write or delete.
        for sql in [
            "SELECT count(*) FROM qorgau.survivor_index",
            "SELECT token FROM qorgau.survivor_index LIMIT 1",
            "INSERT INTO qorgau.survivor_index (token, order_id) VALUES (1, \(mine))",
            "DELETE FROM qorgau.survivor_index",
            "SELECT qorgau.index_survivors('{\(mine)}', '{\(mine)}', '{1}')",
            "SELECT survivor_indexed FROM qorgau.orders WHERE id = \(mine)",
            // The list's columns: written only through list_order, with the order or a correction of it.
            "UPDATE qorgau.orders SET list_search = 'x' WHERE id = \(mine)",
            "SELECT qorgau.list_order(\(mine), 'nobody', '\\x00', '\\x00', '\\x00')",
            "SELECT qorgau.list_order(\(theirs), 'nobody', '\\x00', '\\x00', '\\x00')",
            // Serving or checking another order in the same transaction does not open this one's columns.
            "BEGIN; \(check) SELECT qorgau.list_order(\(mine), 'nobody', '\\x00', '\\x00', '\\x00'); COMMIT;",
            "SELECT qorgau.written_here(\(mine), ARRAY['order.add'])",
        ] {
            let r = site.psql(sql, as: site.liaison)
            #expect(r.status != 0, "a liaison ran: \(sql)")
        }
        // The planner's statistics show nothing of either (row security hides them from everyone but the owner).
        try site.cluster.superuser("ANALYZE qorgau.orders; ANALYZE qorgau.survivor_index;", database: site.database)
        r = site.psql("""
            SELECT count(*) FROM pg_stats WHERE schemaname = 'qorgau'
              AND (tablename = 'survivor_index' OR attname IN ('list_search', 'sort_respondent', 'sort_district', 'sort_officer'))
            """, as: site.liaison)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "0")

        #expect(try Self.tokens(site) == tokensBefore)
        #expect(try Self.listColumns(site) == columnsBefore)
        var after = try site.snapshot()
        after["history"] = before["history"]
        after["audit_head"] = before["audit_head"]
        #expect(after == before)
    }

    @Test("staff read the tokens of their district's orders only, and cannot rewrite an order's tokens once indexed")
    func staffAttacks() throws {
        let site = try ServerSite()
        let mine = try site.id(of: "ZP-1"), theirs = try site.id(of: "ZP-2")
        var r = site.psql("SELECT count(DISTINCT order_id) FROM qorgau.survivor_index", as: site.staff)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "2")
        r = site.psql("SELECT count(DISTINCT order_id) FROM qorgau.survivor_index", as: site.supervisor)
        #expect(r.out == "3")
        let before = try Self.tokens(site)
        // Already indexed: left as it is (another session's search indexed it first).
        r = site.psql("SELECT qorgau.index_survivors('{\(mine)}', '{\(mine)}', '{42}')", as: site.staff)
        #expect(r.status == 0, "\(r.err)")
        #expect(try Self.tokens(site) == before)
        for sql in [
            "SELECT qorgau.index_survivors('{\(theirs)}', '{\(theirs)}', '{42}')",
            "SELECT qorgau.index_survivors('{\(mine)}', '{\(theirs)}', '{42}')",
            "DELETE FROM qorgau.survivor_index WHERE order_id = \(mine)",
            "UPDATE qorgau.survivor_index SET token = 42",
        ] {
            let r = site.psql(sql, as: site.staff)
            #expect(r.status != 0, "staff ran: \(sql)")
        }
        #expect(try Self.tokens(site) == before)
    }

    @Test("the keyed index on the server: found as by opening every name; an order added locked is indexed at the first search")
    func blindIndex() throws {
        let site = try ServerSite()
        let names = ["Жанар Төлеуова", "Assel Nurlanqyzy", "Людмила Шамильевна"]
        for (i, name) in names.enumerated() {
            var o = serverOrder("BI-\(i)")
            o.survivor.name = name
            try site.store.addOrder(o, now: serverTestNow)
        }
        let liaison = try Backend.postgres.session(of: site.store, for: site.liaison, now: serverTestNow)
        var added = serverOrder("BI-L")
        added.survivor.name = "Сауле Қасымова"
        try liaison.addOrder(added, now: serverTestNow)
        let unindexed = "SELECT count(*) FROM qorgau.orders WHERE NOT survivor_indexed"
        #expect(try site.cluster.superuser(unindexed, database: site.database) == "1")
        // Nothing of a survivor's name in the list's text.
        #expect(try site.cluster.superuser("SELECT count(*) FROM qorgau.orders WHERE list_search LIKE '%saule%' OR list_search LIKE '%aigerim%'",
                                           database: site.database) == "0")
        for query in ["Айгерим", "aigerim", "Assel", "Әсел", "нұрлан", "людмила", "Ludmila", "shamil", "жанар tol", "saule", "an", "nobody"] {
            let search = SearchQuery(query)
            let expected = Set(try site.store.survivorNames(now: serverTestNow).filter { search.matches(FoldedText($0.value)) }.keys)
            #expect(try site.store.ordersWithSurvivorMatching(query, now: serverTestNow) == expected, "«\(query)»")
        }
        #expect(try site.cluster.superuser(unindexed, database: site.database) == "0")
        // A rekey makes every token again: none of the old ones is left, and searches still find.
        let old = Set(try site.cluster.superuser("SELECT string_agg(token::text, ',') FROM qorgau.survivor_index", database: site.database)
            .split(separator: ","))
        let next = try site.store.rekey(newPassphrase: "a new passphrase", now: serverTestNow)
        let new = Set(try site.cluster.superuser("SELECT string_agg(token::text, ',') FROM qorgau.survivor_index", database: site.database)
            .split(separator: ","))
        #expect(!new.isEmpty)
        #expect(new.isDisjoint(with: old))
        #expect(try next.ordersWithSurvivorMatching("saule", now: serverTestNow).count == 1)
        #expect(try next.ordersWithSurvivorMatching("Айгерим", now: serverTestNow).count == 3)
    }

    /// A new database with the records of an older schema `version`, installed by its own role.
    static func installed(version: Int) throws -> (cluster: PGCluster, database: String, conninfo: String, store: OrderStore) {
        let cluster = try PGCluster.shared()
        let account = uniqueRole("v\(version)")
        let database = try cluster.createDatabase(owner: account)
        let conninfo = cluster.uri(database: database, user: account)
        let store = try PostgresBackend.install(conninfo: conninfo, timeZone: almaty, rules: RuleSet.kazakhstan(), passphrase: "test",
                                                now: serverTestNow, version: version)
        return (cluster, database, conninfo, store)
    }

    /// A URI of `database` as a new superuser role: the one who may upgrade it.
    static func superuserURI(_ cluster: PGCluster, _ database: String) throws -> String {
        let admin = uniqueRole("admin")
        try cluster.createRole(admin)
        try cluster.superuser("ALTER ROLE \"\(admin)\" SUPERUSER")
        return cluster.uri(database: database, user: admin)
    }

    @Test("a database of schema 1 is upgraded by the server's superuser: its orders found and sorted as a new one's, names indexed by the first search")
    func upgrade() throws {
        let (cluster, database, conninfo, old) = try Self.installed(version: 1)
        for (i, respondent) in ["Ерлан Сапаров", "Әсел Ахметова", "Bolat Ospanov"].enumerated() {
            var o = serverOrder("UP-\(i)")
            o.respondent.name = respondent
            try old.addOrder(o, now: serverTestNow)
        }
        try old.correct("UP-0", field: .district, value: "Бостандыкский", reason: "moved", now: serverTestNow)
        #expect(try cluster.superuser("SELECT to_regclass('qorgau.survivor_index') IS NULL", database: database) == "t")
        // Before: the list is read whole, and says the same.
        let expected = try old.orderPage(status: nil, sort: .respondent, limit: 10, asOf: serverTestNow).rows.map(\.order.number)

        // Nobody who uses the records may upgrade them.
        #expect(throws: StoreError.serverRole(.upgradeNotOwner)) { try PostgresBackend.upgrade(conninfo: conninfo) }
        let admin = try Self.superuserURI(cluster, database)
        #expect(try PostgresBackend.upgrade(conninfo: admin) == true)
        #expect(try PostgresBackend.upgrade(conninfo: admin) == false)
        #expect(try cluster.superuser("SELECT to_regprocedure('qorgau.changed_orders(bigint, integer)') IS NOT NULL", database: database) == "t")
        #expect(try cluster.superuser("SELECT count(*) FROM qorgau.orders WHERE list_search IS NULL OR sort_officer IS NULL",
                                      database: database) == "0")

        let store = try PostgresBackend.open(conninfo: conninfo).unlocked(passphrase: "test")
        let backend = try #require(store.backend as? PostgresBackend)
        #expect(backend.listIndexed)
        // Names: none indexed by the upgrade (it has no key).
        #expect(try cluster.superuser("SELECT count(*) FROM qorgau.survivor_index", database: database) == "0")
        #expect(try store.orderPage(status: nil, sort: .respondent, limit: 10, asOf: serverTestNow).rows.map(\.order.number) == expected)
        let search = try #require(try store.orderSearch("бостандык", now: serverTestNow))
        #expect(try store.orderPage(status: nil, limit: 10, search: search, asOf: serverTestNow).rows.map(\.order.number) == ["UP-0"])
        let medeu = try #require(try store.orderSearch("медеуский", now: serverTestNow))
        #expect(try store.orderPage(status: nil, limit: 10, search: medeu, asOf: serverTestNow).rows.map(\.order.number) == ["UP-1", "UP-2"])
        // Names: the first search with the key indexed them all.
        #expect(try store.ordersWithSurvivorMatching("aigerim", now: serverTestNow).count == 3)
        #expect(try cluster.superuser("SELECT count(*) FROM qorgau.orders WHERE NOT survivor_indexed", database: database) == "0")
        // New writes keep the columns current.
        try store.addOrder(serverOrder("UP-3"), now: serverTestNow)
        try store.correct("UP-3", field: .officer, value: "Жұмабаев Қ.", reason: "full name", now: serverTestNow)
        let officer = try #require(try store.orderSearch("zhumabaev", now: serverTestNow))
        #expect(try store.orderPage(status: nil, limit: 10, search: officer, asOf: serverTestNow).rows.map(\.order.number) == ["UP-3"])
    }

    @Test("a database of schema 2 gets the refresh's function from the upgrade; until then its screens read everything on a write")
    func upgradeFromSchemaTwo() throws {
        let (cluster, database, conninfo, old) = try Self.installed(version: 2)
        let function = "SELECT to_regprocedure('qorgau.changed_orders(bigint, integer)') IS NULL"
        #expect(try cluster.superuser(function, database: database) == "t")
        let mark = try old.changeMark()
        try old.addOrder(serverOrder("TWO-1"), now: serverTestNow)
        #expect(try old.changedOrders(since: mark).orders == nil)

        #expect(throws: StoreError.serverRole(.upgradeNotOwner)) { try PostgresBackend.upgrade(conninfo: conninfo) }
        let admin = try Self.superuserURI(cluster, database)
        #expect(try PostgresBackend.upgrade(conninfo: admin) == true)
        #expect(try PostgresBackend.upgrade(conninfo: admin) == false)
        #expect(try cluster.superuser(function, database: database) == "f")

        let store = try PostgresBackend.open(conninfo: conninfo).unlocked(passphrase: "test")
        let id = try #require(try store.orderPage(status: nil, limit: 10, asOf: serverTestNow).rows.first?.order.id)
        #expect(try store.changedOrders(since: mark).orders == [id])
    }
}
