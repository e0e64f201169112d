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
        try writer.read { db in
            try listRows(db, status: status, asOf: instant, tail: "ORDER BY \(status == .active ? "+numberKey" : "numberKey")",
                         arguments: [:]).rows
        }
    }

    /// The SQL condition on `orders` of the list with `status` at `:t` (nil: all).
    static func statusFilter(_ status: OrderStatus?) -> String {
        switch status {
        case nil: "1"
        case .active: "+served <= :t AND ends > :t"
        case .unserved: "(served IS NULL OR served > :t) AND (revoked IS NULL OR revoked > :t)"
        case .expired: "served <= :t AND expires <= :t AND (revoked IS NULL OR revoked > :t)"
        case .revoked: "revoked <= :t"
        }
    }

    /// The rows of the order list with `status` at `instant`, filtered and ordered by `tail` (its own
    /// `arguments`, named), each value checked; with the cursor (in `sort`) of the last row read. With `batch`,
    /// the rows are handed to `emit` as they are read, `batch` rows read at a time (one cursor, bounded memory),
    /// and only the rest after the last full batch is returned.
    private func listRows(_ db: Database, status: OrderStatus?, asOf instant: Date, sort: OrderSort = .number, tail: String,
                          arguments: [String: (any DatabaseValueConvertible)?], batch: Int? = nil,
                          emit: (Screened<OrderListRow>) throws -> Void = { _ in }) throws
    -> (rows: Screened<OrderListRow>, read: Int, last: OrderCursor?) {
        let filter = Self.statusFilter(status)
        var args: [String: (any DatabaseValueConvertible)?] = ["t": instant.timeIntervalSince1970, "lo": RecordBounds.earliest,
                                                                "hi": RecordBounds.latest]
        args.merge(arguments) { $1 }
        let sortColumn = ListIndex.column(sort).map { "orderList.\($0)" } ?? "x''"
        let join = sort == .number ? "" : "JOIN orderList ON orderList.orderID = orders.id"
        let corrections = try allCorrections(db)
        var log = DamageLog()
        var list: [OrderListRow] = []
        var read = 0
        var last: OrderCursor?
        let rows = try Row.fetchCursor(db, sql: """
            SELECT orders.*, \(sortColumn) AS pageSortKey,
                   (SELECT count(*) FROM breaches WHERE breaches.orderID = orders.id
                              AND occurred <= :t AND (closed IS NULL OR closed > :t)) AS openBreaches,
                   (SELECT max(at) FROM checks WHERE checks.orderID = orders.id AND counted = 1
                      AND (at <= :t OR NOT (at >= :lo AND at < :hi))) AS lastCountedAt,
                   (SELECT count(*) FROM checks WHERE checks.orderID = orders.id
                      AND NOT (at >= :lo AND at < :hi AND outcome IN ('compliant', 'breach', 'not-located')
                               AND method IN ('visit', 'phone', 'summons'))) AS damagedChecks,
                   (SELECT count(*) FROM breaches WHERE breaches.orderID = orders.id
                      AND NOT (occurred >= :lo AND occurred < :hi AND reported >= :lo AND reported < :hi
                               AND (closed IS NULL OR closed >= :lo AND closed < :hi))) AS damagedBreaches
            FROM orders \(join) WHERE \(filter) \(tail)
            """, arguments: StatementArguments(args))
        while let row = try rows.next() {
            if let batch, read > 0, read % batch == 0 {
                try emit(Screened(values: list, damaged: log.damaged))
                list.removeAll(keepingCapacity: true)
                log = DamageLog()
            }
            read += 1
            last = OrderCursor(sortKey: Rows.bytes(row, "pageSortKey") ?? Data(), numberKey: ListIndex.text(row, "numberKey"))
            var reader = Rows.reader(row)
            let order = reader.order(.file, rules: settings.rules)
            let number = reader.damage == .number || reader.damage == .id ? nil : order.number
            let lastCounted = reader.instant("lastCountedAt", .checkTime, required: false)
            let open = reader.integer("openBreaches", .breachTime) ?? 0
            if reader.integer("damagedChecks", .checkTime) != 0 { reader.fail(.checkTime) }
            if reader.integer("damagedBreaches", .breachTime) != 0 { reader.fail(.breachTime) }
            let id = order.id ?? 0
            if let damage = reader.damage ?? corrections.damaged[id] {
                log.note(orderID: order.id, number: number, damage)
                continue
            }
            list.append(OrderListRow(order: order.applying(StoredCorrection.plain(corrections.byOrder[id])),
                                     lastCountedCheck: lastCounted, openBreaches: Int(open), sealedSurvivor: Rows.bytes(row, "survivor")))
        }
        return (Screened(values: list, damaged: log.damaged), read, last)
    }

    /// A page of the list through the file's indexes: the sort column's index (`ListIndex`) from the
    /// cursor on, and for a search the trigram index of folded text. A query word whose every needle has
    /// three letters or more is looked up in the index; one with a needle of one or two letters (the
    /// trigram index cannot look those up) is checked row by row on the indexed text, in the sort's order,
    /// so the read stops once the page is full: no record is opened, and a word that is frequent fills a
    /// page quickly (a rare one reads the folded text of every order in the selection, nothing more).
    /// Every match is exact, as `SearchQuery.matches` is: a phrase of the trigram tokenizer (case-sensitive, on
    /// the folded text) is a substring match by itself, read from the index alone (an `instr` on each match as
    /// well would read every matching row's text: 30 times the lookup); a short needle is checked with `instr`.
    public func screenedOrderPage(_ request: OrderPageRequest) throws -> OrderPageRead {
        var args: [String: (any DatabaseValueConvertible)?] = ["limit": max(request.limit, 0)]
        let tail = Self.listTail(request, arguments: &args) + " LIMIT :limit"
        return try writer.read { db in
            let page = try listRows(db, status: request.status, asOf: request.asOf, sort: request.sort, tail: tail, arguments: args)
            return OrderPageRead(rows: page.rows, next: page.read == request.limit && request.limit > 0 ? page.last : nil)
        }
    }

    /// The whole list of `request` (its cursor and limit aside) through one cursor in one read transaction, `passes`
    /// times over that one snapshot, `batch` rows read at a time: the search's index lookup (FTS5 MATCH) is made
    /// once per pass, not once per page, and the rows are sorted once; memory holds one batch.
    public func scanOrderList(_ request: OrderPageRequest, batch: Int, passes: Int,
                              _ body: (_ pass: Int, Screened<OrderListRow>) throws -> Void) throws {
        var whole = request
        whole.after = nil
        var args: [String: (any DatabaseValueConvertible)?] = [:]
        let tail = Self.listTail(whole, arguments: &args)
        try writer.read { db in
            for pass in 0 ..< passes {
                let rest = try listRows(db, status: request.status, asOf: request.asOf, sort: request.sort, tail: tail, arguments: args,
                                        batch: max(batch, 1)) { try body(pass, $0) }
                if !rest.rows.values.isEmpty || !rest.rows.damaged.isEmpty { try body(pass, rest.rows) }
            }
        }
    }

    /// The conditions and the ORDER BY of the list of `request` after `orders`' status filter (no LIMIT), their
    /// values added to `args`.
    static func listTail(_ request: OrderPageRequest, arguments args: inout [String: (any DatabaseValueConvertible)?]) -> String {
        let sortColumn = ListIndex.column(request.sort)
        var conditions: [String] = []
        let direction = request.descending ? "DESC" : "ASC"
        if let after = request.after {
            args["afterKey"] = after.sortKey
            args["afterNumber"] = after.numberKey
            let comparison = request.descending ? "<" : ">"
            conditions.append(sortColumn.map { "(orderList.\($0), orderList.numberKey) \(comparison) (:afterKey, :afterNumber)" }
                              ?? "orders.numberKey \(comparison) :afterNumber")
        }
        if let found = Self.searchCondition(request.search, arguments: &args) { conditions.append(found) }
        // In effect are few of many: read them by their own index and sort them, not walk the sort's index.
        let hint = request.status == .active ? "+" : ""
        let order = sortColumn.map { "\(hint)orderList.\($0) \(direction), \(hint)orderList.numberKey \(direction)" }
            ?? "\(hint)orders.numberKey \(direction)"
        return conditions.map { "AND " + $0 }.joined(separator: " ") + " ORDER BY \(order)"
    }

    /// The SQL condition on `orders` of `search` (nil: no search), its values added to `args`.
    static func searchCondition(_ search: OrderSearch?, arguments args: inout [String: (any DatabaseValueConvertible)?]) -> String? {
        guard let search, !search.query.isEmpty else { return nil }
        var checks: [String] = []
        var lookups: [String] = []
        for (w, needles) in search.query.needles.enumerated() {
            if needles.allSatisfy({ $0.unicodeScalars.count >= 3 }) {
                lookups.append("(" + needles.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                    .joined(separator: " OR ") + ")")
                continue
            }
            var any: [String] = []
            for (k, needle) in needles.enumerated() {
                args["n\(w)_\(k)"] = needle
                any.append("instr(orderSearch.text, :n\(w)_\(k)) > 0")
            }
            checks.append("(" + any.joined(separator: " OR ") + ")")
        }
        var found: String
        if lookups.isEmpty {
            found = "EXISTS (SELECT 1 FROM orderSearch WHERE orderSearch.rowid = orders.id AND \(checks.joined(separator: " AND ")))"
        } else {
            args["fts"] = lookups.joined(separator: " AND ")
            found = "orders.id IN (SELECT rowid FROM orderSearch WHERE orderSearch MATCH :fts"
                + checks.map { " AND " + $0 }.joined() + ")"
        }
        let survivors = search.survivorIDs
        if !survivors.isEmpty {
            args["survivors"] = "[" + survivors.sorted().map(String.init).joined(separator: ",") + "]"
            found = "(\(found) OR orders.id IN (SELECT value FROM json_each(:survivors)))"
        }
        return found
    }

    /// How many orders the list of `request` holds, counted in the file without reading a record; at most
    /// `cap` (the count stops there).
    public func orderCount(_ request: OrderPageRequest, cap: Int?) throws -> Int {
        var args: [String: (any DatabaseValueConvertible)?] = ["t": request.asOf.timeIntervalSince1970]
        var conditions = [Self.statusFilter(request.status)]
        if let found = Self.searchCondition(request.search, arguments: &args) { conditions.append(found) }
        var sql = "SELECT 1 FROM orders WHERE " + conditions.joined(separator: " AND ")
        if let cap {
            args["cap"] = max(cap, 0)
            sql += " LIMIT :cap"
        }
        return try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(sql))", arguments: StatementArguments(args)) ?? 0
        }
    }

    /// Only the asked orders' names are read, each checked as text (`Rows`).
    public func respondentNames(orderIDs ids: Set<Int64>) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let list = "[" + ids.sorted().map(String.init).joined(separator: ",") + "]"
        return try writer.read { db in
            var names: [Int64: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, respondentName FROM orders WHERE id IN (SELECT value FROM json_each(?))",
                                           arguments: [list])
            while let row = try rows.next() {
                var reader = Rows.reader(row)
                guard let id = reader.integer("id", .id), let name = reader.text("respondentName", .respondentName),
                      reader.damage == nil else { continue }
                names[id] = name
            }
            return names
        }
    }

    public func sealedSurvivors(orderIDs ids: Set<Int64>) throws -> [(id: Int64, numberKey: String, sealed: Data)] {
        guard !ids.isEmpty else { return [] }
        let list = "[" + ids.sorted().map(String.init).joined(separator: ",") + "]"
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, numberKey, survivor FROM orders WHERE id IN (SELECT value FROM json_each(?))",
                             arguments: [list]).compactMap { row in
                var reader = Rows.reader(row)
                guard let id = reader.integer("id", .id), let key = reader.text("numberKey", .number),
                      let sealed = Rows.bytes(row, "survivor") else { return nil }
                return (id, key, sealed)
            }
        }
    }

    public func survivorCandidates(_ words: [[[Int64]]]) throws -> SurvivorCandidates? {
        try writer.read { db in
            var candidates: Set<Int64>?
            for needles in words {
                var word = Set<Int64>()
                for tokens in needles {
                    let list = "(" + tokens.map(String.init).joined(separator: ",") + ")"
                    word.formUnion(try Int64.fetchAll(db, sql: """
                        SELECT orderID FROM survivorIndex WHERE token IN \(list) GROUP BY orderID HAVING count(*) = ?
                        """, arguments: [tokens.count]))
                }
                candidates = candidates.map { $0.intersection(word) } ?? word
                if candidates?.isEmpty == true { break }
            }
            func sealed(_ sql: String, _ arguments: StatementArguments = []) throws -> [(id: Int64, numberKey: String, sealed: Data)] {
                try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
                    var reader = Rows.reader(row)
                    guard let id = reader.integer("id", .id), let key = reader.text("numberKey", .number),
                          let sealed = Rows.bytes(row, "survivor") else { return nil }
                    return (id, key, sealed)
                }
            }
            let ids = "[" + (candidates ?? []).sorted().map(String.init).joined(separator: ",") + "]"
            return SurvivorCandidates(
                sealed: try sealed("SELECT id, numberKey, survivor FROM orders WHERE id IN (SELECT value FROM json_each(?))", [ids]),
                unindexed: try sealed("""
                    SELECT id, numberKey, survivor FROM orders
                    WHERE id IN (SELECT orderID FROM orderList WHERE survivorIndexed = 0)
                       OR id NOT IN (SELECT orderID FROM orderList)
                    """))
        }
    }

    /// The orders that can have an alert at `instant`.
    ///
    /// Reads only the orders that can have an alert: those in effect whose next check falls due by
    /// the end of `dueSoonDays` or whose term ends within `expiringDays` (a superset the scheduler then
    /// decides on, counted in plain seconds from the service or the last counted check: see `dueBy` for
    /// the due dates; the term's end has two days to spare for any change of the zone's offset), those
    /// waiting for service, and those with a breach open at `instant`. An order in effect with a term,
    /// interval or last check out of bounds is read too, so that it is reported as damaged. Each comes
    /// with its last counted check at or before `instant` (all that moves the due date) and its open
    /// breaches. The last counted check is found once per order in effect (`effect` is materialized: a
    /// subquery named in several conditions is otherwise run once for each). With `ids`, those orders only.
    public func screenedAlertCandidates(asOf instant: Date, among ids: Set<Int64>?) throws -> Screened<OrderHistory> {
        let t = instant.timeIntervalSince1970
        let zone = settings.timeZone, rules = settings.rules
        let today = LocalDay(instant, in: zone)
        let spare = 2.0 * 86_400
        let terms = rules.kinds.map(\.termDays), intervals = rules.kinds.map(\.checkIntervalDays)
        let dueBy = Self.dueBy(today: today, dueSoonDays: rules.horizons.dueSoonDays, intervals: intervals, in: zone)
        let expiringBy = (today + rules.horizons.expiringDays + 1).start(in: zone).timeIntervalSince1970 + spare
        return try writer.read { db in
            let lastCounted = """
                (SELECT max(at) FROM checks WHERE checks.orderID = orders.id
                 AND counted = 1 AND (at <= :t OR NOT (at >= :lo AND at < :hi)))
                """
            // Some orders only (a screen reads again those written): each of them, without the narrowing, which would read
            // every order to find them; the scheduler decides, as it does for the superset below.
            let some = "SELECT \(ColumnReader.orderColumns("orders")), \(lastCounted) AS lastCountedAt FROM orders WHERE id IN \(Self.among)"
            // `picked` pairs each order with its last counted check; an order found both ways has the same one
            // both times, so UNION keeps it once.
            let sql = ids != nil ? some : """
                WITH effect AS MATERIALIZED (
                    SELECT id, served, termDays, checkIntervalDays, \(lastCounted) AS last
                    FROM orders WHERE ends > :t AND +served <= :t),
                picked(id, last) AS (
                    SELECT id, last FROM effect
                    WHERE served + termDays * 86400.0 < :expiringBy OR coalesce(last, served) + checkIntervalDays * 86400.0 < :dueBy
                       OR NOT (last >= :lo AND last < :hi) OR typeof(termDays) <> 'integer' OR typeof(checkIntervalDays) <> 'integer'
                       OR termDays NOT BETWEEN :minTerm AND :maxTerm OR checkIntervalDays NOT BETWEEN :minInterval AND :maxInterval
                    UNION SELECT id, \(lastCounted) FROM orders WHERE id IN (
                        SELECT id FROM orders WHERE served IS NULL AND issued <= :t AND (revoked IS NULL OR revoked > :t)
                        UNION SELECT id FROM orders WHERE served > :t AND issued <= :t
                        UNION SELECT orderID FROM breaches WHERE closed IS NULL AND +occurred <= :t
                        UNION SELECT orderID FROM breaches WHERE closed > :t AND occurred <= :t
                        UNION SELECT orderID FROM breaches WHERE closed IS NULL AND NOT (+occurred >= :lo AND +occurred < :hi)))
                SELECT \(ColumnReader.orderColumns("orders")), picked.last AS lastCountedAt
                FROM picked JOIN orders ON orders.id = picked.id
                """
            var bounds: StatementArguments = ["t": t, "lo": RecordBounds.earliest, "hi": RecordBounds.latest]
            if let json = Self.json(ids) { bounds += ["ids": json] }
            let args = bounds + ["dueBy": dueBy, "expiringBy": expiringBy,
                                 "minTerm": terms.map(\.min).min() ?? 0, "maxTerm": terms.map(\.max).max() ?? 0,
                                 "minInterval": intervals.map(\.min).min() ?? 0, "maxInterval": intervals.map(\.max).max() ?? 0]
            var log = DamageLog()
            var breachesByOrder: [Int64: [Breach]] = [:]
            let only = ids == nil ? "" : " AND orderID IN \(Self.among)"
            let breachRows = try Row.fetchCursor(db, sql: """
                SELECT * FROM breaches WHERE closed IS NULL AND (+occurred <= :t OR NOT (+occurred >= :lo AND +occurred < :hi))\(only)
                UNION ALL SELECT * FROM breaches WHERE closed > :t AND occurred <= :t\(only)
                """, arguments: bounds)
            while let row = try breachRows.next() {
                let (breach, damage) = Rows.screenedBreach(row)
                if let damage {
                    log.note(orderID: breach.orderID == 0 ? nil : breach.orderID, damage)
                } else {
                    breachesByOrder[breach.orderID, default: []].append(breach)
                }
            }
            let orders = try checkedOrders(db, sql: sql, arguments: ids == nil ? args : bounds, unread: ColumnReader.unshownOrderText,
                                           log: &log) {
                $0.instant("lastCountedAt", .checkTime, required: false)
            }
            let histories = orders.map { order, last in
                let id = order.id ?? 0
                return OrderHistory(order: order, checks: last.map { [Check(orderID: id, at: $0, officer: "", outcome: .compliant)] } ?? [],
                                    breaches: breachesByOrder[id] ?? [])
            }
            return log.screen(histories) { $0.order.id }
        }
    }

    /// The bound, in seconds, that `coalesce(last counted check, service) + interval × 86,400` stays under for
    /// every order in effect with a due date on or before `today + dueSoonDays` (so one that can be overdue or
    /// due soon), whatever its interval within the rule set's ranges.
    ///
    /// With D = today + dueSoonDays + 1 and k the interval, such an order's anchor day is at most D − k − 1,
    /// so its anchor instant lies before `start(D − k)`, which is `start(D) − k × 86,400` plus however much the
    /// zone's offset changed between those days: that change is measured for each k and the largest added
    /// (none where the offset stays put; any change of offset, even a skipped day, is covered exactly).
    /// An order whose interval is outside those bounds is read anyway (reported as damaged).
    static func dueBy(today: LocalDay, dueSoonDays: Int, intervals: [RuleSet.Range], in zone: TimeZone) -> Double {
        let last = today + dueSoonDays + 1
        let bound = last.start(in: zone).timeIntervalSince1970
        var spare = 0.0
        // Every interval from the least to the greatest of any kind: the query's own bounds on the interval.
        if let least = intervals.map(\.min).min(), let greatest = intervals.map(\.max).max(), least <= greatest {
            for k in least...greatest {
                spare = max(spare, (last - k).start(in: zone).timeIntervalSince1970 + Double(k) * 86_400 - bound)
            }
        }
        return bound + spare
    }

    /// A due date lies after the service and before the end: only orders served before
    /// the period's end and ending after its start can have one in it.
    public func screenedViolationCandidates(from startDate: Date, to endDate: Date, among ids: Set<Int64>?) throws
        -> Screened<OrderHistory> {
        let start = startDate.timeIntervalSince1970
        let end = endDate.timeIntervalSince1970
        return try writer.read { db in
            // The last two: orders whose service time is out of bounds (found by the index), so reported as damaged.
            let every = """
                SELECT id FROM orders WHERE ends >= :start AND +served < :end
                UNION SELECT orderID FROM breaches WHERE occurred >= :start AND occurred < :end
                UNION SELECT id FROM orders WHERE served >= :hi
                UNION SELECT id FROM orders WHERE served < :lo
                """
            let candidateArgs: StatementArguments = ["start": start, "end": end, "lo": RecordBounds.earliest, "hi": RecordBounds.latest]
            // The candidates are found once and handed to the three reads below as a JSON list of ids (each read
            // would otherwise find them again). Should an id not be a whole number (a breach's order written by
            // someone else), each read finds them itself, as before, so that it matches exactly the same rows.
            // Some orders only (a screen reads again those written): each of them, whole; the scheduler decides.
            let (candidateSet, args): (String, StatementArguments) = try {
                if let json = Self.json(ids) { return ("SELECT value FROM json_each(:ids)", candidateArgs + ["ids": json]) }
                var ids = "["
                let rows = try DatabaseValue.fetchCursor(db, sql: every, arguments: candidateArgs)
                while let value = try rows.next() {
                    guard case .int64(let id) = value.storage else { return (every, candidateArgs) }
                    if ids.utf8.count > 1 { ids += "," }
                    ids += String(id)
                }
                return ("SELECT value FROM json_each(:ids)", ["ids": ids + "]"])
            }()
            var log = DamageLog()
            // Checks and breaches with every column checked, but without copying the text a violation never shows
            // (a check's officer and note; a breach's reporter, description and action).
            var checks: [Int64: [Check]] = [:]
            let checkStatement = try db.cachedStatement(sql: """
                SELECT id, orderID, at, officer, method, outcome, note FROM checks
                WHERE orderID IN (\(candidateSet)) ORDER BY orderID, at, id
                """)
            let checkColumns = ColumnReader(checkStatement, unread: ["officer", "note"])
            let checkRows = try Row.fetchCursor(checkStatement, arguments: args)
            while try checkRows.next() != nil {
                var reader = checkColumns.check()
                let check = reader.check(.file)
                if let damage = reader.damage {
                    log.note(orderID: check.orderID == 0 ? nil : check.orderID, damage)
                } else {
                    checks[check.orderID, default: []].append(check)
                }
            }
            var breaches: [Int64: [Breach]] = [:]
            let breachStatement = try db.cachedStatement(sql: """
                SELECT id, orderID, occurred, reported, reportedBy, description, checkID, closed, action FROM breaches
                WHERE orderID IN (\(candidateSet))
                """)
            let breachColumns = ColumnReader(breachStatement, unread: ["reportedBy", "description", "action"])
            let breachRows = try Row.fetchCursor(breachStatement, arguments: args)
            while try breachRows.next() != nil {
                var reader = breachColumns.check()
                let breach = reader.breach(.file)
                if let damage = reader.damage {
                    log.note(orderID: breach.orderID == 0 ? nil : breach.orderID, damage)
                } else {
                    breaches[breach.orderID, default: []].append(breach)
                }
            }
            let orders = try checkedOrders(db, sql: "SELECT \(ColumnReader.orderColumns("orders")) FROM orders WHERE id IN (\(candidateSet))",
                                           arguments: args, unread: ColumnReader.unshownOrderText.union([OrderColumns.file.respondentName]),
                                           log: &log) { _ in () }
            let histories = orders.map { order, _ in
                OrderHistory(order: order, checks: checks[order.id ?? 0] ?? [], breaches: breaches[order.id ?? 0] ?? [])
            }
            return log.screen(histories) { $0.order.id }
        }
    }

    /// The orders `sql` selects (`ColumnReader.orderColumns` first, then what `extra` reads), each value checked,
    /// their corrections applied; a damaged one goes to `log` instead (named when its number could be read).
    /// The text in `unread` is checked but not copied (`ColumnReader`).
    private func checkedOrders<Extra>(_ db: Database, sql: String, arguments: StatementArguments, unread: Set<String>,
                                      log: inout DamageLog, extra: (inout RowCheck) -> Extra) throws -> [(Order, Extra)] {
        let corrections = try allCorrections(db)
        let statement = try db.makeStatement(sql: sql)
        let columns = ColumnReader(statement, unread: unread)
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var list: [(Order, Extra)] = []
        while try rows.next() != nil {
            var reader = columns.check()
            let order = reader.order(.file, rules: settings.rules)
            let more = extra(&reader)
            let id = order.id ?? 0
            let numbered = reader.damage != .number && reader.damage != .id
            if numbered { log.name(orderID: id, number: order.number) }
            if let damage = reader.damage ?? corrections.damaged[id] {
                log.note(orderID: order.id, number: numbered ? order.number : nil, damage)
                continue
            }
            list.append((order.applying(StoredCorrection.plain(corrections.byOrder[id])), more))
        }
        return list
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

    /// The orders of the entries after `mark`: an entry about a check or a breach names its order through it.
    public func changedOrders(since mark: Int64, cap: Int, limit: Int) throws -> OrderChanges {
        try writer.read { db in
            let head = try Int64.fetchOne(db, sql: "SELECT max(id) FROM history") ?? 0
            let entries = try Row.fetchAll(db, sql: """
                SELECT id, action, CASE WHEN typeof(orderID) = 'integer' THEN orderID END AS orderID FROM (
                    SELECT h.id, CASE WHEN typeof(h.action) = 'text' THEN h.action ELSE '' END AS action,
                           CASE h.entity WHEN 'order' THEN h.entityID
                                WHEN 'check' THEN (SELECT c.orderID FROM checks c WHERE c.id = h.entityID)
                                WHEN 'breach' THEN (SELECT b.orderID FROM breaches b WHERE b.id = h.entityID) END AS orderID
                    FROM history h WHERE h.id > ? ORDER BY h.id LIMIT ?)
                """, arguments: [mark, cap]).map { row -> (id: Int64, action: String, orderID: Int64?) in
                // A value no Qorgau wrote (an action not text, an order's ID not a number) reads as not known: every
                // screen then reads everything, where such a record is screened as damaged.
                (row["id"] ?? 0, row["action"] ?? "", row["orderID"])
            }
            return OrderChanges.from(entries, since: mark, head: head, cap: cap, limit: limit)
        }
    }

    /// The orders of a read restricted to some (`among`), as the `:ids` argument (`json`) gives them.
    static let among = "(SELECT value FROM json_each(:ids))"

    static func json(_ ids: Set<Int64>?) -> String? {
        ids.map { "[" + $0.sorted().map(String.init).joined(separator: ",") + "]" }
    }

    /// One person's file: the screens look at the change mark each second instead.
    public func changeFeed() throws -> (any ChangeFeed)? { nil }

    public func users() throws -> [User] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY login").map(Users.user) }
    }
}
