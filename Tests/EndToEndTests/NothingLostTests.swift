import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Starts the built binary without waiting for it.
func launch(_ args: [String]) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["QORGAU_DB"] = nil
    env["QORGAU_KEY_FILE"] = nil
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return (process, out)
}

/// `sqlite3 FILE SQL`, for what a person would check by hand.
func sqlite(_ file: String, _ sql: String) -> String {
    Accounts.run(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", file, sql]).out.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A file with one order served 20 days ago, for writing checks into.
func servedOrderFile() throws -> (CLI, Date) {
    let cli = try CLI()
    let served = Date().addingTimeInterval(-20 * 86_400)
    #expect(try cli.run("init", "--time-zone", "UTC").status == 0)
    #expect(try cli.run("order", "add", "--number", "ZP-1", "--issued", iso(served.addingTimeInterval(-3600)),
                        "--served", iso(served), "--survivor", "A B", "--respondent", "C D").status == 0)
    return (cli, served)
}

func iso(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.string(from: date)
}

@Suite("Nothing lost", .serialized)
struct NothingLostTests {
    @Test("kill -9 at random moments: the file stays whole and every check reported saved is there")
    func killLoop() throws {
        let (cli, served) = try servedOrderFile()
        var generator = SystemRandomNumberGenerator()
        var reported: [String] = []
        var killed = 0
        // Kill anywhere in a writer's life: from its start to a little past how long one takes here.
        let started = Date()
        #expect(try cli.run("check", "add", "ZP-1", "--at", iso(served.addingTimeInterval(1800)), "--officer", "A",
                            "--outcome", "compliant", "--note", "first").status == 0)
        let life = UInt32(min(max(Date().timeIntervalSince(started) * 1.3, 0.005), 1) * 1_000_000)
        for i in 0..<200 {
            let note = "k\(i)"
            let (process, out) = try launch(["check", "add", "ZP-1", "--at", iso(served.addingTimeInterval(Double(3600 + i * 60))),
                                             "--officer", "A", "--outcome", "compliant", "--note", note, "--db", cli.db])
            usleep(UInt32.random(in: 0...life, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            // The program said it recorded the check only after the commit returned.
            if process.terminationReason == .exit && process.terminationStatus == 0 && said.contains("recorded check") {
                reported.append(note)
            }
        }
        #expect(killed > 20, "the loop should kill many writers mid-way (killed \(killed))")
        #expect(sqlite(cli.db, "PRAGMA integrity_check") == "ok")
        let notes = Set(sqlite(cli.db, "SELECT note FROM checks").split(separator: "\n").map(String.init))
        let lost = reported.filter { !notes.contains($0) }
        #expect(lost.isEmpty, "reported saved but missing: \(lost)")
        #expect(try cli.run("audit", "verify").status == 0)
    }

    @Test("four writers at once: no 'database is locked', no lost write")
    func concurrentWriters() throws {
        let (cli, served) = try servedOrderFile()
        var writers: [Process] = []
        for w in 0..<4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let commands = (0..<25).map { i in
                "\(CLI.binary.path) check add ZP-1 --db \(cli.db) --officer W\(w) --outcome compliant --note w\(w)-\(i) "
                    + "--at \(iso(served.addingTimeInterval(Double(3600 + (w * 25 + i) * 60)))) || echo FAILED"
            }
            process.arguments = ["-c", commands.joined(separator: "\n")]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            writers.append(process)
            _ = out
        }
        for writer in writers { writer.waitUntilExit() }
        #expect(writers.allSatisfy { $0.terminationStatus == 0 })
        #expect(sqlite(cli.db, "SELECT count(*) FROM checks") == "100")
        #expect(sqlite(cli.db, "SELECT count(DISTINCT note) FROM checks") == "100")
        #expect(try cli.run("audit", "verify").status == 0)
    }

    @Test("a file from a newer Qorgau is refused, and left exactly as it was")
    func newerVersion() throws {
        let (cli, _) = try servedOrderFile()
        _ = sqlite(cli.db, "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')")
        let before = try cli.bytes()
        let result = try cli.run("alerts")
        #expect(result.status == 1)
        #expect(result.err.contains("newer version of Qorgau"))
        #expect(try cli.bytes() == before)
    }

    @Test("a truncated file or one that is not SQLite: a clear message, exit 1, the bytes untouched",
          arguments: ["truncated", "garbage", "empty"])
    func damaged(_ kind: String) throws {
        let (cli, _) = try servedOrderFile()
        let whole = try cli.bytes()
        let damaged: Data = switch kind {
        case "truncated": whole.prefix(whole.count / 3)
        case "garbage": Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        default: Data()
        }
        try damaged.write(to: URL(fileURLWithPath: cli.db))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.db + suffix) }
        let result = try cli.run("check", "add", "ZP-1", "--at", "2026-11-20 10:00", "--officer", "A", "--outcome", "compliant")
        #expect(result.status == 1)
        #expect(result.err.hasPrefix("qorgau: "))
        #expect(result.err.contains("damaged") || result.err.contains("not a Qorgau database"), "\(result.err)")
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(try cli.bytes() == damaged)
    }

    @Test("a full disk: the write is refused with a clear message, nothing half-written, the file still whole")
    func fullDisk() throws {
        let (cli, served) = try servedOrderFile()
        _ = sqlite(cli.db, "PRAGMA wal_checkpoint(TRUNCATE)")
        // No file may grow past 32 KiB: the shared-memory file fits, the WAL cannot take the commit.
        let command = "trap '' XFSZ; ulimit -f 64; exec \(CLI.binary.path) check add ZP-1 --db \(cli.db) "
            + "--at \(iso(served.addingTimeInterval(7200))) --officer A --outcome compliant"
        let result = Accounts.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command])
        #expect(result.status == 1)
        #expect(result.err.contains("disk"), "\(result.err)")
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(!result.err.contains("Fatal") && !result.err.contains("backtrace"))
        #expect(sqlite(cli.db, "PRAGMA integrity_check") == "ok")
        #expect(sqlite(cli.db, "SELECT count(*) FROM checks") == "0")
        // With room again, the same write goes through.
        #expect(try cli.run("check", "add", "ZP-1", "--at", iso(served.addingTimeInterval(7200)), "--officer", "A",
                            "--outcome", "compliant").status == 0)
    }

    @Test("a backup taken while others write restores, checked, with every record; export and import round-trip")
    func backupRestoreExportImport() throws {
        let cli = try CLI()
        #expect(try cli.run("init", "--demo", "--time-zone", "Asia/Almaty").status == 0)
        let folder = (cli.db as NSString).deletingLastPathComponent
        let copy = folder + "/backup-\(UUID().uuidString).sqlite"
        #expect(try cli.run("backup", copy).status == 0)
        #expect(try cli.run("backup", copy).status == 1)
        #expect(sqlite(copy, "PRAGMA integrity_check") == "ok")
        let orders = sqlite(cli.db, "SELECT count(*) FROM orders")
        // Restore refuses to overwrite without --force, then keeps the old file beside.
        let refused = try cli.run("restore", copy)
        #expect(refused.status == 1)
        #expect(refused.err.contains("--force"))
        #expect(try cli.run("restore", copy, "--force").status == 0)
        #expect(sqlite(cli.db, "SELECT count(*) FROM orders") == orders)
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix((cli.db as NSString).lastPathComponent + ".before-restore-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        #expect(kept.count == 1)
        // A damaged copy is refused before anything moves.
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: copy + ".bad"))
        #expect(try cli.run("restore", copy + ".bad", "--force").status == 1)
        #expect(sqlite(cli.db, "SELECT count(*) FROM orders") == orders)

        let exported = folder + "/export-\(UUID().uuidString).json"
        #expect(try cli.run("export", "--output", exported).status == 0)
        let imported = folder + "/imported-\(UUID().uuidString).sqlite"
        #expect(try cli.run(["import", exported], db: imported).status == 0)
        for table in ["orders", "checks", "breaches", "users", "corrections"] {
            let columns = "*"
            #expect(sqlite(imported, "SELECT \(columns) FROM \(table) ORDER BY rowid") == sqlite(cli.db, "SELECT \(columns) FROM \(table) ORDER BY rowid"),
                    "\(table)")
        }
        let original = sqlite(cli.db, "SELECT id, hash FROM history ORDER BY id")
        #expect(sqlite(imported, "SELECT id, hash FROM history ORDER BY id").hasPrefix(original))
        #expect(try cli.run(["audit", "verify"], db: imported).status == 0)
    }
}
