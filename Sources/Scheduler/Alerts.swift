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
    /// Plain words: "no check since 12.11; due 19.11; 3 days overdue".
    public var reason: String
    /// check-overdue, check-due: the due date.
    public var due: LocalDay?
    /// check-overdue.
    public var daysOverdue: Int?
    /// check-due (to the due date), expiring (to the expiry date).
    public var daysLeft: Int?
    /// expiring.
    public var expires: Date?
    /// unserved.
    public var issued: Date?
    /// breach-open.
    public var breachID: Int64?
    public var occurred: Date?

    public var severity: Severity { kind.severity }

    init(kind: AlertKind, order: Order, reason: String) {
        self.kind = kind
        orderID = order.id
        orderNumber = order.number
        district = order.district
        officer = order.officer
        respondent = order.respondent.name
        self.reason = reason
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
    public func alerts(for histories: [OrderHistory], asOf instant: Date, catalog: Catalog = .english) -> [Alert] {
        var alerts: [Alert] = []
        for history in histories {
            alerts += self.alerts(for: history, asOf: instant, catalog: catalog)
        }
        return alerts.sorted(by: Alert.precedes)
    }

    /// The alerts of one order, unsorted.
    public func alerts(for history: OrderHistory, asOf instant: Date, catalog: Catalog = .english) -> [Alert] {
        let order = history.order
        guard order.issued <= instant else { return [] }
        let known = history.known(at: instant)
        let today = day(instant)
        var alerts: [Alert] = []
        for breach in known.breaches where breach.isOpen {
            var a = Alert(kind: .breachOpen, order: order, reason: catalog.text("alert.breach-open", [
                "occurred": day(breach.occurred).short,
                "reportedBy": breach.reportedBy,
                "days": instant.timeIntervalSince(breach.occurred) < 86_400
                    ? catalog.hours(max(0, Int(instant.timeIntervalSince(breach.occurred) / 3600)))
                    : catalog.days(max(0, today - day(breach.occurred))),
            ]))
            a.breachID = breach.id
            a.occurred = breach.occurred
            alerts.append(a)
        }
        let timeline = timeline(of: known, asOf: instant)
        switch timeline.status {
        case .active:
            if let due = timeline.nextDue, let anchor = timeline.anchor {
                let since = timeline.anchorIsCheck ? "since-check" : "since-service"
                if today > due {
                    var a = Alert(kind: .checkOverdue, order: order, reason: catalog.text("alert.check-overdue.\(since)", [
                        "anchor": anchor.short, "due": due.short, "days": catalog.days(today - due),
                    ]))
                    a.due = due
                    a.daysOverdue = today - due
                    alerts.append(a)
                } else if due - today <= rules.horizons.dueSoonDays {
                    var a = Alert(kind: .checkDue, order: order, reason: catalog.text("alert.check-due.\(since)", [
                        "anchor": anchor.short, "due": due.short, "when": catalog.when(inDays: due - today),
                    ]))
                    a.due = due
                    a.daysLeft = due - today
                    alerts.append(a)
                }
            }
            if let expires = timeline.expires {
                let left = day(expires) - today
                if (0...rules.horizons.expiringDays).contains(left) {
                    var a = Alert(kind: .expiring, order: order, reason: catalog.text("alert.expiring", [
                        "expires": InstantFormat(timeZone: timeZone).human(expires), "when": catalog.when(inDays: left),
                    ]))
                    a.expires = expires
                    a.daysLeft = left
                    alerts.append(a)
                }
            }
        case .unserved:
            let waited = instant.timeIntervalSince(order.issued)
            if waited >= Double(rules.horizons.unservedGraceHours) * 3600 {
                var a = Alert(kind: .unserved, order: order, reason: catalog.text("alert.unserved", [
                    "issued": InstantFormat(timeZone: timeZone).human(order.issued),
                    "hours": catalog.hours(Int(waited / 3600)),
                ]))
                a.issued = order.issued
                alerts.append(a)
            }
        case .expired, .revoked:
            break
        }
        return alerts
    }
}
