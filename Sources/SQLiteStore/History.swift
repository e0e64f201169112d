import Foundation
import GRDB
import OrderStore

/// The file's append-only, hash-chained audit trail. Details never hold survivor data.
enum History {
    static func append(_ db: Database, account: String, now: Date, action: String, entity: String, entityID: Int64?,
                       detail: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(detail), as: UTF8.self)
        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM history ORDER BY id DESC LIMIT 1")
        var entry = HistoryEntry(id: (last?["id"] ?? 0) + 1, at: now, account: account, action: action, entity: entity,
                                 entityID: entityID, detail: json, prevHash: last?["hash"] ?? AuditChain.genesis, hash: "")
        // The stored instant is what is hashed: round-trip it through the column's type first.
        entry.at = Date(timeIntervalSince1970: now.timeIntervalSince1970)
        entry.hash = HistoryEntry.chainHash(previous: entry.prevHash, canonical: entry.canonical)
        try db.execute(sql: """
            INSERT INTO history (id, at, account, action, entity, entityID, detail, prevHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [entry.id, entry.at.timeIntervalSince1970, account, action, entity, entityID, json,
                             entry.prevHash, entry.hash])
        // The head, kept apart from the table, so that removing the last entries is noticed too.
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('auditHead', ?)",
                       arguments: ["\(entry.id) \(entry.hash)"])
    }

    /// The whole trail with the head recorded in `meta`.
    static func trail(_ db: Database) throws -> AuditTrail {
        AuditTrail(entries: try Row.fetchAll(db, sql: "SELECT * FROM history ORDER BY id").map(Rows.historyEntry),
                   head: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'auditHead'"))
    }

    static func verify(_ db: Database) throws -> AuditFinding {
        AuditChain.verify(try trail(db))
    }
}
