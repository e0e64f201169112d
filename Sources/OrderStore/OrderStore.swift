import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import OrderModel
import Scheduler

/// Who makes a write: the operating-system account, never a typed name.
public struct Actor: Sendable, Hashable {
    public let account: String
    public init(account: String) { self.account = account }
}

/// The one SQLite file: orders, checks, breaches and the history of every write.
/// The only module that touches the disk.
public final class OrderStore: Sendable {
    let writer: any DatabaseWriter
    public let path: String
    public let timeZone: TimeZone
    public let rules: RuleSet
    public let scheduler: Scheduler

    private init(writer: any DatabaseWriter, path: String) throws {
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
        timeZone = zone
        self.rules = rules
        scheduler = Scheduler(rules: rules, timeZone: zone)
    }

    private static func configuration(readonly: Bool = false) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        // Another terminal may be writing: wait for it rather than fail.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // A check-in that was reported saved survives a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return config
    }

    /// Creates a new file at `path` (mode 0600, its folder 0700) with the time zone and rule set.
    /// Refuses when anything exists at `path`.
    public static func create(at path: String, timeZone: TimeZone, rules: RuleSet, by actor: Actor, now: Date) throws -> OrderStore {
        let url = URL(fileURLWithPath: path)
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.cannotCreate(path: path, reason: "its folder cannot be made")
        }
        // O_EXCL: never take over a file another process made meanwhile.
        let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else { throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        Glibc.close(fd)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration())
            // WAL is a property of the file: readers never block the writer, and a commit
            // is one append. Set once here; every later open finds it.
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            try Schema.migrator.migrate(queue)
            let rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('timeZone', ?), ('rules', ?), ('created', ?)",
                               arguments: [timeZone.identifier, rulesJSON, InstantFormat(timeZone: timeZone).iso(now)])
                try History.append(db, actor: actor, now: now, action: "init", entity: "database", entityID: nil,
                                   detail: ["timeZone": timeZone.identifier, "rules": rules.id + " " + rules.revision])
            }
            return try OrderStore(writer: queue, path: path)
        } catch {
            // The file is ours and holds nothing yet: leave no half-made database behind.
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
            throw error
        }
    }

    /// Opens an existing file. Never creates one, never overwrites one that is not Qorgau's.
    public static func open(at path: String) throws -> OrderStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "permission denied")
        }
        // A queue, not a queue: a queue makes sure of its WAL file by writing to the
        // database, and opening a file to read it must leave it byte for byte as it was.
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration())
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
        } catch {
            throw StoreError.notQorgau(path: path)
        }
        return try OrderStore(writer: queue, path: path)
    }

    /// A store in memory, for tests.
    public static func inMemory(timeZone: TimeZone, rules: RuleSet, by actor: Actor = Actor(account: "test"),
                                now: Date = Date(timeIntervalSince1970: 0)) throws -> OrderStore {
        let queue = try DatabaseQueue(configuration: configuration())
        try Schema.migrator.migrate(queue)
        let rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('timeZone', ?), ('rules', ?)",
                           arguments: [timeZone.identifier, rulesJSON])
        }
        return try OrderStore(writer: queue, path: ":memory:")
    }

    private static func describe(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
        return "\(error)"
    }
}
