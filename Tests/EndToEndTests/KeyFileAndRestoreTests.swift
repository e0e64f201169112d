import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Files and folders (issue 12, item 8): loose key files are refused with the reason, `init` says on stderr
/// when it leaves a passphrase beside the database, and `restore` keeps the replaced file's owner, group and mode.
@Suite("Key files and restored files")
struct KeyFileAndRestoreTests {
    static let survivor = "Жанар Төлеуова"

    /// A database holding one order with a survivor, and the path of its (good) key file.
    static func database(_ backend: Backend) throws -> (CLI, key: String) {
        let cli = try SurvivorInputTests.database(backend)
        let file = try SurvivorInputTests.file("name: \(survivor)\nphone: +7 777 123 4567\n")
        defer { SurvivorInputTests.remove(file) }
        let added = try cli.run(SurvivorInputTests.add + ["--survivor-from", file])
        #expect(added.status == 0, "\(backend): \(added.err)")
        return (cli, cli.keyFile ?? cli.db + ".key")
    }

    /// Ways a key file is refused: what is done to a copy of a good one, and words the refusal must hold.
    enum Loose: String, CaseIterable {
        case symlink, groupReadable, worldReadable, otherOwner

        var expected: [String] {
            switch self {
            case .symlink: ["is a symbolic link", "whoever can change the link"]
            case .groupReadable: ["can be read by its group", "mode 0640", "chmod 600"]
            case .worldReadable: ["can be read by every account", "mode 0604", "chmod 600"]
            case .otherOwner: ["belongs to the account nobody", "not to \(CLI.account)"]
            }
        }

        /// Makes `path` this kind of loose key file holding `passphrase` (a symbolic link to a good file beside it).
        func make(_ path: String, passphrase: Data) throws {
            switch self {
            case .symlink:
                try passphrase.write(to: URL(fileURLWithPath: path + ".real"))
                chmod(path + ".real", 0o600)
                #expect(Glibc.symlink(path + ".real", path) == 0)
            case .groupReadable, .worldReadable, .otherOwner:
                try passphrase.write(to: URL(fileURLWithPath: path))
                chmod(path, self == .groupReadable ? 0o640 : self == .worldReadable ? 0o604 : 0o600)
                if self == .otherOwner, let nobody = getpwnam("nobody") {
                    #expect(chown(path, nobody.pointee.pw_uid, nobody.pointee.pw_gid) == 0)
                }
            }
        }
    }

    static func refused(_ result: (status: Int32, out: String, err: String), _ loose: Loose, _ what: String) {
        #expect(result.status == 1, "\(what): \(result.err)")
        #expect(result.err.hasPrefix("qorgau: ") && result.err.split(separator: "\n").count == 1, "\(what): \(result.err)")
        for words in loose.expected { #expect(result.err.contains(words), "\(what): \(result.err)") }
        #expect(!result.out.contains(survivor) && !result.err.contains(survivor), "\(what): \(result.out)")
    }

    @Test("a loose key file given with --key-file or QORGAU_KEY_FILE is refused, saying why",
          .enabled(if: geteuid() == 0, "gives a file to another account"), arguments: Backend.allCases, Loose.allCases)
    func looseKeyFile(_ backend: Backend, _ loose: Loose) throws {
        let (cli, key) = try Self.database(backend)
        defer { cli.remove() }
        let folder = try SurvivorInputTests.file("", name: "placeholder")
        defer { SurvivorInputTests.remove(folder) }
        let bad = (folder as NSString).deletingLastPathComponent + "/loose.key"
        try loose.make(bad, passphrase: Data(contentsOf: URL(fileURLWithPath: key)))
        Self.refused(try cli.run(["order", "show", "ZP-1", "--key-file", bad]), loose, "\(backend) \(loose) --key-file")
        Self.refused(try cli.run(["order", "show", "ZP-1"], environment: ["QORGAU_KEY_FILE": bad]), loose,
                     "\(backend) \(loose) QORGAU_KEY_FILE")
        // The good one still opens the survivor's details.
        let good = try cli.run(["order", "show", "ZP-1", "--key-file", key])
        #expect(good.status == 0 && good.out.contains(Self.survivor), "\(backend): \(good.err)")
    }

    @Test("a loose <db>.key is refused, saying why", .enabled(if: geteuid() == 0, "gives a file to another account"),
          arguments: Loose.allCases)
    func looseBeside(_ loose: Loose) throws {
        let (cli, key) = try Self.database(.sqlite)
        defer { cli.remove() }
        let passphrase = try Data(contentsOf: URL(fileURLWithPath: key))
        try FileManager.default.removeItem(atPath: key)
        try loose.make(key, passphrase: passphrase)
        defer { try? FileManager.default.removeItem(atPath: key + ".real") }
        Self.refused(try cli.run("order", "show", "ZP-1"), loose, "\(loose) <db>.key")
    }

    @Test("init refuses a loose key file and makes nothing", .enabled(if: geteuid() == 0, "gives a file to another account"),
          arguments: Backend.allCases, Loose.allCases)
    func looseAtInit(_ backend: Backend, _ loose: Loose) throws {
        let cli = try CLI(backend)
        defer { cli.remove() }
        let folder = try SurvivorInputTests.file("", name: "placeholder")
        defer { SurvivorInputTests.remove(folder) }
        let bad = (folder as NSString).deletingLastPathComponent + "/loose.key"
        try loose.make(bad, passphrase: Data("correct horse battery\n".utf8))
        let before = try backend == .sqlite ? Data() : cli.state()
        Self.refused(try cli.run(["init", "--time-zone", "UTC", "--key-file", bad]), loose, "\(backend) \(loose) init")
        if backend == .sqlite {
            #expect(!FileManager.default.fileExists(atPath: cli.db) && !FileManager.default.fileExists(atPath: cli.db + ".key"))
        } else {
            #expect(try cli.state() == before)
        }
    }

    @Test("init without a terminal or a key file says on stderr that it wrote <db>.key, and that the key belongs apart")
    func initSaysWhereTheKeyIs() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let made = try cli.run("init", "--time-zone", "UTC")
        #expect(made.status == 0, "\(made.err)")
        #expect(made.err.hasPrefix("qorgau: ") && made.err.split(separator: "\n").count == 1, "\(made.err)")
        for words in [cli.db + ".key", "random passphrase", "apart from the database and its backups", "--key-file"] {
            #expect(made.err.contains(words), "\(made.err)")
        }
        // With a key file of its own, nothing to say.
        let other = try CLI()
        defer { other.remove() }
        let key = try SurvivorInputTests.file("correct horse battery\n", name: "my.key")
        defer { SurvivorInputTests.remove(key) }
        let quiet = try other.run("init", "--time-zone", "UTC", "--key-file", key)
        #expect(quiet.status == 0 && quiet.err.isEmpty, "\(quiet.err)")
        #expect(!FileManager.default.fileExists(atPath: other.db + ".key"))
    }

    /// Owner, group and permission bits of `path`.
    static func attributes(_ path: String) -> (uid: uid_t, gid: gid_t, mode: mode_t)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (info.st_uid, info.st_gid, info.st_mode & 0o7777)
    }

    @Test("restore keeps the replaced file's owner, group and mode", .enabled(if: geteuid() == 0, "gives a file to another account"),
          arguments: [(0o640 as mode_t, "nobody", "users"), (0o600, "root", "staff"), (0o660, "nobody", "nogroup")])
    func restoreKeepsAttributes(_ mode: mode_t, _ owner: String, _ group: String) throws {
        let (cli, _) = try Self.database(.sqlite)
        defer { cli.remove() }
        let copy = cli.db + ".backup"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        #expect(try cli.run("backup", copy).status == 0)
        guard let user = getpwnam(owner), let team = getgrnam(group) else {
            Issue.record("no account \(owner) or group \(group)")
            return
        }
        let uid = user.pointee.pw_uid, gid = team.pointee.gr_gid
        #expect(chown(cli.db, uid, gid) == 0 && chmod(cli.db, mode) == 0)
        let restored = try cli.run("restore", copy, "--force")
        #expect(restored.status == 0, "\(restored.err)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: (cli.db as NSString).deletingLastPathComponent)
            .filter { $0.hasPrefix((cli.db as NSString).lastPathComponent + ".before-restore-") }
            .map { ((cli.db as NSString).deletingLastPathComponent as NSString).appendingPathComponent($0) }
        defer { for file in aside { try? FileManager.default.removeItem(atPath: file) } }
        #expect(aside.count == 1, "\(aside)")
        let got = Self.attributes(cli.db)
        #expect(got?.uid == uid && got?.gid == gid && got?.mode == mode,
                "restored: \(String(describing: got)), wanted \(owner):\(group) \(String(mode, radix: 8))")
        // The old file moved aside as it was; the restored one opens, and its audit trail holds the restore.
        let old = aside.first.flatMap(Self.attributes)
        #expect(old?.uid == uid && old?.gid == gid && old?.mode == mode)
        let verified = try cli.run("audit", "verify")
        #expect(verified.status == 0, "\(verified.err)")
        for suffix in ["-wal", "-shm"] {
            if let side = Self.attributes(cli.db + suffix) { #expect(side.uid == uid, "\(suffix): \(side)") }
        }
    }

    @Test("restore by an account that is not root: the group when it is one of the account's, else no group bits",
          .enabled(if: geteuid() == 0, "runs as another account"),
          arguments: [("nogroup", 0o660 as mode_t, 0o660 as mode_t), ("users", 0o640, 0o600)])
    func restoreAsAccount(_ group: String, _ mode: mode_t, _ expected: mode_t) throws {
        guard let user = getpwnam("nobody"), let team = getgrnam(group) else {
            Issue.record("no account nobody or group \(group)")
            return
        }
        let uid = user.pointee.pw_uid, gid = team.pointee.gr_gid
        // A folder of nobody's, where nobody makes a database, backs it up, and restores the copy over it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-restore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(chown(folder, uid, user.pointee.pw_gid) == 0 && chmod(folder, 0o700) == 0)
        let db = folder + "/records.sqlite"
        func asNobody(_ args: String...) -> (status: Int32, out: String, err: String) {
            Accounts.run(URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "nobody", "--", CLI.binary.path] + args + ["--db", db],
                         environment: ["HOME": folder, "LANG": "C.UTF-8"])
        }
        let made = asNobody("init", "--time-zone", "UTC")
        #expect(made.status == 0, "\(made.err)")
        #expect(asNobody("backup", folder + "/copy.sqlite").status == 0)
        #expect(chown(db, uid, gid) == 0 && chmod(db, mode) == 0)
        let restored = asNobody("restore", folder + "/copy.sqlite", "--force")
        #expect(restored.status == 0, "\(restored.err)")
        let got = Self.attributes(db)
        #expect(got?.uid == uid && got?.mode == expected, "\(String(describing: got))")
        if expected & 0o070 != 0 { #expect(got?.gid == gid, "\(String(describing: got))") }
    }

    @Test("restore to a new path makes a file of the restorer's, mode 0600")
    func restoreToNewPath() throws {
        let (cli, _) = try Self.database(.sqlite)
        defer { cli.remove() }
        let copy = cli.db + ".backup"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        #expect(try cli.run("backup", copy).status == 0)
        let target = cli.db + ".new"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) } }
        let restored = try cli.run(["restore", copy], db: target)
        #expect(restored.status == 0, "\(restored.err)")
        let got = Self.attributes(target)
        #expect(got?.uid == geteuid() && got?.mode == 0o600, "\(String(describing: got))")
    }
}
