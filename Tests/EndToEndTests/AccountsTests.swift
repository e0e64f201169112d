import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Real operating-system accounts sharing one file through a group: a person is their account,
/// so roles can only be tried by switching accounts (`runuser`, which needs root: CI runs as root).
struct Accounts {
    static let group = "qorgau-e2e"
    static let liaison = "qe2e-liaison", staff = "qe2e-staff", stranger = "qe2e-stranger"
    let folder: String
    var db: String { folder + "/q.sqlite" }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-acct-\(UUID().uuidString)").path
        _ = Accounts.shell("groupadd", "-f", Accounts.group)
        for login in [Accounts.liaison, Accounts.staff, Accounts.stranger] {
            _ = Accounts.shell("useradd", "-M", "-N", "-G", Accounts.group, "-s", "/bin/sh", login)
        }
        // Every account must reach the binary and the folder.
        chmod(FileManager.default.temporaryDirectory.path, 0o1777)
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

    /// `qorgau ARGS --db DB` as `login` (nil: as root, the supervisor who made the file).
    @discardableResult
    func qorgau(_ login: String?, _ args: String...) -> (status: Int32, out: String, err: String) {
        let binary = CLI.binary.path
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
}

@Suite("Roles through the command line, as real accounts", .serialized, .enabled(if: geteuid() == 0, "needs root to make accounts"))
struct AccountsTests {
    @Test("a liaison, a staff member, a stranger and a supervisor on one file")
    func roles() throws {
        let a = try Accounts()
        try FileManager.default.createDirectory(atPath: a.folder, withIntermediateDirectories: true)
        let rootKey = try a.keyFile(for: "root", passphrase: "correct horse battery")
        #expect(a.qorgau(nil, "init", "--time-zone", "Asia/Almaty", "--group", Accounts.group, "--key-file", rootKey).status == 0)
        chmod(a.folder, 0o770)
        if let group = getgrnam(Accounts.group) { chown(a.folder, uid_t.max, group.pointee.gr_gid) }
        #expect(a.qorgau(nil, "user", "add", Accounts.liaison, "--role", "liaison", "--district", "Медеуский").status == 0)
        #expect(a.qorgau(nil, "user", "add", Accounts.staff, "--role", "staff").status == 0)
        #expect(a.qorgau(nil, "order", "add", "--number", "ZP-1", "--issued", "2026-11-01 10:00", "--served", "2026-11-01 15:00",
                         "--survivor", "Жанар Төлеуова", "--survivor-phone", "+7 777 123 4567",
                         "--survivor-contact", "Shelter Umit", "--respondent", "=cmd|' /C calc'!A0").status == 0)

        // The liaison records a check, may not revoke, and never sees the survivor's contact details.
        let check = a.qorgau(Accounts.liaison, "check", "add", "ZP-1", "--at", "2026-11-05 10:00", "--officer", "Омаров Р.",
                             "--outcome", "compliant")
        #expect(check.status == 0, "\(check.err)")
        let revoke = a.qorgau(Accounts.liaison, "order", "revoke", "ZP-1", "--at", "2026-11-06 10:00", "--reason", "x")
        #expect(revoke.status == 1)
        #expect(revoke.err.contains("may not revoke orders"))
        let seen = a.qorgau(Accounts.liaison, "order", "show", "ZP-1", "--format", "json")
        #expect(seen.status == 0)
        #expect(seen.out.contains("[hidden]"))
        #expect(!seen.out.contains("+7 777") && !seen.out.contains("Shelter") && !seen.out.contains("Жанар"))
        #expect(a.qorgau(Accounts.liaison, "user", "add", "x", "--role", "supervisor").status == 1)

        // Staff see the survivor's details with their passphrase, and may not record checks.
        let staffKey = try a.keyFile(for: Accounts.staff, passphrase: "correct horse battery")
        let shown = a.qorgau(Accounts.staff, "order", "show", "ZP-1", "--key-file", staffKey)
        #expect(shown.status == 0, "\(shown.err)")
        #expect(shown.out.contains("+7 777 123 4567"))
        #expect(a.qorgau(Accounts.staff, "check", "add", "ZP-1", "--at", "2026-11-06 10:00", "--officer", "A",
                         "--outcome", "compliant").status == 1)

        // A stranger is refused before anything is shown.
        let stranger = a.qorgau(Accounts.stranger, "alerts")
        #expect(stranger.status == 1)
        #expect(stranger.out.isEmpty)
        #expect(stranger.err.contains("not a Qorgau user"))

        // CSV neutralises a formula; the trail is intact and shows every refusal and opening.
        let csv = a.qorgau(nil, "order", "list", "--format", "csv")
        #expect(csv.out.contains("'=cmd|' /C calc'!A0"))
        let log = a.qorgau(nil, "audit", "log", "--format", "csv").out
        for line in ["\(Accounts.liaison),refused", "\(Accounts.stranger),refused", "\(Accounts.staff),survivor.view"] {
            #expect(log.contains(line), "\(line)")
        }
        #expect(a.qorgau(nil, "audit", "verify").status == 0)
        #expect(a.qorgau(Accounts.liaison, "audit", "log").status == 1)
    }

    @Test("a read-only file: reading works, a write is refused clearly, the bytes stay as they were")
    func readOnly() throws {
        let a = try Accounts()
        try FileManager.default.createDirectory(atPath: a.folder, withIntermediateDirectories: true)
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
}
