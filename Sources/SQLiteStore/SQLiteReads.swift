import Foundation
import GRDB
import OrderModel
import OrderStore
import Scheduler

/// The reads of the port, over the file. The morning queries read only candidates, through
/// partial indexes on the columns `refreshDerived` keeps current.
extension SQLiteBackend {
    func stored(_ db: Database, number: String) throws -> StoredOrder? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE numberKey = ?",
                                         arguments: [Order.numberKey(number)]) else { return nil }
        return try stored(db, row: row)
    }

    func stored(_ db: Database, id: Int64) throws -> StoredOrder? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE id = ?", arguments: [id]) else { return nil }
        return try stored(db, row: row)
    }

    private func stored(_ db: Database, row: Row, corrections: [Int64: [StoredCorrection]]? = nil) throws -> StoredOrder {
        let id: Int64 = row["id"] ?? 0
        let mine = try corrections.map { $0[id] ?? [] } ?? self.corrections(db, orderID: id)
        let order = Rows.order(row).applying(StoredCorrection.plain(mine))
        let checks = try Row.fetchAll(db, sql: "SELECT * FROM checks WHERE orderID = ? ORDER BY at, id", arguments: [id]).map(Rows.check)
        let breaches = try Row.fetchAll(db, sql: "SELECT * FROM breaches WHERE orderID = ? ORDER BY occurred, id",
                                        arguments: [id]).map(Rows.breach)
        return StoredOrder(history: OrderHistory(order: order, checks: checks, breaches: breaches),
                           sealedSurvivor: row["survivor"], corrections: mine)
    }

    /// Corrections by order (of one order, or all): empty, and nearly free, in the usual file that has none.
    func corrections(_ db: Database, orderID: Int64) throws -> [StoredCorrection] {
        try allCorrections(db, orderID: orderID)[orderID] ?? []
    }

    func allCorrections(_ db: Database, orderID: Int64? = nil) throws -> [Int64: [StoredCorrection]] {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM corrections)") == true else { return [:] }
        var byOrder: [Int64: [StoredCorrection]] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT corrections.*, orders.numberKey FROM corrections JOIN orders ON orders.id = corrections.orderID
            WHERE :id IS NULL OR corrections.orderID = :id ORDER BY corrections.id
            """, arguments: ["id": orderID])
        for row in rows {
            guard let field = CorrectableField(rawValue: row["field"] ?? ""), let id: Int64 = row["orderID"] else { continue }
            let raw: Data = row["value"] ?? Data()
            byOrder[id, default: []].append(StoredCorrection(
                id: row["id"] ?? 0, orderID: id, numberKey: row["numberKey"] ?? "", field: field,
                value: field.isSurvivorData ? nil : String(decoding: raw, as: UTF8.self),
                sealed: field.isSurvivorData ? raw : nil, reason: row["reason"] ?? "",
                at: Rows.date(row, "at") ?? .distantPast, account: row["account"] ?? ""))
        }
        return byOrder
    }

    public func order(number: String) throws -> StoredOrder? {
        try writer.read { db in try stored(db, number: number) }
    }

    public func entries(forOrder id: Int64) throws -> [HistoryEntry]? {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM history WHERE (entity = 'order' AND entityID = :id)
                   OR (entity = 'check' AND entityID IN (SELECT id FROM checks WHERE orderID = :id))
                   OR (entity = 'breach' AND entityID IN (SELECT id FROM breaches WHERE orderID = :id))
                ORDER BY id
                """, arguments: ["id": id]).map(Rows.historyEntry)
        }
    }

    public func allOrders() throws -> [StoredOrder] {
        try writer.read { db in
            let corrections = try allCorrections(db)
            return try Row.fetchAll(db, sql: "SELECT * FROM orders ORDER BY numberKey").map {
                try stored(db, row: $0, corrections: corrections)
            }
        }
    }

    public func sealedSurvivors() throws -> [(id: Int64, numberKey: String, sealed: Data)] {
        try writer.read { db in
            var list: [(id: Int64, numberKey: String, sealed: Data)] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, numberKey, survivor FROM orders")
            while let row = try rows.next() {
                list.append((row["id"] ?? 0, row["numberKey"] ?? "", row["survivor"] ?? Data()))
            }
            return list
        }
    }

    public func orders(status: OrderStatus?, asOf instant: Date) throws -> [OrderListRow] {
        let t = instant.timeIntervalSince1970
        let filter: String = switch status {
        case nil: "1"
        case .active: "+served <= :t AND ends > :t"
        case .unserved: "(served IS NULL OR served > :t) AND (revoked IS NULL OR revoked > :t)"
        case .expired: "served <= :t AND expires <= :t AND (revoked IS NULL OR revoked > :t)"
        case .revoked: "revoked <= :t"
        }
        return try writer.read { db in
            let corrections = try allCorrections(db)
            var list: [OrderListRow] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT orders.*, (SELECT count(*) FROM breaches WHERE breaches.orderID = orders.id
                                  AND occurred <= :t AND (closed IS NULL OR closed > :t)) AS openBreaches,
                       (SELECT max(at) FROM checks WHERE checks.orderID = orders.id AND counted = 1 AND at <= :t) AS lastCountedAt
                FROM orders WHERE \(filter) ORDER BY \(status == .active ? "+numberKey" : "numberKey")
                """, arguments: ["t": t])
            while let row = try rows.next() {
                list.append(OrderListRow(order: Rows.order(row).applying(StoredCorrection.plain(corrections[row["id"] ?? 0])),
                                         lastCountedCheck: Rows.date(row, "lastCountedAt"), openBreaches: row["openBreaches"] ?? 0))
            }
            return list
        }
    }

    /// The orders that can have an alert at `instant`.
    ///
    /// Reads only the orders that can have an alert: those in effect, those waiting for
    /// service, and those with a breach open at `instant`. Each comes with its last counted
    /// check at or before `instant` (all that moves the due date) and its open breaches.
    public func alertCandidates(asOf instant: Date) throws -> [OrderHistory] {
        let t = instant.timeIntervalSince1970
        return try writer.read { db in
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
            let corrections = try allCorrections(db)
            var histories: [OrderHistory] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: ["t": t])
            while let row = try rows.next() {
                let order = Rows.order(row).applying(StoredCorrection.plain(corrections[row["id"] ?? 0]))
                let checks = Rows.date(row, "lastCountedAt").map {
                    [Check(orderID: order.id ?? 0, at: $0, officer: "", outcome: .compliant)]
                } ?? []
                histories.append(OrderHistory(order: order, checks: checks, breaches: breachesByOrder[order.id ?? 0] ?? []))
            }
            return histories
        }
    }

    /// A due date lies after the service and before the end: only orders served before
    /// the period's end and ending after its start can have one in it.
    public func violationCandidates(from startDate: Date, to endDate: Date) throws -> [OrderHistory] {
        let start = startDate.timeIntervalSince1970
        let end = endDate.timeIntervalSince1970
        return try writer.read { db in
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
            let corrections = try allCorrections(db)
            var histories: [OrderHistory] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM orders WHERE id IN (\(candidates))", arguments: args)
            while let row = try rows.next() {
                let order = Rows.order(row).applying(StoredCorrection.plain(corrections[row["id"] ?? 0]))
                histories.append(OrderHistory(order: order, checks: checks[order.id ?? 0] ?? [], breaches: breaches[order.id ?? 0] ?? []))
            }
            return histories
        }
    }

    /// The day of the first order issued, or nil for an empty file.
    public func firstIssue() throws -> Date? {
        try writer.read { db in try Double.fetchOne(db, sql: "SELECT min(issued) FROM orders") }.map(Date.init(timeIntervalSince1970:))
    }

    /// Counts of rows, for status lines and tests.
    public func counts() throws -> StoreCounts {
        try writer.read { db in
            StoreCounts(orders: try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0,
                        checks: try Int.fetchOne(db, sql: "SELECT count(*) FROM checks") ?? 0,
                        breaches: try Int.fetchOne(db, sql: "SELECT count(*) FROM breaches") ?? 0,
                        history: try Int.fetchOne(db, sql: "SELECT count(*) FROM history") ?? 0)
        }
    }

    /// A number that changes whenever anyone writes to the file (every write appends to the
    /// history): how open screens notice another terminal's writes.
    public func changeMark() throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM history") ?? 0 }
    }

    public func auditEntries(account: String?, from startDate: Date?, to endDate: Date?) throws -> [HistoryEntry] {
        let start = startDate?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let end = endDate?.timeIntervalSince1970 ?? Double.greatestFiniteMagnitude
        return try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM history WHERE (:account IS NULL OR account = :account) AND at >= :start AND at < :end ORDER BY id
                """, arguments: ["account": account, "start": start, "end": end]).map(Rows.historyEntry)
        }
    }

    public func auditTrail() throws -> AuditTrail {
        try writer.read { db in try History.trail(db) }
    }

    /// One person's file: the screens look at the change mark each second instead.
    public func changeFeed() throws -> (any ChangeFeed)? { nil }

    public func users() throws -> [User] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY login").map(Users.user) }
    }
}
