import Foundation
import OrderModel

/// An order with what was recorded about it.
public struct OrderHistory: Sendable, Hashable {
    public var order: Order
    public var checks: [Check]
    public var breaches: [Breach]

    public init(order: Order, checks: [Check] = [], breaches: [Breach] = []) {
        self.order = order
        self.checks = checks
        self.breaches = breaches
    }

    /// The history as it stood at `instant`: later service, revocation, checks,
    /// breaches and closings are not yet known.
    public func known(at instant: Date) -> OrderHistory {
        var h = self
        if let s = order.served, s > instant { h.order.served = nil }
        if let r = order.revoked, r > instant { h.order.revoked = nil; h.order.revocationReason = nil }
        h.checks = checks.filter { $0.at <= instant }
        h.breaches = breaches.filter { $0.occurred <= instant }.map { b in
            var b = b
            if let c = b.closed, c > instant { b.closed = nil; b.action = nil }
            return b
        }
        return h
    }
}

/// Where an order stands as of an instant.
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case unserved, active, expired, revoked
}

/// A missed check (RULES.md 10): one gap after an enforced due date with no counted check.
public struct MissedCheck: Hashable, Sendable {
    /// The first missed due date.
    public var due: LocalDay
    /// The date of the counted check that ended the gap; nil while the gap is open.
    public var checked: LocalDay?
    public var daysLate: Int
}

/// Everything the rules say about one order as of an instant.
public struct OrderTimeline: Hashable, Sendable {
    public var status: OrderStatus
    public var expires: Date?
    /// `min(expires, revoked)`: the order is in effect on [served, ends).
    public var ends: Date?
    /// The date of the service or of the last counted check: the clock's anchor.
    public var anchor: LocalDay?
    /// True when the anchor is a counted check, not the service.
    public var anchorIsCheck: Bool
    /// The current enforced due date (RULES.md 3, 4); nil when no further check is demanded.
    public var nextDue: LocalDay?
    /// Every gap, oldest first, including one still open as of the instant.
    public var missedChecks: [MissedCheck]
}

/// The rules of RULES.md as pure functions of histories, a rule set, an instant and a time zone.
/// The only place those rules live in code.
public struct Scheduler: Sendable {
    public let rules: RuleSet
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(rules: RuleSet, timeZone: TimeZone) {
        self.rules = rules
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The local calendar date of an instant.
    public func day(_ instant: Date) -> LocalDay { LocalDay(instant, in: timeZone) }

    /// `served + termDays` calendar days at the same local clock time (RULES.md 1).
    /// A term or instant no record should hold (read from a damaged one) is not given to `Calendar`,
    /// which traps or hangs on such values: it is counted in plain seconds instead, which cannot.
    public func expires(served: Date, termDays: Int) -> Date {
        guard Self.sane.contains(termDays), served.timeIntervalSince1970.magnitude < 1e12 else {
            return served.addingTimeInterval(Double(termDays) * 86_400)
        }
        // The same clock time `termDays` later is `termDays` × 24 hours later wherever the zone's offset then
        // (and for 12 hours either side) is the offset at `served`: that clock time exists once, and no
        // `Calendar` is needed. Near a change of offset, the calendar decides.
        let offset = timeZone.secondsFromGMT(for: served)
        let later = served.addingTimeInterval(Double(termDays) * 86_400)
        if timeZone.secondsFromGMT(for: later) == offset, timeZone.secondsFromGMT(for: later.addingTimeInterval(-43_200)) == offset,
           timeZone.secondsFromGMT(for: later.addingTimeInterval(43_200)) == offset {
            return later
        }
        return calendar.date(byAdding: .day, value: termDays, to: served) ?? later
    }

    /// The days `Calendar` is asked to add: a thousand years either way.
    private static let sane = -366_000...366_000

    /// A due date is enforced when the order is still in effect at the end of that day (RULES.md 4).
    public func isEnforced(_ due: LocalDay, ends: Date) -> Bool {
        ends > (due + 1).start(in: timeZone)
    }

    /// The status of an order as of `instant`.
    public func status(of order: Order, asOf instant: Date) -> OrderStatus {
        status(of: order, expires: order.served.map { expires(served: $0, termDays: order.termDays) }, asOf: instant)
    }

    /// The status of an order whose expiry (`expires(served:termDays:)`, nil while unserved) is known.
    private func status(of order: Order, expires: Date?, asOf instant: Date) -> OrderStatus {
        if let r = order.revoked, r <= instant { return .revoked }
        guard let served = order.served, served <= instant, let expires else { return .unserved }
        return instant < expires ? .active : .expired
    }

    /// Due dates, gaps and status of one order as of `instant` (RULES.md 1 to 5 and 10).
    public func timeline(of history: OrderHistory, asOf instant: Date) -> OrderTimeline {
        let h = history.known(at: instant)
        let order = h.order
        guard let served = order.served else {
            return OrderTimeline(status: status(of: order, expires: nil, asOf: instant), expires: nil, ends: nil, anchor: nil,
                                 anchorIsCheck: false, nextDue: nil, missedChecks: [])
        }
        let expires = expires(served: served, termDays: order.termDays)
        let status = status(of: order, expires: expires, asOf: instant)
        let ends = min(expires, order.revoked ?? expires)
        let interval = order.checkIntervalDays
        var anchor = day(served)
        var anchorIsCheck = false
        var due = anchor + interval
        var missed: [MissedCheck] = []
        let counted = h.checks
            .filter { $0.outcome.isCounted && $0.at >= served && $0.at <= ends }
            .sorted { $0.at < $1.at }
        for check in counted {
            let checked = day(check.at)
            if checked > due && isEnforced(due, ends: ends) {
                missed.append(MissedCheck(due: due, checked: checked, daysLate: checked - due))
            }
            if checked >= anchor {
                anchor = checked
                anchorIsCheck = true
            }
            due = anchor + interval
        }
        let nextDue = isEnforced(due, ends: ends) ? due : nil
        let today = day(instant)
        if let nextDue, today > nextDue {
            missed.append(MissedCheck(due: nextDue, checked: nil, daysLate: min(today, day(ends)) - nextDue))
        }
        return OrderTimeline(status: status, expires: expires, ends: ends, anchor: anchor,
                             anchorIsCheck: anchorIsCheck, nextDue: nextDue, missedChecks: missed)
    }
}
