import Foundation
import OrderModel
import OrderStore
import Scheduler

/// The writes of one server transaction: each a call to a SECURITY DEFINER function that checks the
/// role, the district and the rules again, records the account the server authenticated and the
/// server's time, and appends its audit entry in the same transaction.
struct PostgresTransaction: StoreTransaction {
    let backend: PostgresBackend
    var connection: PGConnection { backend.connection }

    func history(number: String) throws -> OrderHistory? {
        try backend.order(number: number)?.history
    }

    func breach(id: Int64) throws -> Breach? {
        try connection.execute("SELECT * FROM qorgau.breaches WHERE id = $1", [.int(id)]).rows.first.map(PostgresBackend.breach)
    }

    static func instant(_ date: Date?) -> PGValue { date.map { .double($0.timeIntervalSince1970) } ?? .null }

    func insertOrder(_ order: Order, numberKey: String, sealedSurvivor: Data, initials: String) throws -> Int64 {
        let row = try connection.execute("""
            SELECT qorgau.add_order($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) AS id
            """, [.text(order.number), .text(order.kind.rawValue), Self.instant(order.issued), Self.instant(order.served),
                  .int(Int64(order.termDays)), .int(Int64(order.checkIntervalDays)), .text(order.district), .text(order.officer),
                  .text(order.restrictions), .bytea(sealedSurvivor), .text(initials), .text(order.respondent.name),
                  order.respondent.birthDate.map { .text($0.iso) } ?? .null, .text(order.respondent.address),
                  .text(order.respondent.phone), Self.instant(order.revoked), order.revocationReason.map(PGValue.text) ?? .null])
        let id = row.rows.first?.int("id") ?? 0
        try list(orderID: id)
        return id
    }

    /// Writes the list's columns of an order as it stands in this transaction (added, or corrected), folded
    /// here: the server takes them only in the transaction that wrote the order or a correction of it.
    func list(orderID id: Int64) throws {
        guard backend.listIndexed, let values = try ListColumns.values(of: id, connection) else { return }
        try connection.execute("SELECT qorgau.list_order($1, $2, $3, $4, $5)", [
            .int(id), .text(values.search), .bytea(values.respondent), .bytea(values.district), .bytea(values.officer),
        ])
    }

    func serve(_ order: Order, at instant: Date) throws {
        try connection.execute("SELECT qorgau.serve_order($1, $2)", [.int(order.id ?? 0), Self.instant(instant)])
    }

    func revoke(_ order: Order, at instant: Date, reason: String) throws {
        try connection.execute("SELECT qorgau.revoke_order($1, $2, $3)", [.int(order.id ?? 0), Self.instant(instant), .text(reason)])
    }

    func insertCheck(_ check: Check, on order: Order, breachDescription: String) throws -> (checkID: Int64, breachID: Int64?) {
        let row = try connection.execute("SELECT check_id, breach_id FROM qorgau.add_check($1, $2, $3, $4, $5, $6, $7)", [
            .int(order.id ?? 0), Self.instant(check.at), .text(check.officer), .text(check.method.rawValue),
            .text(check.outcome.rawValue), .text(check.note), .text(breachDescription),
        ]).rows.first
        return (row?.int("check_id") ?? 0, row?.int("breach_id"))
    }

    func insertBreach(_ breach: Breach, on order: Order) throws -> Int64 {
        try connection.execute("SELECT qorgau.add_breach($1, $2, $3, $4) AS id", [
            .int(order.id ?? 0), Self.instant(breach.occurred), .text(breach.reportedBy), .text(breach.description),
        ]).rows.first?.int("id") ?? 0
    }

    func closeBreach(_ breach: Breach, at instant: Date, action: String) throws {
        try connection.execute("SELECT qorgau.close_breach($1, $2, $3)", [.int(breach.id ?? 0), Self.instant(instant), .text(action)])
    }

    func insertCorrection(on order: Order, field: CorrectableField, value: String?, sealed: Data?, reason: String) throws -> Int64 {
        let id = try connection.execute("SELECT qorgau.correct_order($1, $2, $3, $4, $5) AS id", [
            .int(order.id ?? 0), .text(field.rawValue), value.map(PGValue.text) ?? .null, sealed.map(PGValue.bytea) ?? .null,
            .text(reason),
        ]).rows.first?.int("id") ?? 0
        if !field.isSurvivorData { try list(orderID: order.id ?? 0) }
        return id
    }

    /// Makes the login role when missing and grants the group role (this needs CREATEROLE, as the
    /// first supervisor has), then records the person.
    func addUser(_ user: User) throws {
        do {
            try connection.execute("SELECT qorgau.add_user($1, $2, $3)", [.text(user.login), .text(user.role.rawValue), .text(user.district)])
        } catch where error.sqlState == "23505" {
            throw StoreError.userExists(user.login)
        }
        try connection.execute("SELECT qorgau.grant_login($1, $2)", [.text(user.login), .text(user.role.rawValue)])
    }

    /// Records the person as disabled and takes the login away.
    func disableUser(_ login: String) throws {
        do {
            try connection.execute("SELECT qorgau.disable_user($1)", [.text(login)])
        } catch where error.sqlState == "P0002" {
            throw StoreError.unknownUser(login)
        } catch where error.sqlState == "QG001" {
            throw StoreError.lastSupervisor
        }
        try connection.execute("SELECT qorgau.revoke_login($1)", [.text(login)])
    }

    /// Read through qorgau.sealing_key, which first takes the writers' lock (held to the commit): a rekey
    /// cannot come between this read and the write that seals to it.
    func sealingKey() throws -> Data {
        let text = try connection.execute("SELECT qorgau.sealing_key() AS key").rows.first?["key"]
        guard let text, let key = Data(base64Encoded: text) else {
            throw StoreError.damaged(path: backend.location, reason: .noKeyRecord)
        }
        return key
    }

    /// How many sealed values a rekey reads, seals again and sends at a time.
    static let rekeyBatch = 1000

    /// qorgau.set_vault replaces the key record and marks this transaction as a rekey's (so the server lets
    /// qorgau.reseal rewrite sealed values in it, and nowhere else); the batches follow; at the commit the
    /// server refuses the whole transaction unless every sealed value was rewritten in it.
    func rekey(to record: Vault.Record, reseal: ([SealedValue]) throws -> [Data]) throws {
        try connection.execute("SELECT qorgau.set_vault($1)", [.text(try record.json)])
        try forEachSealedSurvivorBatch { rows, values in
            let sealed = try reseal(values)
            guard sealed.count == rows.count else { throw StoreError.keyUnusable }
            try connection.execute("SELECT qorgau.reseal($1::bigint[], $2::bytea[], '{}'::bigint[], '{}'::bytea[])",
                                   [.text(Self.array(rows.map { $0["id"] ?? "" })), .text(Self.array(sealed.map(PGConnection.hex)))])
        }
        var last: Int64 = 0
        while true {
            let rows = try connection.execute("""
                SELECT c.id, c.field, c.sealed, o.number, o.number_key FROM qorgau.corrections c JOIN qorgau.orders o ON o.id = c.order_id
                WHERE c.sealed IS NOT NULL AND c.id > $1 ORDER BY c.id LIMIT \(Self.rekeyBatch)
                """, [.int(last)]).rows
            guard let lastRow = rows.last else { break }
            let sealed = try reseal(rows.map { row in
                SealedValue(number: row["number"] ?? "", numberKey: row["number_key"] ?? "",
                            field: CorrectableField(rawValue: row["field"] ?? ""), sealed: row.data("sealed") ?? Data())
            })
            guard sealed.count == rows.count else { throw StoreError.keyUnusable }
            try connection.execute("SELECT qorgau.reseal('{}'::bigint[], '{}'::bytea[], $1::bigint[], $2::bytea[])",
                                   [.text(Self.array(rows.map { $0["id"] ?? "" })), .text(Self.array(sealed.map(PGConnection.hex)))])
            last = lastRow.int("id") ?? last
        }
    }

    /// The keyed tokens of her name (`BlindIndex`), through qorgau.index_survivors (staff and supervisors: those
    /// who may open survivor data; an order already indexed is left as it is, unless written in this transaction).
    func indexSurvivor(orderID id: Int64, tokens: Set<Int64>) throws {
        try indexSurvivors([(id, tokens)])
    }

    func indexSurvivors(_ sets: [(id: Int64, tokens: Set<Int64>)]) throws {
        guard backend.listIndexed, !sets.isEmpty else { return }
        var owners: [String] = [], tokens: [String] = []
        for (id, set) in sets {
            for token in set {
                owners.append(String(id))
                tokens.append(String(token))
            }
        }
        try connection.execute("SELECT qorgau.index_survivors($1::bigint[], $2::bigint[], $3::bigint[])", [
            .text(Self.array(sets.map { String($0.id) })), .text(Self.array(owners)), .text(Self.array(tokens)),
        ])
    }

    /// After `rekey`, in its transaction: every order's tokens made again under the new key, batch by batch (each
    /// order was sealed again in this transaction, so the server lets its tokens be replaced).
    func rebuildSurvivorIndex(_ tokens: ([SealedValue]) throws -> [Set<Int64>]) throws {
        guard backend.listIndexed else { return }
        try forEachSealedSurvivorBatch { rows, values in
            let made = try tokens(values)
            guard made.count == rows.count else { throw StoreError.keyUnusable }
            try indexSurvivors(zip(rows, made).map { (id: $0.int("id") ?? 0, tokens: $1) })
        }
    }

    /// Every order's sealed survivor record, by id, in batches of `rekeyBatch`: the rows (id, number, number key)
    /// and their sealed values, for `body`.
    private func forEachSealedSurvivorBatch(_ body: ([PGRow], [SealedValue]) throws -> Void) throws {
        var last: Int64 = 0
        while true {
            let rows = try connection.execute("""
                SELECT id, number, number_key, survivor FROM qorgau.orders WHERE id > $1 ORDER BY id LIMIT \(Self.rekeyBatch)
                """, [.int(last)]).rows
            guard let lastRow = rows.last else { return }
            try body(rows, rows.map { row in
                SealedValue(number: row["number"] ?? "", numberKey: row["number_key"] ?? "", field: nil, sealed: row.data("survivor") ?? Data())
            })
            last = lastRow.int("id") ?? last
        }
    }

    /// An array literal of plain elements (numbers, bytea's hex form), each quoted with its backslashes escaped.
    static func array(_ elements: [String]) -> String {
        "{" + elements.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\") + "\"" }.joined(separator: ",") + "}"
    }
}
