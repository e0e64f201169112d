import Foundation
import GRDB
import OrderModel

/// The details of an order that can be corrected after it was written. The number, the dates,
/// the term and the parties' names are the order itself: a wrong one is revoked and re-issued.
public enum CorrectableField: String, CaseIterable, Sendable {
    case district, officer, restrictions
    case respondentAddress = "respondent-address"
    case respondentPhone = "respondent-phone"
    case survivorPhone = "survivor-phone"
    case survivorContact = "survivor-contact"
    case survivorNotes = "survivor-notes"

    /// Survivor fields are sealed like the order's own.
    var isSurvivorData: Bool { rawValue.hasPrefix("survivor") }
}

/// One correction, as shown on an order's timeline (survivor values only when they may be seen).
public struct Correction: Hashable, Sendable {
    public var id: Int64
    public var field: CorrectableField
    public var value: String
    public var reason: String
    public var at: Date
    public var account: String
}

extension OrderStore {
    /// Records a correction of one detail of an order, with its reason (supervisors only).
    public func correct(_ number: String, field: CorrectableField, value: String, reason: String, now: Date) throws {
        let max = field == .restrictions || field == .survivorNotes || field == .survivorContact || field == .respondentAddress
            ? rules.limits.textMaxLength : rules.limits.nameMaxLength
        let value = try TextRule.clean(value, field: field.rawValue.replacingOccurrences(of: "-", with: " "), max: max, required: false)
        let reason = try TextRule.clean(reason, field: "reason", max: rules.limits.textMaxLength)
        try guarded(.correct, now: now) { db in
            let order = try requireHistory(db, number: number).order
            let key = Order.numberKey(order.number)
            let stored: Data = field.isSurvivorData ? try vault.seal(Data(value.utf8), context: key + "/" + field.rawValue)
                : Data(value.utf8)
            try db.execute(sql: "INSERT INTO corrections (orderID, field, value, reason, at, account) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [order.id, field.rawValue, stored, reason, now.timeIntervalSince1970, user.login])
            try History.append(db, account: user.login, now: now, action: "order.correct", entity: "order", entityID: order.id,
                               detail: ["number": order.number, "field": field.rawValue, "correction": String(db.lastInsertedRowID)])
        }
    }

    /// Every correction, by order: empty (and nearly free) in the usual file that has none.
    func corrections(_ db: Database, reveal: Bool) throws -> [Int64: [Correction]] {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM corrections)") == true else { return [:] }
        var byOrder: [Int64: [Correction]] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT corrections.*, orders.numberKey FROM corrections JOIN orders ON orders.id = corrections.orderID
            ORDER BY corrections.id
            """)
        for row in rows {
            guard let field = CorrectableField(rawValue: row["field"] ?? ""), let orderID: Int64 = row["orderID"] else { continue }
            let raw: Data = row["value"] ?? Data()
            let value: String
            if field.isSurvivorData {
                let context = (row["numberKey"] ?? "") + "/" + field.rawValue
                value = reveal && canSeeSurvivor ? (try vault.open(raw, context: context)).map { String(decoding: $0, as: UTF8.self) }
                    ?? Rows.hidden : Rows.hidden
            } else {
                value = String(decoding: raw, as: UTF8.self)
            }
            byOrder[orderID, default: []].append(Correction(id: row["id"] ?? 0, field: field, value: value,
                                                            reason: row["reason"] ?? "", at: Rows.date(row, "at") ?? .distantPast,
                                                            account: row["account"] ?? ""))
        }
        return byOrder
    }
}

extension Order {
    /// The order with its corrections applied, oldest first.
    func applying(_ corrections: [Correction]?) -> Order {
        guard let corrections else { return self }
        var o = self
        for c in corrections {
            switch c.field {
            case .district: o.district = c.value
            case .officer: o.officer = c.value
            case .restrictions: o.restrictions = c.value
            case .respondentAddress: o.respondent.address = c.value
            case .respondentPhone: o.respondent.phone = c.value
            case .survivorPhone: o.survivor.phone = c.value
            case .survivorContact: o.survivor.contact = c.value
            case .survivorNotes: o.survivor.notes = c.value
            }
        }
        return o
    }
}
