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
        return try whole(db, row: row)
    }

    func stored(_ db: Database, id: Int64) throws -> StoredOrder? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE id = ?", arguments: [id]) else { return nil }
        return try whole(db, row: row)
    }

    /// One order with its whole history; an order with anything damaged is refused (`damagedRecord`).
    private func whole(_ db: Database, row: Row) throws -> StoredOrder {
        var log = DamageLog()
        let stored = try stored(db, row: row, log: &log)
        if let damaged = log.damaged.first { throw StoreError.damagedRecord(damaged) }
        return stored
    }

    /// An order with its checks, breaches and corrections, each value checked; damage goes to `log`.
    private func stored(_ db: Database, row: Row, corrections: CorrectionRead? = nil, log: inout DamageLog) throws -> StoredOrder {
        var reader = Rows.reader(row)
        var order = reader.order(.file, rules: settings.rules)
        let sealed = Rows.bytes(row, "survivor")
        if sealed == nil { reader.fail(.survivor) }
        let id = order.id ?? 0
        let number = reader.damage == .number || reader.damage == .id ? nil : order.number
        func note(_ field: DamagedField) { log.note(orderID: order.id, number: number, field) }
        if let damage = reader.damage { note(damage) }
        let read = try corrections ?? allCorrections(db, orderID: id)
        if let damage = read.damaged[id] { note(damage) }
        let mine = read.byOrder[id] ?? []
        order = order.applying(StoredCorrection.plain(mine))
        var checks: [Check] = []
        for checkRow in try Row.fetchAll(db, sql: "SELECT * FROM checks WHERE orderID = ? ORDER BY at, id", arguments: [id]) {
            let (check, damage) = Rows.screenedCheck(checkRow)
            if let damage { note(damage) } else { checks.append(check) }
        }
        var breaches: [Breach] = []
        for breachRow in try Row.fetchAll(db, sql: "SELECT * FROM breaches WHERE orderID = ? ORDER BY occurred, id", arguments: [id]) {
            let (breach, damage) = Rows.screenedBreach(breachRow)
            if let damage { note(damage) } else { breaches.append(breach) }
        }
        return StoredOrder(history: OrderHistory(order: order, checks: checks, breaches: breaches),
                           sealedSurvivor: sealed, corrections: mine)
    }

    /// Corrections by order, and the orders with a correction that is damaged.
    struct CorrectionRead {
        var byOrder: [Int64: [StoredCorrection]] = [:]
        var damaged: [Int64: DamagedField] = [:]
    }

    /// Corrections by order (of one order, or all): empty, and nearly free, in the usual file that has none.
    func corrections(_ db: Database, orderID: Int64) throws -> [StoredCorrection] {
        try allCorrections(db, orderID: orderID).byOrder[orderID] ?? []
    }

    func allCorrections(_ db: Database, orderID: Int64? = nil) throws -> CorrectionRead {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM corrections)") == true else { return CorrectionRead() }
        var read = CorrectionRead()
        let rows = try Row.fetchAll(db, sql: """
            SELECT corrections.*, orders.numberKey FROM corrections JOIN orders ON orders.id = corrections.orderID
            WHERE :id IS NULL OR corrections.orderID = :id ORDER BY corrections.id
            """, arguments: ["id": orderID])
        for row in rows {
            var reader = Rows.reader(row)
            guard let id = reader.integer("orderID", .correction) else { continue }
            let field: CorrectableField? = reader.known("field", .correction)
            let correctionID = reader.integer("id", .correction) ?? 0
            let numberKey = reader.text("numberKey", .correction) ?? ""
            var value: String?, sealed: Data?
            switch (field?.isSurvivorData, Rows.value(row, "value")) {
            case (true, .bytes(let data)): sealed = data
            case (true, .text(let text)): sealed = Data(text.utf8)
            case (false, .bytes(let data)): value = String(validating: data, as: UTF8.self)
            case (false, .text(let text)): value = text
            default: break
            }
            if field != nil, value == nil && sealed == nil {
                reader.fail(.correction)
            }
            let reason = reader.text("reason", .correction) ?? ""
            let at = reader.instant("at", .correction) ?? .distantPast
            let account = reader.text("account", .correction) ?? ""
            guard let field, reader.damage == nil else {
                read.damaged[id] = read.damaged[id] ?? .correction
                continue
            }
            read.byOrder[id, default: []].append(StoredCorrection(
                id: correctionID, orderID: id, numberKey: numberKey, field: field, value: value, sealed: sealed,
                reason: reason, at: at, account: account))
        }
        return read
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

    public func screenedAllOrders() throws -> Screened<StoredOrder> {
        try writer.read { db in
            let corrections = try allCorrections(db)
            var log = DamageLog()
            var list: [StoredOrder] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM orders ORDER BY numberKey") {
                list.append(try stored(db, row: row, corrections: corrections, log: &log))
            }
            return log.screen(list) { $0.history.order.id }
        }
    }

    public func sealedSurvivors() throws -> [(id: Int64, numberKey: String, sealed: Data)] {
        try writer.read { db in
            var list: [(id: Int64, numberKey: String, sealed: Data)] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, numberKey, survivor FROM orders")
            while let row = try rows.next() {
                var reader = Rows.reader(row)
                guard let id = reader.integer("id", .id), let key = reader.text("numberKey", .number),
                      let sealed = Rows.bytes(row, "survivor") else { continue }
                list.append((id, key, sealed))
            }
            return list
        }
    }

    public func screenedOrders(status: OrderStatus?, asOf instant: Date) throws -> Screened<OrderListRow> {
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
            var log = DamageLog()
            var list: [OrderListRow] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT orders.*, (SELECT count(*) FROM breaches WHERE breaches.orderID = orders.id
                                  AND occurred <= :t AND (closed IS NULL OR closed > :t)) AS openBreaches,
                       (SELECT max(at) FROM checks WHERE checks.orderID = orders.id AND counted = 1
                          AND (at <= :t OR NOT (at >= :lo AND at < :hi))) AS lastCountedAt,
                       (SELECT count(*) FROM checks WHERE checks.orderID = orders.id
                          AND NOT (at >= :lo AND at < :hi AND outcome IN ('compliant', 'breach', 'not-located')
                                   AND method IN ('visit', 'phone', 'summons'))) AS damagedChecks,
                       (SELECT count(*) FROM breaches WHERE breaches.orderID = orders.id
                          AND NOT (occurred >= :lo AND occurred < :hi AND reported >= :lo AND reported < :hi
                                   AND (closed IS NULL OR closed >= :lo AND closed < :hi))) AS damagedBreaches
                FROM orders WHERE \(filter) ORDER BY \(status == .active ? "+numberKey" : "numberKey")
                """, arguments: ["t": t, "lo": RecordBounds.earliest, "hi": RecordBounds.latest])
            while let row = try rows.next() {
                var reader = Rows.reader(row)
                let order = reader.order(.file, rules: settings.rules)
                let number = reader.damage == .number || reader.damage == .id ? nil : order.number
                let last = reader.instant("lastCountedAt", .checkTime, required: false)
                let open = reader.integer("openBreaches", .breachTime) ?? 0
                if reader.integer("damagedChecks", .checkTime) != 0 { reader.fail(.checkTime) }
                if reader.integer("damagedBreaches", .breachTime) != 0 { reader.fail(.breachTime) }
                let id = order.id ?? 0
                if let damage = reader.damage ?? corrections.damaged[id] {
                    log.note(orderID: order.id, number: number, damage)
                    continue
                }
                list.append(OrderListRow(order: order.applying(StoredCorrection.plain(corrections.byOrder[id])),
                                         lastCountedCheck: last, openBreaches: Int(open)))
            }
            return Screened(values: list, damaged: log.damaged)
        }
    }

    /// The orders that can have an alert at `instant`.
    ///
    /// Reads only the orders that can have an alert: those in effect, those waiting for
    /// service, and those with a breach open at `instant`. Each comes with its last counted
    /// check at or before `instant` (all that moves the due date) and its open breaches.
    public func screenedAlertCandidates(asOf instant: Date) throws -> Screened<OrderHistory> {
        let t = instant.timeIntervalSince1970
        return try writer.read { db in
            let sql = """
                SELECT orders.*, (SELECT max(at) FROM checks WHERE checks.orderID = orders.id
                                  AND counted = 1 AND (at <= :t OR NOT (at >= :lo AND at < :hi))) AS lastCountedAt
                FROM orders WHERE id IN (
                    SELECT id FROM orders WHERE ends > :t AND +served <= :t
                    UNION SELECT id FROM orders WHERE served IS NULL AND issued <= :t AND (revoked IS NULL OR revoked > :t)
                    UNION SELECT id FROM orders WHERE served > :t AND issued <= :t
                    UNION SELECT orderID FROM breaches WHERE closed IS NULL AND +occurred <= :t
                    UNION SELECT orderID FROM breaches WHERE closed > :t AND occurred <= :t
                    UNION SELECT orderID FROM breaches WHERE closed IS NULL AND NOT (+occurred >= :lo AND +occurred < :hi))
                """
            var log = DamageLog()
            var breachesByOrder: [Int64: [Breach]] = [:]
            let breachRows = try Row.fetchCursor(db, sql: """
                SELECT * FROM breaches WHERE closed IS NULL AND (+occurred <= :t OR NOT (+occurred >= :lo AND +occurred < :hi))
                UNION ALL SELECT * FROM breaches WHERE closed > :t AND occurred <= :t
                """, arguments: ["t": t, "lo": RecordBounds.earliest, "hi": RecordBounds.latest])
            while let row = try breachRows.next() {
                let (breach, damage) = Rows.screenedBreach(row)
                if let damage {
                    log.note(orderID: breach.orderID == 0 ? nil : breach.orderID, damage)
                } else {
                    breachesByOrder[breach.orderID, default: []].append(breach)
                }
            }
            let corrections = try allCorrections(db)
            var histories: [OrderHistory] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: ["t": t, "lo": RecordBounds.earliest, "hi": RecordBounds.latest])
            while let row = try rows.next() {
                var reader = Rows.reader(row)
                let order = reader.order(.file, rules: settings.rules)
                let last = reader.instant("lastCountedAt", .checkTime, required: false)
                let id = order.id ?? 0
                if reader.damage != .number && reader.damage != .id { log.name(orderID: id, number: order.number) }
                if let damage = reader.damage ?? corrections.damaged[id] {
                    log.note(orderID: order.id, number: reader.damage == .number || reader.damage == .id ? nil : order.number, damage)
                    continue
                }
                let checks = last.map { [Check(orderID: id, at: $0, officer: "", outcome: .compliant)] } ?? []
                histories.append(OrderHistory(order: order.applying(StoredCorrection.plain(corrections.byOrder[id])), checks: checks,
                                              breaches: breachesByOrder[id] ?? []))
            }
            return log.screen(histories) { $0.order.id }
        }
    }

    /// A due date lies after the service and before the end: only orders served before
    /// the period's end and ending after its start can have one in it.
    public func screenedViolationCandidates(from startDate: Date, to endDate: Date) throws -> Screened<OrderHistory> {
        let start = startDate.timeIntervalSince1970
        let end = endDate.timeIntervalSince1970
        return try writer.read { db in
            // The last two: orders whose service time is out of bounds (found by the index), so reported as damaged.
            let candidates = """
                SELECT id FROM orders WHERE ends >= :start AND +served < :end
                UNION SELECT orderID FROM breaches WHERE occurred >= :start AND occurred < :end
                UNION SELECT id FROM orders WHERE served >= :hi
                UNION SELECT id FROM orders WHERE served < :lo
                """
            let args: StatementArguments = ["start": start, "end": end, "lo": RecordBounds.earliest, "hi": RecordBounds.latest]
            var log = DamageLog()
            var checks: [Int64: [Check]] = [:]
            let checkRows = try Row.fetchCursor(db, sql: "SELECT * FROM checks WHERE orderID IN (\(candidates)) ORDER BY at",
                                                arguments: args)
            while let row = try checkRows.next() {
                let (check, damage) = Rows.screenedCheck(row)
                if let damage {
                    log.note(orderID: check.orderID == 0 ? nil : check.orderID, damage)
                } else {
                    checks[check.orderID, default: []].append(check)
                }
            }
            var breaches: [Int64: [Breach]] = [:]
            let breachRows = try Row.fetchCursor(db, sql: "SELECT * FROM breaches WHERE orderID IN (\(candidates))", arguments: args)
            while let row = try breachRows.next() {
                let (breach, damage) = Rows.screenedBreach(row)
                if let damage {
                    log.note(orderID: breach.orderID == 0 ? nil : breach.orderID, damage)
                } else {
                    breaches[breach.orderID, default: []].append(breach)
                }
            }
            let corrections = try allCorrections(db)
            var histories: [OrderHistory] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM orders WHERE id IN (\(candidates))", arguments: args)
            while let row = try rows.next() {
                var reader = Rows.reader(row)
                let order = reader.order(.file, rules: settings.rules)
                let id = order.id ?? 0
                if reader.damage != .number && reader.damage != .id { log.name(orderID: id, number: order.number) }
                if let damage = reader.damage ?? corrections.damaged[id] {
                    log.note(orderID: order.id, number: reader.damage == .number || reader.damage == .id ? nil : order.number, damage)
                    continue
                }
                histories.append(OrderHistory(order: order.applying(StoredCorrection.plain(corrections.byOrder[id])),
                                              checks: checks[id] ?? [], breaches: breaches[id] ?? []))
            }
            return log.screen(histories) { $0.order.id }
        }
    }

    /// The day of the first order issued, or nil for an empty file.
    public func firstIssue() throws -> Date? {
        try writer.read { db in
            // Only an instant that keeps to the bounds: a damaged order does not move the first day.
            try Double.fetchOne(db, sql: """
                SELECT min(issued) FROM orders WHERE typeof(issued) IN ('integer', 'real') AND issued >= ? AND issued < ?
                """, arguments: [RecordBounds.earliest, RecordBounds.latest])
        }.flatMap(RecordBounds.instant)
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
