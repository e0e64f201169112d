import Foundation
import OrderModel

/// The refusals of RULES.md that depend on the clock or on what is already recorded.
/// Each returns normally when the record may be written, and throws the reason otherwise.
extension Scheduler {
    private func latestAcceptable(now: Date) -> Date {
        now.addingTimeInterval(Double(rules.horizons.futureToleranceMinutes) * 60)
    }

    private func refuseFuture(_ instant: Date, _ what: Field, now: Date) throws(Refusal) {
        if instant > latestAcceptable(now: now) { throw .inFuture(what: what) }
    }

    /// A new order: its fields (see `Order.validated`), and no issue, service or revocation in the future.
    public func admitNew(_ order: Order, now: Date) throws(Refusal) -> Order {
        let order = try order.validated(rules: rules)
        try refuseFuture(order.issued, .issueTime, now: now)
        if let served = order.served { try refuseFuture(served, .serviceTime, now: now) }
        if let revoked = order.revoked { try refuseFuture(revoked, .revocationTime, now: now) }
        return order
    }

    /// Service of an order that is neither served nor revoked, not before its issue.
    public func admitService(at instant: Date, of order: Order, now: Date) throws(Refusal) {
        if order.served != nil { throw .alreadyServed(number: order.number) }
        if order.revoked != nil { throw .revoked(number: order.number) }
        if instant < order.issued { throw .servedBeforeIssued }
        try refuseFuture(instant, .serviceTime, now: now)
    }

    /// Revocation once, not before issue or service, not in the future. A revocation dated
    /// before checks or breaches already recorded is accepted with its real date (RULES.md,
    /// "Facts entered late"): those entries stay, after the order's end, and such checks count for nothing.
    public func admitRevocation(at instant: Date, reason: String, of history: OrderHistory, now: Date) throws(Refusal) -> String {
        let order = history.order
        if order.revoked != nil { throw .alreadyRevoked(number: order.number) }
        if instant < order.issued { throw .beforeIssue(what: .revocationTime) }
        if let served = order.served, instant < served { throw .beforeService(what: .revocationTime) }
        try refuseFuture(instant, .revocationTime, now: now)
        return try TextRule.clean(reason, field: .revocationReason, max: rules.limits.textMaxLength)
    }

    /// An event dated while the order is in effect: served, not before service, not after the end,
    /// not in the future (RULES.md: a check or breach).
    public func admitEvent(at instant: Date, what: Field, on order: Order, now: Date) throws(Refusal) {
        guard let served = order.served else { throw .notServed(number: order.number) }
        try refuseFuture(instant, what, now: now)
        if instant < served { throw .beforeService(what: what) }
        let expires = expires(served: served, termDays: order.termDays)
        if instant > min(expires, order.revoked ?? expires) { throw .afterEnd(what: what) }
    }

    /// A check: its text, and its time (see `admitEvent`).
    public func admit(_ check: Check, on order: Order, now: Date) throws(Refusal) -> Check {
        var c = check
        let l = rules.limits
        c.officer = try TextRule.clean(check.officer, field: .officer, max: l.nameMaxLength)
        c.note = try TextRule.clean(check.note, field: .note, max: l.textMaxLength, required: false)
        try admitEvent(at: check.at, what: .checkTime, on: order, now: now)
        return c
    }

    /// A breach: its text, and its time (see `admitEvent`).
    public func admit(_ breach: Breach, on order: Order, now: Date) throws(Refusal) -> Breach {
        var b = breach
        let l = rules.limits
        b.description = try TextRule.clean(breach.description, field: .breachDescription, max: l.textMaxLength)
        b.reportedBy = try TextRule.clean(breach.reportedBy, field: .reporter, max: l.nameMaxLength)
        try admitEvent(at: breach.occurred, what: .breachTime, on: order, now: now)
        return b
    }

    /// Closing an open breach with an action, not before the breach, not in the future.
    public func admitClosing(_ breach: Breach, at instant: Date, action: String, now: Date) throws(Refusal) -> String {
        guard breach.isOpen else { throw .breachAlreadyClosed(breach.id ?? 0) }
        if instant < breach.occurred { throw .actionBeforeBreach(breach.id ?? 0) }
        try refuseFuture(instant, .actionTime, now: now)
        return try TextRule.clean(action, field: .action, max: rules.limits.textMaxLength)
    }
}
