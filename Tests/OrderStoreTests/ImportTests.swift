import Foundation
import GRDB
import OrderModel
@testable import OrderStore
import PostgresStore
@testable import SQLiteStore
import Scheduler
import Testing
import TestSupport
import Wording

/// Import is data, never SQL: an export is read as a stream and checked through before anything is written; table
/// and column names come from the code (`Export.tables`), values are bound. Every crafted file is refused on both
/// backends with nothing left behind: no file at the path, an empty database on the server.
@Suite("Import")
struct ImportTests {
    // MARK: Where an import goes

    /// A new file path, or a new empty database on the test cluster, and the account (the role on the server) that imports.
    struct Target {
        let backend: Backend
        let account: String
        let path: String
        let database: String?

        init(_ backend: Backend) throws {
            self.backend = backend
            account = "imp_" + UUID().uuidString.prefix(8).lowercased()
            path = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-import-\(UUID().uuidString).sqlite").path
            database = backend == .postgres ? try PGCluster.shared().createDatabase(owner: account) : nil
        }

        @discardableResult
        func run(_ export: String) throws -> OrderStore {
            switch backend {
            case .sqlite:
                return try OrderStore.importFile(export, to: path, account: account, now: now)
            case .postgres:
                let cluster = try PGCluster.shared()
                return try PostgresBackend.importExport(export, conninfo: cluster.uri(database: database ?? "", user: account), now: now)
            }
        }

        /// Nothing was written: no file (nor its WAL) at the path; on the server, no schema and no table at all.
        func untouched() throws -> Bool {
            switch backend {
            case .sqlite:
                return ["", "-wal", "-shm"].allSatisfy { !FileManager.default.fileExists(atPath: path + $0) }
            case .postgres:
                let made = try PGCluster.shared().superuser("""
                    SELECT (SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public')
                                                                AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%')
                         + (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public')
                    """, database: database ?? "")
                return made == "0"
            }
        }

        func remove() {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    // MARK: A small site, every table with rows

    /// A site whose supervisor is `account`: served, unserved and revoked orders; checks of every outcome; an open and a
    /// closed breach; plain and survivor corrections; another user, and a disabled one. Exported to a file.
    static func site(account: String) throws -> (store: OrderStore, export: String) {
        let store = try SQLiteBackend.inMemory(timeZone: almaty, rules: RuleSet.kazakhstan(), account: account, now: t("2026-10-30 09:00"))
        try store.addOrder(order("ZP-1"), now: now)
        try store.addOrder(order("ZP-2", issued: "2026-11-20 10:00", served: nil, survivor: "O'Brien \"; DROP TABLE orders; --"), now: now)
        try store.addOrder(order("ZP-3", served: "2026-11-02 12:00"), now: now)
        try store.addCheck("ZP-1", at: t("2026-11-06 11:00"), officer: "Ахметов Д.", method: .visit, outcome: .compliant, note: "", now: now)
        try store.addCheck("ZP-1", at: t("2026-11-10 11:00"), officer: "Ахметов Д.", method: .phone, outcome: .notLocated,
                           note: "back\\slash \"quoted\" ✓", now: now)
        try store.addCheck("ZP-1", at: t("2026-11-16 12:00"), officer: "Ахметов Д.", method: .visit, outcome: .breach,
                           note: "at the door", now: now)
        let breach = try store.addBreach("ZP-3", at: t("2026-11-05 22:00"), description: "phoned her", reportedBy: "survivor", now: now)
        try store.closeBreach(breach.id ?? 0, action: "warned", at: t("2026-11-06 10:00"), now: now)
        try store.revoke("ZP-3", at: t("2026-11-08 09:00"), reason: "court", now: now)
        try store.correct("ZP-1", field: .district, value: "Алмалинский", reason: "typed the wrong district", now: now)
        try store.correct("ZP-1", field: .survivorContact, value: "Shelter Zhan, Tole bi 5", reason: "moved", now: now)
        try store.addUser("police7", role: .liaison, district: "Медеуский", now: now)
        try store.addUser("shelter3", role: .staff, district: "", now: now)
        try store.disableUser("shelter3", now: now)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-export-\(UUID().uuidString).json").path
        try store.export(now: now).write(to: URL(fileURLWithPath: path))
        return (store, path)
    }

    /// Text as a JSON string literal.
    static func json(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data(), as: UTF8.self)
    }

    /// `text` with `insert` put right after the first `anchor`.
    static func after(_ anchor: String, _ insert: String) -> @Sendable (String) -> String {
        { text in
            guard let range = text.range(of: anchor) else { return text }
            return text.replacingCharacters(in: range, with: anchor + insert)
        }
    }

    // MARK: Crafted exports

    struct Crafted: CustomStringConvertible, Sendable {
        let description: String
        /// The crafted file from a good export's text and a path an injected ATTACH would create.
        let make: @Sendable (_ export: String, _ attach: String) -> String
        /// What the import says, from the same path; nil: any error (the engine's), as long as nothing is left.
        let refusal: (@Sendable (_ attach: String) -> StoreError)?
    }

    /// A column name that, pasted into an INSERT, attaches another file and copies the settings (the key record) into it.
    /// Upper case, it sorts before the real columns, so the importer of before built `INSERT INTO t (ID) SELECT 1 WHERE 0;
    /// ATTACH …; CREATE TABLE evil.stolen AS …; --, …) VALUES (…)` and ran it: the attached file was made, mode 0644.
    static func injection(_ column: String, _ attach: String) -> String {
        "\(column)) SELECT 1 WHERE 0; ATTACH DATABASE '\(attach)' AS evil; CREATE TABLE evil.stolen AS SELECT * FROM main.meta; --"
    }

    static let crafted: [Crafted] = [
        Crafted(description: "a column name with SQL in it (ATTACH another file, copy the key record into it)",
                make: { export, attach in after("\"orders\":[{", json(injection("ID", attach)) + ":1,")(export) },
                refusal: { attach in .exportNames(table: "orders", column: ExportFile.shown(injection("ID", attach))) }),
        Crafted(description: "a column name with SQL in the last table of the file",
                make: { export, attach in after("\"users\":[{", json(injection("LOGIN", attach)) + ":1,")(export) },
                refusal: { attach in .exportNames(table: "users", column: ExportFile.shown(injection("LOGIN", attach))) }),
        Crafted(description: "an unknown table",
                make: { export, _ in after("\"tables\":{", "\"sqlite_master\":[],")(export) },
                refusal: { _ in .exportNames(table: "sqlite_master", column: nil) }),
        Crafted(description: "a table name with a quote",
                make: { export, _ in after("\"tables\":{", json("orders\"; DROP TABLE orders; --") + ":[],")(export) },
                refusal: { _ in .exportNames(table: ExportFile.shown("orders\"; DROP TABLE orders; --"), column: nil) }),
        Crafted(description: "a table twice",
                make: { export, _ in after("\"tables\":{", "\"meta\":[],")(export) },
                refusal: { _ in .exportNames(table: "meta", column: nil) }),
        Crafted(description: "a table missing",
                make: { _, _ in "{\"format\":\"qorgau-export\",\"schema\":[\"v1-orders-checks-breaches-users-audit\"],\"tables\":{}}" },
                refusal: { _ in .exportNames(table: "meta", column: nil) }),
        Crafted(description: "an extra column",
                make: { export, _ in after("\"users\":[{", "\"password\":\"x\",")(export) },
                refusal: { _ in .exportNames(table: "users", column: "password") }),
        Crafted(description: "a column twice",
                make: { export, _ in after("\"users\":[{", "\"login\":\"mallory\",")(export) },
                refusal: { _ in .exportNames(table: "users", column: "login") }),
        Crafted(description: "a control character and a bidirectional override in a column name",
                make: { export, _ in after("\"checks\":[{", json("\u{1b}[2Jnote\u{202e}") + ":\"\",")(export) },
                refusal: { _ in .exportNames(table: "checks", column: "\\u{1b}[2Jnote\\u{202e}") }),
        Crafted(description: "a required column missing",
                make: { export, _ in
                    export.replacingOccurrences(of: "\"numberKey\":\"zp-1\",", with: "")
                },
                refusal: { _ in .exportValue(table: "orders", column: "numberKey", row: 1) }),
        Crafted(description: "text where the schema wants a number",
                make: { export, _ in after("\"orders\":[{", "\"issued\":\"garbage\",")(export) },
                refusal: { _ in .exportValue(table: "orders", column: "issued", row: 1) }),
        Crafted(description: "a number where the schema wants text",
                make: { export, _ in after("\"users\":[{", "\"role\":1,")(export) },
                refusal: { _ in .exportValue(table: "users", column: "role", row: 1) }),
        Crafted(description: "a boolean",
                make: { export, _ in after("\"users\":[{", "\"disabled\":false,")(export) },
                refusal: { _ in .exportValue(table: "users", column: "disabled", row: 1) }),
        Crafted(description: "an object that is not a tagged value",
                make: { export, _ in after("\"orders\":[{", "\"number\":{\"$gt\":\"\"},")(export) },
                refusal: { _ in .exportValue(table: "orders", column: "number", row: 1) }),
        Crafted(description: "a tagged real with another member",
                make: { export, _ in after("\"orders\":[{", "\"issued\":{\"real\":1,\"sql\":\"x\"},")(export) },
                refusal: { _ in .exportValue(table: "orders", column: "issued", row: 1) }),
        Crafted(description: "an array nested 100,000 deep",
                make: { export, _ in after("\"orders\":[{", "\"number\":" + String(repeating: "[", count: 100_000) + ",")(export) },
                refusal: { _ in .exportValue(table: "orders", column: "number", row: 1) }),
        Crafted(description: "NULL where the schema wants a value",
                make: { export, _ in after("\"orders\":[{", "\"number\":null,")(export) },
                refusal: { _ in .exportValue(table: "orders", column: "number", row: 1) }),
        Crafted(description: "text with U+0000",
                make: { export, _ in after("\"users\":[{", "\"district\":\"a\\u0000b\",")(export) },
                refusal: { _ in .exportValue(table: "users", column: "district", row: 1) }),
        Crafted(description: "a blob that is not base64",
                make: { export, _ in after("\"orders\":[{", "\"survivor\":{\"base64\":\"%%%\"},")(export) },
                refusal: { _ in .exportValue(table: "orders", column: "survivor", row: 1) }),
        Crafted(description: "a huge integer",
                make: { export, _ in after("\"orders\":[{", "\"termDays\":123456789012345678901234567890,")(export) },
                refusal: { _ in .exportValue(table: "orders", column: "termDays", row: 1) }),
        Crafted(description: "a huge real",
                make: { export, _ in after("\"orders\":[{", "\"issued\":{\"real\":1e999},")(export) },
                refusal: { _ in .exportValue(table: "orders", column: "issued", row: 1) }),
        Crafted(description: "a fraction where the schema wants an integer",
                make: { export, _ in after("\"checks\":[{", "\"counted\":0.5,")(export) },
                refusal: { _ in .exportValue(table: "checks", column: "counted", row: 1) }),
        Crafted(description: "a truncated file",
                make: { export, _ in String(export.prefix(export.count / 2)) },
                refusal: { _ in .notAnExport }),
        Crafted(description: "a file that is not JSON",
                make: { _, _ in "PK\u{3}\u{4} this is a zip, not an export" },
                refusal: { _ in .notAnExport }),
        Crafted(description: "an empty file",
                make: { _, _ in "" },
                refusal: { _ in .notAnExport }),
        Crafted(description: "JSON that is not an export",
                make: { _, _ in "{\"hello\": \"world\"}" },
                refusal: { _ in .notAnExport }),
        Crafted(description: "another format marker",
                make: { export, _ in export.replacingOccurrences(of: "\"format\":\"qorgau-export\"", with: "\"format\":\"other\"") },
                refusal: { _ in .notAnExport }),
        Crafted(description: "a document key of its own",
                make: { export, _ in after("{", "\"sql\":\"DROP TABLE orders\",")(export) },
                refusal: { _ in .notAnExport }),
        Crafted(description: "something after the document",
                make: { export, _ in export + "; DROP TABLE orders" },
                refusal: { _ in .notAnExport }),
        Crafted(description: "a newer schema",
                make: { export, _ in after("\"schema\":[", "\"v9-from-the-future\",")(export) },
                refusal: { _ in .newerVersion(path: "the export") }),
        Crafted(description: "a broken audit chain (found after the rows are in: all undone)",
                make: { export, _ in export.replacingOccurrences(of: "\"action\":\"order.add\"", with: "\"action\":\"order.edd\"") },
                refusal: { _ in .damaged(path: "the export", reason: .auditTrailBroken) }),
        Crafted(description: "an order twice (refused by the database half way: all undone)",
                make: { export, _ in
                    guard let start = export.range(of: "\"orders\":[")?.upperBound,
                          let end = export.range(of: "},{", range: start..<export.endIndex)?.lowerBound else { return export }
                    let first = String(export[start...end])
                    return export.replacingCharacters(in: start..<start, with: first + ",")
                },
                refusal: nil),
    ]

    @Test("a crafted export is refused, clearly, with nothing written and no SQL of its own run",
          arguments: Backend.allCases, crafted)
    func craftedExportIsRefused(_ backend: Backend, _ crafted: Crafted) throws {
        let target = try Target(backend)
        defer { target.remove() }
        let (_, good) = try Self.site(account: target.account)
        defer { try? FileManager.default.removeItem(atPath: good) }
        let attach = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-attached-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: attach) }
        let text = try String(contentsOfFile: good, encoding: .utf8)
        let bad = crafted.make(text, attach)
        #expect(bad != text, "the case changed nothing: its anchor is gone from the export")
        let path = good + ".crafted.json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bad.utf8).write(to: URL(fileURLWithPath: path))

        do {
            try target.run(path)
            Issue.record("\(crafted) was imported")
        } catch let error as StoreError {
            if let refusal = crafted.refusal { #expect(error == refusal(attach)) }
            #expect(!Words.english.message(error).isEmpty)
        } catch {
            #expect(crafted.refusal == nil, "\(error)")
        }
        #expect(try target.untouched(), "something was written")
        #expect(!FileManager.default.fileExists(atPath: attach), "the injected ATTACH ran")
    }

    @Test("an export cut short anywhere is not an export (the check every import runs first)")
    func cutAnywhere() throws {
        let (_, good) = try Self.site(account: "boss")
        defer { try? FileManager.default.removeItem(atPath: good) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let cut = good + ".cut"
        defer { try? FileManager.default.removeItem(atPath: cut) }
        var refusals: [String: Int] = [:]
        // Every third length (a cut inside every kind of token, a third of the time of every length).
        let lengths = Array(stride(from: 0, to: bytes.count, by: 3))
        for length in lengths {
            try bytes.prefix(length).write(to: URL(fileURLWithPath: cut))
            do {
                _ = try ExportFile(path: cut, account: "boss")
                Issue.record("\(length) of \(bytes.count) bytes read as an export")
            } catch let error as StoreError {
                refusals["\(error)", default: 0] += 1
            }
        }
        #expect(refusals == ["\(StoreError.notAnExport)": lengths.count])
        #expect(try ExportFile(path: good, account: "boss").accountIsSupervisor)
    }

    @Test("an import onto an existing file is refused before reading the export, and the file stays as it was")
    func existingFileStays() throws {
        let target = try Target(.sqlite)
        defer { target.remove() }
        let (_, good) = try Self.site(account: target.account)
        defer { try? FileManager.default.removeItem(atPath: good) }
        try Data("mine".utf8).write(to: URL(fileURLWithPath: target.path))
        #expect(throws: StoreError.alreadyExists(path: target.path)) { try target.run(good) }
        #expect(try String(contentsOfFile: target.path, encoding: .utf8) == "mine")
    }

    @Test("an export of someone who is not its supervisor, or missing, is refused with nothing written", arguments: Backend.allCases)
    func notSupervisorOrMissing(_ backend: Backend) throws {
        let target = try Target(backend)
        defer { target.remove() }
        let (_, other) = try Self.site(account: "someone_else")
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(throws: StoreError.notSupervisorOfCopy(account: target.account, isExport: true)) { try target.run(other) }
        #expect(throws: StoreError.missing(path: other + ".nowhere")) { try target.run(other + ".nowhere") }
        #expect(try target.untouched())
    }

    // MARK: Round trips

    @Test("export then import gives the same tables, row for row, and an audit trail that verifies", arguments: Backend.allCases)
    func roundTrip(_ backend: Backend) throws {
        let target = try Target(backend)
        defer { target.remove() }
        let (source, export) = try Self.site(account: target.account)
        defer { try? FileManager.default.removeItem(atPath: export) }
        let imported = try target.run(export)
        let sourceTrail = try source.backend.auditTrail()
        let importedTrail = try imported.backend.auditTrail()
        // The instants as hashed (the server keeps microseconds), everything else as it was.
        func entries(_ trail: AuditTrail) -> [String] {
            trail.entries.map { [String($0.id), String(format: "%.6f", $0.at.timeIntervalSince1970), $0.account, $0.action, $0.entity,
                                 $0.entityID.map { String($0) } ?? "-", $0.detail, $0.prevHash, $0.hash].joined(separator: "|") }
        }
        #expect(Array(entries(importedTrail).dropLast()) == entries(sourceTrail))
        #expect(importedTrail.entries.last?.action == "import")
        #expect(try imported.verifyAudit(now: now) == .intact(entries: sourceTrail.entries.count + 1,
                                                              head: importedTrail.entries.last?.hash ?? ""))
        #expect(try imported.counts().orders == 3)
        let before = try source.backend.allOrders(), after = try imported.backend.allOrders()
        #expect(after.map(\.history) == before.map(\.history))
        #expect(after.map(\.sealedSurvivor) == before.map(\.sealedSurvivor))
        #expect(after.map { $0.corrections.map(\.sealed) } == before.map { $0.corrections.map(\.sealed) })
        #expect(after.map { $0.corrections.map(\.value) } == before.map { $0.corrections.map(\.value) })

        guard backend == .sqlite else { return }
        // Every table, every column, as stored (the audit head and the import's own entry apart).
        let copy = try DatabaseQueue(path: target.path)
        for table in Export.tables {
            let columns = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
            let sql = "SELECT \(columns) FROM \"\(table.name)\""
                + (table.name == "meta" ? " WHERE key <> 'auditHead'" : "") + (table.name == "history" ? " WHERE action <> 'import'" : "")
                + " ORDER BY rowid"
            let a = try source.writer.read { db in try Row.fetchAll(db, sql: sql) }
            let b = try copy.read { db in try Row.fetchAll(db, sql: sql) }
            #expect(a == b, "\(table.name)")
            #expect(!a.isEmpty, "\(table.name) has no rows in the site")
        }
        // Exporting the import again gives the same document, but for the two audit entries (import, export).
        let again = try imported.export(now: now)
        #expect(again.count > (try Data(contentsOf: URL(fileURLWithPath: export))).count)
    }

    @Test("a row without a column that may be NULL reads as NULL", arguments: Backend.allCases)
    func nullableColumnLeftOut(_ backend: Backend) throws {
        let target = try Target(backend)
        defer { target.remove() }
        let (source, export) = try Self.site(account: target.account)
        defer { try? FileManager.default.removeItem(atPath: export) }
        let text = try String(contentsOfFile: export, encoding: .utf8)
        let trimmed = text.replacingOccurrences(of: "\"respondentBirthDate\":null,", with: "")
            .replacingOccurrences(of: "\"revocationReason\":null,", with: "")
        #expect(trimmed != text)
        try Data(trimmed.utf8).write(to: URL(fileURLWithPath: export))
        let imported = try target.run(export)
        #expect(try imported.backend.allOrders().map(\.history) == source.backend.allOrders().map(\.history))
    }

    @Test("a few thousand orders stream in, every row, one transaction", arguments: Backend.allCases)
    func streamedImport(_ backend: Backend) throws {
        let target = try Target(backend)
        defer { target.remove() }
        let zone = try #require(TimeZone(identifier: "Asia/Almaty"))
        let loaded = try LocalDateTime(parsing: "2026-11-22 09:00")!.instant(in: zone)
        let source = try OrderStore.inMemory(timeZone: zone, rules: RuleSet.kazakhstan(), account: target.account, now: loaded)
        let summary = try source.bulkLoad(BulkSpec(orders: 3000, inEffect: 300, seed: 12, jobs: 2), now: loaded)
        let export = target.path + ".json"
        defer { try? FileManager.default.removeItem(atPath: export) }
        try source.export(now: loaded).write(to: URL(fileURLWithPath: export))
        let imported = try target.run(export)
        let counts = try imported.counts()
        #expect(counts.orders == 3000 && counts.checks == summary.checks && counts.breaches == summary.breaches)
        #expect(counts.history == (try source.counts().history) + 1)
        if case .intact = try imported.verifyAudit(now: loaded) {} else { Issue.record("audit trail broken after import") }
    }

    // MARK: The names, from the code

    @Test("the export's tables and columns are exactly what the file's migrations make (PRAGMA table_info)")
    func exportTablesAreTheSchemas() throws {
        #expect(Schema.migrator.migrations == Export.schemaVersions)
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue)
        try queue.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                ORDER BY name
                """).filter { name in !ListIndex.derivedTables.contains { name == $0 || name.hasPrefix($0 + "_") } }
            #expect(tables == Export.tables.map(\.name).sorted())
            for table in Export.tables {
                let schema = try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
                                              arguments: [table.name]).map { row -> String in
                    let required = (row["notnull"] as Int? ?? 0) != 0 || (row["pk"] as Int? ?? 0) != 0
                    return "\(row["name"] as String? ?? "") \(row["type"] as String? ?? "")" + (required ? " NOT NULL" : "")
                }
                let listed = table.columns.map { "\($0.name) \($0.kind.rawValue)" + ($0.nullable ? "" : " NOT NULL") }
                #expect(listed == schema, "\(table.name)")
            }
        }
    }

    @Test("the refusals are sentences in every language", arguments: Language.allCases)
    func refusalsAreWorded(_ language: Language) {
        let words = Words(language)
        let problems: [StoreError] = [.exportNames(table: "orders", column: "x) SELECT 1; --"), .exportNames(table: "sqlite_master", column: nil),
                                      .exportValue(table: "orders", column: "issued", row: 7), .exportChanged(path: "/tmp/site.json")]
        for problem in problems {
            let text = words.message(problem)
            #expect(!text.contains("{") && !text.contains("}") && !text.contains("store."), "\(language): \(text)")
        }
        #expect(words.message(StoreError.exportValue(table: "orders", column: "issued", row: 7)).contains("7"))
    }

    @Test("names from a file are shown short and harmless")
    func shownNames() {
        #expect(ExportFile.shown("orders") == "orders")
        #expect(ExportFile.shown("a\u{1b}[2J\u{202e}b") == "a\\u{1b}[2J\\u{202e}b")
        #expect(ExportFile.shown(String(repeating: "x", count: 500)) == String(repeating: "x", count: 60) + "…")
    }
}
