import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import OrderModel
import OrderStore
import Scheduler

/// One SQLite file: orders, checks, breaches, users and the audit trail, for one person. The file is
/// its owner's (0600): the roles kept in it are a convenience there, not a security boundary; where
/// several people share records, use the PostgreSQL backend, where the server enforces them.
public final class SQLiteBackend: StoreBackend {
    package let writer: any DatabaseWriter
    public let location: String
    public let settings: StoreSettings
    public let user: User
    public var isShared: Bool { false }
    let scheduler: Scheduler

    private init(writer: any DatabaseWriter, path: String, user: User) throws {
        self.writer = writer
        location = path
        self.user = user
        let meta = try writer.read { db in
            var meta: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
                meta[row["key"] ?? ""] = row["value"]
            }
            return meta
        }
        guard let zoneName = meta["timeZone"], let zone = TimeZone(identifier: zoneName) else {
            throw StoreError.damaged(path: path, reason: .noTimeZone)
        }
        guard let rulesJSON = meta["rules"], let rules = try? RuleSet.decode(Data(rulesJSON.utf8)) else {
            throw StoreError.damaged(path: path, reason: .noRuleSet)
        }
        guard let vaultJSON = meta["vault"], let record = try? Vault.Record(json: vaultJSON) else {
            throw StoreError.damaged(path: path, reason: .noKeyRecord)
        }
        settings = StoreSettings(timeZone: zone, rules: rules, vault: record)
        scheduler = Scheduler(rules: rules, timeZone: zone)
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
    /// `passphrase`; `account` becomes its first supervisor. The file is mode 0600 in a 0700 folder.
    /// Refuses when anything exists at `path`. Returns the supervisor's session, unlocked.
    public static func create(at path: String, timeZone: TimeZone, rules: RuleSet, account: String, passphrase: String,
                              now: Date) throws -> OrderStore {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !fm.fileExists(atPath: folder) {
            do {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.folderCannotBeMade(path: path)
            }
        }
        try createPrivateFile(path)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration())
            // WAL is a property of the file: readers never block the writer, and a commit
            // is one append. Set once here; every later open finds it.
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            return try initialize(queue, path: path, timeZone: timeZone, rules: rules, passphrase: passphrase, account: account, now: now)
        } catch {
            // The file is ours and holds nothing yet: leave no half-made database behind.
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
            throw error
        }
    }

    private static func initialize(_ writer: any DatabaseWriter, path: String, timeZone: TimeZone, rules: RuleSet,
                                   passphrase: String, account: String, now: Date) throws -> OrderStore {
        try Schema.migrator.migrate(writer)
        let vault = try Vault.create(passphrase: passphrase)
        let rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        let vaultJSON = try vault.record.json
        try writer.write { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('timeZone', ?), ('rules', ?), ('vault', ?), ('created', ?)",
                           arguments: [timeZone.identifier, rulesJSON, vaultJSON, InstantFormat(timeZone: timeZone).iso(now)])
            try Users.insert(db, User(login: account, role: .supervisor), by: account, now: now)
            try History.append(db, account: account, now: now, action: "init", entity: "database", entityID: nil,
                               detail: ["timeZone": timeZone.identifier, "rules": rules.id + " " + rules.revision,
                                        "supervisor": account])
        }
        let backend = try SQLiteBackend(writer: writer, path: path, user: User(login: account, role: .supervisor))
        return OrderStore(backend: backend, vault: vault)
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
            throw StoreError.damaged(path: path, reason: .malformed)
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
            throw StoreError.damaged(path: path, reason: .malformed)
        } catch {
            throw StoreError.notQorgau(path: path)
        }
        return try OrderStore(backend: SQLiteBackend(writer: queue, path: path, user: admit(queue, account: account, now: now)))
    }

    /// The enabled user behind `account`; an unknown or disabled account is refused, and the
    /// refusal is the one thing written.
    private static func admit(_ writer: any DatabaseWriter, account: String, now: Date) throws -> User {
        let found = try writer.read { db in try Users.fetch(db, login: account) }
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
        try initialize(try DatabaseQueue(configuration: configuration()), path: ":memory:", timeZone: timeZone, rules: rules,
                       passphrase: "test", account: account, now: now)
    }

    /// Another person's session on the same file (tests, and a supervisor's checks).
    public func session(for account: String, now: Date) throws -> OrderStore {
        try OrderStore(backend: SQLiteBackend(writer: writer, path: location, user: Self.admit(writer, account: account, now: now)))
    }

    /// Runs `body` in one write transaction when this person may do `permission` (checked again
    /// inside the transaction, so a user disabled meanwhile is stopped).
    public func write<T>(_ permission: Permission, now: Date, _ body: (any StoreTransaction) throws -> T) throws -> T {
        try writer.write { db in
            guard let current = try Users.fetch(db, login: user.login), !current.disabled else {
                throw StoreError.disabledUser(account: user.login)
            }
            guard current.role.may(permission) else {
                throw StoreError.notAllowed(account: user.login, role: current.role, action: permission)
            }
            return try body(SQLiteTransaction(db: db, backend: self, now: now))
        }
    }

    public func recordRefusal(_ permission: Permission, now: Date) {
        try? writer.write { db in
            try History.append(db, account: user.login, now: now, action: "refused", entity: "permission", entityID: nil,
                               detail: ["wanted": permission.rawValue])
        }
    }

    public func recordEvent(_ event: AuditEvent, now: Date) throws {
        try writer.write { db in
            switch event {
            case let .survivorViewed(id, number):
                try History.append(db, account: user.login, now: now, action: "survivor.view", entity: "order", entityID: id,
                                   detail: ["number": number])
            case .survivorSearched(let matched):
                try History.append(db, account: user.login, now: now, action: "survivor.search", entity: "database", entityID: nil,
                                   detail: ["matched": String(matched)])
            case .survivorNamesOpened(let count):
                try History.append(db, account: user.login, now: now, action: "survivor.names", entity: "database", entityID: nil,
                                   detail: ["opened": String(count)])
            case .exported(let to):
                try History.append(db, account: user.login, now: now, action: "export", entity: "database", entityID: nil,
                                   detail: to.map { ["to": $0] } ?? [:])
            case .exportFailed:
                try History.append(db, account: user.login, now: now, action: "export", entity: "database", entityID: nil,
                                   detail: ["result": "failed"])
            case .backedUp(let to):
                try History.append(db, account: user.login, now: now, action: "backup", entity: "database", entityID: nil,
                                   detail: ["to": to])
            }
        }
    }

    public func currentKeyRecord() throws -> Vault.Record {
        try writer.read { db in try Self.keyRecord(db, path: location) }
    }

    /// The key record in `meta`, or the file is damaged.
    static func keyRecord(_ db: Database, path: String) throws -> Vault.Record {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'vault'"),
              let record = try? Vault.Record(json: json) else {
            throw StoreError.damaged(path: path, reason: .noKeyRecord)
        }
        return record
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
        return "\(error)"
    }

    /// A new, empty file readable by its owner only; never one that exists (O_EXCL: never take over
    /// a file another process made meanwhile).
    static func createPrivateFile(_ path: String) throws {
        let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw StoreError.alreadyExists(path: path) }
            throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        Glibc.close(fd)
    }
}

extension OrderStore {
    /// The SQLite file behind this session, when it is one.
    package var sqlite: SQLiteBackend? { backend as? SQLiteBackend }
}

/// The users table.
enum Users {
    static func fetch(_ db: Database, login: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE login = ?", arguments: [login]).map(user)
    }

    static func user(_ row: Row) -> User {
        User(login: row["login"] ?? "", role: Role(rawValue: row["role"] ?? "") ?? .liaison, district: row["district"] ?? "",
             disabled: row["disabled"] ?? true)
    }

    static func insert(_ db: Database, _ user: User, by account: String, now: Date) throws {
        try db.execute(sql: "INSERT INTO users (login, role, district, disabled, createdAt, createdBy) VALUES (?, ?, ?, 0, ?, ?)",
                       arguments: [user.login, user.role.rawValue, user.district, now.timeIntervalSince1970, account])
    }
}

extension SQLiteBackend {
    /// The store's fact for an SQLite error, or nil when `error` is not one.
    public static func problem(for error: Error) -> StoreError? {
        guard let e = error as? DatabaseError else { return nil }
        switch e.resultCode {
        case .SQLITE_FULL: return .storage(.diskFull)
        case .SQLITE_IOERR: return .storage(.diskFailed)
        case .SQLITE_READONLY: return .storage(.readOnly)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .storage(.busy)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .storage(.corrupt)
        case .SQLITE_CONSTRAINT: return .storage(.constraint(e.message ?? ""))
        default: return .storage(.other(code: Int(e.resultCode.rawValue)))
        }
    }
}

/// A SQLite file's session, named as the rest of the program names a store.
extension OrderStore {
    public static func create(at path: String, timeZone: TimeZone, rules: RuleSet, account: String, passphrase: String,
                              now: Date) throws -> OrderStore {
        try SQLiteBackend.create(at: path, timeZone: timeZone, rules: rules, account: account, passphrase: passphrase, now: now)
    }

    public static func open(at path: String, account: String, now: Date) throws -> OrderStore {
        try SQLiteBackend.open(at: path, account: account, now: now)
    }

    public static func inMemory(timeZone: TimeZone, rules: RuleSet, account: String = "test",
                                now: Date = Date(timeIntervalSince1970: 0)) throws -> OrderStore {
        try SQLiteBackend.inMemory(timeZone: timeZone, rules: rules, account: account, now: now)
    }

    /// Another person's session on the same file (tests, and a supervisor's checks).
    public func session(for account: String, now: Date) throws -> OrderStore {
        guard let sqlite else { throw StoreError.fileOnly(command: "session") }
        return try sqlite.session(for: account, now: now)
    }

    /// The file's database, for tests that look beneath the port.
    package var writer: any DatabaseWriter {
        get throws {
            guard let sqlite else { throw StoreError.fileOnly(command: "writer") }
            return sqlite.writer
        }
    }
}
