import Foundation
import GRDB
import OrderModel
import OrderStore
import Scheduler

/// The writes of one SQLite transaction: each with its history entry, leaving the order's derived
/// columns current. Admission is decided above, in `OrderStore`; a refusal rolls everything back.
struct SQLiteTransaction: StoreTransaction {
    let db: Database
    let backend: SQLiteBackend
    let now: Date
    var login: String { backend.user.login }

    func history(number: String) throws -> OrderHistory? {
        try backend.stored(db, number: number)?.history
    }

    func breach(id: Int64) throws -> Breach? {
        try Row.fetchOne(db, sql: "SELECT * FROM breaches WHERE id = ?", arguments: [id]).map(Rows.breach)
    }

    func insertOrder(_ order: Order, numberKey: String, sealedSurvivor: Data, initials: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO orders (number, numberKey, kind, issued, served, termDays, checkIntervalDays, district,
                officer, restrictions, survivor, survivorInitials, respondentName, respondentBirthDate, respondentAddress,
                respondentPhone, revoked, revocationReason, createdAt, createdBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                order.number, numberKey, order.kind.rawValue, order.issued.timeIntervalSince1970,
                order.served?.timeIntervalSince1970, order.termDays, order.checkIntervalDays, order.district,
                order.officer, order.restrictions, sealedSurvivor, initials, order.respondent.name,
                order.respondent.birthDate?.iso, order.respondent.address, order.respondent.phone,
                order.revoked?.timeIntervalSince1970, order.revocationReason, now.timeIntervalSince1970, login,
            ])
        let id = db.lastInsertedRowID
        try refreshDerived(orderID: id)
        try ListIndex.write(db, id: id, number: order.number, respondent: order.respondent.name, district: order.district,
                            officer: order.officer)
        try audit("order.add", entity: "order", id: id, ["number": order.number, "kind": order.kind.rawValue])
        return id
    }

    func serve(_ order: Order, at instant: Date) throws {
        try db.execute(sql: "UPDATE orders SET served = ? WHERE id = ?", arguments: [instant.timeIntervalSince1970, order.id])
        try refreshDerived(orderID: order.id)
        try audit("order.serve", entity: "order", id: order.id, ["number": order.number])
    }

    func revoke(_ order: Order, at instant: Date, reason: String) throws {
        try db.execute(sql: "UPDATE orders SET revoked = ?, revocationReason = ? WHERE id = ?",
                       arguments: [instant.timeIntervalSince1970, reason, order.id])
        try refreshDerived(orderID: order.id)
        try audit("order.revoke", entity: "order", id: order.id, ["number": order.number])
    }

    func insertCheck(_ check: Check, on order: Order, breachDescription: String) throws -> (checkID: Int64, breachID: Int64?) {
        try db.execute(sql: """
            INSERT INTO checks (orderID, at, officer, method, outcome, counted, note, recordedAt, recordedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [check.orderID, check.at.timeIntervalSince1970, check.officer, check.method.rawValue,
                             check.outcome.rawValue, check.outcome.isCounted, check.note, now.timeIntervalSince1970, login])
        let checkID = db.lastInsertedRowID
        try audit("check.add", entity: "check", id: checkID, ["number": order.number, "outcome": check.outcome.rawValue])
        var breachID: Int64?
        if check.outcome == .breach {
            breachID = try insertBreach(Breach(orderID: check.orderID, occurred: check.at, reported: now, reportedBy: check.officer,
                                               description: breachDescription, checkID: checkID), on: order)
        }
        try refreshDerived(orderID: check.orderID)
        return (checkID, breachID)
    }

    func insertBreach(_ breach: Breach, on order: Order) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO breaches (orderID, occurred, reported, reportedBy, description, checkID, recordedAt, recordedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [breach.orderID, breach.occurred.timeIntervalSince1970, breach.reported.timeIntervalSince1970,
                             breach.reportedBy, breach.description, breach.checkID, now.timeIntervalSince1970, login])
        let id = db.lastInsertedRowID
        try audit("breach.add", entity: "breach", id: id, ["number": order.number])
        return id
    }

    func closeBreach(_ breach: Breach, at instant: Date, action: String) throws {
        try db.execute(sql: "UPDATE breaches SET closed = ?, action = ?, closedBy = ? WHERE id = ?",
                       arguments: [instant.timeIntervalSince1970, action, login, breach.id])
        try audit("breach.close", entity: "breach", id: breach.id, [:])
    }

    func insertCorrection(on order: Order, field: CorrectableField, value: String?, sealed: Data?, reason: String) throws -> Int64 {
        let stored = sealed ?? Data((value ?? "").utf8)
        try db.execute(sql: "INSERT INTO corrections (orderID, field, value, reason, at, account) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [order.id, field.rawValue, stored, reason, now.timeIntervalSince1970, login])
        let id = db.lastInsertedRowID
        if !field.isSurvivorData { try ListIndex.refresh(db, orderID: order.id) }
        try audit("order.correct", entity: "order", id: order.id, ["number": order.number, "field": field.rawValue, "correction": String(id)])
        return id
    }

    func addUser(_ user: User) throws {
        if try Users.fetch(db, login: user.login) != nil { throw StoreError.userExists(user.login) }
        try Users.insert(db, user, by: login, now: now)
        try audit("user.add", entity: "user", id: nil, ["login": user.login, "role": user.role.rawValue])
    }

    func disableUser(_ target: String) throws {
        guard let found = try Users.fetch(db, login: target) else { throw StoreError.unknownUser(target) }
        if found.role == .supervisor,
           try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE role = 'supervisor' AND disabled = 0") ?? 0 <= 1 {
            throw StoreError.lastSupervisor
        }
        try db.execute(sql: "UPDATE users SET disabled = 1 WHERE login = ?", arguments: [target])
        try audit("user.disable", entity: "user", id: nil, ["login": target])
    }

    /// A write transaction of the file is IMMEDIATE: no other writer, and so no rekey, until it ends.
    func sealingKey() throws -> Data {
        try SQLiteBackend.keyRecord(db, path: backend.location).publicKey
    }

    /// How many sealed values a rekey reads, seals again and writes at a time: the file may hold millions.
    static let rekeyBatch = 1000

    func rekey(to record: Vault.Record, reseal: ([SealedValue]) throws -> [Data]) throws {
        // The file's own guards refuse rewriting a sealed value, and rightly so: this one transaction lifts
        // the two that would, and puts them back as they were (their own text) before it ends.
        let guards = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('orders_fixed', 'corrections_no_update')
            ORDER BY name
            """).map { (name: $0["name"] as String? ?? "", sql: $0["sql"] as String? ?? "") }
        for guardTrigger in guards { try db.execute(sql: "DROP TRIGGER \(guardTrigger.name)") }

        var orders = 0
        var last: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: "SELECT id, number, numberKey, survivor FROM orders WHERE id > ? ORDER BY id LIMIT ?",
                                        arguments: [last, Self.rekeyBatch])
            guard let lastRow = rows.last else { break }
            let values = rows.map { row in
                SealedValue(number: row["number"] ?? "", numberKey: row["numberKey"] ?? "", field: nil, sealed: row["survivor"] ?? Data())
            }
            let sealed = try reseal(values)
            guard sealed.count == rows.count else { throw StoreError.keyUnusable }
            for (row, value) in zip(rows, sealed) {
                try db.execute(sql: "UPDATE orders SET survivor = ? WHERE id = ?", arguments: [value, row["id"] as Int64?])
            }
            orders += rows.count
            last = lastRow["id"] ?? last
        }

        let survivorFields = CorrectableField.allCases.filter(\.isSurvivorData).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var corrections = 0
        last = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT corrections.id, corrections.field, corrections.value, orders.number, orders.numberKey
                FROM corrections JOIN orders ON orders.id = corrections.orderID
                WHERE corrections.id > ? AND corrections.field IN (\(survivorFields)) ORDER BY corrections.id LIMIT ?
                """, arguments: [last, Self.rekeyBatch])
            guard let lastRow = rows.last else { break }
            let values = rows.map { row in
                SealedValue(number: row["number"] ?? "", numberKey: row["numberKey"] ?? "",
                            field: CorrectableField(rawValue: row["field"] ?? ""), sealed: row["value"] ?? Data())
            }
            let sealed = try reseal(values)
            guard sealed.count == rows.count else { throw StoreError.keyUnusable }
            for (row, value) in zip(rows, sealed) {
                try db.execute(sql: "UPDATE corrections SET value = ? WHERE id = ?", arguments: [value, row["id"] as Int64?])
            }
            corrections += rows.count
            last = lastRow["id"] ?? last
        }

        for guardTrigger in guards { try db.execute(sql: guardTrigger.sql) }
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'vault'", arguments: [try record.json])
        try audit("rekey", entity: "database", id: nil, ["orders": String(orders), "corrections": String(corrections)])
    }

    func indexSurvivor(orderID id: Int64, tokens: Set<Int64>) throws {
        try ListIndex.index(db, orderID: id, tokens: tokens)
    }

    func rebuildSurvivorIndex(_ tokens: ([SealedValue]) throws -> [Set<Int64>]) throws {
        // The old tokens' pages are overwritten with zeros as they are freed, not left in the file.
        try db.execute(sql: "PRAGMA secure_delete = ON")
        try db.execute(sql: "DELETE FROM survivorIndex")
        var last: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: "SELECT id, number, numberKey, survivor FROM orders WHERE id > ? ORDER BY id LIMIT ?",
                                        arguments: [last, Self.rekeyBatch])
            guard let lastRow = rows.last else { break }
            let made = try tokens(rows.map { row in
                SealedValue(number: row["number"] ?? "", numberKey: row["numberKey"] ?? "", field: nil, sealed: row["survivor"] ?? Data())
            })
            guard made.count == rows.count else { throw StoreError.keyUnusable }
            for (row, set) in zip(rows, made) { try ListIndex.index(db, orderID: row["id"] ?? 0, tokens: set) }
            last = lastRow["id"] ?? last
        }
    }

    private func audit(_ action: String, entity: String, id: Int64?, _ detail: [String: String]) throws {
        try History.append(db, account: login, now: now, action: action, entity: entity, entityID: id, detail: detail)
    }

    /// Recomputes the columns the morning queries read (expires, ends, last counted check,
    /// next due date) from the whole history, with the scheduler's rules.
    func refreshDerived(orderID: Int64?) throws {
        guard let orderID, let history = try backend.stored(db, id: orderID)?.history else { return }
        let timeline = backend.scheduler.timeline(of: history, asOf: .distantFuture)
        let lastCounted = history.checks.filter(\.outcome.isCounted).map(\.at).max()
        try db.execute(sql: "UPDATE orders SET expires = ?, ends = ?, lastCountedCheck = ?, nextDue = ? WHERE id = ?",
                       arguments: [timeline.expires?.timeIntervalSince1970, timeline.ends?.timeIntervalSince1970,
                                   lastCounted?.timeIntervalSince1970, timeline.nextDue?.iso, orderID])
    }
}
