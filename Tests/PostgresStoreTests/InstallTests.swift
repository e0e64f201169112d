import Foundation
import OrderModel
import OrderStore
import PostgresStore
import Testing
import TestSupport

let almaty = TimeZone(identifier: "Asia/Almaty")!

@Suite("Installing on a PostgreSQL server")
struct InstallTests {
    @Test("init installs into an empty database once; the installer is the first supervisor")
    func installOnce() throws {
        let cluster = try PGCluster.shared()
        let database = try cluster.createDatabase(owner: "installer1")
        let uri = cluster.uri(database: database, user: "installer1")
        let store = try PostgresBackend.install(conninfo: uri, timeZone: almaty, rules: RuleSet.kazakhstan(), passphrase: "test",
                                                now: Date())
        #expect(store.user == User(login: "installer1", role: .supervisor))
        #expect(store.isUnlocked)
        #expect(throws: StoreError.databaseNotEmpty(location: uri)) {
            try PostgresBackend.install(conninfo: uri, timeZone: almaty, rules: RuleSet.kazakhstan(), passphrase: "test", now: Date())
        }
        if case .intact(let entries, _) = try store.verifyAudit(now: Date()) { #expect(entries == 1) } else {
            Issue.record("audit trail broken")
        }
    }

    @Test("a database without Qorgau's records is named as such, not read")
    func notInstalled() throws {
        let cluster = try PGCluster.shared()
        let database = try cluster.createDatabase(owner: "installer2")
        let uri = cluster.uri(database: database, user: "installer2")
        #expect(throws: StoreError.notInstalled(location: uri)) { try PostgresBackend.open(conninfo: uri) }
    }

    @Test("install is refused, before anything is written, to a superuser and to a role without CREATEROLE")
    func installRefusedToRoles() throws {
        let cluster = try PGCluster.shared()
        let cases: [(role: String, grant: String, refusal: ServerRoleProblem)] = [
            (uniqueRole("super"), "SUPERUSER", .installAsSuperuser),
            (uniqueRole("plain"), "NOCREATEROLE", .installWithoutCreateRole),
        ]
        for (role, grant, refusal) in cases {
            let database = try cluster.createDatabase(owner: role)
            try cluster.superuser("ALTER ROLE \"\(role)\" \(grant)")
            let uri = cluster.uri(database: database, user: role)
            #expect(throws: StoreError.serverRole(refusal)) {
                try PostgresBackend.install(conninfo: uri, timeZone: almaty, rules: RuleSet.kazakhstan(), passphrase: "test", now: Date())
            }
            #expect(try cluster.superuser("SELECT to_regnamespace('qorgau') IS NULL", database: database) == "t", "\(refusal)")
        }
    }
}
