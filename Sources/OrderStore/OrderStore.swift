import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import OrderModel
import Scheduler

/// The one SQLite file: orders, checks, breaches, users and the audit trail. The only module that
/// touches the disk. A store value is one person's session: every read and write is theirs.
public final class OrderStore: Sendable {
    let writer: any DatabaseWriter
    public let path: String
    public let timeZone: TimeZone
    public let rules: RuleSet
    public let scheduler: Scheduler
    /// The person this session acts for.
    public let user: User
    let vault: Vault

    private init(writer: any DatabaseWriter, path: String, user: User, vault: Vault? = nil) throws {
        self.writer = writer
        self.path = path
        let meta = try writer.read { db in
            var meta: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
                meta[row["key"] ?? ""] = row["value"]
            }
            return meta
        }
        guard let zoneName = meta["timeZone"], let zone = TimeZone(identifier: zoneName) else {
            throw StoreError.damaged(path: path, reason: "no valid time zone")
        }
        guard let rulesJSON = meta["rules"], let rules = try? RuleSet.decode(Data(rulesJSON.utf8)) else {
            throw StoreError.damaged(path: path, reason: "no valid rule set")
        }
        guard let vaultJSON = meta["vault"], let record = try? JSONDecoder().decode(Vault.Record.self, from: Data(vaultJSON.utf8)),
              let locked = try? Vault(record: record) else {
            throw StoreError.damaged(path: path, reason: "no valid key record")
        }
        timeZone = zone
        self.rules = rules
        scheduler = Scheduler(rules: rules, timeZone: zone)
        self.user = user
        self.vault = vault ?? locked
    }

    /// True when survivor data can be opened in this session.
    public var isUnlocked: Bool { vault.isUnlocked }

    /// This session with survivor data unlocked; a wrong passphrase is refused.
    public func unlocked(passphrase: String) throws -> OrderStore {
        try OrderStore(writer: writer, path: path, user: user, vault: vault.unlocked(passphrase: passphrase))
    }

    /// This session with survivor data locked again (the screens' idle lock).
    public func locked() throws -> OrderStore {
        try OrderStore(writer: writer, path: path, user: user, vault: Vault(record: vault.record))
    }

    /// Another person's session on the same file (tests, and a supervisor's checks).
    public func session(for account: String, now: Date) throws -> OrderStore {
        try OrderStore(writer: writer, path: path, user: Self.admit(writer, account: account, now: now))
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        // Another terminal may be writing: wait for it rather than fail.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // A check-in that was reported saved survives a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return config
    }

    /// Creates a new file at `path` with the time zone, the rule set and a key pair wrapped under
    /// `passphrase`; `account` becomes its first supervisor. The file is mode 0600 in a 0700 folder,
    /// or 0660 in a 0770 folder owned by `group` when several accounts share it.
    /// Refuses when anything exists at `path`.
    public static func create(at path: String, timeZone: TimeZone, rules: RuleSet, account: String, passphrase: String,
                              group: String? = nil, now: Date) throws -> OrderStore {
        let url = URL(fileURLWithPath: path)
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
        var gid: gid_t?
        if let group {
            guard let entry = getgrnam(group) else { throw StoreError.unknownGroup(group) }
            gid = entry.pointee.gr_gid
        }
        let folder = url.deletingLastPathComponent().path
        if !fm.fileExists(atPath: folder) {
            do {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                       attributes: [.posixPermissions: gid == nil ? 0o700 : 0o770])
                if let gid { chown(folder, uid_t.max, gid) }
            } catch {
                throw StoreError.cannotCreate(path: path, reason: "its folder cannot be made")
            }
        }
        // O_EXCL: never take over a file another process made meanwhile.
        let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY, gid == nil ? 0o600 : 0o660)
        guard fd >= 0 else { throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        if let gid {
            fchown(fd, uid_t.max, gid)
            fchmod(fd, 0o660)
        }
        Glibc.close(fd)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration())
            // WAL is a property of the file: readers never block the writer, and a commit
            // is one append. Set once here; every later open finds it.
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            let vault = try Vault.create(passphrase: passphrase)
            try initialize(queue, timeZone: timeZone, rules: rules, vault: vault, account: account, now: now)
            return try OrderStore(writer: queue, path: path, user: User(login: account, role: .supervisor), vault: vault)
        } catch {
            // The file is ours and holds nothing yet: leave no half-made database behind.
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
            throw error
        }
    }

    private static func initialize(_ writer: any DatabaseWriter, timeZone: TimeZone, rules: RuleSet, vault: Vault,
                                   account: String, now: Date) throws {
        try Schema.migrator.migrate(writer)
        let rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        let vaultJSON = String(decoding: try JSONEncoder().encode(vault.record), as: UTF8.self)
        try writer.write { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('timeZone', ?), ('rules', ?), ('vault', ?), ('created', ?)",
                           arguments: [timeZone.identifier, rulesJSON, vaultJSON, InstantFormat(timeZone: timeZone).iso(now)])
            try User.insert(db, User(login: account, role: .supervisor), by: account, now: now)
            try History.append(db, account: account, now: now, action: "init", entity: "database", entityID: nil,
                               detail: ["timeZone": timeZone.identifier, "rules": rules.id + " " + rules.revision,
                                        "supervisor": account])
        }
    }

    /// Opens an existing file for `account`. Never creates a file, never writes to one it only
    /// reads, and refuses an account that is not an enabled user before anything is shown.
    public static func open(at path: String, account: String, now: Date) throws -> OrderStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "permission denied")
        }
        // A queue, not a pool: a pool makes sure of its WAL file by writing to the
        // database, and opening a file to read it must leave it byte for byte as it was.
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration())
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notQorgau(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            throw StoreError.damaged(path: path, reason: "SQLite finds it malformed")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Self.describe(error))
        }
        do {
            let (appID, superseded, complete) = try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Schema.migrator.hasBeenSuperseded(db),
                 try Schema.migrator.hasCompletedMigrations(db))
            }
            guard appID == Schema.applicationID else { throw StoreError.notQorgau(path: path) }
            if superseded { throw StoreError.newerVersion(path: path) }
            if !complete { try Schema.migrator.migrate(queue) }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            throw StoreError.damaged(path: path, reason: "SQLite finds it malformed")
        } catch {
            throw StoreError.notQorgau(path: path)
        }
        return try OrderStore(writer: queue, path: path, user: admit(queue, account: account, now: now))
    }

    /// The enabled user behind `account`; an unknown or disabled account is refused, and the
    /// refusal is the one thing written.
    private static func admit(_ writer: any DatabaseWriter, account: String, now: Date) throws -> User {
        let found = try writer.read { db in try User.fetch(db, login: account) }
        if let found, !found.disabled { return found }
        try? writer.write { db in
            try History.append(db, account: account, now: now, action: "refused", entity: "access", entityID: nil,
                               detail: ["reason": found == nil ? "not a user" : "disabled"])
        }
        throw found == nil ? StoreError.notAUser(account: account) : StoreError.disabledUser(account: account)
    }

    /// A store in memory, for tests: `account` is its first supervisor and "test" its passphrase, unlocked.
    public static func inMemory(timeZone: TimeZone, rules: RuleSet, account: String = "test",
                                now: Date = Date(timeIntervalSince1970: 0)) throws -> OrderStore {
        let queue = try DatabaseQueue(configuration: configuration())
        let vault = try Vault.create(passphrase: "test")
        try initialize(queue, timeZone: timeZone, rules: rules, vault: vault, account: account, now: now)
        return try OrderStore(writer: queue, path: ":memory:", user: User(login: account, role: .supervisor), vault: vault)
    }

    /// Changes the passphrase: the one key is re-wrapped, no record is touched (supervisors only).
    public func rekey(newPassphrase: String, now: Date) throws {
        guard let key = vault.privateKey else { throw StoreError.locked }
        let record = try Vault.wrap(key, passphrase: newPassphrase)
        let json = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        try guarded(.rekey, now: now) { db in
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'vault'", arguments: [json])
            try History.append(db, account: user.login, now: now, action: "rekey", entity: "database", entityID: nil, detail: [:])
        }
    }

    /// Walks the audit chain.
    public func verifyAudit() throws -> AuditFinding {
        try writer.read { db in try History.verify(db) }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
        return "\(error)"
    }
}
