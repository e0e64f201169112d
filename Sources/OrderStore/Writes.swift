import Foundation
import GRDB
import OrderModel
import Scheduler

/// Every write: admitted by the scheduler's rules, done in one transaction with its
/// history entry, and leaving the order's derived columns current. A refusal rolls
/// everything back: nothing is half-written.
extension OrderStore {
    /// Adds an order. Refuses a number already used (trimmed, case-insensitive).
    @discardableResult
    public func addOrder(_ order: Order, now: Date) throws -> Order {
        try guarded(.addOrder, now: now) { db in try insertOrder(db, order, now: now) }
    }

    /// Records the service of an unserved order.
    public func serve(_ number: String, at instant: Date, now: Date) throws {
        try guarded(.serve, now: now) { db in
            let history = try requireHistory(db, number: number)
            try scheduler.admitService(at: instant, of: history.order, now: now)
            try db.execute(sql: "UPDATE orders SET served = ? WHERE id = ?",
                           arguments: [instant.timeIntervalSince1970, history.order.id])
            try refreshDerived(db, orderID: history.order.id)
            try History.append(db, account: user.login, now: now, action: "order.serve", entity: "order",
                               entityID: history.order.id, detail: ["number": history.order.number])
        }
    }

    /// Revokes an order, once, with a reason.
    public func revoke(_ number: String, at instant: Date, reason: String, now: Date) throws {
        try guarded(.revoke, now: now) { db in try revoke(db, number, at: instant, reason: reason, now: now) }
    }

    /// Records a check. A check with outcome `breach` opens a breach (RULES.md 9), returned with it.
    @discardableResult
    public func addCheck(_ number: String, at instant: Date, officer: String, method: CheckMethod, outcome: CheckOutcome,
                         note: String, now: Date) throws -> (check: Check, breach: Breach?) {
        try guarded(.recordCheck, now: now) { db in
            let order = try requireHistory(db, number: number).order
            let check = Check(orderID: order.id ?? 0, at: instant, officer: officer, method: method, outcome: outcome, note: note)
            return try insertCheck(db, check, on: order, now: now)
        }
    }

    /// Records a breach of the order by the respondent.
    @discardableResult
    public func addBreach(_ number: String, at instant: Date, description: String, reportedBy: String,
                          now: Date) throws -> Breach {
        try guarded(.recordBreach, now: now) { db in
            let order = try requireHistory(db, number: number).order
            return try insertBreach(db, Breach(orderID: order.id ?? 0, occurred: instant, reported: now,
                                               reportedBy: reportedBy, description: description),
                                    on: order, now: now)
        }
    }

    /// Closes an open breach with the action taken.
    @discardableResult
    public func closeBreach(_ id: Int64, action: String, at instant: Date, now: Date) throws -> Breach {
        try guarded(.closeBreach, now: now) { db in try closeBreach(db, id, action: action, at: instant, now: now) }
    }

    // MARK: - The same writes inside a transaction the caller holds

    func insertOrder(_ db: Database, _ order: Order, now: Date) throws -> Order {
        var order = try scheduler.admitNew(order, now: now)
        let key = Order.numberKey(order.number)
        if let existing = try String.fetchOne(db, sql: "SELECT number FROM orders WHERE numberKey = ?", arguments: [key]) {
            throw Refusal.duplicateNumber(existing)
        }
        try db.execute(sql: """
            INSERT INTO orders (number, numberKey, kind, issued, served, termDays, checkIntervalDays, district,
                officer, restrictions, survivor, survivorInitials, respondentName, respondentBirthDate, respondentAddress,
                respondentPhone, revoked, revocationReason, createdAt, createdBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                order.number, key, order.kind.rawValue, order.issued.timeIntervalSince1970,
                order.served?.timeIntervalSince1970, order.termDays, order.checkIntervalDays, order.district,
                order.officer, order.restrictions, try vault.seal(JSONEncoder().encode(order.survivor), context: key),
                Initials.of(order.survivor.name), order.respondent.name,
                order.respondent.birthDate?.iso, order.respondent.address, order.respondent.phone,
                order.revoked?.timeIntervalSince1970, order.revocationReason, now.timeIntervalSince1970, user.login,
            ])
        order.id = db.lastInsertedRowID
        try refreshDerived(db, orderID: order.id)
        try History.append(db, account: user.login, now: now, action: "order.add", entity: "order", entityID: order.id,
                           detail: ["number": order.number, "kind": order.kind.rawValue])
        return order
    }

    func revoke(_ db: Database, _ number: String, at instant: Date, reason: String, now: Date) throws {
        let history = try requireHistory(db, number: number)
        let reason = try scheduler.admitRevocation(at: instant, reason: reason, of: history, now: now)
        try db.execute(sql: "UPDATE orders SET revoked = ?, revocationReason = ? WHERE id = ?",
                       arguments: [instant.timeIntervalSince1970, reason, history.order.id])
        try refreshDerived(db, orderID: history.order.id)
        try History.append(db, account: user.login, now: now, action: "order.revoke", entity: "order",
                           entityID: history.order.id, detail: ["number": history.order.number])
    }

    func insertCheck(_ db: Database, _ check: Check, on order: Order, now: Date) throws -> (check: Check, breach: Breach?) {
        var check = try scheduler.admit(check, on: order, now: now)
        try db.execute(sql: """
            INSERT INTO checks (orderID, at, officer, method, outcome, counted, note, recordedAt, recordedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [check.orderID, check.at.timeIntervalSince1970, check.officer, check.method.rawValue,
                             check.outcome.rawValue, check.outcome.isCounted, check.note, now.timeIntervalSince1970,
                             user.login])
        check.id = db.lastInsertedRowID
        try History.append(db, account: user.login, now: now, action: "check.add", entity: "check", entityID: check.id,
                           detail: ["number": order.number, "outcome": check.outcome.rawValue])
        var breach: Breach?
        if check.outcome == .breach {
            let description = check.note.isEmpty
                ? "found at the check of \(InstantFormat(timeZone: timeZone).human(check.at))" : check.note
            breach = try insertBreach(db, Breach(orderID: check.orderID, occurred: check.at, reported: now,
                                                 reportedBy: check.officer, description: description, checkID: check.id),
                                      on: order, now: now)
        }
        try refreshDerived(db, orderID: check.orderID)
        return (check, breach)
    }

    func insertBreach(_ db: Database, _ breach: Breach, on order: Order, now: Date) throws -> Breach {
        var breach = try scheduler.admit(breach, on: order, now: now)
        try db.execute(sql: """
            INSERT INTO breaches (orderID, occurred, reported, reportedBy, description, checkID, recordedAt, recordedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [breach.orderID, breach.occurred.timeIntervalSince1970, breach.reported.timeIntervalSince1970,
                             breach.reportedBy, breach.description, breach.checkID, now.timeIntervalSince1970, user.login])
        breach.id = db.lastInsertedRowID
        try History.append(db, account: user.login, now: now, action: "breach.add", entity: "breach", entityID: breach.id,
                           detail: ["number": order.number])
        return breach
    }

    func closeBreach(_ db: Database, _ id: Int64, action: String, at instant: Date, now: Date) throws -> Breach {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM breaches WHERE id = ?", arguments: [id]) else {
            throw Refusal.unknownBreach(id)
        }
        var breach = Rows.breach(row)
        let action = try scheduler.admitClosing(breach, at: instant, action: action, now: now)
        try db.execute(sql: "UPDATE breaches SET closed = ?, action = ?, closedBy = ? WHERE id = ?",
                       arguments: [instant.timeIntervalSince1970, action, user.login, id])
        try History.append(db, account: user.login, now: now, action: "breach.close", entity: "breach", entityID: id, detail: [:])
        breach.closed = instant
        breach.action = action
        return breach
    }

    func requireHistory(_ db: Database, number: String) throws -> OrderHistory {
        guard let history = try history(db, number: number) else { throw Refusal.unknownOrder(number) }
        return history
    }

    /// Recomputes the columns the morning queries read (expires, ends, last counted check,
    /// next due date) from the whole history, with the scheduler's rules.
    func refreshDerived(_ db: Database, orderID: Int64?) throws {
        guard let orderID, let history = try history(db, orderID: orderID) else { return }
        let timeline = scheduler.timeline(of: history, asOf: .distantFuture)
        let lastCounted = history.checks.filter(\.outcome.isCounted).map(\.at).max()
        try db.execute(sql: "UPDATE orders SET expires = ?, ends = ?, lastCountedCheck = ?, nextDue = ? WHERE id = ?",
                       arguments: [timeline.expires?.timeIntervalSince1970, timeline.ends?.timeIntervalSince1970,
                                   lastCounted?.timeIntervalSince1970, timeline.nextDue?.iso, orderID])
    }
}
