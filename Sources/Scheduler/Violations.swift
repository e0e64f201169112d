import Foundation
import OrderModel

public enum ViolationKind: String, Codable, Sendable {
    case missedCheck = "missed-check"
    case breach
}

/// An entry of the supervisor's list: a missed check (by the police) or a breach (by the respondent).
public struct Violation: Hashable, Sendable {
    public var kind: ViolationKind
    public var orderID: Int64?
    public var orderNumber: String
    public var district: String
    public var officer: String
    /// The day that places it in a period: the due date of a missed check, the date of a breach.
    public var day: LocalDay
    /// missed-check.
    public var due: LocalDay?
    public var checked: LocalDay?
    public var daysLate: Int?
    /// breach.
    public var breachID: Int64?
    public var occurred: Date?
    public var isOpen: Bool?
    /// breach: the day it was closed.
    public var closedDay: LocalDay?

    /// By day, then order number, then missed checks before breaches.
    public static func precedes(_ a: Violation, _ b: Violation) -> Bool {
        if a.day != b.day { return a.day < b.day }
        if a.orderNumber != b.orderNumber { return a.orderNumber < b.orderNumber }
        if a.kind != b.kind { return a.kind == .missedCheck }
        return (a.breachID ?? 0) < (b.breachID ?? 0)
    }
}

extension Scheduler {
    /// Missed checks whose first missed due date, and breaches whose date, falls in `from...to`,
    /// as known at `instant` (RULES.md 9, 10).
    public func violations(for histories: [OrderHistory], from: LocalDay, to: LocalDay, asOf instant: Date) -> [Violation] {
        var list: [Violation] = []
        for history in histories {
            let order = history.order
            func violation(_ kind: ViolationKind, day: LocalDay) -> Violation {
                Violation(kind: kind, orderID: order.id, orderNumber: order.number, district: order.district,
                          officer: order.officer, day: day)
            }
            for missed in timeline(of: history, asOf: instant).missedChecks where missed.due >= from && missed.due <= to {
                var v = violation(.missedCheck, day: missed.due)
                v.due = missed.due
                v.checked = missed.checked
                v.daysLate = missed.daysLate
                list.append(v)
            }
            for breach in history.known(at: instant).breaches {
                let occurred = day(breach.occurred)
                guard occurred >= from, occurred <= to else { continue }
                var v = violation(.breach, day: occurred)
                v.breachID = breach.id
                v.occurred = breach.occurred
                v.isOpen = breach.isOpen
                v.closedDay = breach.closed.map(day)
                list.append(v)
            }
        }
        // Sorted by position, then gathered: a violation is a large value, and a sort moves what it sorts.
        return list.indices.sorted { Violation.precedes(list[$0], list[$1]) }.map { list[$0] }
    }
}
