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

    init(connection: PGConnection, conninfo: String) throws {
        self.connection = connection
        self.conninfo = conninfo
        location = StoreLocation.withoutPassword(conninfo)
        let installed = try Self.call { try connection.execute("SELECT to_regclass('qorgau.meta') IS NOT NULL AS installed") }
        guard installed.rows.first?.bool("installed") == true else {
            throw StoreError.notInstalled(location: StoreLocation.withoutPassword(conninfo))
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

    static func order(_ row: PGRow) -> Order {
        Order(id: row.int("id"), number: row["number"] ?? "", kind: OrderKind(rawValue: row["kind"] ?? "") ?? .protectiveOrder,
              issued: date(row, "issued") ?? Date(timeIntervalSince1970: 0), served: date(row, "served"),
              termDays: Int(row.int("term_days") ?? 0), checkIntervalDays: Int(row.int("check_interval_days") ?? 0),
              district: row["district"] ?? "", officer: row["officer"] ?? "", restrictions: row["restrictions"] ?? "",
              survivor: Masked.survivor(initials: row["survivor_initials"] ?? Masked.hidden),
              respondent: Respondent(name: row["respondent_name"] ?? "",
                                     birthDate: row["respondent_birth_date"].flatMap(LocalDay.init(parsing:)),
                                     address: row["respondent_address"] ?? "", phone: row["respondent_phone"] ?? ""),
              revoked: date(row, "revoked"), revocationReason: row["revocation_reason"])
    }

    static func check(_ row: PGRow) -> Check {
        Check(id: row.int("id"), orderID: row.int("order_id") ?? 0, at: date(row, "at") ?? Date(timeIntervalSince1970: 0),
              officer: row["officer"] ?? "", method: CheckMethod(rawValue: row["method"] ?? "") ?? .visit,
              outcome: CheckOutcome(rawValue: row["outcome"] ?? "") ?? .notLocated, note: row["note"] ?? "")
    }

    static func breach(_ row: PGRow) -> Breach {
        Breach(id: row.int("id"), orderID: row.int("order_id") ?? 0, occurred: date(row, "occurred") ?? Date(timeIntervalSince1970: 0),
               reported: date(row, "reported") ?? Date(timeIntervalSince1970: 0), reportedBy: row["reported_by"] ?? "",
               description: row["description"] ?? "", checkID: row.int("check_id"), closed: date(row, "closed"),
               action: row["action"])
    }

    static func entry(_ row: PGRow) -> HistoryEntry {
        HistoryEntry(id: row.int("id") ?? 0, at: date(row, "at") ?? Date(timeIntervalSince1970: 0), account: row["account"] ?? "",
                     action: row["action"] ?? "", entity: row["entity"] ?? "", entityID: row.int("entity_id"),
                     detail: row["detail"] ?? "", prevHash: row["prev_hash"] ?? "", hash: row["hash"] ?? "")
    }

    /// Corrections by order, oldest first: of one order, or of all this person may see.
    func corrections(orderID: Int64? = nil) throws -> [Int64: [StoredCorrection]] {
        let sealed = user.role.may(.viewSurvivor) ? "c.sealed" : "NULL::bytea AS sealed"
        let rows = try Self.call {
            try connection.execute("""
                SELECT c.id, c.order_id, o.number_key, c.field, c.value, \(sealed), c.reason, c.at, c.account
                FROM qorgau.corrections c JOIN qorgau.orders o ON o.id = c.order_id
                WHERE $1::bigint IS NULL OR c.order_id = $1 ORDER BY c.id
                """, [orderID.map(PGValue.int) ?? .null]).rows
        }
        var byOrder: [Int64: [StoredCorrection]] = [:]
        for row in rows {
            guard let field = CorrectableField(rawValue: row["field"] ?? ""), let id = row.int("order_id") else { continue }
            byOrder[id, default: []].append(StoredCorrection(
                id: row.int("id") ?? 0, orderID: id, numberKey: row["number_key"] ?? "", field: field, value: row["value"],
                sealed: row.data("sealed"), reason: row["reason"] ?? "", at: Self.date(row, "at") ?? .distantPast,
                account: row["account"] ?? ""))
        }
        return byOrder
    }

    /// Orders (with `where`, on `o`) and their whole histories.
    func stored(where condition: String, _ params: [PGValue], corrections: [Int64: [StoredCorrection]]? = nil) throws -> [StoredOrder] {
        let rows = try Self.call {
            try connection.execute("SELECT \(recordColumns) FROM qorgau.orders o WHERE \(condition) ORDER BY o.number_key", params).rows
        }
        guard !rows.isEmpty else { return [] }
        let ids = rows.compactMap { $0.int("id") }
        let list = "{" + ids.map(String.init).joined(separator: ",") + "}"
        let checks = try Self.call {
            try connection.execute("SELECT * FROM qorgau.checks WHERE order_id = ANY($1::bigint[]) ORDER BY at, id", [.text(list)]).rows
        }
        let breaches = try Self.call {
            try connection.execute("SELECT * FROM qorgau.breaches WHERE order_id = ANY($1::bigint[]) ORDER BY occurred, id",
                                   [.text(list)]).rows
        }
        let checksByOrder = Dictionary(grouping: checks.map(Self.check), by: \.orderID)
        let breachesByOrder = Dictionary(grouping: breaches.map(Self.breach), by: \.orderID)
        let all = try corrections ?? (ids.count == 1 ? self.corrections(orderID: ids[0]) : self.corrections())
        return rows.map { row in
            let id = row.int("id") ?? 0
            let order = Self.order(row).applying(StoredCorrection.plain(all[id]))
            return StoredOrder(history: OrderHistory(order: order, checks: checksByOrder[id] ?? [], breaches: breachesByOrder[id] ?? []),
                               sealedSurvivor: row.data("survivor"), corrections: all[id] ?? [])
        }
    }

    public func order(number: String) throws -> StoredOrder? {
        try stored(where: "o.number_key = $1", [.text(Order.numberKey(number))]).first
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

    public func allOrders() throws -> [StoredOrder] {
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

    public func orders(status: OrderStatus?, asOf instant: Date) throws -> [OrderListRow] {
        let filter: String = switch status {
        case nil: "true"
        case .active: "o.served <= $1 AND o.ends > $1"
        case .unserved: "(o.served IS NULL OR o.served > $1) AND (o.revoked IS NULL OR o.revoked > $1)"
        case .expired: "o.served <= $1 AND o.expires <= $1 AND (o.revoked IS NULL OR o.revoked > $1)"
        case .revoked: "o.revoked <= $1"
        }
        let corrections = try corrections()
        return try Self.call {
            try connection.execute("""
                SELECT \(Self.orderColumns),
                       (SELECT count(*) FROM qorgau.breaches b WHERE b.order_id = o.id AND b.occurred <= $1
                          AND (b.closed IS NULL OR b.closed > $1)) AS open_breaches,
                       (SELECT max(c.at) FROM qorgau.checks c WHERE c.order_id = o.id AND c.counted AND c.at <= $1) AS last_counted
                FROM qorgau.orders o WHERE \(filter) ORDER BY o.number_key
                """, [.double(instant.timeIntervalSince1970)]).rows.map { row in
                OrderListRow(order: Self.order(row).applying(StoredCorrection.plain(corrections[row.int("id") ?? 0])),
                             lastCountedCheck: Self.date(row, "last_counted"), openBreaches: Int(row.int("open_breaches") ?? 0))
            }
        }
    }

    /// The orders in effect are narrowed on the server to those whose next check (from the last counted
    /// check at or before `instant`, else the service) falls due by `dueSoonDays` after today, or that expire
    /// within `expiringDays`: a superset (an hour to spare for a zone's changes) of those with a check or
    /// expiry alert, compared in seconds so that the server converts no time zone per order; the
    /// scheduler decides.
    public func alertCandidates(asOf instant: Date) throws -> [OrderHistory] {
        let t: [PGValue] = [.double(instant.timeIntervalSince1970)]
        let openBreaches = try Self.call {
            try connection.execute("""
                SELECT * FROM qorgau.breaches WHERE occurred <= $1 AND (closed IS NULL OR closed > $1)
                """, t).rows.map(Self.breach)
        }
        let breachesByOrder = Dictionary(grouping: openBreaches, by: \.orderID)
        let corrections = try corrections()
        let zone = settings.timeZone, horizons = settings.rules.horizons
        let today = LocalDay(instant, in: zone)
        let dueBy = (today + horizons.dueSoonDays + 1).start(in: zone).timeIntervalSince1970 + 3600
        let expiringBy = (today + horizons.expiringDays + 1).start(in: zone).timeIntervalSince1970 + 3600
        let lastCounted = """
            LEFT JOIN LATERAL (SELECT max(c.at) AS last_counted FROM qorgau.checks c
                               WHERE c.order_id = o.id AND c.counted AND c.at <= $1) l ON true
            """
        return try Self.call {
            try connection.execute("""
                SELECT \(Self.orderColumns), l.last_counted FROM qorgau.orders o \(lastCounted)
                WHERE o.ends > $1 AND o.served <= $1
                  AND (coalesce(l.last_counted, o.served) + o.check_interval_days * 86400.0 < $2 OR o.expires < $3)
                UNION
                SELECT \(Self.orderColumns), l.last_counted FROM qorgau.orders o \(lastCounted)
                WHERE o.id IN (
                    SELECT id FROM qorgau.orders WHERE served IS NULL AND issued <= $1 AND (revoked IS NULL OR revoked > $1)
                    UNION SELECT id FROM qorgau.orders WHERE served > $1 AND issued <= $1
                    UNION SELECT order_id FROM qorgau.breaches WHERE occurred <= $1 AND (closed IS NULL OR closed > $1))
                """, t + [.double(dueBy), .double(expiringBy)]).rows.map { row in
                let id = row.int("id") ?? 0
                let order = Self.order(row).applying(StoredCorrection.plain(corrections[id]))
                let checks = Self.date(row, "last_counted").map { [Check(orderID: id, at: $0, officer: "", outcome: .compliant)] } ?? []
                return OrderHistory(order: order, checks: checks, breaches: breachesByOrder[id] ?? [])
            }
        }
    }

    public func violationCandidates(from start: Date, to end: Date) throws -> [OrderHistory] {
        try stored(where: """
            o.id IN (SELECT id FROM qorgau.orders WHERE ends >= $1 AND served < $2
                     UNION SELECT order_id FROM qorgau.breaches WHERE occurred >= $1 AND occurred < $2)
            """, [.double(start.timeIntervalSince1970), .double(end.timeIntervalSince1970)]).map(\.history)
    }

    public func firstIssue() throws -> Date? {
        try Self.call { try connection.execute("SELECT min(issued) AS first FROM qorgau.orders").rows.first.flatMap { Self.date($0, "first") } }
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
