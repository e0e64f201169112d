import Foundation
import OrderModel
import OrderStore
import PostgresStore
import Scheduler
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ text: String) { lock.lock(); errors.append(text); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return errors }
}

/// One database on the TLS cluster: a supervisor (installer, socket), liaison A at one site over the socket
/// (peer), liaison B at another over TLS with a password (its role made before `addUser`), and liaison C over
/// TLS too (its role made by `addUser`, its password set after).
private struct TwoSites {
    let cluster: PGCluster
    let database: String
    let store: OrderStore
    let a: String, b: String, c: String
    let siteA: OrderStore, siteB: OrderStore, siteC: OrderStore

    init() throws {
        cluster = try PGCluster.sharedTLS()
        let supervisor = uniqueRole("msup")
        database = try cluster.createDatabase(owner: supervisor)
        store = try PostgresBackend.install(conninfo: cluster.uri(database: database, user: supervisor), timeZone: almaty,
                                            rules: RuleSet.kazakhstan(), passphrase: "test", now: serverTestNow)
        a = uniqueRole("sitea")
        b = uniqueRole("siteb")
        c = uniqueRole("sitec")
        try store.addUser(a, role: .liaison, district: ServerSite.home, now: serverTestNow)
        try cluster.allowPeerLogin(as: a)
        try cluster.createRole(b, password: "pw-" + b)
        try store.addUser(b, role: .liaison, district: ServerSite.home, now: serverTestNow)
        try store.addUser(c, role: .liaison, district: ServerSite.home, now: serverTestNow)
        try cluster.createRole(c, password: "pw-" + c)
        siteA = try PostgresBackend.open(conninfo: cluster.uri(database: database, user: a))
        siteB = try PostgresBackend.open(conninfo: cluster.tlsURI(database: database, user: b, password: "pw-" + b))
        siteC = try PostgresBackend.open(conninfo: cluster.tlsURI(database: database, user: c, password: "pw-" + c))
    }

    /// Whether the connections of `role` to this database use TLS ("true", "false", or "" when there are none).
    func ssl(of role: String) throws -> String {
        try cluster.superuser("""
            SELECT coalesce(string_agg(DISTINCT s.ssl::text, ','), '') FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid
            WHERE a.usename = '\(role)' AND a.datname = '\(database)'
            """)
    }
}

/// Waits (poll, up to 2000 ms) until `feed` announces a write.
private func announced(_ feed: any ChangeFeed) -> Bool {
    var descriptor = pollfd(fd: feed.fileDescriptor, events: Int16(POLLIN), revents: 0)
    let deadline = Date().addingTimeInterval(2)
    while true {
        let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        guard remaining > 0 else { return feed.drain() }
        let ready = poll(&descriptor, 1, remaining)
        if ready > 0, feed.drain() { return true }
        if ready == 0 { return feed.drain() }
        if ready < 0, errno != EINTR { return false }
    }
}

@Suite("Two sites on one server at once")
struct MultiSiteTests {
    @Test("a liaison over the socket and one over TLS write at once, and each sees the other's records")
    func concurrentSites() throws {
        let sites = try TwoSites()
        #expect(sites.siteA.user == User(login: sites.a, role: .liaison, district: ServerSite.home))
        #expect(sites.siteB.user == User(login: sites.b, role: .liaison, district: ServerSite.home))
        #expect(sites.siteC.user.login == sites.c)
        #expect(try sites.ssl(of: sites.b) == "true")
        #expect(try sites.ssl(of: sites.c) == "true")
        #expect(try sites.ssl(of: sites.a) == "false")

        let failures = Failures()
        let writers: [(OrderStore, String)] = [(sites.siteA, "A"), (sites.siteB, "B")]
        DispatchQueue.concurrentPerform(iterations: writers.count) { index in
            let (site, tag) = writers[index]
            do {
                for n in 1...5 {
                    try site.addOrder(serverOrder("\(tag)-\(n)"), now: serverTestNow)
                }
                for i in 0..<20 {
                    try site.addCheck("\(tag)-\(i % 5 + 1)", at: almatyTime("2026-11-02 10:00").addingTimeInterval(Double(i) * 3600),
                                      officer: "officer \(tag)", method: .visit, outcome: .compliant, note: "", now: serverTestNow)
                }
            } catch {
                failures.add("site \(tag): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")

        for site in [sites.siteA, sites.siteB, sites.siteC, sites.store] {
            let counts = try site.backend.counts()
            #expect(counts.orders == 10)
            #expect(counts.checks == 40)
            #expect(try site.orders(status: .active, asOf: serverTestNow).count == 10)
            // Every order was last checked by 2026-11-07 with a 7-day interval: all ten are overdue.
            let alerts = try site.alerts(asOf: serverTestNow)
            #expect(Set(alerts.map(\.orderNumber)) == Set((1...5).flatMap { ["A-\($0)", "B-\($0)"] }))
            #expect(alerts.allSatisfy { $0.kind == .checkOverdue })
        }
        let fromA = try #require(try sites.siteA.backend.order(number: "B-3"))
        #expect(fromA.history.checks.count == 4)
        #expect(fromA.history.checks.allSatisfy { $0.officer == "officer B" })
        let fromB = try #require(try sites.siteB.backend.order(number: "A-2"))
        #expect(fromB.history.checks.count == 4)

        let entriesA = try sites.store.auditEntries(account: sites.a, now: serverTestNow)
        let entriesB = try sites.store.auditEntries(account: sites.b, now: serverTestNow)
        #expect(entriesA.count == 25)
        #expect(entriesB.count == 25)
        guard case .intact(let entries, _) = try sites.store.verifyAudit(now: serverTestNow) else {
            Issue.record("the audit trail does not verify")
            return
        }
        #expect(entries == 1 + 3 + 50)
        // Still over TLS at the end.
        #expect(try sites.ssl(of: sites.b) == "true")
    }

    @Test("a change feed at one site hears a write made at the other within 2 seconds")
    func changeFeedAcrossSites() throws {
        let sites = try TwoSites()
        try sites.store.addOrder(serverOrder("F-1"), now: serverTestNow)

        let feedA = try #require(try sites.siteA.backend.changeFeed())
        let feedB = try #require(try sites.siteB.backend.changeFeed())
        _ = feedA.drain()
        _ = feedB.drain()

        try sites.siteB.addCheck("F-1", at: almatyTime("2026-11-03 10:00"), officer: "officer B", method: .visit,
                                 outcome: .compliant, note: "", now: serverTestNow)
        #expect(announced(feedA), "site A's feed heard nothing of site B's check")
        #expect(announced(feedB), "site B's feed heard nothing of its own check")

        try sites.siteA.addCheck("F-1", at: almatyTime("2026-11-04 10:00"), officer: "officer A", method: .phone,
                                 outcome: .compliant, note: "", now: serverTestNow)
        #expect(announced(feedB), "site B's feed (over TLS) heard nothing of site A's check")
        #expect(try sites.ssl(of: sites.b) == "true")
    }
}
