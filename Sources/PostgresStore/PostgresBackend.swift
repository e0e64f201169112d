import Foundation
import OrderModel
import OrderStore
import Scheduler

/// The records on a PostgreSQL server, shared by people at several sites. The person is whom the
/// server authenticated (`session_user`); the server refuses what their role may not do (grants, row
/// security by district, SECURITY DEFINER functions that check the rules of RULES.md again). This
/// program only asks: everything it sends is a parameterised call to those functions.
public final class PostgresBackend: StoreBackend {
    let connection: PGConnection
    let conninfo: String
    public let location: String
    public let settings: StoreSettings
    public let user: User
    public var isShared: Bool { true }
    /// True when the records have the list's index (schema 2, `ListColumns`): else the list is read whole, as
    /// before, until the database is upgraded (`PostgresBackend.upgrade`).
    let listIndexed: Bool

    init(connection: PGConnection, conninfo: String) throws {
        self.connection = connection
        self.conninfo = conninfo
        location = StoreLocation.withoutPassword(conninfo)
        let installed = try Self.call { try connection.execute("SELECT to_regclass('qorgau.meta') IS NOT NULL AS installed") }
        guard installed.rows.first?.bool("installed") == true else {
            throw StoreError.notInstalled(location: StoreLocation.withoutPassword(conninfo))
        }
        listIndexed = try Self.call {
            try connection.execute("SELECT to_regclass('qorgau.survivor_index') IS NOT NULL AS indexed").rows.first?.bool("indexed") ?? false
        }
        let me = try Self.whoAmI(connection)
        guard let row = me.rows.first, let login = row["login"], let role = row["role"].flatMap(Role.init(rawValue:)) else {
            throw StoreError.damaged(path: location, reason: .noIdentity)
        }
        user = User(login: login, role: role, district: row["district"] ?? "", disabled: row.bool("disabled") ?? false)
        var meta: [String: String] = [:]
        for row in try Self.call({ try connection.execute("SELECT key, value FROM qorgau.meta") }).rows {
            if let key = row["key"] { meta[key] = row["value"] }
        }
        guard let zoneName = meta["timeZone"], let zone = TimeZone(identifier: zoneName) else {
            throw StoreError.damaged(path: location, reason: .noTimeZone)
        }
        guard let rulesJSON = meta["rules"], let rules = try? RuleSet.decode(Data(rulesJSON.utf8)) else {
            throw StoreError.damaged(path: location, reason: .noRuleSet)
        }
        settings = StoreSettings(timeZone: zone, rules: rules, vault: try Self.keyRecord(meta, location: location))
    }

    /// The key record among the settings; a liaison is not shown the wrapped key: the public key seals what she adds.
    static func keyRecord(_ meta: [String: String], location: String) throws -> Vault.Record {
        let record = try? meta["vault"].map(Vault.Record.init(json:))
            ?? meta["publicKey"].flatMap { Data(base64Encoded: $0) }.map(Vault.Record.init(publicKeyOnly:))
        guard let record else { throw StoreError.damaged(path: location, reason: .noKeyRecord) }
        return record
    }

    public func currentKeyRecord() throws -> Vault.Record {
        var meta: [String: String] = [:]
        for row in try Self.call({ try connection.execute("SELECT key, value FROM qorgau.meta WHERE key IN ('vault', 'publicKey')") }).rows {
            if let key = row["key"] { meta[key] = row["value"] }
        }
        return try Self.keyRecord(meta, location: location)
    }

    /// The enabled user the server authenticated; an account that is not one is refused, and that
    /// refusal recorded.
    static func whoAmI(_ connection: PGConnection) throws -> PGResult {
        let result = Result { () throws(PGError) -> PGResult in
            try connection.execute("SELECT login, role, district, disabled FROM qorgau.me()")
        }
        switch result {
        case .success(let me): return me
        case .failure(let error) where error.sqlState == "42501":
            let account = (try? connection.execute("SELECT session_user AS login"))?.rows.first?["login"] ?? "?"
            _ = try? connection.execute("SELECT qorgau.record_refusal('access')")
            throw StoreError.notAUser(account: account)
        case .failure(let error):
            throw translate(error)
        }
    }

    /// Connects with anything libpq understands (a URI; PGHOST, PGSERVICE, ~/.pgpass, sslmode=verify-full
    /// apply as usual) and opens the session of the person the server authenticated.
    public static func open(conninfo: String) throws -> OrderStore {
        try OrderStore(backend: PostgresBackend(connection: connect(conninfo), conninfo: conninfo))
    }

    static func connect(_ conninfo: String) throws -> PGConnection {
        if case .failure(let missing) = LibPQ.shared { throw missing }
        do {
            return try PGConnection(conninfo: conninfo)
        } catch {
            throw StoreError.cannotConnect(location: StoreLocation.withoutPassword(conninfo), reason: oneLine(error.message))
        }
    }

    /// libpq's message ("FATAL:  permission denied …\nDETAIL:  …") as one line of single spaces.
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.split(separator: " ").joined(separator: " ") }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// Runs a server call, turning what the server says into the program's errors.
    @discardableResult
    static func call<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PGError {
            throw translate(error)
        }
    }

    /// The program's error for a server's: a refusal by role or district, a refused rule, a lost connection.
    static func translate(_ error: PGError) -> Error {
        let text = oneLine(error.message)
        let message = text.hasPrefix("qorgau: ") ? String(text.dropFirst(8)) : text
        if error.isConnectionFailure { return StoreError.cannotConnect(location: "the server", reason: message) }
        switch error.sqlState {
        case "42501": return StoreError.forbiddenByServer(message)
        case "23514", "23505", "P0002", "22023", "22P02", "22003", "22007", "22008": return StoreError.refusedByServer(message)
        default: return StoreError.serverError(message)
        }
    }

    /// The store's fact for a libpq or server error, or nil when `error` is not one.
    public static func problem(for error: Error) -> StoreError? {
        guard let error = error as? PGError else { return nil }
        return translate(error) as? StoreError
    }

    // MARK: - Writes

    public func write<T>(_ permission: Permission, now: Date, _ body: (any StoreTransaction) throws -> T) throws -> T {
        do {
            return try connection.transaction { try body(PostgresTransaction(backend: self)) }
        } catch let error as PGError {
            throw Self.translate(error)
        }
    }

    public func recordRefusal(_ permission: Permission, now: Date) {
        _ = try? connection.execute("SELECT qorgau.record_refusal($1)", [.text(permission.rawValue)])
    }

    public func recordEvent(_ event: AuditEvent, now: Date) throws {
        try Self.call {
            switch event {
            case let .survivorViewed(id, _): try connection.execute("SELECT qorgau.record_view($1)", [.int(id)])
            case .survivorSearched(let matched):
                try connection.execute("SELECT qorgau.record_search('search', $1)", [.int(Int64(matched))])
            case .survivorNamesOpened(let count):
                try connection.execute("SELECT qorgau.record_search('names', $1)", [.int(Int64(count))])
            case .exported: try connection.execute("SELECT qorgau.record_event('export')")
            case .exportFailed: try connection.execute("SELECT qorgau.record_event('export', 'failed')")
            case .backedUp: try connection.execute("SELECT qorgau.record_event('backup')")
            }
        }
    }

    // MARK: - Reads (the server shows only what this person may see)

    /// The columns of an order that lists and the morning read: never the sealed survivor.
    static let orderColumns = "o.id, o.number, o.number_key, o.kind, o.issued, o.served, o.term_days, o.check_interval_days, "
        + "o.district, o.officer, o.restrictions, o.survivor_initials, o.respondent_name, o.respondent_birth_date, "
        + "o.respondent_address, o.respondent_phone, o.revoked, o.revocation_reason"

    /// The columns of one order's whole record: the sealed survivor too where this person may read it
    /// (a liaison has no grant on it).
    var recordColumns: String {
        user.role.may(.viewSurvivor) ? Self.orderColumns + ", o.survivor" : Self.orderColumns
    }

    static func date(_ row: PGRow, _ column: String) -> Date? {
        row.double(column).map(Date.init(timeIntervalSince1970:))
    }

    /// A checker of `row`. The columns are typed, but their values can still be absurd (1e300, 'Infinity',
    /// a term of 2^31 - 1 days, from a restored dump or a superuser's hand): each is checked (`RowCheck`).
    static func reader(_ row: PGRow) -> RowCheck {
        RowCheck { row[$0].map(StoredValue.text) ?? .null }
    }

    /// A breach (closing one); a damaged one is refused.
    static func breach(_ row: PGRow) throws -> Breach {
        var reader = reader(row)
        let breach = reader.breach(.server)
        if let damage = reader.damage {
            throw StoreError.damagedRecord(DamagedRecord(orderID: breach.orderID == 0 ? nil : breach.orderID, number: nil,
                                                         field: damage))
        }
        return breach
    }

    static func entry(_ row: PGRow) -> HistoryEntry {
        HistoryEntry(id: row.int("id") ?? 0, at: date(row, "at") ?? Date(timeIntervalSince1970: 0), account: row["account"] ?? "",
                     action: row["action"] ?? "", entity: row["entity"] ?? "", entityID: row.int("entity_id"),
                     detail: row["detail"] ?? "", prevHash: row["prev_hash"] ?? "", hash: row["hash"] ?? "")
    }

    /// Corrections by order, and the orders with a correction that is damaged.
    struct CorrectionRead {
        var byOrder: [Int64: [StoredCorrection]] = [:]
        var damaged: [Int64: DamagedField] = [:]
    }

    /// Corrections by order, oldest first: of one order, or of all this person may see.
    func corrections(orderID: Int64? = nil) throws -> CorrectionRead {
        let sealed = user.role.may(.viewSurvivor) ? "c.sealed" : "NULL::bytea AS sealed"
        let rows = try Self.call {
            try connection.execute("""
                SELECT c.id, c.order_id, o.number_key, c.field, c.value, \(sealed), c.reason, c.at, c.account
                FROM qorgau.corrections c JOIN qorgau.orders o ON o.id = c.order_id
                WHERE $1::bigint IS NULL OR c.order_id = $1 ORDER BY c.id
                """, [orderID.map(PGValue.int) ?? .null]).rows
        }
        var read = CorrectionRead()
        for row in rows {
            var reader = Self.reader(row)
            guard let id = reader.integer("order_id", .correction) else { continue }
            let field: CorrectableField? = reader.known("field", .correction)
            let correction = StoredCorrection(
                id: reader.integer("id", .correction) ?? 0, orderID: id, numberKey: reader.text("number_key", .correction) ?? "",
                field: field ?? .district, value: reader.text("value", .correction, required: field?.isSurvivorData == false),
                sealed: row.data("sealed"), reason: reader.text("reason", .correction) ?? "",
                at: reader.instant("at", .correction) ?? .distantPast, account: reader.text("account", .correction) ?? "")
            guard field != nil, reader.damage == nil else {
                read.damaged[id] = read.damaged[id] ?? .correction
                continue
            }
            read.byOrder[id, default: []].append(correction)
        }
        return read
    }

    /// Orders (with `where`, on `o`) and their whole histories, each value checked.
    func stored(where condition: String, _ params: [PGValue], corrections: CorrectionRead? = nil) throws -> Screened<StoredOrder> {
        let rows = try Self.call {
            try connection.execute("SELECT \(recordColumns) FROM qorgau.orders o WHERE \(condition) ORDER BY o.number_key COLLATE \"C\"", params).rows
        }
        guard !rows.isEmpty else { return Screened(values: []) }
        let ids = rows.compactMap { $0.int("id") }
        let list = "{" + ids.map(String.init).joined(separator: ",") + "}"
        var log = DamageLog()
        var checksByOrder: [Int64: [Check]] = [:], breachesByOrder: [Int64: [Breach]] = [:]
        for row in try Self.call({
            try connection.execute("SELECT * FROM qorgau.checks WHERE order_id = ANY($1::bigint[]) ORDER BY at, id", [.text(list)]).rows
        }) {
            var reader = Self.reader(row)
            let check = reader.check(.server)
            if let damage = reader.damage { log.note(orderID: check.orderID, damage) } else { checksByOrder[check.orderID, default: []].append(check) }
        }
        for row in try Self.call({
            try connection.execute("SELECT * FROM qorgau.breaches WHERE order_id = ANY($1::bigint[]) ORDER BY occurred, id",
                                   [.text(list)]).rows
        }) {
            var reader = Self.reader(row)
            let breach = reader.breach(.server)
            if let damage = reader.damage { log.note(orderID: breach.orderID, damage) } else { breachesByOrder[breach.orderID, default: []].append(breach) }
        }
        let all = try corrections ?? (ids.count == 1 ? self.corrections(orderID: ids[0]) : self.corrections())
        var orders: [StoredOrder] = []
        for row in rows {
            var reader = Self.reader(row)
            let order = reader.order(.server, rules: settings.rules)
            let id = order.id ?? 0
            if reader.damage != .number && reader.damage != .id { log.name(orderID: id, number: order.number) }
            if let damage = reader.damage ?? all.damaged[id] {
                log.note(orderID: order.id, number: reader.damage == .number || reader.damage == .id ? nil : order.number, damage)
                continue
            }
            orders.append(StoredOrder(history: OrderHistory(order: order.applying(StoredCorrection.plain(all.byOrder[id])),
                                                            checks: checksByOrder[id] ?? [], breaches: breachesByOrder[id] ?? []),
                                      sealedSurvivor: row.data("survivor"), corrections: all.byOrder[id] ?? []))
        }
        return log.screen(orders) { $0.history.order.id }
    }

    public func order(number: String) throws -> StoredOrder? {
        let found = try stored(where: "o.number_key = $1", [.text(Order.numberKey(number))])
        if let damaged = found.damaged.first { throw StoreError.damagedRecord(damaged) }
        return found.values.first
    }

    public func entries(forOrder id: Int64) throws -> [HistoryEntry]? {
        guard user.role.may(.readAudit) else { return nil }
        return try Self.call {
            try connection.execute("""
                SELECT * FROM qorgau.history WHERE (entity = 'order' AND entity_id = $1)
                   OR (entity = 'check' AND entity_id IN (SELECT id FROM qorgau.checks WHERE order_id = $1))
                   OR (entity = 'breach' AND entity_id IN (SELECT id FROM qorgau.breaches WHERE order_id = $1))
                ORDER BY id
                """, [.int(id)]).rows.map(Self.entry)
        }
    }

    public func screenedAllOrders() throws -> Screened<StoredOrder> {
        try stored(where: "true", [], corrections: corrections())
    }

    public func sealedSurvivors() throws -> [(id: Int64, numberKey: String, sealed: Data)] {
        guard user.role.may(.viewSurvivor) else { return [] }
        return try Self.call {
            try connection.execute("SELECT id, number_key, survivor FROM qorgau.orders").rows.compactMap { row in
                guard let id = row.int("id"), let sealed = row.data("survivor") else { return nil }
                return (id, row["number_key"] ?? "", sealed)
            }
        }
    }

    public func screenedOrders(status: OrderStatus?, asOf instant: Date) throws -> Screened<OrderListRow> {
        try listRows(status: status, asOf: instant, sortKey: "''::bytea", tail: "ORDER BY o.number_key COLLATE \"C\"", []).rows
    }

    /// The rows of the order list with `status` at `instant`, the conditions and order of `tail` (its parameters
    /// `extra` numbered from $4), each value checked; how many rows were read (damaged or not), and the cursor of
    /// the last one read (its `sortKey` column, and its number key).
    func listRows(status: OrderStatus?, asOf instant: Date, sortKey: String, tail: String, _ extra: [PGValue]) throws
    -> (rows: Screened<OrderListRow>, read: Int, last: OrderCursor?) {
        let filter: String = switch status {
        case nil: "true"
        case .active: "o.served <= $1 AND o.ends > $1"
        case .unserved: "(o.served IS NULL OR o.served > $1) AND (o.revoked IS NULL OR o.revoked > $1)"
        case .expired: "o.served <= $1 AND o.expires <= $1 AND (o.revoked IS NULL OR o.revoked > $1)"
        case .revoked: "o.revoked <= $1"
        }
        let corrections = try corrections()
        let rows = try Self.call {
            try connection.execute("""
                SELECT \(Self.orderColumns), \(sortKey) AS page_sort_key,
                       (SELECT count(*) FROM qorgau.breaches b WHERE b.order_id = o.id AND b.occurred <= $1
                          AND (b.closed IS NULL OR b.closed > $1)) AS open_breaches,
                       (SELECT max(c.at) FROM qorgau.checks c WHERE c.order_id = o.id AND c.counted
                          AND (c.at <= $1 OR NOT (c.at >= $2 AND c.at < $3))) AS last_counted,
                       (SELECT count(*) FROM qorgau.checks c WHERE c.order_id = o.id
                          AND NOT (c.at >= $2 AND c.at < $3)) AS damaged_checks,
                       (SELECT count(*) FROM qorgau.breaches b WHERE b.order_id = o.id
                          AND NOT (b.occurred >= $2 AND b.occurred < $3 AND b.reported >= $2 AND b.reported < $3
                                   AND (b.closed IS NULL OR b.closed >= $2 AND b.closed < $3))) AS damaged_breaches
                FROM qorgau.orders o WHERE \(filter) \(tail)
                """, [.double(instant.timeIntervalSince1970), .double(RecordBounds.earliest), .double(RecordBounds.latest)] + extra).rows
        }
        var log = DamageLog()
        var list: [OrderListRow] = []
        var last: OrderCursor?
        for row in rows {
            last = OrderCursor(sortKey: row.data("page_sort_key") ?? Data(), numberKey: row["number_key"] ?? "")
            var reader = Self.reader(row)
            let order = reader.order(.server, rules: settings.rules)
            let last = reader.instant("last_counted", .checkTime, required: false)
            let open = reader.integer("open_breaches", .breachTime) ?? 0
            if reader.integer("damaged_checks", .checkTime) != 0 { reader.fail(.checkTime) }
            if reader.integer("damaged_breaches", .breachTime) != 0 { reader.fail(.breachTime) }
            let id = order.id ?? 0
            if let damage = reader.damage ?? corrections.damaged[id] {
                log.note(orderID: order.id, number: reader.damage == .number || reader.damage == .id ? nil : order.number, damage)
                continue
            }
            list.append(OrderListRow(order: order.applying(StoredCorrection.plain(corrections.byOrder[id])), lastCountedCheck: last,
                                     openBreaches: Int(open)))
        }
        return (Screened(values: list, damaged: log.damaged), rows.count, last)
    }

    /// The sort column of `sort` (nil: the number key alone).
    static func sortColumn(_ sort: OrderSort) -> String? {
        switch sort {
        case .number: nil
        case .respondent: "o.sort_respondent"
        case .district: "o.sort_district"
        case .officer: "o.sort_officer"
        }
    }

    /// A page of the list through the server's indexes (schema 2): the sort column's btree from the cursor on
    /// (keys and number keys compared as bytes, as in the SQLite file), and for a search the trigram index of
    /// the folded text, through qorgau.list_matches, for the words whose every needle has three letters or more;
    /// a word with a shorter needle is checked on the folded text row by row in the page's order (the read stops
    /// once the page is full). No record is opened; only the page's rows are read whole.
    public func screenedOrderPage(_ request: OrderPageRequest) throws -> OrderPageRead {
        guard listIndexed else { return try pageInMemory(request) }
        let column = Self.sortColumn(request.sort)
        let direction = request.descending ? "DESC" : "ASC"
        var params: [PGValue] = []
        func parameter(_ value: PGValue) -> String {
            params.append(value)
            return "$\(params.count + 3)"
        }
        var conditions: [String] = []
        if let after = request.after {
            let comparison = request.descending ? "<" : ">"
            let number = parameter(.text(after.numberKey))
            if let column {
                let key = parameter(.bytea(after.sortKey))
                conditions.append("(\(column), o.number_key COLLATE \"C\") \(comparison) (\(key)::bytea, \(number)::text COLLATE \"C\")")
            } else {
                conditions.append("o.number_key COLLATE \"C\" \(comparison) \(number)::text COLLATE \"C\"")
            }
        }
        if let search = request.search, !search.query.isEmpty {
            var looked: [(word: Int, needle: String)] = []
            var checks: [String] = []
            for (w, needles) in search.query.needles.enumerated() {
                if needles.allSatisfy({ $0.unicodeScalars.count >= 3 }) {
                    looked += needles.map { (w, $0) }
                } else {
                    checks.append("(" + needles.map { "strpos(o.list_search, \(parameter(.text($0)))) > 0" }.joined(separator: " OR ") + ")")
                }
            }
            if !looked.isEmpty {
                let words = parameter(.text(PostgresTransaction.array(looked.map { String($0.word) })))
                let needles = parameter(.text(ListColumns.array(looked.map(\.needle))))
                checks.append("o.id IN (SELECT qorgau.list_matches(\(words)::int[], \(needles)::text[]))")
            }
            var found = "(" + checks.joined(separator: " AND ") + ")"
            let survivors = search.survivorIDs
            if !survivors.isEmpty {
                let ids = parameter(.text(PostgresTransaction.array(survivors.sorted().map(String.init))))
                found = "(\(found) OR o.id = ANY(\(ids)::bigint[]))"
            }
            conditions.append(found)
        }
        let order = (column.map { ["\($0) \(direction)"] } ?? []) + ["o.number_key COLLATE \"C\" \(direction)"]
        let limit = parameter(.int(Int64(max(request.limit, 0))))
        let tail = conditions.map { "AND " + $0 }.joined(separator: " ") + " ORDER BY " + order.joined(separator: ", ") + " LIMIT \(limit)"
        let page = try listRows(status: request.status, asOf: request.asOf, sortKey: column ?? "''::bytea", tail: tail, params)
        return OrderPageRead(rows: page.rows, next: page.read == request.limit && request.limit > 0 ? page.last : nil)
    }

    /// The pages of the list in one read-only transaction at REPEATABLE READ: every page (and every pass) sees the
    /// one snapshot taken at its first query, so a write meanwhile neither mixes nor moves the list. Without the
    /// list's columns (an older schema) the list is read once, whole, as a page of it would be.
    public func scanOrderList(_ request: OrderPageRequest, batch: Int, passes: Int,
                              _ body: (_ pass: Int, Screened<OrderListRow>) throws -> Void) throws {
        try Self.call {
            try connection.transaction {
                try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                guard listIndexed else {
                    var whole = request
                    whole.after = nil
                    whole.limit = Int.max
                    let all = try pageInMemory(whole).rows
                    for pass in 0 ..< passes {
                        var start = 0
                        repeat {
                            let end = min(start + max(batch, 1), all.values.count)
                            try body(pass, Screened(values: Array(all.values[start ..< end]), damaged: start == 0 ? all.damaged : []))
                            start = end
                        } while start < all.values.count
                    }
                    return
                }
                try scanByPages(request, batch: batch, passes: passes, body)
            }
        }
    }

    public func sealedSurvivors(orderIDs ids: Set<Int64>) throws -> [(id: Int64, numberKey: String, sealed: Data)] {
        guard !ids.isEmpty, user.role.may(.viewSurvivor) else { return [] }
        return try Self.call {
            try connection.execute("SELECT id, number_key, survivor FROM qorgau.orders WHERE id = ANY($1::bigint[]) ORDER BY id",
                                   [.text(PostgresTransaction.array(ids.sorted().map(String.init)))]).rows.compactMap { row in
                guard let id = row.int("id"), let sealed = row.data("survivor") else { return nil }
                return (id, row["number_key"] ?? "", sealed)
            }
        }
    }

    /// Through the keyed index of names (schema 2): per needle the orders holding all its tokens, intersected
    /// over the words; the candidates' sealed survivors, and those of the orders not indexed yet.
    public func survivorCandidates(_ words: [[[Int64]]]) throws -> SurvivorCandidates? {
        guard listIndexed else { return nil }
        guard user.role.may(.viewSurvivor) else { return SurvivorCandidates(sealed: [], unindexed: []) }
        return try Self.call {
            var candidates: Set<Int64>?
            for needles in words {
                var word = Set<Int64>()
                for tokens in needles {
                    let rows = try connection.execute("""
                        SELECT order_id FROM qorgau.survivor_index WHERE token = ANY($1::bigint[]) GROUP BY order_id HAVING count(*) = $2
                        """, [.text(PostgresTransaction.array(tokens.map(String.init))), .int(Int64(tokens.count))]).rows
                    word.formUnion(rows.compactMap { $0.int("order_id") })
                }
                candidates = candidates.map { $0.intersection(word) } ?? word
                if candidates?.isEmpty == true { break }
            }
            func sealed(_ condition: String, _ params: [PGValue]) throws -> [(id: Int64, numberKey: String, sealed: Data)] {
                try connection.execute("SELECT id, number_key, survivor FROM qorgau.orders WHERE \(condition) ORDER BY id", params).rows
                    .compactMap { row in
                        guard let id = row.int("id"), let sealed = row.data("survivor") else { return nil }
                        return (id, row["number_key"] ?? "", sealed)
                    }
            }
            let ids = PostgresTransaction.array((candidates ?? []).sorted().map(String.init))
            return SurvivorCandidates(sealed: try sealed("id = ANY($1::bigint[])", [.text(ids)]),
                                      unindexed: try sealed("NOT survivor_indexed", []))
        }
    }

    /// The orders in effect are narrowed on the server to those whose next check (from the last counted
    /// check at or before `instant`, else the service) falls due by `dueSoonDays` after today, or that expire
    /// within `expiringDays`: a superset (an hour to spare for a zone's changes) of those with a check or
    /// expiry alert, compared in seconds so that the server converts no time zone per order; the
    /// scheduler decides.
    public func screenedAlertCandidates(asOf instant: Date, among ids: Set<Int64>?) throws -> Screened<OrderHistory> {
        let t: [PGValue] = [.double(instant.timeIntervalSince1970)]
        let bounds: [PGValue] = [.double(RecordBounds.earliest), .double(RecordBounds.latest)]
        let among = Self.idList(ids)
        var log = DamageLog()
        var breachesByOrder: [Int64: [Breach]] = [:]
        for row in try Self.call({
            try connection.execute("""
                SELECT * FROM qorgau.breaches WHERE (occurred <= $1 OR NOT (occurred >= $2 AND occurred < $3))
                  AND (closed IS NULL OR closed > $1)\(among == nil ? "" : " AND order_id = ANY($4::bigint[])")
                """, t + bounds + (among.map { [.text($0)] } ?? [])).rows
        }) {
            var reader = Self.reader(row)
            let breach = reader.breach(.server)
            if let damage = reader.damage { log.note(orderID: breach.orderID, damage) } else { breachesByOrder[breach.orderID, default: []].append(breach) }
        }
        let corrections = try corrections()
        let zone = settings.timeZone, horizons = settings.rules.horizons
        let today = LocalDay(instant, in: zone)
        let dueBy = (today + horizons.dueSoonDays + 1).start(in: zone).timeIntervalSince1970 + 3600
        let expiringBy = (today + horizons.expiringDays + 1).start(in: zone).timeIntervalSince1970 + 3600
        let lastCounted = """
            LEFT JOIN LATERAL (SELECT max(c.at) AS last_counted FROM qorgau.checks c
                               WHERE c.order_id = o.id AND c.counted AND (c.at <= $1 OR NOT (c.at >= $4 AND c.at < $5))) l ON true
            """
        // Some orders only (a screen reads again those written): each of them, without the narrowing, which would read every
        // order to find them; the scheduler decides, as it does for the superset.
        let rows = try Self.call {
            if let among {
                let counted = lastCounted.replacingOccurrences(of: "$4", with: "$2").replacingOccurrences(of: "$5", with: "$3")
                return try connection.execute("""
                    SELECT \(Self.orderColumns), l.last_counted FROM qorgau.orders o \(counted) WHERE o.id = ANY($4::bigint[])
                    """, t + bounds + [.text(among)]).rows
            }
            return try connection.execute("""
                SELECT \(Self.orderColumns), l.last_counted FROM qorgau.orders o \(lastCounted)
                WHERE o.ends > $1 AND o.served <= $1
                  AND (coalesce(l.last_counted, o.served) + o.check_interval_days * 86400.0 < $2 OR o.expires < $3
                       OR NOT (l.last_counted >= $4 AND l.last_counted < $5))
                UNION
                SELECT \(Self.orderColumns), l.last_counted FROM qorgau.orders o \(lastCounted)
                WHERE o.id IN (
                    SELECT id FROM qorgau.orders WHERE served IS NULL AND issued <= $1 AND (revoked IS NULL OR revoked > $1)
                    UNION SELECT id FROM qorgau.orders WHERE served > $1 AND issued <= $1
                    UNION SELECT order_id FROM qorgau.breaches WHERE occurred <= $1 AND (closed IS NULL OR closed > $1)
                    UNION SELECT order_id FROM qorgau.breaches WHERE closed IS NULL AND NOT (occurred >= $4 AND occurred < $5))
                """, t + [.double(dueBy), .double(expiringBy)] + bounds).rows
        }
        var histories: [OrderHistory] = []
        for row in rows {
            var reader = Self.reader(row)
            let order = reader.order(.server, rules: settings.rules)
            let last = reader.instant("last_counted", .checkTime, required: false)
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

    public func screenedViolationCandidates(from start: Date, to end: Date, among ids: Set<Int64>?) throws -> Screened<OrderHistory> {
        // Some orders only: each of them, whole (the scheduler decides, as for the superset, which reads every order).
        if let among = Self.idList(ids) { return try stored(where: "o.id = ANY($1::bigint[])", [.text(among)]).map(\.history) }
        return try stored(where: """
            o.id IN (SELECT id FROM qorgau.orders WHERE ends >= $1 AND served < $2
                     UNION SELECT order_id FROM qorgau.breaches WHERE occurred >= $1 AND occurred < $2
                     UNION SELECT id FROM qorgau.orders WHERE served >= $4
                     UNION SELECT id FROM qorgau.orders WHERE served < $3)
            """, [.double(start.timeIntervalSince1970), .double(end.timeIntervalSince1970), .double(RecordBounds.earliest),
                  .double(RecordBounds.latest)]).map(\.history)
    }

    /// Some orders' IDs as a bigint[] parameter; nil for none given (every order).
    static func idList(_ ids: Set<Int64>?) -> String? {
        ids.map { "{" + $0.sorted().map(String.init).joined(separator: ",") + "}" }
    }

    public func firstIssue() throws -> Date? {
        // Only an instant that keeps to the bounds: a damaged order does not move the first day.
        try Self.call {
            try connection.execute("SELECT min(issued) AS first FROM qorgau.orders WHERE issued >= $1 AND issued < $2",
                                   [.double(RecordBounds.earliest), .double(RecordBounds.latest)])
                .rows.first.flatMap { $0.double("first") }.flatMap(RecordBounds.instant)
        }
    }

    public func counts() throws -> StoreCounts {
        try Self.call {
            let row = try connection.execute("""
                SELECT (SELECT count(*) FROM qorgau.orders) AS orders, (SELECT count(*) FROM qorgau.checks) AS checks,
                       (SELECT count(*) FROM qorgau.breaches) AS breaches, qorgau.change_mark() AS history
                """).rows.first
            return StoreCounts(orders: Int(row?.int("orders") ?? 0), checks: Int(row?.int("checks") ?? 0),
                               breaches: Int(row?.int("breaches") ?? 0), history: Int(row?.int("history") ?? 0))
        }
    }

    public func changeMark() throws -> Int64 {
        try Self.call { try connection.execute("SELECT qorgau.change_mark() AS mark").rows.first?.int("mark") ?? 0 }
    }

    /// Through `qorgau.changed_orders` (the trail is the supervisors' to read): the server names only the orders the
    /// caller may see. A server whose schema predates that function answers "unknown", so the screens read everything.
    public func changedOrders(since mark: Int64, cap: Int, limit: Int) throws -> OrderChanges {
        var rows: [PGRow] = []
        var missing = false
        do {
            rows = try connection.execute("SELECT id, action, order_id FROM qorgau.changed_orders($1, $2)",
                                          [.int(mark), .int(Int64(cap))]).rows
        } catch {
            guard error.sqlState == "42883" else { throw Self.translate(error) }
            missing = true
        }
        if missing { return .unknown(mark: try changeMark()) }
        // The first row is the trail's head (action "head"), the entries after `mark` follow.
        let head = rows.first?.int("id") ?? 0
        let entries = rows.dropFirst().map { row -> (id: Int64, action: String, orderID: Int64?) in
            (row.int("id") ?? 0, row["action"] ?? "", row.int("order_id"))
        }
        return OrderChanges.from(Array(entries), since: mark, head: head, cap: cap, limit: limit)
    }

    public func auditEntries(account: String?, from start: Date?, to end: Date?) throws -> [HistoryEntry] {
        try Self.call {
            try connection.execute("""
                SELECT * FROM qorgau.history WHERE ($1::text IS NULL OR account = $1)
                  AND ($2::float8 IS NULL OR at >= $2::numeric) AND ($3::float8 IS NULL OR at < $3::numeric) ORDER BY id
                """, [account.map(PGValue.text) ?? .null, start.map { .double($0.timeIntervalSince1970) } ?? .null,
                      end.map { .double($0.timeIntervalSince1970) } ?? .null]).rows.map(Self.entry)
        }
    }

    public func auditTrail() throws -> AuditTrail {
        try Self.call {
            let entries = try connection.execute("SELECT * FROM qorgau.history ORDER BY id").rows.map(Self.entry)
            let head = try connection.execute("SELECT id, hash FROM qorgau.audit_head").rows.first.map {
                "\($0["id"] ?? "") \($0["hash"] ?? "")"
            }
            return AuditTrail(entries: entries, head: head)
        }
    }

    public func users() throws -> [User] {
        guard user.role.may(.manageUsers) else { return [user] }
        return try Self.call {
            try connection.execute("SELECT login, role, district, disabled FROM qorgau.users ORDER BY login").rows.map { row in
                User(login: row["login"] ?? "", role: Role(rawValue: row["role"] ?? "") ?? .liaison, district: row["district"] ?? "",
                     disabled: row.bool("disabled") ?? true)
            }
        }
    }
}

/// A second connection that LISTENs on the channel every write NOTIFYs (payload-free).
final class PostgresChangeFeed: ChangeFeed {
    let connection: PGConnection

    init(conninfo: String) throws {
        connection = try PostgresBackend.connect(conninfo)
        try PostgresBackend.call { try connection.listen("qorgau") }
    }

    var fileDescriptor: Int32 { connection.socket }

    func drain() -> Bool {
        ((try? connection.drainNotifications()) ?? 0) > 0
    }
}

extension PostgresBackend {
    public func changeFeed() throws -> (any ChangeFeed)? {
        try PostgresChangeFeed(conninfo: conninfo)
    }
}
