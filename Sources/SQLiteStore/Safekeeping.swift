import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import OrderModel
import OrderStore

/// Backups, restores, and a lossless export and import: recovery is a command, not an expert's job.
extension OrderStore {
    /// The tables of the file, in the order an import must fill them.
    static let tables = ["meta", "users", "orders", "checks", "breaches", "corrections", "history"]

    /// A consistent copy of the file while others write (SQLite's online backup), mode 0600,
    /// never over an existing file (supervisors only).
    public func backup(to destination: String, now: Date) throws {
        guard let writer = sqlite?.writer else {
            throw StoreError.serverTool(command: "pg_dump --format=custom, as the database administrator (README: Backups of a server)")
        }
        try require(.export, now: now)
        try SQLiteBackend.createPrivateFile(destination)
        do {
            let copy = try DatabaseQueue(path: destination, configuration: SQLiteBackend.configuration())
            try writer.backup(to: copy)
            try copy.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            guard try copy.read({ db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }) == "ok" else {
                throw StoreError.damaged(path: destination, reason: "the copy failed its integrity check")
            }
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: destination + suffix) }
            throw error
        }
        try backend.recordEvent(.backedUp(to: (destination as NSString).lastPathComponent), now: now)
    }

    /// What `restore` checks before it puts a copy in place: a Qorgau file of this version or an
    /// earlier one, whole (`integrity_check`), with its audit chain intact, and `account` one of its
    /// supervisors. Returns the number of orders it holds.
    public static func checkCopy(_ path: String, account: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        var config = SQLiteBackend.configuration()
        config.readonly = true
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path, configuration: config) } catch { throw StoreError.notQorgau(path: path) }
        do {
            return try queue.read { db in
                guard try Int32.fetchOne(db, sql: "PRAGMA application_id") == Schema.applicationID else {
                    throw StoreError.notQorgau(path: path)
                }
                guard try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" else {
                    throw StoreError.damaged(path: path, reason: "it fails SQLite's integrity check")
                }
                if try Schema.migrator.hasBeenSuperseded(db) { throw StoreError.newerVersion(path: path) }
                guard case .intact = try History.verify(db) else {
                    throw StoreError.damaged(path: path, reason: "its audit trail is broken")
                }
                guard let found = try Users.fetch(db, login: account), found.role == .supervisor, !found.disabled else {
                    throw StoreError.notAllowed(account: account, role: "not a supervisor of that copy", action: "restore it")
                }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.damaged(path: path, reason: SQLiteBackend.describe(error))
        }
    }

    /// Puts a checked copy in place of `target`. Nothing is deleted: a file already at `target`
    /// (with its WAL) is moved aside to `target.before-restore-STAMP`, and only with `force`.
    /// Returns where the old file went, if there was one.
    @discardableResult
    public static func restore(from copy: String, to target: String, account: String, force: Bool, now: Date) throws -> String? {
        _ = try checkCopy(copy, account: account)
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: target)
        if exists && !force { throw StoreError.wouldOverwrite(path: target) }
        // The copy goes next to the target first, whole and synced; then two renames.
        let staging = target + ".restoring"
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: staging + suffix) }
        try SQLiteBackend.createPrivateFile(staging)
        do {
            var config = SQLiteBackend.configuration()
            config.readonly = true
            let source = try DatabaseQueue(path: copy, configuration: config)
            let staged = try DatabaseQueue(path: staging, configuration: SQLiteBackend.configuration())
            try source.backup(to: staged)
            try staged.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
                try History.append(db, account: account, now: now, action: "restore", entity: "database", entityID: nil,
                                   detail: ["from": (copy as NSString).lastPathComponent])
                _ = try db.checkpoint(.truncate)
            }
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: staging + suffix) }
            throw error
        }
        var aside: String?
        if exists {
            let stamp = InstantFormat(timeZone: TimeZone(identifier: "UTC") ?? .current).iso(now)
                .replacingOccurrences(of: ":", with: "")
            let moved = target + ".before-restore-" + stamp
            for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: target + suffix) {
                guard rename(target + suffix, moved + suffix) == 0 else {
                    throw StoreError.cannotCreate(path: moved, reason: String(cString: strerror(errno)))
                }
            }
            aside = moved
        }
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: staging + suffix) }
        guard rename(staging, target) == 0 else { throw StoreError.cannotCreate(path: target, reason: String(cString: strerror(errno))) }
        return aside
    }

    /// Every row of every table, as JSON: sealed survivor data stays sealed (base64), so the export
    /// opens nothing that the file did not. The export itself is audited first, and included.
    public func export(now: Date) throws -> Data {
        guard let writer = sqlite?.writer else { throw StoreError.fileOnly(command: "export") }
        try require(.export, now: now)
        try backend.recordEvent(.exported, now: now)
        return try writer.read { db in
            var tables: [String: [[String: Cell]]] = [:]
            for table in Self.tables {
                tables[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { row in
                    Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, Cell(row[$0] as DatabaseValue)) })
                }
            }
            let export = Export(format: "qorgau-export", schema: try Schema.migrator.appliedIdentifiers(db).sorted(), tables: tables)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(export)
        }
    }

    /// A new file at `path` holding exactly what an export held; the audit chain is checked after.
    /// `account` must be one of the export's supervisors.
    @discardableResult
    public static func importFile(_ data: Data, to path: String, account: String, now: Date) throws -> OrderStore {
        guard let export = try? JSONDecoder().decode(Export.self, from: data), export.format == "qorgau-export" else {
            throw StoreError.notAnExport
        }
        let known = Set(Schema.migrator.migrations)
        guard Set(export.schema).isSubset(of: known) else { throw StoreError.newerVersion(path: "the export") }
        let supervisors = (export.tables["users"] ?? []).filter {
            $0["login"] == .text(account) && $0["role"] == .text("supervisor") && $0["disabled"] == .int(0)
        }
        guard !supervisors.isEmpty else {
            throw StoreError.notAllowed(account: account, role: "not a supervisor of that export", action: "import it")
        }
        if FileManager.default.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
        try SQLiteBackend.createPrivateFile(path)
        do {
            let queue = try DatabaseQueue(path: path, configuration: SQLiteBackend.configuration())
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            try Schema.migrator.migrate(queue)
            try queue.write { db in
                for table in tables {
                    for row in export.tables[table] ?? [] {
                        let columns = row.keys.sorted()
                        try db.execute(sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                                       arguments: StatementArguments(columns.map { row[$0]?.databaseValue ?? .null }))
                    }
                }
                guard case .intact = try History.verify(db) else {
                    throw StoreError.damaged(path: "the export", reason: "its audit trail is broken")
                }
                try History.append(db, account: account, now: now, action: "import", entity: "database", entityID: nil, detail: [:])
            }
            return try SQLiteBackend.open(at: path, account: account, now: now)
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
    }
}

extension Cell {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let i): self = .int(i)
        case .double(let d): self = .real(d)
        case .string(let s): self = .text(s)
        case .blob(let b): self = .blob(b)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .int(let i): i.databaseValue
        case .real(let d): d.databaseValue
        case .text(let s): s.databaseValue
        case .blob(let b): b.databaseValue
        }
    }
}
