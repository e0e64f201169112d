import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import OrderModel
import OrderStore

/// Backups, restores, and a lossless export and import: recovery is a command, not an expert's job.
extension OrderStore {
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
                throw StoreError.damaged(path: destination, reason: .copyFailsIntegrityCheck)
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
                    throw StoreError.damaged(path: path, reason: .failsIntegrityCheck)
                }
                if try Schema.migrator.hasBeenSuperseded(db) { throw StoreError.newerVersion(path: path) }
                guard case .intact = try History.verify(db) else {
                    throw StoreError.damaged(path: path, reason: .auditTrailBroken)
                }
                guard let found = try Users.fetch(db, login: account), found.role == .supervisor, !found.disabled else {
                    throw StoreError.notSupervisorOfCopy(account: account, isExport: false)
                }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.damaged(path: path, reason: .reported(SQLiteBackend.describe(error)))
        }
    }

    /// Puts a checked copy in place of `target`. Nothing is deleted: a file already at `target`
    /// (with its WAL) is moved aside to `target.before-restore-STAMP`, and only with `force`.
    /// The restored file keeps the replaced file's mode and group, and its owner when run as root (see
    /// `keepAttributes`); with no file to replace it is new, mode 0600, the restorer's.
    /// Returns where the old file went, if there was one.
    @discardableResult
    public static func restore(from copy: String, to target: String, account: String, force: Bool, now: Date) throws -> String? {
        _ = try checkCopy(copy, account: account)
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: target)
        if exists && !force { throw StoreError.wouldOverwrite(path: target) }
        var original = stat()
        if exists && stat(target, &original) != 0 {
            throw StoreError.cannotOpen(path: target, reason: String(cString: strerror(errno)))
        }
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
            // Before it takes the target's place: at no moment is the restored file more open than the old one.
            if exists { try keepAttributes(of: original, on: staging) }
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

    /// Gives the file at `path` the owner, group and mode of `original` (the file a restore replaces), so that
    /// restoring into a shared folder neither opens the records to more people than before nor takes them from
    /// their owner. The owner can be given only by root; the group by root, or by an owner who belongs to it.
    /// When the group cannot be given, the group's bits are dropped: the restorer's own group gets nothing the
    /// original did not give it. (SQLite makes the `-wal` and `-shm` files later with the database's mode, and
    /// as root with its owner.)
    static func keepAttributes(of original: stat, on path: String) throws {
        var mode = original.st_mode & 0o777
        let owned = geteuid() == 0 && chown(path, original.st_uid, original.st_gid) == 0
        if !owned && chown(path, uid_t.max, original.st_gid) != 0 { mode &= ~0o070 }
        guard chmod(path, mode) == 0 else { throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Every row of every table, as JSON: sealed survivor data stays sealed (base64), so the export
    /// opens nothing that the file did not. The export itself is audited first, and included. Rows are written as
    /// they are read (no document of dictionaries in between); the tables and columns are `Export.tables`.
    /// Every export is audited (supervisors only): a refusal as a refusal; otherwise an `export` entry is made
    /// before anything is read, and an export that then fails (or is asked of a server) adds, or is,
    /// `export` {"result": "failed"}. `export(to:now:)` also records a file not written whole.
    public func export(now: Date) throws -> Data {
        try require(.export, now: now)
        guard let writer = sqlite?.writer else {
            try? backend.recordEvent(.exportFailed, now: now)
            throw StoreError.fileOnly(command: "export")
        }
        try backend.recordEvent(.exported(to: nil), now: now)
        do {
            return try writer.read { db in
                var out = ExportWriter(schema: try Schema.migrator.appliedIdentifiers(db).sorted())
                for table in Export.tables.sorted(by: { $0.name < $1.name }) {
                    out.begin(table: table.name)
                    let columns = table.columns.map(\.name).sorted()
                    let cursor = try Row.fetchCursor(db, sql: "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \"\(table.name)\" ORDER BY rowid")
                    while let row = try cursor.next() {
                        try out.row(columns.enumerated().map { i, name in (name, Cell(row[i] as DatabaseValue)) })
                    }
                }
                return out.finish()
            }
        } catch {
            try? backend.recordEvent(.exportFailed, now: now)
            throw error
        }
    }

    /// The export written to a new file at `destination`: mode 0600, never over an existing file, synced to
    /// the disk. A file that cannot be made (it exists, its folder cannot be written) is recorded as a failed
    /// export, with nothing read; a file not written whole is removed, and recorded as failed after the export.
    public func export(to destination: String, now: Date) throws {
        try require(.export, now: now)
        do {
            guard sqlite != nil else { throw StoreError.fileOnly(command: "export") }
            try SQLiteBackend.createPrivateFile(destination)
        } catch {
            try? backend.recordEvent(.exportFailed, now: now)
            throw error
        }
        let data: Data
        do {
            data = try export(now: now)
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw error
        }
        do {
            guard let file = FileHandle(forWritingAtPath: destination) else {
                throw StoreError.cannotCreate(path: destination, reason: String(cString: strerror(errno)))
            }
            defer { try? file.close() }
            do {
                try file.write(contentsOf: data + Data("\n".utf8))
                try file.synchronize()
            } catch {
                throw StoreError.cannotCreate(path: destination, reason: (error as NSError).localizedDescription)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            try? backend.recordEvent(.exportFailed, now: now)
            throw error
        }
    }

    /// A new file at `path` holding exactly what the export at `source` holds; the audit chain is checked after.
    /// `account` must be one of the export's supervisors.
    ///
    /// The export is read as a stream, twice: once through to check it (every table and column exactly the
    /// schema's, every value of its column's type) before anything is made, then table by table into the new
    /// file, a prepared statement a table, every value bound, all in one transaction. Whatever fails, no file
    /// is left at `path`.
    @discardableResult
    public static func importFile(_ source: String, to path: String, account: String, now: Date) throws -> OrderStore {
        if FileManager.default.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
        let known = Set(Schema.migrator.migrations)
        let export = try ExportFile(path: source, account: account)
        guard Set(export.schema).isSubset(of: known) else { throw StoreError.newerVersion(path: "the export") }
        guard export.accountIsSupervisor else {
            throw StoreError.notSupervisorOfCopy(account: account, isExport: true)
        }
        try SQLiteBackend.createPrivateFile(path)
        do {
            let queue = try DatabaseQueue(path: path, configuration: SQLiteBackend.configuration())
            try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            try Schema.migrator.migrate(queue)
            try queue.write { db in
                for table in Export.tables {
                    let columns = table.columns.map { "\"\($0.name)\"" }
                    let statement = try db.makeStatement(sql: "INSERT INTO \"\(table.name)\" (\(columns.joined(separator: ", "))) VALUES ("
                                                         + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
                    try export.rows(of: table) { row in
                        try statement.execute(arguments: StatementArguments(row.cells.map(\.databaseValue)))
                    }
                }
                guard case .intact = try History.verify(db) else {
                    throw StoreError.damaged(path: "the export", reason: .auditTrailBroken)
                }
                // The list's search and sort tables, made from the records (survivors' names unindexed until searched).
                try ListIndex.rebuild(db)
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
