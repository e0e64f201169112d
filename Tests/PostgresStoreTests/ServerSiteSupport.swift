import Foundation
import OrderModel
import OrderStore
import PostgresStore
import Testing
import TestSupport

/// A local time in Almaty: "2026-11-01 15:00".
func almatyTime(_ text: String) -> Date {
    try! LocalDateTime(parsing: text)!.instant(in: almaty)
}

/// The `now` of the facade in these tests: before the server's real clock (2026-11-23).
let serverTestNow = almatyTime("2026-11-22 09:00")

/// A role name no other test of this process uses (roles are cluster-wide).
func uniqueRole(_ prefix: String) -> String {
    prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
}

func serverOrder(_ number: String, district: String = "Медеуский", issued: String = "2026-11-01 10:00",
                 served: String? = "2026-11-01 15:00", term: Int = 30, interval: Int = 7) -> Order {
    Order(number: number, issued: almatyTime(issued), served: served.map(almatyTime), termDays: term, checkIntervalDays: interval,
          district: district, officer: "Ахметов Д.", restrictions: "no contact",
          survivor: Survivor(name: "Айгерим Нұрланқызы", phone: "+7 701 000 0000", contact: "ул. Абая 1, кв. 5"),
          respondent: Respondent(name: "Нұрсұлтан Әбілқайыров", address: "ул. Сатпаева 2"))
}

/// A database with a supervisor, a liaison and a staff member of Медеуский, a liaison of Алмалинский, and
/// orders of both districts with checks, breaches and a correction (all through the facade).
struct ServerSite {
    static let tables = ["meta", "users", "orders", "checks", "breaches", "corrections", "history", "audit_head"]
    static let home = "Медеуский"
    static let other = "Алмалинский"

    let cluster: PGCluster
    let database: String
    let store: OrderStore
    let supervisor: String
    let liaison: String
    let staff: String
    let otherLiaison: String

    init() throws {
        cluster = try PGCluster.shared()
        supervisor = uniqueRole("sup")
        liaison = uniqueRole("lia")
        staff = uniqueRole("stf")
        otherLiaison = uniqueRole("lib")
        store = try Backend.postgres.newStore(timeZone: almaty, rules: RuleSet.kazakhstan(), account: supervisor, now: serverTestNow)
        database = try Backend.database(of: store)
        let now = serverTestNow
        try store.addUser(liaison, role: .liaison, district: Self.home, now: now)
        try store.addUser(staff, role: .staff, district: Self.home, now: now)
        try store.addUser(otherLiaison, role: .liaison, district: Self.other, now: now)
        try store.addOrder(serverOrder("ZP-1"), now: now)
        try store.addOrder(serverOrder("ZP-2", district: Self.other), now: now)
        try store.addOrder(serverOrder("ZP-3", served: nil), now: now)
        try store.addCheck("ZP-1", at: almatyTime("2026-11-06 11:00"), officer: "Ахметов Д.", method: .visit, outcome: .compliant,
                           note: "", now: now)
        try store.addCheck("ZP-2", at: almatyTime("2026-11-05 11:00"), officer: "Серикова А.", method: .phone, outcome: .compliant,
                           note: "", now: now)
        try store.addBreach("ZP-1", at: almatyTime("2026-11-10 20:00"), description: "came to her door", reportedBy: "neighbour",
                            now: now)
        try store.addBreach("ZP-2", at: almatyTime("2026-11-11 20:00"), description: "phoned her", reportedBy: "survivor", now: now)
        try store.correct("ZP-1", field: .survivorPhone, value: "+7 701 111 1111", reason: "new number", now: now)
        try store.correct("ZP-1", field: .officer, value: "Ахметов Д. К.", reason: "full name", now: now)
    }

    func id(of number: String) throws -> Int64 {
        let text = try cluster.superuser("SELECT id FROM qorgau.orders WHERE number = '\(number)'", database: database)
        guard let id = Int64(text) else { throw PGClusterError("no order \(number)") }
        return id
    }

    func breachID(of number: String) throws -> Int64 {
        let text = try cluster.superuser("""
            SELECT min(b.id) FROM qorgau.breaches b JOIN qorgau.orders o ON o.id = b.order_id WHERE o.number = '\(number)'
            """, database: database)
        guard let id = Int64(text) else { throw PGClusterError("no breach of \(number)") }
        return id
    }

    /// Every row of every table, as the superuser sees them (row security does not apply to it).
    func snapshot() throws -> [String: String] {
        var result: [String: String] = [:]
        for table in Self.tables {
            result[table] = try cluster.superuser("""
                SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))
                FROM qorgau.\(table) AS t
                """, database: database)
        }
        return result
    }

    /// psql as `role` on this database.
    @discardableResult
    func psql(_ sql: String, as role: String) -> (status: Int32, out: String, err: String) {
        cluster.psql(sql, database: database, as: role)
    }

    /// The server's clock, in seconds since 1970.
    func serverClock() throws -> Double {
        Double(try cluster.superuser("SELECT extract(epoch FROM clock_timestamp())::float8")) ?? 0
    }

    func auditIntact() throws -> Bool {
        if case .intact = try store.verifyAudit(now: serverTestNow) { return true }
        return false
    }
}

/// Epoch seconds of an Almaty local time, as SQL text.
func epoch(_ text: String) -> String {
    String(almatyTime(text).timeIntervalSince1970)
}
