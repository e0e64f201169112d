import Foundation
import OrderModel
@testable import PostgresStore
import Testing
import TestSupport

/// `qorgau upgrade`: a server's records brought to this version's schema by the server's superuser alone.
@Suite("Upgrading a server's schema")
struct UpgradeTests {
    @Test("on a file: refused with the reason, exit 1, the file unchanged")
    func file() throws {
        let cli = try CLITests().workedExample()
        defer { cli.remove() }
        let before = try cli.state()
        let result = try cli.run("upgrade")
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        #expect(result.err == "qorgau: `upgrade` works on a PostgreSQL server; a file is brought to the current schema whenever it is opened\n")
        #expect(try cli.state() == before)
    }

    @Test("a database of schema 1: refused to the role that uses it, upgraded by the superuser, then current; search works after")
    func server() throws {
        let cli = try CLI(.postgres)
        defer { cli.remove() }
        let cluster = try #require(cli.cluster), database = try #require(cli.database)
        _ = try CLI.installing(["init"], db: cli.db, cluster: cluster) {
            try PostgresBackend.install(conninfo: cli.db, timeZone: #require(TimeZone(identifier: "Asia/Almaty")),
                                        rules: try RuleSet.kazakhstan(), passphrase: "correct horse battery", now: Date(), version: 1)
        }
        #expect(try cli.run("order", "add", "--number", "UP-1", "--issued", CLI.localTime(daysAgo: 2), "--survivor", "Айгерим Нұрланқызы",
                            "--respondent", "Ерлан Сапаров", "--district", "Медеуский", "--officer", "Ахметов Д.").status == 0)
        let schemaOne = "SELECT to_regclass('qorgau.survivor_index') IS NULL"
        #expect(try cluster.superuser(schemaOne, database: database) == "t")

        // The supervisor who installed it uses the records: not the schema's owner.
        let before = try cli.state()
        let refused = try cli.run("upgrade")
        #expect(refused.status == 1)
        #expect(refused.err.hasPrefix("qorgau: refused: upgrade as a role that may act as qorgau_owner"), "\(refused.err)")
        #expect(try cli.state() == before)

        let admin = "admin_" + UUID().uuidString.prefix(8).lowercased()
        try cluster.createRole(admin)
        try cluster.superuser("ALTER ROLE \"\(admin)\" SUPERUSER")
        let adminDB = cluster.uri(database: database, user: admin)
        let done = try cli.run(["upgrade"], db: adminDB)
        #expect(done.status == 0, "\(done.err)")
        #expect(done.out.hasSuffix(" is upgraded to the current schema\n"), "\(done.out)")
        #expect(!done.out.contains("password"))
        #expect(try cluster.superuser(schemaOne, database: database) == "f")
        let again = try cli.run(["upgrade"], db: adminDB)
        #expect(again.status == 0)
        #expect(again.out.hasSuffix(" already has the current schema: nothing to do\n"), "\(again.out)")

        // The records read as before, now through the list's index.
        let found = try cli.run("order", "list", "--status", "all", "--search", "sapar", "--format", "csv")
        #expect(found.status == 0, "\(found.err)")
        #expect(found.out.contains("UP-1"))
    }
}
