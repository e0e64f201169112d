import Foundation
import GRDB
import OrderModel
import OrderStore

/// Mapping between rows and the model. Instants are REAL seconds since 1970.
enum Rows {
    static func date(_ row: Row, _ column: String) -> Date? {
        (row[column] as Double?).map(Date.init(timeIntervalSince1970:))
    }

    static func maskedSurvivor(_ row: Row) -> Survivor {
        Masked.survivor(initials: row["survivorInitials"] ?? Masked.hidden)
    }

    static func order(_ row: Row, survivor: Survivor? = nil) -> Order {
        Order(
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
            survivor: survivor ?? maskedSurvivor(row),
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
                     detail: row["detail"] ?? "", prevHash: row["prevHash"] ?? "", hash: row["hash"] ?? "")
    }
}
