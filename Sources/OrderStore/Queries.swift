import Foundation
import GRDB
import OrderModel
import Scheduler

/// One row of the order list: the order and where it stands.
public struct OrderSummary: Hashable, Sendable {
    public var order: Order
    public var status: OrderStatus
    public var expires: Date?
    public var nextDue: LocalDay?
    public var openBreaches: Int
}

/// Everything about one order, for its screen and `order show`.
public struct OrderDetail: Sendable {
    public var history: OrderHistory
    public var timeline: OrderTimeline
    public var entries: [HistoryEntry]
    public var corrections: [Correction]
}

extension OrderStore {
    func history(_ db: Database, number: String, reveal: Bool = false) throws -> OrderHistory? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE numberKey = ?",
                                         arguments: [Order.numberKey(number)]) else { return nil }
        return try history(db, row: row, reveal: reveal)
    }

    func history(_ db: Database, orderID: Int64) throws -> OrderHistory? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE id = ?", arguments: [orderID]) else { return nil }
        return try history(db, row: row)
    }

    /// Whether this session may and can open survivor data.
    public var canSeeSurvivor: Bool { user.role.may(.viewSurvivor) && vault.isUnlocked }

    /// The survivor of an order row: opened when this session may and can, else initials and "[hidden]".
    func survivor(_ row: Row, reveal: Bool) throws -> Survivor {
        guard reveal, canSeeSurvivor else { return Rows.maskedSurvivor(row) }
        let sealed: Data = row["survivor"] ?? Data()
        guard let plain = try vault.open(sealed, context: row["numberKey"] ?? "") else { return Rows.maskedSurvivor(row) }
        return try JSONDecoder().decode(Survivor.self, from: plain)
    }

    private func history(_ db: Database, row: Row, reveal: Bool = false,
                         corrections: [Int64: [Correction]]? = nil) throws -> OrderHistory {
        let all = try corrections ?? self.corrections(db, reveal: reveal)
        let order = Rows.order(row, survivor: try survivor(row, reveal: reveal)).applying(all[row["id"] ?? 0])
        let checks = try Row.fetchAll(db, sql: "SELECT * FROM checks WHERE orderID = ? ORDER BY at, id",
                                      arguments: [order.id]).map(Rows.check)
        let breaches = try Row.fetchAll(db, sql: "SELECT * FROM breaches WHERE orderID = ? ORDER BY occurred, id",
                                        arguments: [order.id]).map(Rows.breach)
        return OrderHistory(order: order, checks: checks, breaches: breaches)
    }

    /// One order with its checks, breaches, timeline as of `instant`, and history entries. The
    /// survivor's details are opened when this session may and can, and that opening is audited
    /// (`recordOpening` false only when a screen already open redraws).
    public func detail(number: String, asOf instant: Date, now: Date, recordOpening: Bool = true) throws -> OrderDetail {
        let detail = try writer.read { db in
            guard let history = try history(db, number: number, reveal: true) else { throw Refusal.unknownOrder(number) }
            let entries = try Row.fetchAll(db, sql: """
                SELECT * FROM history WHERE (entity = 'order' AND entityID = :id)
                   OR (entity = 'check' AND entityID IN (SELECT id FROM checks WHERE orderID = :id))
                   OR (entity = 'breach' AND entityID IN (SELECT id FROM breaches WHERE orderID = :id))
                ORDER BY id
                """, arguments: ["id": history.order.id]).map(Rows.historyEntry)
            return OrderDetail(history: history, timeline: scheduler.timeline(of: history, asOf: instant), entries: entries,
                               corrections: try corrections(db, reveal: true)[history.order.id ?? 0] ?? [])
        }
        if canSeeSurvivor && recordOpening {
            try writer.write { db in
                try History.append(db, account: user.login, now: now, action: "survivor.view", entity: "order",
                                   entityID: detail.history.order.id, detail: ["number": detail.history.order.number])
            }
        }
        return detail
    }

    /// Every survivor's name by order ID, opened in memory only; empty when this session may not
    /// or cannot open survivor data. (Search by name; never written anywhere.)
    public func survivorNames() throws -> [Int64: String] {
        guard canSeeSurvivor else { return [:] }
        return try writer.read { db in
            var names: [Int64: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, numberKey, survivor, survivorInitials FROM orders")
            while let row = try rows.next() {
                if let id: Int64 = row["id"] { names[id] = try survivor(row, reveal: true).name }
            }
            return names
        }
    }

    /// The IDs of orders whose survivor's name contains `query` (case-insensitive); empty when this
    /// session may not or cannot open survivor data.
    public func ordersWithSurvivorMatching(_ query: String) throws -> Set<Int64> {
        guard !query.isEmpty else { return [] }
        let q = query.lowercased()
        return Set(try survivorNames().filter { $0.value.lowercased().contains(q) }.keys)
    }

    /// The orders with `status` as of `instant` (nil: all), by number.
    public func orders(status: OrderStatus?, asOf instant: Date) throws -> [OrderSummary] {
        let t = instant.timeIntervalSince1970
        let filter: String = switch status {
        case nil: "1"
        case .active: "+served <= :t AND ends > :t"
        case .unserved: "(served IS NULL OR served > :t) AND (revoked IS NULL OR revoked > :t)"
        case .expired: "served <= :t AND expires <= :t AND (revoked IS NULL OR revoked > :t)"
        case .revoked: "revoked <= :t"
        }
        return try writer.read { db in
            let corrections = try corrections(db, reveal: false)
            var list: [OrderSummary] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT orders.*, (SELECT count(*) FROM breaches WHERE breaches.orderID = orders.id
                                  AND occurred <= :t AND (closed IS NULL OR closed > :t)) AS openBreaches
                FROM orders WHERE \(filter) ORDER BY \(status == .active ? "+numberKey" : "numberKey")
                """, arguments: ["t": t])
            while let row = try rows.next() {
                let order = Rows.order(row).applying(corrections[row["id"] ?? 0])
                list.append(OrderSummary(order: order, status: scheduler.status(of: order, asOf: instant),
                                    expires: Rows.date(row, "expires"),
                                    nextDue: (row["nextDue"] as String?).flatMap(LocalDay.init(parsing:)),
                                    openBreaches: row["openBreaches"] ?? 0))
            }
            return list
        }
    }

    /// Today's alerts as of `instant` (RULES.md 5 to 9), most urgent first.
    ///
    /// Reads only the orders that can have an alert: those in effect, those waiting for
    /// service, and those with a breach open at `instant`. Each comes with its last counted
    /// check at or before `instant` (all that moves the due date) and its open breaches.
    public func alerts(asOf instant: Date) throws -> [Alert] {
        let t = instant.timeIntervalSince1970
        let histories: [OrderHistory] = try writer.read { db in
            let sql = """
                SELECT orders.*, (SELECT max(at) FROM checks WHERE checks.orderID = orders.id
                                  AND counted = 1 AND at <= :t) AS lastCountedAt
                FROM orders WHERE id IN (
                    SELECT id FROM orders WHERE ends > :t AND +served <= :t
                    UNION SELECT id FROM orders WHERE served IS NULL AND issued <= :t AND (revoked IS NULL OR revoked > :t)
                    UNION SELECT id FROM orders WHERE served > :t AND issued <= :t
                    UNION SELECT orderID FROM breaches WHERE closed IS NULL AND +occurred <= :t
                    UNION SELECT orderID FROM breaches WHERE closed > :t AND occurred <= :t)
                """
            var breachesByOrder: [Int64: [Breach]] = [:]
            let breachRows = try Row.fetchCursor(db, sql: """
                SELECT * FROM breaches WHERE closed IS NULL AND +occurred <= :t
                UNION ALL SELECT * FROM breaches WHERE closed > :t AND occurred <= :t
                """, arguments: ["t": t])
            while let row = try breachRows.next() {
                let breach = Rows.breach(row)
                breachesByOrder[breach.orderID, default: []].append(breach)
            }
            let corrections = try corrections(db, reveal: false)
            var histories: [OrderHistory] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: ["t": t])
            while let row = try rows.next() {
                let order = Rows.order(row).applying(corrections[row["id"] ?? 0])
                let checks = Rows.date(row, "lastCountedAt").map {
                    [Check(orderID: order.id ?? 0, at: $0, officer: "", outcome: .compliant)]
                } ?? []
                histories.append(OrderHistory(order: order, checks: checks, breaches: breachesByOrder[order.id ?? 0] ?? []))
            }
            return histories
        }
        return scheduler.alerts(for: histories, asOf: instant)
    }

    /// Missed checks due, and breaches that occurred, from `from` to `to` (inclusive), as known at `instant`.
    public func violations(from: LocalDay, to: LocalDay, asOf instant: Date) throws -> [Violation] {
        // A due date lies after the service and before the end: only orders served before
        // the period's end and ending after its start can have one in it.
        let start = from.start(in: timeZone).timeIntervalSince1970
        let end = (to + 1).start(in: timeZone).timeIntervalSince1970
        let histories: [OrderHistory] = try writer.read { db in
            let candidates = """
                SELECT id FROM orders WHERE ends >= :start AND +served < :end
                UNION SELECT orderID FROM breaches WHERE occurred >= :start AND occurred < :end
                """
            let args: StatementArguments = ["start": start, "end": end]
            var checks: [Int64: [Check]] = [:]
            let checkRows = try Row.fetchCursor(db, sql: "SELECT * FROM checks WHERE orderID IN (\(candidates)) ORDER BY at",
                                                arguments: args)
            while let row = try checkRows.next() {
                let check = Rows.check(row)
                checks[check.orderID, default: []].append(check)
            }
            var breaches: [Int64: [Breach]] = [:]
            let breachRows = try Row.fetchCursor(db, sql: "SELECT * FROM breaches WHERE orderID IN (\(candidates))", arguments: args)
            while let row = try breachRows.next() {
                let breach = Rows.breach(row)
                breaches[breach.orderID, default: []].append(breach)
            }
            let corrections = try corrections(db, reveal: false)
            var histories: [OrderHistory] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM orders WHERE id IN (\(candidates))", arguments: args)
            while let row = try rows.next() {
                let order = Rows.order(row).applying(corrections[row["id"] ?? 0])
                histories.append(OrderHistory(order: order, checks: checks[order.id ?? 0] ?? [], breaches: breaches[order.id ?? 0] ?? []))
            }
            return histories
        }
        return scheduler.violations(for: histories, from: from, to: to, asOf: instant)
    }

    /// Every order with its whole history, by number (for export and for checking the
    /// morning queries against the scheduler).
    public func histories() throws -> [OrderHistory] {
        try writer.read { db in
            let corrections = try corrections(db, reveal: true)
            return try Row.fetchAll(db, sql: "SELECT * FROM orders ORDER BY numberKey").map {
                try history(db, row: $0, reveal: true, corrections: corrections)
            }
        }
    }

    /// The day of the first order issued, or nil for an empty file.
    public func firstIssueDay() throws -> LocalDay? {
        try writer.read { db in
            try Double.fetchOne(db, sql: "SELECT min(issued) FROM orders")
        }.map { LocalDay(Date(timeIntervalSince1970: $0), in: timeZone) }
    }

    /// Counts of rows, for status lines and tests.
    public func counts() throws -> (orders: Int, checks: Int, breaches: Int, history: Int) {
        try writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM checks") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM breaches") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM history") ?? 0)
        }
    }

    /// A number that changes whenever anyone writes to the file (every write appends to the
    /// history): how open screens notice another terminal's writes.
    public func changeMark() throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM history") ?? 0 }
    }

    /// The audit trail, oldest first, optionally for one account and a period (supervisors only).
    public func auditEntries(account: String? = nil, from: LocalDay? = nil, to: LocalDay? = nil, now: Date) throws -> [HistoryEntry] {
        try require(.readAudit, now: now)
        let start = from.map { $0.start(in: timeZone).timeIntervalSince1970 } ?? -Double.greatestFiniteMagnitude
        let end = to.map { ($0 + 1).start(in: timeZone).timeIntervalSince1970 } ?? Double.greatestFiniteMagnitude
        return try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM history WHERE (:account IS NULL OR account = :account) AND at >= :start AND at < :end ORDER BY id
                """, arguments: ["account": account, "start": start, "end": end]).map(Rows.historyEntry)
        }
    }
}
