import Crypto
import Foundation

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
    public init(id: Int64, at: Date, account: String, action: String, entity: String, entityID: Int64?, detail: String,
                prevHash: String, hash: String) {
        self.id = id
        self.at = at
        self.account = account
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.detail = detail
        self.prevHash = prevHash
        self.hash = hash
    }

    package var canonical: String {
        [String(id), String(format: "%.6f", at.timeIntervalSince1970), account, action, entity,
         entityID.map(String.init) ?? "", detail].joined(separator: "\u{1F}")
    }

    package static func chainHash(previous: String, canonical: String) -> String {
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
}

/// The audit chain's check, the same for every backend.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// Walks the chain from the first entry and names the first entry that was changed, removed
    /// or inserted. The head kept apart catches entries removed from, or added at, the end.
    public static func verify(_ trail: AuditTrail) -> AuditFinding {
        let headParts = trail.head?.split(separator: " ")
        let headID = headParts.flatMap { $0.count == 2 ? Int64($0[0]) : nil }
        var previous = genesis
        var previousID: Int64 = 0
        var count = 0
        for entry in trail.entries {
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
