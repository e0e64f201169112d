import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Real operating-system accounts: a person is their account. On a PostgreSQL server the person is whom
/// the server authenticated — peer authentication on the socket maps each OS account to the role of its
/// name — so roles can only be tried by switching accounts (`runuser`, which needs root: CI runs as root).
struct Accounts {
    static let liaison = "qe2e-liaison", staff = "qe2e-staff", stranger = "qe2e-stranger", outsider = "qe2e-outsider"
    let folder: String
    /// What `--db` gets: a file in `folder` (`useFile`) or a server database, addressed without a user:
    /// libpq then asks for the role of the OS account running qorgau.
    private(set) var db: String
    /// The server database (nil for a file).
    private(set) var database: String?
    private(set) var cluster: PGCluster?

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-acct-\(UUID().uuidString)").path
        db = folder + "/q.sqlite"
        for login in [Accounts.liaison, Accounts.staff, Accounts.stranger, Accounts.outsider] {
            _ = Accounts.shell("useradd", "-M", "-N", "-s", "/bin/sh", login)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Every account must reach the binary, the folder (its HOME) and its own key file.
        chmod(FileManager.default.temporaryDirectory.path, 0o1777)
        chmod(folder, 0o755)
    }

    /// A fresh, empty database on the test cluster, owned by `owner` (LOGIN CREATEROLE, not a superuser).
    mutating func useServer(owner: String) throws -> PGCluster {
        let cluster = try PGCluster.shared()
        let name = try cluster.createDatabase(owner: owner)
        database = name
        self.cluster = cluster
        let query = "host=\(Self.encode(cluster.socketDirectory))&port=\(cluster.port)"
        db = "postgresql:///\(Self.encode(name))?\(query)"
        return cluster
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    @discardableResult
    static func shell(_ args: String...) -> (status: Int32, out: String, err: String) {
        run(URL(fileURLWithPath: "/usr/bin/env"), args)
    }

    static func run(_ executable: URL, _ args: [String], environment: [String: String] = [:]) -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["QORGAU_DB"] = nil
        env["QORGAU_KEY_FILE"] = nil
        for key in env.keys where key.hasPrefix("PG") { env[key] = nil }
        process.environment = env.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "", "\(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// `qorgau ARGS --db DB` as `login` (nil: as root, who installed the database and is its supervisor).
    @discardableResult
    func qorgau(_ login: String?, _ args: String...) -> (status: Int32, out: String, err: String) {
        let binary = CLI.binary.path
        return CLI.installing(args, db: db, cluster: cluster) { run(login, binary, args) }
    }

    private func run(_ login: String?, _ binary: String, _ args: [String]) -> (status: Int32, out: String, err: String) {
        if let login {
            return Accounts.run(URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", login, "--", binary] + args + ["--db", db],
                                environment: ["HOME": folder])
        }
        return Accounts.run(URL(fileURLWithPath: binary), args + ["--db", db])
    }

    /// A copy of the passphrase that only `login` can read.
    func keyFile(for login: String, passphrase: String) throws -> String {
        let path = folder + "/\(login).key"
        try Data((passphrase + "\n").utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        if let pw = getpwnam(login) { chown(path, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        return path
    }

    /// Every row of every table of the server's `qorgau` schema, as the cluster's superuser sees it.
    func serverState() throws -> String {
        guard let database else { return "" }
        let cluster = try PGCluster.shared()
        let tables = try cluster.superuser("SELECT tablename FROM pg_tables WHERE schemaname = 'qorgau' ORDER BY 1;",
                                           database: database).split(separator: "\n")
        return try cluster.superuser(tables.map { table in
            "SELECT '\(table) ' || count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') "
                + "FROM qorgau.\"\(table)\" t;"
        }.joined(separator: "\n"), database: database)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

@Suite("Roles through the command line, as real accounts", .serialized, .enabled(if: geteuid() == 0, "needs root to make accounts"))
struct AccountsTests {
    @Test("a liaison, a staff member, strangers and a supervisor on one PostgreSQL database, each as their own OS account")
    func roles() throws {
        var a = try Accounts()
        defer { a.remove() }
        let cluster = try a.useServer(owner: "root")
        let rootKey = try a.keyFile(for: "root", passphrase: "correct horse battery")
        let made = a.qorgau(nil, "init", "--time-zone", "Asia/Almaty", "--key-file", rootKey)
        #expect(made.status == 0, "\(made.err)")
        #expect(made.out.contains("root is its supervisor"), "\(made.out)")
        #expect(!FileManager.default.fileExists(atPath: a.db + ".key"))
        let liaisonAdded = a.qorgau(nil, "user", "add", Accounts.liaison, "--role", "liaison", "--district", "Медеуский")
        #expect(liaisonAdded.status == 0, "\(liaisonAdded.err)")
        #expect(a.qorgau(nil, "user", "add", Accounts.staff, "--role", "staff").status == 0)
        // The supervisor made the login roles: they exist now, with LOGIN and without any power over roles.
        for login in [Accounts.liaison, Accounts.staff] {
            let role = try cluster.superuser("SELECT rolcanlogin, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = '\(login)';")
            #expect(role == "t|f|f", "\(login): \(role)")
        }
        #expect(a.qorgau(nil, "order", "add", "--number", "ZP-1", "--issued", "2026-11-01 10:00", "--served", "2026-11-01 15:00",
                         "--survivor", "Жанар Төлеуова", "--survivor-phone", "+7 777 123 4567", "--district", "Медеуский",
                         "--survivor-contact", "Shelter Umit", "--respondent", "=cmd|' /C calc'!A0",
                         "--key-file", rootKey).status == 0)

        // The liaison records a check, may not revoke, and never sees the survivor's contact details.
        let check = a.qorgau(Accounts.liaison, "check", "add", "ZP-1", "--at", "2026-11-05 10:00", "--officer", "Омаров Р.",
                             "--outcome", "compliant")
        #expect(check.status == 0, "\(check.err)")
        let revoke = a.qorgau(Accounts.liaison, "order", "revoke", "ZP-1", "--at", "2026-11-06 10:00", "--reason", "x")
        #expect(revoke.status == 1)
        #expect(revoke.err.contains("may not revoke orders"), "\(revoke.err)")
        #expect(revoke.err.split(separator: "\n").count == 1, "\(revoke.err)")
        let seen = a.qorgau(Accounts.liaison, "order", "show", "ZP-1", "--format", "json")
        #expect(seen.status == 0, "\(seen.err)")
        #expect(seen.out.contains("[hidden]"), "\(seen.out)")
        #expect(!seen.out.contains("+7 777") && !seen.out.contains("Shelter") && !seen.out.contains("Жанар"))
        #expect(a.qorgau(Accounts.liaison, "user", "add", "x", "--role", "supervisor").status == 1)

        // Staff see the survivor's details with their passphrase, and may not record checks.
        let staffKey = try a.keyFile(for: Accounts.staff, passphrase: "correct horse battery")
        let shown = a.qorgau(Accounts.staff, "order", "show", "ZP-1", "--key-file", staffKey)
        #expect(shown.status == 0, "\(shown.err)")
        #expect(shown.out.contains("+7 777 123 4567"), "\(shown.out)")
        #expect(a.qorgau(Accounts.staff, "check", "add", "ZP-1", "--at", "2026-11-06 10:00", "--officer", "A",
                         "--outcome", "compliant").status == 1)

        // Strangers are refused before anything is shown: one with no role on the server at all, and one the
        // server knows (another application's login) who is no Qorgau user of this database.
        try cluster.createRole(Accounts.outsider)
        let stateBefore = try a.serverState()
        for login in [Accounts.stranger, Accounts.outsider] {
            let stranger = a.qorgau(login, "alerts")
            #expect(stranger.status == 1, "\(login): \(stranger.err)")
            #expect(stranger.out.isEmpty, "\(login): \(stranger.out)")
            #expect(stranger.err.hasPrefix("qorgau: "), "\(login): \(stranger.err)")
            #expect(stranger.err.split(separator: "\n").count == 1, "\(login): \(stranger.err)")
            #expect(!stranger.err.contains("ZP-1"))
            let write = a.qorgau(login, "check", "add", "ZP-1", "--at", "2026-11-06 10:00", "--officer", "A", "--outcome", "compliant")
            #expect(write.status == 1, "\(login): \(write.err)")
        }
        #expect(try a.serverState() == stateBefore, "a stranger changed the database")

        // CSV neutralises a formula; the trail is intact and shows every refusal and opening.
        let csv = a.qorgau(nil, "order", "list", "--status", "all", "--format", "csv")
        #expect(csv.out.contains("'=cmd|' /C calc'!A0"), "\(csv.out)")
        let log = a.qorgau(nil, "audit", "log", "--format", "csv").out
        for line in ["\(Accounts.liaison),refused", "\(Accounts.staff),refused", "\(Accounts.staff),survivor.view",
                     "\(Accounts.liaison),check.add", "root,user.add"] {
            #expect(log.contains(line), "\(line) not in:\n\(log)")
        }
        #expect(!log.contains(Accounts.stranger) && !log.contains(Accounts.outsider), "\(log)")
        let verified = a.qorgau(nil, "audit", "verify")
        #expect(verified.status == 0, "\(verified.out)\(verified.err)")
        #expect(a.qorgau(Accounts.liaison, "audit", "log").status == 1)

        // A disabled account can no longer log in; its records stay.
        #expect(a.qorgau(nil, "user", "disable", Accounts.liaison).status == 0)
        let login = try cluster.superuser("SELECT rolcanlogin FROM pg_roles WHERE rolname = '\(Accounts.liaison)';")
        #expect(login == "f")
        let disabled = a.qorgau(Accounts.liaison, "alerts")
        #expect(disabled.status == 1, "\(disabled.out)\(disabled.err)")
        #expect(disabled.out.isEmpty)
        #expect(disabled.err.split(separator: "\n").count == 1, "\(disabled.err)")
        let users = a.qorgau(nil, "user", "list", "--format", "csv").out
        #expect(users.contains(Accounts.liaison) && users.contains("disabled"), "\(users)")
        #expect(a.qorgau(nil, "audit", "verify").status == 0)
    }

    @Test("a user of one Qorgau database on a server cannot read another Qorgau database of the same server")
    func twoDatabasesOneServer() throws {
        var mine = try Accounts(), theirs = try Accounts()
        defer { mine.remove(); theirs.remove() }
        let cluster = try mine.useServer(owner: "root")
        _ = try theirs.useServer(owner: "root")
        let key = try mine.keyFile(for: "root", passphrase: "correct horse battery")
        for a in [mine, theirs] {
            let made = a.qorgau(nil, "init", "--time-zone", "UTC", "--key-file", key)
            #expect(made.status == 0, "\(made.err)")
        }
        #expect(mine.qorgau(nil, "user", "add", Accounts.staff, "--role", "staff").status == 0)
        #expect(theirs.qorgau(nil, "order", "add", "--number", "ZP-9", "--issued", "2026-11-01 10:00", "--survivor", "A",
                              "--respondent", "Secret Respondent", "--key-file", key).status == 0)

        let cli = theirs.qorgau(Accounts.staff, "order", "list", "--status", "all")
        #expect(cli.status == 1, "\(cli.out)")
        #expect(!cli.out.contains("Secret Respondent"))
        // Straight to the tables with psql, as the staff member's own OS account.
        let psql = Accounts.run(URL(fileURLWithPath: "/usr/sbin/runuser"),
                                ["-u", Accounts.staff, "--", "psql", "-X", "-A", "-t", "-h", cluster.socketDirectory,
                                 "-p", "\(cluster.port)", "-d", theirs.database ?? "", "-c",
                                 "SELECT respondent_name FROM qorgau.orders"], environment: ["HOME": mine.folder])
        #expect(psql.status != 0, "\(psql.out)")
        #expect(!psql.out.contains("Secret Respondent"), "staff of another database read: \(psql.out)")
    }

    @Test("a read-only file: reading works, a write is refused clearly, the bytes stay as they were")
    func readOnly() throws {
        let a = try Accounts()
        defer { a.remove() }
        if let pw = getpwnam(Accounts.liaison) { chown(a.folder, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        #expect(a.qorgau(Accounts.liaison, "init", "--time-zone", "UTC").status == 0)
        #expect(a.qorgau(Accounts.liaison, "order", "add", "--number", "ZP-1", "--issued", "2026-11-01 10:00",
                         "--served", "2026-11-01 15:00", "--survivor", "A", "--respondent", "B").status == 0)
        chmod(a.db, 0o400)
        let before = try Data(contentsOf: URL(fileURLWithPath: a.db))
        #expect(a.qorgau(Accounts.liaison, "alerts").status == 0)
        let write = a.qorgau(Accounts.liaison, "check", "add", "ZP-1", "--at", "2026-11-05 10:00", "--officer", "A",
                             "--outcome", "compliant")
        #expect(write.status == 1)
        #expect(write.err.contains("read-only") || write.err.contains("cannot be written"), "\(write.err)")
        #expect(write.err.split(separator: "\n").count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.db)) == before)
    }

    @Test("one account's file: another account is refused by the file's permissions, not let in")
    func ownFile() throws {
        let a = try Accounts()
        defer { a.remove() }
        if let pw = getpwnam(Accounts.liaison) { chown(a.folder, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        chmod(a.folder, 0o700)
        let made = a.qorgau(Accounts.liaison, "init", "--time-zone", "UTC")
        #expect(made.status == 0, "\(made.err)")
        #expect(made.out.contains("\(Accounts.liaison) is its supervisor"), "\(made.out)")
        let other = a.qorgau(Accounts.staff, "alerts")
        #expect(other.status == 1, "\(other.out)\(other.err)")
        #expect(other.out.isEmpty)
        #expect(other.err.split(separator: "\n").count == 1, "\(other.err)")
    }
}
