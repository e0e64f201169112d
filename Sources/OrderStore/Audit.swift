import Crypto
import Foundation
import GRDB

/// One entry of the audit trail.
public struct HistoryEntry: Hashable, Sendable {
    public var id: Int64
    public var at: Date
    public var account: String
    public var action: String
    public var entity: String
    public var entityID: Int64?
    public var detail: String
    public var prevHash: String
    public var hash: String

    /// The exact text the hash covers: every field, in a fixed order and form.
    var canonical: String {
        [String(id), String(format: "%.6f", at.timeIntervalSince1970), account, action, entity,
         entityID.map(String.init) ?? "", detail].joined(separator: "\u{1F}")
    }

    static func chainHash(previous: String, canonical: String) -> String {
        SHA256.hash(data: Data((previous + "\n" + canonical).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// What `audit verify` found.
public enum AuditFinding: Equatable, Sendable {
    case intact(entries: Int, head: String)
    case changed(id: Int64)
    case removed(afterID: Int64)
    case inserted(id: Int64)
    case truncated(afterID: Int64)

    public var message: String {
        switch self {
        case let .intact(n, head): "the audit trail is intact: \(n) entries, head \(head)"
        case .changed(let id): "audit entry \(id) was changed (or an entry was inserted in its place)"
        case .removed(let id): "the audit entry after \(id) was removed"
        case .inserted(let id): "audit entry \(id) was inserted: the trail's recorded head is before it"
        case .truncated(let id): "the audit trail ends at entry \(id), but the file recorded later entries: they were removed"
        }
    }
}

/// The append-only, hash-chained audit trail. Details never hold survivor data.
enum History {
    static let genesis = String(repeating: "0", count: 64)

    static func append(_ db: Database, account: String, now: Date, action: String, entity: String, entityID: Int64?,
                       detail: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(detail), as: UTF8.self)
        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM history ORDER BY id DESC LIMIT 1")
        var entry = HistoryEntry(id: (last?["id"] ?? 0) + 1, at: now, account: account, action: action, entity: entity,
                                 entityID: entityID, detail: json, prevHash: last?["hash"] ?? genesis, hash: "")
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

    /// Walks the chain from the first entry and names the first entry that was changed, removed
    /// or inserted. The head kept in `meta` catches entries removed from, or added at, the end.
    static func verify(_ db: Database) throws -> AuditFinding {
        let headText = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'auditHead'")
        let headParts = headText?.split(separator: " ")
        let headID = headParts.flatMap { $0.count == 2 ? Int64($0[0]) : nil }
        var previous = genesis
        var previousID: Int64 = 0
        var count = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM history ORDER BY id")
        while let row = try rows.next() {
            let entry = Rows.historyEntry(row)
            if let headID, entry.id > headID { return .inserted(id: entry.id) }
            if entry.id != previousID + 1 { return .removed(afterID: previousID) }
            let selfConsistent = HistoryEntry.chainHash(previous: entry.prevHash, canonical: entry.canonical) == entry.hash
            if entry.prevHash != previous {
                // A link that holds on its own means the entry before it was rewritten and rehashed.
                return .changed(id: selfConsistent && previousID > 0 ? previousID : entry.id)
            }
            if !selfConsistent { return .changed(id: entry.id) }
            previous = entry.hash
            previousID = entry.id
            count += 1
        }
        if let headID, previousID < headID { return .truncated(afterID: previousID) }
        if let headParts, headParts.count == 2, String(headParts[1]) != previous { return .changed(id: previousID) }
        return .intact(entries: count, head: previous)
    }
}
