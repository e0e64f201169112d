import Foundation
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
    public var isSurvivorData: Bool { rawValue.hasPrefix("survivor") }

    /// The field as refusals and the wording layer name it.
    public var subject: Field {
        switch self {
        case .district: .district
        case .officer: .officer
        case .restrictions: .restrictions
        case .respondentAddress: .respondentAddress
        case .respondentPhone: .respondentPhone
        case .survivorPhone: .survivorPhone
        case .survivorContact: .survivorContact
        case .survivorNotes: .survivorNotes
        }
    }
}

/// One correction, as shown on an order's timeline (survivor values only when they may be seen).
public struct Correction: Hashable, Sendable {
    public var id: Int64
    public var field: CorrectableField
    public var value: String
    public var reason: String
    public var at: Date
    public var account: String

    public init(id: Int64, field: CorrectableField, value: String, reason: String, at: Date, account: String) {
        self.id = id
        self.field = field
        self.value = value
        self.reason = reason
        self.at = at
        self.account = account
    }
}

extension Order {
    /// The order with its corrections applied, oldest first.
    public func applying(_ corrections: [Correction]?) -> Order {
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
