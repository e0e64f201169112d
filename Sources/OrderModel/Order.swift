import Foundation

/// The two kinds of order of the rule set.
public enum OrderKind: String, Codable, Sendable, CaseIterable {
    case protectiveOrder = "protective-order"
    case specialRequirements = "special-requirements"
}

/// The person the order protects. Every field is confidential.
public struct Survivor: Codable, Hashable, Sendable {
    public var name: String
    public var phone: String
    /// Where she can be reached or is sheltered.
    public var contact: String
    public var notes: String

    public init(name: String, phone: String = "", contact: String = "", notes: String = "") {
        self.name = name
        self.phone = phone
        self.contact = contact
        self.notes = notes
    }
}

/// The person the order is against.
public struct Respondent: Codable, Hashable, Sendable {
    public var name: String
    public var birthDate: LocalDay?
    public var address: String
    public var phone: String

    public init(name: String, birthDate: LocalDay? = nil, address: String = "", phone: String = "") {
        self.name = name
        self.birthDate = birthDate
        self.address = address
        self.phone = phone
    }
}

/// A protective order or a set of court special requirements.
public struct Order: Codable, Hashable, Sendable {
    public var id: Int64?
    public var number: String
    public var kind: OrderKind
    public var issued: Date
    public var served: Date?
    public var termDays: Int
    public var checkIntervalDays: Int
    public var district: String
    public var officer: String
    public var restrictions: String
    public var survivor: Survivor
    public var respondent: Respondent
    public var revoked: Date?
    public var revocationReason: String?

    public init(id: Int64? = nil, number: String, kind: OrderKind = .protectiveOrder, issued: Date, served: Date? = nil,
                termDays: Int, checkIntervalDays: Int, district: String = "", officer: String = "",
                restrictions: String = "", survivor: Survivor, respondent: Respondent,
                revoked: Date? = nil, revocationReason: String? = nil) {
        self.id = id
        self.number = number
        self.kind = kind
        self.issued = issued
        self.served = served
        self.termDays = termDays
        self.checkIntervalDays = checkIntervalDays
        self.district = district
        self.officer = officer
        self.restrictions = restrictions
        self.survivor = survivor
        self.respondent = respondent
        self.revoked = revoked
        self.revocationReason = revocationReason
    }

    /// The key that makes two numbers the same order: trimmed, case-folded.
    public static func numberKey(_ number: String) -> String {
        number.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

public enum CheckMethod: String, Codable, Sendable, CaseIterable {
    case visit, phone, summons
}

public enum CheckOutcome: String, Codable, Sendable, CaseIterable {
    case compliant, breach
    case notLocated = "not-located"

    /// A counted check: the respondent's adherence was actually checked (RULES.md 2).
    public var isCounted: Bool { self != .notLocated }
}

/// A police check of the respondent's adherence.
public struct Check: Codable, Hashable, Sendable {
    public var id: Int64?
    public var orderID: Int64
    public var at: Date
    public var officer: String
    public var method: CheckMethod
    public var outcome: CheckOutcome
    public var note: String

    public init(id: Int64? = nil, orderID: Int64, at: Date, officer: String, method: CheckMethod = .visit,
                outcome: CheckOutcome, note: String = "") {
        self.id = id
        self.orderID = orderID
        self.at = at
        self.officer = officer
        self.method = method
        self.outcome = outcome
        self.note = note
    }
}

/// A violation of the order by the respondent. Open until an action is recorded.
public struct Breach: Codable, Hashable, Sendable {
    public var id: Int64?
    public var orderID: Int64
    public var occurred: Date
    public var reported: Date
    public var reportedBy: String
    public var description: String
    /// The check that found it, when a check with outcome `breach` opened it.
    public var checkID: Int64?
    public var closed: Date?
    public var action: String?

    public init(id: Int64? = nil, orderID: Int64, occurred: Date, reported: Date, reportedBy: String,
                description: String, checkID: Int64? = nil, closed: Date? = nil, action: String? = nil) {
        self.id = id
        self.orderID = orderID
        self.occurred = occurred
        self.reported = reported
        self.reportedBy = reportedBy
        self.description = description
        self.checkID = checkID
        self.closed = closed
        self.action = action
    }

    public var isOpen: Bool { closed == nil }
}

/// "Айгерим Нұрланқызы" -> "А. Н.": what lists show of a survivor.
public enum Initials {
    public static func of(_ name: String) -> String {
        name.split(separator: " ").compactMap(\.first).map { "\($0)." }.joined(separator: " ")
    }
}
