import Foundation
import OrderModel

/// The kinds of alert, in the order the daily screen shows them (RULES.md).
public enum AlertKind: String, Codable, Sendable, CaseIterable {
    case breachOpen = "breach-open"
    case checkOverdue = "check-overdue"
    case unserved
    case checkDue = "check-due"
    case expiring

    /// Lower is more urgent.
    public var rank: Int { AlertKind.allCases.firstIndex(of: self) ?? 0 }

    public var severity: Severity {
        switch self {
        case .breachOpen: .critical
        case .checkOverdue, .unserved: .high
        case .checkDue, .expiring: .medium
        }
    }
}

public enum Severity: String, Codable, Sendable {
    case critical, high, medium
}

/// Something that needs a person's action today.
public struct Alert: Hashable, Sendable {
    public var kind: AlertKind
    public var orderID: Int64?
    public var orderNumber: String
    public var district: String
    public var officer: String
    public var respondent: String
    /// check-overdue, check-due: the due date, and what it runs from: the last counted check
    /// (`anchorIsCheck`) or the service.
    public var due: LocalDay?
    public var anchor: LocalDay?
    public var anchorIsCheck = false
    /// check-overdue.
    public var daysOverdue: Int?
    /// check-due (to the due date), expiring (to the expiry date).
    public var daysLeft: Int?
    /// expiring.
    public var expires: Date?
    /// unserved.
    public var issued: Date?
    /// breach-open: the breach, its day and who reported it.
    public var breachID: Int64?
    public var occurred: Date?
    public var occurredDay: LocalDay?
    public var reportedBy: String?
    /// breach-open: whole days since the breach's day (0 on the day itself);
    /// breach-open, unserved: whole hours since the breach or the issue.
    public var daysOpen: Int?
    public var hoursOpen: Int?

    public var severity: Severity { kind.severity }

    init(kind: AlertKind, order: Order) {
        self.kind = kind
        orderID = order.id
        orderNumber = order.number
        district = order.district
        officer = order.officer
        respondent = order.respondent.name
    }

    /// RULES.md: breach-open > check-overdue (most days first) > unserved > check-due > expiring;
    /// ties by order number.
    public static func precedes(_ a: Alert, _ b: Alert) -> Bool {
        if a.kind != b.kind { return a.kind.rank < b.kind.rank }
        if a.kind == .checkOverdue, a.daysOverdue != b.daysOverdue { return (a.daysOverdue ?? 0) > (b.daysOverdue ?? 0) }
        if a.orderNumber != b.orderNumber { return a.orderNumber < b.orderNumber }
        return (a.breachID ?? 0) < (b.breachID ?? 0)
    }
}

extension Scheduler {
    /// Today's alerts as of `instant` (RULES.md 5 to 9), most urgent first.
    ///
    /// Only the last counted check at or before `instant` moves the due date, so a caller
    /// may pass each order with that check alone (and its open breaches) and get the same alerts.
    public func alerts(for histories: [OrderHistory], asOf instant: Date) -> [Alert] {
        var alerts: [Alert] = []
        alerts.reserveCapacity(histories.count)
        for history in histories {
            alerts += self.alerts(for: history, asOf: instant)
        }
        // Sorted by position, then gathered: an alert is a large value, and a sort moves what it sorts.
        return alerts.indices.sorted { Alert.precedes(alerts[$0], alerts[$1]) }.map { alerts[$0] }
    }

    /// The alerts of one order, unsorted.
    public func alerts(for history: OrderHistory, asOf instant: Date) -> [Alert] {
        let order = history.order
        guard order.issued <= instant else { return [] }
        let known = history.known(at: instant)
        let today = day(instant)
        var alerts: [Alert] = []
        for breach in known.breaches where breach.isOpen {
            var a = Alert(kind: .breachOpen, order: order)
            a.breachID = breach.id
            a.occurred = breach.occurred
            a.occurredDay = day(breach.occurred)
            a.reportedBy = breach.reportedBy
            a.daysOpen = max(0, today - day(breach.occurred))
            a.hoursOpen = max(0, Int(saturating: instant.timeIntervalSince(breach.occurred) / 3600))
            alerts.append(a)
        }
        let timeline = timeline(of: known, asOf: instant)
        switch timeline.status {
        case .active:
            if let due = timeline.nextDue, let anchor = timeline.anchor {
                var a = Alert(kind: today > due ? .checkOverdue : .checkDue, order: order)
                a.due = due
                a.anchor = anchor
                a.anchorIsCheck = timeline.anchorIsCheck
                if today > due {
                    a.daysOverdue = today - due
                    alerts.append(a)
                } else if due - today <= rules.horizons.dueSoonDays {
                    a.daysLeft = due - today
                    alerts.append(a)
                }
            }
            if let expires = timeline.expires {
                let left = day(expires) - today
                if (0...rules.horizons.expiringDays).contains(left) {
                    var a = Alert(kind: .expiring, order: order)
                    a.expires = expires
                    a.daysLeft = left
                    alerts.append(a)
                }
            }
        case .unserved:
            let waited = instant.timeIntervalSince(order.issued)
            if waited >= Double(rules.horizons.unservedGraceHours) * 3600 {
                var a = Alert(kind: .unserved, order: order)
                a.issued = order.issued
                a.hoursOpen = Int(saturating: waited / 3600)
                alerts.append(a)
            }
        case .expired, .revoked:
            break
        }
        return alerts
    }
}
