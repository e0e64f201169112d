import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Runs the built `qorgau` as a person or a script would, and reads what it prints: on a temp SQLite
/// file, or on a fresh database of the test PostgreSQL cluster (`--db postgresql://…`).
struct CLI {
    let backend: Backend
    /// What `--db` gets: a file path or a PostgreSQL URI.
    let db: String
    /// The PostgreSQL database (nil for a file).
    let database: String?
    /// The passphrase file of a server database (a server has no <db>.key): given as $QORGAU_KEY_FILE.
    let keyFile: String?

    /// The operating-system account running the tests: the supervisor of a file, and (peer
    /// authentication) the role that installs a server database.
    static let account: String = {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.userName
    }()

    /// The cluster of a server database.
    let cluster: PGCluster?

    /// A local time `days` before now in `zone` (Asia/Almaty unless said), as the command line takes it:
    /// for tests whose orders must be in effect on the day they run.
    static func localTime(daysAgo days: Double, zone: TimeZone? = TimeZone(identifier: "Asia/Almaty")) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date().addingTimeInterval(-days * 86_400))
    }

    init(_ backend: Backend = .sqlite, owner: String = CLI.account) throws {
        self.backend = backend
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-e2e-\(UUID().uuidString)").path
        switch backend {
        case .sqlite:
            db = stem + ".sqlite"
            database = nil
            keyFile = nil
            cluster = nil
        case .postgres:
            let cluster = try PGCluster.shared()
            self.cluster = cluster
            let name = try cluster.createDatabase(owner: owner)
            database = name
            db = cluster.uri(database: name, user: owner)
            keyFile = stem + ".key"
            try Data("correct horse battery\n".utf8).write(to: URL(fileURLWithPath: stem + ".key"))
            chmod(stem + ".key", 0o600)
        }
    }

    /// An existing server database at `uri`, unlocked (for those who may) with the passphrase in `keyFile`.
    init(server uri: String, database: String, keyFile: String?, cluster: PGCluster) {
        backend = .postgres
        self.cluster = cluster
        db = uri
        self.database = database
        self.keyFile = keyFile
    }

    /// Installs on the test cluster, one at a time: two installs at once by the same role on two databases of
    /// one server conflict over the cluster-wide group roles (reported; `concurrentInstalls` shows it).
    static let installLock = NSLock()

    /// Runs `body` holding `installLock` when `args` installs records on a server (init, import). An install
    /// takes CREATEROLE away from the role that ran it, so the installer (the OS account's role, or the URI's
    /// `user`) is given it again first, as a database administrator would before a new install.
    static func installing<T>(_ args: [String], db: String, cluster: PGCluster?, _ body: () throws -> T) rethrows -> T {
        guard ["init", "import"].contains(args.first ?? ""), StoreLocationKind(db) == .server, let cluster else {
            return try body()
        }
        installLock.lock()
        defer { installLock.unlock() }
        let user = URLComponents(string: db)?.queryItems?.first { $0.name == "user" }?.value
            ?? URLComponents(string: db)?.user ?? account
        _ = try? cluster.superuser("ALTER ROLE \"\(user.replacingOccurrences(of: "\"", with: "\"\""))\" CREATEROLE;")
        return try body()
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qorgau")
    }

    @discardableResult
    func run(_ args: String...) throws -> (status: Int32, out: String, err: String) {
        try run(args)
    }

    @discardableResult
    func run(_ args: [String], db: String? = nil, cwd: URL? = nil,
             environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = Self.binary
        if let cwd { process.currentDirectoryURL = cwd }
        process.arguments = args + ["--db", db ?? self.db]
        var env = ProcessInfo.processInfo.environment
        env["QORGAU_DB"] = nil
        env["QORGAU_KEY_FILE"] = keyFile
        for key in env.keys where key.hasPrefix("PG") { env[key] = nil }
        // English unless a test asks for another language: the runner's own locale does not choose it.
        for key in ["QORGAU_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"] { env[key] = nil }
        env["LANG"] = "C.UTF-8"
        process.environment = env.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        return try Self.installing(args, db: db ?? self.db, cluster: cluster) {
            try process.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }
    }

    func json(_ args: String...) throws -> [String: Any] {
        try json(args)
    }

    func json(_ args: [String]) throws -> [String: Any] {
        let result = try run(args + ["--format", "json"])
        #expect(result.status == 0, "\(backend) \(args): \(result.err)")
        return try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any] ?? [:]
    }

    /// The JSON a command prints, object or array.
    func jsonValue(_ args: [String]) throws -> Any {
        let result = try run(args + ["--format", "json"])
        #expect(result.status == 0, "\(backend) \(args): \(result.err)")
        return try JSONSerialization.jsonObject(with: Data(result.out.utf8))
    }

    func jsonArray(_ args: String...) throws -> [[String: Any]] {
        let result = try run(args + ["--format", "json"])
        #expect(result.status == 0, "\(backend) \(args): \(result.err)")
        return try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]] ?? []
    }

    func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: db)) }

    /// Everything the database holds: the file's bytes, or every row of every table of the server's
    /// `qorgau` schema (row count and a digest of the rows, in order), read as the cluster's superuser.
    func state() throws -> Data {
        guard let database else { return try bytes() }
        let cluster = try PGCluster.shared()
        let tables = try cluster.superuser("SELECT tablename FROM pg_tables WHERE schemaname = 'qorgau' ORDER BY 1;",
                                           database: database).split(separator: "\n").map(String.init)
        guard !tables.isEmpty else { return Data("nothing installed".utf8) }
        let sql = tables.map { table in
            "SELECT '\(table) ' || count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') "
                + "FROM qorgau.\"\(table)\" t;"
        }.joined(separator: "\n")
        return Data(try cluster.superuser(sql, database: database).utf8)
    }

    /// Removes what the test made (a server database stays until the cluster goes at exit).
    func remove() {
        for suffix in ["", ".key", "-wal", "-shm"] where backend == .sqlite {
            try? FileManager.default.removeItem(atPath: db + suffix)
        }
        if let keyFile { try? FileManager.default.removeItem(atPath: keyFile) }
    }
}

enum StoreLocationKind: Equatable {
    case file, server
    init(_ db: String) {
        let lowered = db.lowercased()
        self = lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://") ? .server : .file
    }
}

@Suite("The command line")
struct CLITests {
    /// ZP-1 of RULES.md: served 01.11.2026 15:00, checks on 06.11 and 16.11.
    func workedExample(_ backend: Backend = .sqlite) throws -> CLI {
        let cli = try CLI(backend)
        let made = try cli.run("init", "--time-zone", "Asia/Almaty")
        #expect(made.status == 0, "\(backend): \(made.err)")
        #expect(try cli.run("order", "add", "--number", "ZP-1", "--issued", "01.11.2026 10:00", "--served", "2026-11-01T15:00",
                            "--survivor", "Айгерим Нұрланқызы", "--respondent", "Нұрсұлтан Әбілқайыров",
                            "--district", "Медеуский", "--officer", "Ахметов Д.").status == 0)
        #expect(try cli.run("check", "add", "ZP-1", "--at", "2026-11-06 11:00", "--officer", "Ахметов Д.",
                            "--outcome", "compliant").status == 0)
        #expect(try cli.run("check", "add", "ZP-1", "--at", "2026-11-16 12:00", "--officer", "Ахметов Д.",
                            "--outcome", "compliant", "--method", "phone").status == 0)
        return cli
    }

    @Test("the worked example of RULES.md, day by day", arguments: Backend.allCases)
    func worked(_ backend: Backend) throws {
        let cli = try workedExample(backend)
        defer { cli.remove() }
        let a22 = try cli.json("alerts", "--as-of", "2026-11-22 09:00")
        #expect(a22["asOf"] as? String == "2026-11-22T09:00:00+05:00")
        #expect(a22["timeZone"] as? String == "Asia/Almaty")
        let alerts22 = a22["alerts"] as? [[String: Any]] ?? []
        #expect(alerts22.count == 1)
        #expect(alerts22.first?["kind"] as? String == "check-due")
        #expect(alerts22.first?["due"] as? String == "2026-11-23")
        #expect(alerts22.first?["daysLeft"] as? Int == 1)

        let alerts25 = try cli.json("alerts", "--as-of", "25.11.2026")["alerts"] as? [[String: Any]] ?? []
        #expect(alerts25.map { $0["kind"] as? String } == ["check-overdue"])
        #expect(alerts25.first?["daysOverdue"] as? Int == 2)

        let alerts28 = try cli.json("alerts", "--as-of", "2026-11-28")["alerts"] as? [[String: Any]] ?? []
        #expect(alerts28.map { $0["kind"] as? String } == ["check-overdue", "expiring"])
        #expect(alerts28.first?["daysOverdue"] as? Int == 5)
        #expect(alerts28.last?["daysLeft"] as? Int == 3)
        #expect(alerts28.last?["expires"] as? String == "2026-12-01T15:00:00+05:00")
        #expect((alerts28.first?["reason"] as? String)?.contains("23.11") == true)

        let v = try cli.json("violations", "--from", "2026-11-01", "--to", "2026-11-22", "--as-of", "2026-11-22 09:00")
        #expect(v["from"] as? String == "2026-11-01")
        #expect(v["to"] as? String == "2026-11-22")
        let missed = v["violations"] as? [[String: Any]] ?? []
        #expect(missed.count == 1)
        #expect(missed.first?["kind"] as? String == "missed-check")
        #expect(missed.first?["due"] as? String == "2026-11-13")
        #expect(missed.first?["checked"] as? String == "2026-11-16")
        #expect(missed.first?["daysLate"] as? Int == 3)
    }

    static let refused: [(String, [String])] = [
        ("the same number twice", ["order", "add", "--number", " zp-1", "--issued", "2026-11-01 10:00",
                                   "--survivor", "A", "--respondent", "B"]),
        ("a check before service", ["check", "add", "ZP-1", "--at", "2026-11-01 14:00", "--officer", "A", "--outcome", "compliant"]),
        ("a check in the future", ["check", "add", "ZP-1", "--at", "2099-01-01 10:00", "--officer", "A", "--outcome", "compliant"]),
        ("a term of 31 days", ["order", "add", "--number", "ZP-2", "--issued", "2026-11-01 10:00", "--term-days", "31",
                               "--survivor", "A", "--respondent", "B"]),
        ("a name with an escape character", ["order", "add", "--number", "ZP-3", "--issued", "2026-11-01 10:00",
                                             "--survivor", "A\u{1b}[2J", "--respondent", "B"]),
        ("an unknown order", ["order", "serve", "ZP-404", "--at", "2026-11-01 10:00"]),
        ("serving twice", ["order", "serve", "ZP-1", "--at", "2026-11-02 10:00"]),
        ("closing an unknown breach", ["breach", "close", "99", "--action", "x"]),
    ]

    @Test("refused input: exit 1, one clear line, the database unchanged", arguments: Backend.allCases, refused.indices)
    func refusal(_ backend: Backend, _ index: Int) throws {
        let (what, args) = Self.refused[index]
        let cli = try workedExample(backend)
        defer { cli.remove() }
        let before = try cli.state()
        let result = try cli.run(args)
        #expect(result.status == 1, "\(backend) \(what): \(result.err)")
        #expect(result.err.hasPrefix("qorgau: "), "\(backend) \(what): \(result.err)")
        #expect(result.err.split(separator: "\n").count == 1, "\(backend) \(what): \(result.err)")
        #expect(!result.err.contains("Айгерим"))
        #expect(result.out.isEmpty, "\(backend) \(what): \(result.out)")
        let after = try cli.state()
        #expect(after == before, "\(backend) \(what): \(String(decoding: before, as: UTF8.self).prefix(2000)) -> \(String(decoding: after, as: UTF8.self).prefix(2000))")
    }

    static let usageErrors: [[String]] = [
        ["alerts", "--as-of", "yesterday"], ["order", "add", "--number", "X"], ["check", "add", "ZP-1", "--at", "2026-11-05 10:00",
         "--officer", "A", "--outcome", "maybe"], ["violations", "--from", "2026-11-10", "--to", "2026-11-01"], ["frobnicate"],
    ]

    @Test("usage errors exit 2", arguments: Backend.allCases, usageErrors)
    func usage(_ backend: Backend, _ args: [String]) throws {
        let cli = try workedExample(backend)
        defer { cli.remove() }
        let result = try cli.run(args)
        #expect(result.status == 2, "\(backend) \(args): \(result.err)")
    }

    /// What the same commands print on the same records, with the one thing that differs by nature taken out:
    /// when each entry of an order's history was written, and when each breach was reported (the real clock
    /// of each run: the two runs can straddle a second).
    static func comparable(_ value: Any, key: String? = nil) -> Any {
        if let object = value as? [String: Any] {
            var kept: [String: Any] = [:]
            for (k, v) in object { kept[k] = comparable(v, key: k) }
            if key == "history", kept["at"] is String { kept["at"] = "a time of writing" }
            if key == "breaches", kept["reported"] is String { kept["reported"] = "a time of writing" }
            return kept
        }
        if let array = value as? [Any] { return array.map { comparable($0, key: key) } }
        return value
    }

    static func text(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test("the server answers as the file does: the same exit codes and the same JSON for the same scenario")
    func sameAnswers() throws {
        let file = try workedExample(.sqlite), server = try workedExample(.postgres)
        defer { file.remove(); server.remove() }
        for cli in [file, server] {
            #expect(try cli.run("breach", "add", "ZP-1", "--at", "2026-11-20 22:00", "--description", "пришёл к дому").status == 0)
            #expect(try cli.run("order", "add", "--number", "ZP-2", "--issued", "2026-11-10 09:00", "--survivor", "Dana Abenova",
                                "--survivor-phone", "+7 700 1", "--respondent", "Ерлан Сейткали", "--district", "Алмалинский").status == 0)
        }
        let queries: [[String]] = [
            ["alerts", "--as-of", "2026-11-22 09:00"], ["alerts", "--as-of", "2026-11-28"],
            ["violations", "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", "2026-11-30 09:00"],
            // A fixed --as-of everywhere: "now" would differ between the two runs when a second passes between them.
            ["order", "list", "--status", "all", "--as-of", "2026-11-22 09:00"], ["order", "show", "ZP-1", "--as-of", "2026-11-22 09:00"],
            ["order", "show", "ZP-2", "--as-of", "2026-11-22 09:00"], ["user", "list"],
        ]
        for args in queries {
            let a = Self.text(Self.comparable(try file.jsonValue(args))), b = Self.text(Self.comparable(try server.jsonValue(args)))
            #expect(a == b, "\(args.joined(separator: " ")):\n--- sqlite\n\(a)\n--- postgres\n\(b)")
        }
        for (what, args) in Self.refused {
            let a = try file.run(args), b = try server.run(args)
            #expect(a.status == b.status, "\(what): sqlite \(a.status) \(a.err), postgres \(b.status) \(b.err)")
            #expect(a.err == b.err, "\(what): the two backends explain it differently")
        }
        for args in Self.usageErrors {
            #expect(try file.run(args).status == server.run(args).status, "\(args)")
        }
    }

    @Test("four databases of one server installed at once, each by its own role: every install succeeds")
    func concurrentInstalls() throws {
        // Four installers (each LOGIN CREATEROLE, none a superuser): the group roles are the cluster's, shared.
        let clis = try (0..<4).map { i in try CLI(.postgres, owner: "qe2e_installer_\(getpid())_\(i)") }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var all: [(status: Int32, out: String, err: String)] = []
        }
        let results = Results()
        CLI.installLock.lock()   // no other test installs meanwhile
        defer { CLI.installLock.unlock() }
        let threads = clis.map { cli in
            Thread {
                let r = Accounts.run(CLI.binary, ["init", "--time-zone", "UTC", "--db", cli.db],
                                     environment: ["QORGAU_KEY_FILE": cli.keyFile ?? ""])
                results.lock.lock()
                results.all.append(r)
                results.lock.unlock()
            }
        }
        threads.forEach { $0.start() }
        while results.lock.withLock({ results.all.count }) < clis.count { Thread.sleep(forTimeInterval: 0.05) }
        // On a server where the group roles do not exist yet, the first installs race to make them: each must succeed.
        for r in results.all { #expect(r.status == 0, "\(r.err)") }
        for cli in clis { cli.remove() }
    }

    @Test("commands refuse a missing file instead of creating one")
    func missingFile() throws {
        let cli = try CLI()
        let result = try cli.run("alerts")
        #expect(result.status == 1)
        #expect(result.err.contains("qorgau init"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test("a URL of another scheme is refused: exit 1, one line, no folder made",
          arguments: ["mysql://h/x", "http://x/y", "sqlite:///tmp/q.sqlite", "postgresx://h/x", "file:/tmp/q.sqlite"])
    func unknownScheme(_ url: String) throws {
        let cli = try CLI()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-scheme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for args in [["init", "--time-zone", "UTC"], ["alerts"]] {
            let result = try cli.run(args, db: url, cwd: folder)
            #expect(result.status == 1, "\(args) \(url): \(result.err)")
            #expect(result.err.hasPrefix("qorgau: "), "\(url): \(result.err)")
            #expect(result.err.split(separator: "\n").count == 1, "\(url): \(result.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "\(url) made something")
        }
    }

    @Test("backup and restore of a server name pg_dump and pg_restore, and change nothing")
    func serverSafekeeping() throws {
        let cli = try workedExample(.postgres)
        defer { cli.remove() }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-copy-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let before = try cli.state()
        let backup = try cli.run("backup", copy)
        #expect(backup.status == 1, "\(backup.out)\(backup.err)")
        #expect(backup.err.contains("pg_dump"), "\(backup.err)")
        #expect(backup.err.split(separator: "\n").count == 1, "\(backup.err)")
        #expect(!FileManager.default.fileExists(atPath: copy))

        let file = try workedExample(.sqlite)
        defer { file.remove() }
        #expect(try file.run("backup", copy).status == 0)
        let restore = try cli.run("restore", copy, "--force")
        #expect(restore.status == 1, "\(restore.out)\(restore.err)")
        #expect(restore.err.contains("pg_restore"), "\(restore.err)")
        #expect(restore.err.split(separator: "\n").count == 1, "\(restore.err)")
        #expect(try cli.state() == before)
    }

    @Test("export from a file, import into a server: every record and the audit trail move, and both verify")
    func fileToServer() throws {
        let file = try workedExample(.sqlite)
        defer { file.remove() }
        #expect(try file.run("breach", "add", "ZP-1", "--at", "2026-11-20 22:00", "--description", "пришёл к дому").status == 0)
        #expect(try file.run("order", "add", "--number", "ZP-2", "--issued", "2026-11-10 09:00", "--survivor", "Dana Abenova",
                             "--survivor-phone", "+7 700 1", "--respondent", "Ерлан Сейткали").status == 0)
        #expect(try file.run("order", "revoke", "ZP-2", "--at", "2026-11-12 09:00", "--reason", "по заявлению").status == 0)
        let export = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-export-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: export) }
        let exported = try file.run("export", "--output", export)
        #expect(exported.status == 0, "\(exported.err)")
        let fileEntries = try file.jsonArray("audit", "log")

        let server = try CLI(.postgres)
        defer { server.remove() }
        // The records keep the file's passphrase: the server's sessions unlock with the file's key.
        if let keyFile = server.keyFile { try Data(contentsOf: URL(fileURLWithPath: file.db + ".key")).write(to: URL(fileURLWithPath: keyFile)) }
        let imported = try server.run("import", export)
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("2 orders"), "\(imported.out)")

        for args in [["order", "list", "--status", "all", "--as-of", "2026-11-22 09:00"], ["order", "show", "ZP-1", "--as-of", "2026-11-22 09:00"], ["user", "list"],
                     ["alerts", "--as-of", "2026-11-28"]] {
            // Moved as they were: even the times of writing are the file's.
            let a = Self.text(try file.jsonValue(args)), b = Self.text(try server.jsonValue(args))
            #expect(a == b, "\(args.joined(separator: " ")):\n--- file\n\(a)\n--- server\n\(b)")
        }
        let verifiedFile = try file.run("audit", "verify"), verifiedServer = try server.run("audit", "verify")
        #expect(verifiedFile.status == 0, "\(verifiedFile.err)")
        #expect(verifiedServer.status == 0, "\(verifiedServer.out)\(verifiedServer.err)")

        // The server's trail: every entry of the file's, as it was (same times, accounts, details, hashes), then the import.
        let serverEntries = try server.jsonArray("audit", "log")
        let actions = serverEntries.map { $0["action"] as? String ?? "?" }
        guard let importAt = actions.firstIndex(of: "import") else {
            Issue.record("no import entry on the server: \(actions)")
            return
        }
        let moved = Array(serverEntries[..<importAt])
        let original = Array(fileEntries.prefix(moved.count))
        #expect(moved.count >= fileEntries.count - 1, "file: \(fileEntries.map { $0["action"] ?? "" }), server: \(actions)")
        #expect(Self.text(moved) == Self.text(original), "file:\n\(Self.text(original))\nserver:\n\(Self.text(moved))")
        #expect(actions.filter { $0 == "import" }.count == 1, "\(actions)")
    }

    @Test("init without a terminal keeps its passphrase in <db>.key, mode 0600, and reuses one left there")
    func keyFile() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let made = try cli.run("init", "--time-zone", "UTC")
        #expect(made.status == 0)
        #expect(made.out.contains(cli.db + ".key"))
        let mode = try FileManager.default.attributesOfItem(atPath: cli.db + ".key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.db + suffix) }
        #expect(try cli.run("init", "--time-zone", "UTC").status == 0)
        #expect(try cli.run("order", "add", "--number", "ZP-1", "--issued", "2026-11-01 10:00", "--survivor", "Dana Abenova",
                            "--survivor-phone", "+7 700 1", "--respondent", "B").status == 0)
        #expect(try cli.run("order", "show", "ZP-1").out.contains("+7 700 1"))
    }

    @Test("init on a server without a key file or a terminal is refused and installs nothing; no <db>.key")
    func serverPassphrase() throws {
        let cli = try CLI(.postgres)
        let before = try cli.state()
        let made = try cli.run(["init", "--time-zone", "UTC"], environment: ["QORGAU_KEY_FILE": ""])
        #expect(made.status == 1, "\(made.out)\(made.err)")
        #expect(made.err.contains("--key-file"), "\(made.err)")
        #expect(try cli.state() == before)
        let installed = try cli.run("init", "--time-zone", "UTC")
        #expect(installed.status == 0, "\(installed.err)")
        #expect(!installed.out.contains(".key"), "\(installed.out)")
        #expect(try cli.run("order", "add", "--number", "ZP-1", "--issued", "2026-11-01 10:00", "--survivor", "Dana Abenova",
                            "--survivor-phone", "+7 700 1", "--respondent", "B").status == 0)
        #expect(try cli.run("order", "show", "ZP-1").out.contains("+7 700 1"))
    }

    @Test("init --demo fills a file with every kind of alert")
    func demo() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run("init", "--demo", "--time-zone", "Asia/Almaty").status == 0)
        let alerts = try cli.json("alerts")["alerts"] as? [[String: Any]] ?? []
        #expect(Set(alerts.compactMap { $0["kind"] as? String })
                == ["breach-open", "check-overdue", "unserved", "check-due", "expiring"])
        let list = try cli.run("order", "list", "--status", "all", "--format", "csv")
        #expect(list.out.split(separator: "\r\n").count > 250)
    }
}
