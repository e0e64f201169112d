import Foundation
import OrderModel
import Scheduler

/// The field of a stored order (or of one of its checks, breaches or corrections) that holds a value
/// no Qorgau wrote: named as the stored field is, the same on every backend.
public enum DamagedField: String, Sendable, CaseIterable {
    case id, number, kind, issued, served, revoked
    case termDays = "term-days", checkIntervalDays = "check-interval-days"
    case district, officer, restrictions, survivor
    case survivorInitials = "survivor-initials"
    case respondentName = "respondent-name", respondentBirthDate = "respondent-birth-date"
    case respondentAddress = "respondent-address", respondentPhone = "respondent-phone"
    case revocationReason = "revocation-reason"
    case checkTime = "check-time", checkMethod = "check-method", checkOutcome = "check-outcome", checkText = "check-text"
    case breachTime = "breach-time", breachText = "breach-text"
    case correction
}

/// An order that could not be read as it is stored: reported once, left out of every computation, while
/// every other order still gets its alerts and violations.
public struct DamagedRecord: Hashable, Sendable {
    public var orderID: Int64?
    /// The order's number, when that itself could be read.
    public var number: String?
    /// The first field found damaged.
    public var field: DamagedField

    public init(orderID: Int64?, number: String?, field: DamagedField) {
        self.orderID = orderID
        self.number = number
        self.field = field
    }

    /// How messages name the order: its number, else its row ("#12").
    public var label: String { number ?? "#\(orderID.map(String.init) ?? "?")" }
}

/// What a read found: the values that kept to the bounds, and the orders that did not (each once).
public struct Screened<Value: Sendable>: Sendable {
    public var values: [Value]
    public var damaged: [DamagedRecord]

    public init(values: [Value], damaged: [DamagedRecord] = []) {
        self.values = values
        self.damaged = damaged
    }

    public func map<Other: Sendable>(_ transform: (Value) throws -> Other) rethrows -> Screened<Other> {
        Screened<Other>(values: try values.map(transform), damaged: damaged)
    }
}

/// The damaged orders of one read, by order, the first field found for each.
public struct DamageLog: Sendable {
    private var records: [Int64: DamagedRecord] = [:]
    private var unnumbered: [DamagedRecord] = []

    public init() {}

    /// Notes `field` of order `orderID` (its number, when known); an order already noted keeps its first field.
    public mutating func note(orderID: Int64?, number: String? = nil, _ field: DamagedField) {
        guard let orderID else {
            unnumbered.append(DamagedRecord(orderID: nil, number: number, field: field))
            return
        }
        if var known = records[orderID] {
            if known.number == nil, let number {
                known.number = number
                records[orderID] = known
            }
            return
        }
        records[orderID] = DamagedRecord(orderID: orderID, number: number, field: field)
    }

    /// Gives a noted order its number once its row is read.
    public mutating func name(orderID: Int64, number: String) {
        guard var known = records[orderID], known.number == nil else { return }
        known.number = number
        records[orderID] = known
    }

    public func contains(_ orderID: Int64?) -> Bool { orderID.map { records[$0] != nil } ?? false }

    public var isEmpty: Bool { records.isEmpty && unnumbered.isEmpty }

    /// Every damaged order, by its label.
    public var damaged: [DamagedRecord] {
        (Array(records.values) + unnumbered).sorted { ($0.label, $0.orderID ?? 0) < ($1.label, $1.orderID ?? 0) }
    }

    /// `values` without those of damaged orders, with the damaged ones beside.
    public func screen<Value: Sendable>(_ values: [Value], orderID: (Value) -> Int64?) -> Screened<Value> {
        Screened(values: values.filter { !contains(orderID($0)) }, damaged: damaged)
    }
}

/// A value as a database row holds it, before it is believed.
public enum StoredValue: Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes(Data)
}

/// Reads the columns of one row, believing only values within bounds (`RecordBounds`, the rule set's
/// ranges, the known kinds, whole text): the first that is not is `damage`, and its place holds a
/// harmless stand-in that nothing computes with.
public struct RowCheck {
    private let value: (String) -> StoredValue
    public private(set) var damage: DamagedField?

    public init(_ value: @escaping (String) -> StoredValue) { self.value = value }

    public mutating func fail(_ field: DamagedField) {
        if damage == nil { damage = field }
    }

    /// An instant (seconds since 1970) within 1900–2200; nil when NULL (a failure when `required`) or damaged.
    public mutating func instant(_ column: String, _ field: DamagedField, required: Bool = true) -> Date? {
        let seconds: Double?
        switch value(column) {
        case .null:
            if required { fail(field) }
            return nil
        case .integer(let i): seconds = Double(i)
        case .real(let d): seconds = d
        case .text(let t): seconds = Double(t)
        case .bytes: seconds = nil
        }
        guard let seconds, let instant = RecordBounds.instant(seconds) else {
            fail(field)
            return nil
        }
        return instant
    }

    /// A whole number; nil when NULL (a failure when `required`) or not a whole number.
    public mutating func integer(_ column: String, _ field: DamagedField, required: Bool = true) -> Int64? {
        let number: Int64?
        switch value(column) {
        case .null:
            if required { fail(field) }
            return nil
        case .integer(let i): number = i
        case .real(let d): number = d.isFinite && d.magnitude < 9e15 && d == d.rounded() ? Int64(d) : nil
        case .text(let t): number = Int64(t)
        case .bytes: number = nil
        }
        if number == nil { fail(field) }
        return number
    }

    /// Text (bytes must be valid UTF-8; text the engine hands over is already made valid, bytes that are
    /// not shown as U+FFFD); nil when NULL (a failure when `required`) or not text.
    public mutating func text(_ column: String, _ field: DamagedField, required: Bool = true) -> String? {
        let text: String?
        switch value(column) {
        case .null:
            if required { fail(field) }
            return nil
        case .text(let t): text = t
        case .bytes(let data): text = String(validating: data, as: UTF8.self)
        case .integer, .real: text = nil
        }
        guard let text else {
            fail(field)
            return nil
        }
        return text
    }

    /// One of an enumeration's known values.
    public mutating func known<Value: RawRepresentable>(_ column: String, _ field: DamagedField) -> Value?
    where Value.RawValue == String {
        guard let raw = text(column, field) else { return nil }
        guard let known = Value(rawValue: raw) else {
            fail(field)
            return nil
        }
        return known
    }
}

/// Where an order's fields are, by backend.
public struct OrderColumns: Sendable {
    public var id, number, kind, issued, served, termDays, checkIntervalDays, district, officer, restrictions: String
    public var survivorInitials, respondentName, respondentBirthDate, respondentAddress, respondentPhone: String
    public var revoked, revocationReason: String

    /// A file's (camelCase).
    public static let file = OrderColumns(
        id: "id", number: "number", kind: "kind", issued: "issued", served: "served", termDays: "termDays",
        checkIntervalDays: "checkIntervalDays", district: "district", officer: "officer", restrictions: "restrictions",
        survivorInitials: "survivorInitials", respondentName: "respondentName", respondentBirthDate: "respondentBirthDate",
        respondentAddress: "respondentAddress", respondentPhone: "respondentPhone", revoked: "revoked",
        revocationReason: "revocationReason")

    /// A server's (snake_case).
    public static let server = OrderColumns(
        id: "id", number: "number", kind: "kind", issued: "issued", served: "served", termDays: "term_days",
        checkIntervalDays: "check_interval_days", district: "district", officer: "officer", restrictions: "restrictions",
        survivorInitials: "survivor_initials", respondentName: "respondent_name", respondentBirthDate: "respondent_birth_date",
        respondentAddress: "respondent_address", respondentPhone: "respondent_phone", revoked: "revoked",
        revocationReason: "revocation_reason")
}

/// Where a check's and a breach's fields are, by backend.
public struct EventColumns: Sendable {
    public var orderID, reportedBy, checkID: String

    public static let file = EventColumns(orderID: "orderID", reportedBy: "reportedBy", checkID: "checkID")
    public static let server = EventColumns(orderID: "order_id", reportedBy: "reported_by", checkID: "check_id")
}

extension RowCheck {
    /// An order as stored, its survivor masked (initials and "[hidden]"), checked against `rules`.
    public mutating func order(_ c: OrderColumns, rules: RuleSet) -> Order {
        let id = integer(c.id, .id)
        var number = text(c.number, .number) ?? ""
        // A character is at least one byte: only a number longer in bytes than the limit needs its characters counted.
        if number.isEmpty || (number.utf8.count > rules.limits.numberMaxLength && number.count > rules.limits.numberMaxLength)
            || number.unicodeScalars.contains(where: TextRule.isForbidden) {
            fail(.number)
            number = ""
        }
        let kind: OrderKind = known(c.kind, .kind) ?? .protectiveOrder
        let issued = instant(c.issued, .issued) ?? Date(timeIntervalSince1970: 0)
        let served = instant(c.served, .served, required: false)
        let kindRules = rules.kind(kind)
        var termDays = Int(integer(c.termDays, .termDays) ?? Int64(kindRules.termDays.default))
        if !kindRules.termDays.contains(termDays) {
            fail(.termDays)
            termDays = kindRules.termDays.default
        }
        var interval = Int(integer(c.checkIntervalDays, .checkIntervalDays) ?? Int64(kindRules.checkIntervalDays.default))
        if !kindRules.checkIntervalDays.contains(interval) {
            fail(.checkIntervalDays)
            interval = kindRules.checkIntervalDays.default
        }
        let district = text(c.district, .district) ?? ""
        let officer = text(c.officer, .officer) ?? ""
        let restrictions = text(c.restrictions, .restrictions) ?? ""
        let initials = text(c.survivorInitials, .survivorInitials) ?? Masked.hidden
        let respondentName = text(c.respondentName, .respondentName) ?? ""
        var birthDate: LocalDay?
        if let raw = text(c.respondentBirthDate, .respondentBirthDate, required: false) {
            birthDate = LocalDay(parsing: raw)
            if birthDate == nil { fail(.respondentBirthDate) }
        }
        let address = text(c.respondentAddress, .respondentAddress) ?? ""
        let phone = text(c.respondentPhone, .respondentPhone) ?? ""
        let revoked = instant(c.revoked, .revoked, required: false)
        let reason = text(c.revocationReason, .revocationReason, required: false)
        return Order(id: id, number: number, kind: kind, issued: issued, served: served, termDays: termDays,
                     checkIntervalDays: interval, district: district, officer: officer, restrictions: restrictions,
                     survivor: Masked.survivor(initials: initials),
                     respondent: Respondent(name: respondentName, birthDate: birthDate, address: address, phone: phone),
                     revoked: revoked, revocationReason: reason)
    }

    /// A check as stored.
    public mutating func check(_ c: EventColumns) -> Check {
        Check(id: integer("id", .checkText), orderID: integer(c.orderID, .id) ?? 0,
              at: instant("at", .checkTime) ?? Date(timeIntervalSince1970: 0), officer: text("officer", .checkText) ?? "",
              method: known("method", .checkMethod) ?? .visit, outcome: known("outcome", .checkOutcome) ?? .notLocated,
              note: text("note", .checkText) ?? "")
    }

    /// A breach as stored.
    public mutating func breach(_ c: EventColumns) -> Breach {
        Breach(id: integer("id", .breachText), orderID: integer(c.orderID, .id) ?? 0,
               occurred: instant("occurred", .breachTime) ?? Date(timeIntervalSince1970: 0),
               reported: instant("reported", .breachTime) ?? Date(timeIntervalSince1970: 0),
               reportedBy: text(c.reportedBy, .breachText) ?? "", description: text("description", .breachText) ?? "",
               checkID: integer(c.checkID, .breachText, required: false), closed: instant("closed", .breachTime, required: false),
               action: text("action", .breachText, required: false))
    }
}

/// The unscreened reads of the port, for callers that want only the orders that could be read (a benchmark,
/// a test): the screened ones without their damaged list.
extension StoreBackend {
    public func orders(status: OrderStatus?, asOf instant: Date) throws -> [OrderListRow] {
        try screenedOrders(status: status, asOf: instant).values
    }

    public func screenedAlertCandidates(asOf instant: Date) throws -> Screened<OrderHistory> {
        try screenedAlertCandidates(asOf: instant, among: nil)
    }

    public func screenedViolationCandidates(from start: Date, to end: Date) throws -> Screened<OrderHistory> {
        try screenedViolationCandidates(from: start, to: end, among: nil)
    }

    public func alertCandidates(asOf instant: Date) throws -> [OrderHistory] {
        try screenedAlertCandidates(asOf: instant).values
    }

    public func violationCandidates(from start: Date, to end: Date) throws -> [OrderHistory] {
        try screenedViolationCandidates(from: start, to: end).values
    }

    public func allOrders() throws -> [StoredOrder] {
        try screenedAllOrders().values
    }
}
