import Foundation
import Testing

/// Runs the built `qorgau` as a person or a script would, and reads what it prints.
struct CLI {
    let db: String

    init() {
        db = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-e2e-\(UUID().uuidString).sqlite").path
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qorgau")
    }

    @discardableResult
    func run(_ args: String...) throws -> (status: Int32, out: String, err: String) {
        try run(args)
    }

    @discardableResult
    func run(_ args: [String], db: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = args + ["--db", db ?? self.db]
        var env = ProcessInfo.processInfo.environment
        env["QORGAU_DB"] = nil
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func json(_ args: String...) throws -> [String: Any] {
        let result = try run(args + ["--format", "json"])
        #expect(result.status == 0, "\(args): \(result.err)")
        return try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any] ?? [:]
    }

    func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: db)) }
}

@Suite("The command line")
struct CLITests {
    /// ZP-1 of RULES.md: served 01.11.2026 15:00, checks on 06.11 and 16.11.
    func workedExample() throws -> CLI {
        let cli = CLI()
        #expect(try cli.run("init", "--time-zone", "Asia/Almaty").status == 0)
        #expect(try cli.run("order", "add", "--number", "ZP-1", "--issued", "01.11.2026 10:00", "--served", "2026-11-01T15:00",
                            "--survivor", "Айгерим Нұрланқызы", "--respondent", "Нұрсұлтан Әбілқайыров",
                            "--district", "Медеуский", "--officer", "Ахметов Д.").status == 0)
        #expect(try cli.run("check", "add", "ZP-1", "--at", "2026-11-06 11:00", "--officer", "Ахметов Д.",
                            "--outcome", "compliant").status == 0)
        #expect(try cli.run("check", "add", "ZP-1", "--at", "2026-11-16 12:00", "--officer", "Ахметов Д.",
                            "--outcome", "compliant", "--method", "phone").status == 0)
        return cli
    }

    @Test("the worked example of RULES.md, day by day")
    func worked() throws {
        let cli = try workedExample()
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

    @Test("refused input: exit 1, one clear line, the file unchanged", arguments: refused.indices)
    func refusal(_ index: Int) throws {
        let (what, args) = Self.refused[index]
        let cli = try workedExample()
        let before = try cli.bytes()
        let result = try cli.run(args)
        #expect(result.status == 1, "\(what)")
        #expect(result.err.hasPrefix("qorgau: "), "\(what)")
        #expect(result.err.split(separator: "\n").count == 1, "\(what): \(result.err)")
        #expect(!result.err.contains("Айгерим"))
        #expect(try cli.bytes() == before, "\(what)")
    }

    @Test("usage errors exit 2", arguments: [
        ["alerts", "--as-of", "yesterday"], ["order", "add", "--number", "X"], ["check", "add", "ZP-1", "--at", "2026-11-05 10:00",
         "--officer", "A", "--outcome", "maybe"], ["violations", "--from", "2026-11-10", "--to", "2026-11-01"], ["frobnicate"],
    ])
    func usage(_ args: [String]) throws {
        let cli = try workedExample()
        #expect(try cli.run(args).status == 2)
    }

    @Test("commands refuse a missing file instead of creating one")
    func missingFile() throws {
        let cli = CLI()
        let result = try cli.run("alerts")
        #expect(result.status == 1)
        #expect(result.err.contains("qorgau init"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test("init without a terminal keeps its passphrase in <db>.key, mode 0600, and reuses one left there")
    func keyFile() throws {
        let cli = CLI()
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

    @Test("init --demo fills a file with every kind of alert")
    func demo() throws {
        let cli = CLI()
        #expect(try cli.run("init", "--demo", "--time-zone", "Asia/Almaty").status == 0)
        let alerts = try cli.json("alerts")["alerts"] as? [[String: Any]] ?? []
        #expect(Set(alerts.compactMap { $0["kind"] as? String })
                == ["breach-open", "check-overdue", "unserved", "check-due", "expiring"])
        let list = try cli.run("order", "list", "--status", "all", "--format", "csv")
        #expect(list.out.split(separator: "\r\n").count > 250)
    }
}
