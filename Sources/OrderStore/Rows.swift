import Foundation
import GRDB
import OrderModel

/// The append-only history of writes. Details never hold survivor data.
enum History {
    static func append(_ db: Database, actor: Actor, now: Date, action: String, entity: String, entityID: Int64?,
                       detail: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(detail), as: UTF8.self)
        try db.execute(sql: "INSERT INTO history (at, account, action, entity, entityID, detail) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [now.timeIntervalSince1970, actor.account, action, entity, entityID, json])
    }
}

/// One entry of the history table.
public struct HistoryEntry: Hashable, Sendable {
    public var id: Int64
    public var at: Date
    public var account: String
    public var action: String
    public var entity: String
    public var entityID: Int64?
    public var detail: String
}

/// Mapping between rows and the model. Instants are REAL seconds since 1970.
enum Rows {
    static func date(_ row: Row, _ column: String) -> Date? {
        (row[column] as Double?).map(Date.init(timeIntervalSince1970:))
    }

    static func order(_ row: Row) throws -> Order {
        let survivorData: Data = row["survivor"] ?? Data()
        let survivor = (try? JSONDecoder().decode(Survivor.self, from: survivorData)) ?? Survivor(name: "")
        return Order(
            id: row["id"],
            number: row["number"] ?? "",
            kind: OrderKind(rawValue: row["kind"] ?? "") ?? .protectiveOrder,
            issued: date(row, "issued") ?? Date(timeIntervalSince1970: 0),
            served: date(row, "served"),
            termDays: row["termDays"] ?? 0,
            checkIntervalDays: row["checkIntervalDays"] ?? 0,
            district: row["district"] ?? "",
            officer: row["officer"] ?? "",
            restrictions: row["restrictions"] ?? "",
            survivor: survivor,
            respondent: Respondent(
                name: row["respondentName"] ?? "",
                birthDate: (row["respondentBirthDate"] as String?).flatMap(LocalDay.init(parsing:)),
                address: row["respondentAddress"] ?? "",
                phone: row["respondentPhone"] ?? ""),
            revoked: date(row, "revoked"),
            revocationReason: row["revocationReason"])
    }

    static func check(_ row: Row) -> Check {
        Check(id: row["id"], orderID: row["orderID"] ?? 0, at: date(row, "at") ?? Date(timeIntervalSince1970: 0),
              officer: row["officer"] ?? "", method: CheckMethod(rawValue: row["method"] ?? "") ?? .visit,
              outcome: CheckOutcome(rawValue: row["outcome"] ?? "") ?? .notLocated, note: row["note"] ?? "")
    }

    static func breach(_ row: Row) -> Breach {
        Breach(id: row["id"], orderID: row["orderID"] ?? 0, occurred: date(row, "occurred") ?? Date(timeIntervalSince1970: 0),
               reported: date(row, "reported") ?? Date(timeIntervalSince1970: 0), reportedBy: row["reportedBy"] ?? "",
               description: row["description"] ?? "", checkID: row["checkID"], closed: date(row, "closed"),
               action: row["action"])
    }

    static func historyEntry(_ row: Row) -> HistoryEntry {
        HistoryEntry(id: row["id"] ?? 0, at: date(row, "at") ?? Date(timeIntervalSince1970: 0), account: row["account"] ?? "",
                     action: row["action"] ?? "", entity: row["entity"] ?? "", entityID: row["entityID"],
                     detail: row["detail"] ?? "")
    }
}
