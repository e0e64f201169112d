import Foundation
import OrderModel
import OrderStore
import Scheduler

extension Words {
    /// Why an alert is raised, in words: "no check since 12.11; due 19.11; 3 days overdue".
    /// `format` writes instants in the store's time zone.
    public func reason(_ alert: Alert, format: InstantFormat) -> String {
        let since = alert.anchorIsCheck ? "since-check" : "since-service"
        switch alert.kind {
        case .breachOpen:
            let hours = alert.hoursOpen ?? 0
            return text("alert.breach-open", [
                "occurred": alert.occurredDay?.short ?? "", "reportedBy": alert.reportedBy ?? "",
                "days": hours < 24 ? self.hours(hours) : days(alert.daysOpen ?? 0),
            ])
        case .checkOverdue:
            return text("alert.check-overdue.\(since)", [
                "anchor": alert.anchor?.short ?? "", "due": alert.due?.short ?? "", "days": days(alert.daysOverdue ?? 0),
            ])
        case .checkDue:
            return text("alert.check-due.\(since)", [
                "anchor": alert.anchor?.short ?? "", "due": alert.due?.short ?? "", "when": when(inDays: alert.daysLeft ?? 0),
            ])
        case .expiring:
            return text("alert.expiring", [
                "expires": alert.expires.map(format.human) ?? "", "when": when(inDays: alert.daysLeft ?? 0),
            ])
        case .unserved:
            return text("alert.unserved", [
                "issued": alert.issued.map(format.human) ?? "", "hours": hours(alert.hoursOpen ?? 0),
            ])
        }
    }

    /// What a violation is, in words: "check due 19.11 never came; 4 days late".
    public func reason(_ violation: Violation) -> String {
        switch violation.kind {
        case .missedCheck:
            let values = ["due": violation.due?.short ?? "", "days": days(violation.daysLate ?? 0)]
            guard let checked = violation.checked else { return text("violation.missed-check.open", values) }
            return text("violation.missed-check.closed", values.merging(["checked": checked.short]) { a, _ in a })
        case .breach:
            let occurred = violation.day.short
            guard let closed = violation.closedDay else { return text("violation.breach.open", ["occurred": occurred]) }
            return text("violation.breach.closed", ["occurred": occurred, "closed": closed.short])
        }
    }
}
