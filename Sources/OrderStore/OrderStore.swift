import Crypto
import Foundation
import OrderModel
import Scheduler

/// One person's session on the records, whatever keeps them: the program's one door to a store.
/// Roles, the rules of admission (the scheduler's) and the sealing of survivor data are decided here,
/// once, above every backend; the backend keeps the records (and, on a server, refuses again).
public final class OrderStore: Sendable {
    public let backend: any StoreBackend
    public let timeZone: TimeZone
    public let rules: RuleSet
    public let scheduler: Scheduler
    /// The person this session acts for.
    public let user: User
    package let vault: Vault

    /// A session over `backend`, locked; a damaged key record is refused.
    public convenience init(backend: any StoreBackend) throws {
        guard let vault = try? Vault(record: backend.settings.vault) else {
            throw StoreError.damaged(path: backend.location, reason: .noKeyRecord)
        }
        self.init(backend: backend, vault: vault)
    }

    package init(backend: any StoreBackend, vault: Vault) {
        self.backend = backend
        let settings = backend.settings
        timeZone = settings.timeZone
        rules = settings.rules
        scheduler = Scheduler(rules: settings.rules, timeZone: settings.timeZone)
        user = backend.user
        self.vault = vault
    }

    /// Where the records are: a file's path, or a server's address.
    public var path: String { backend.location }

    /// True when survivor data can be opened in this session.
    public var isUnlocked: Bool { vault.isUnlocked }

    /// Whether this session may and can open survivor data.
    public var canSeeSurvivor: Bool { user.role.may(.viewSurvivor) && vault.isUnlocked }

    /// This session with survivor data unlocked; a wrong passphrase is refused. For a role that may
    /// not see survivor data the passphrase opens nothing, on every backend (a server does not even
    /// show such a person the wrapped key): the session stays as it is.
    public func unlocked(passphrase: String) throws -> OrderStore {
        guard user.role.may(.viewSurvivor) else { return self }
        return OrderStore(backend: backend, vault: try vault.unlocked(passphrase: passphrase))
    }

    /// This session with survivor data locked again (the screens' idle lock). The key record is read
    /// again from the store, so that after another session's rekey the new passphrase unlocks it; when
    /// it cannot be read, the session's own record is kept: locking never fails for want of a read.
    public func locked() throws -> OrderStore {
        let current = (try? backend.currentKeyRecord()).flatMap { try? Vault(record: $0) }
        return OrderStore(backend: backend, vault: try current ?? Vault(record: vault.record))
    }

    /// Runs `body` in one write transaction when this person may do `permission`. The program asks
    /// first (and records a refusal); the backend decides again inside the transaction. A refusal
    /// writes nothing but its own audit entry.
    public func write<T>(_ permission: Permission, now: Date, _ body: (any StoreTransaction) throws -> T) throws -> T {
        do {
            guard user.role.may(permission) else {
                throw StoreError.notAllowed(account: user.login, role: user.role, action: permission)
            }
            return try backend.write(permission, now: now, body)
        } catch let error as StoreError {
            switch error {
            case .notAllowed, .disabledUser, .forbiddenByServer: backend.recordRefusal(permission, now: now)
            default: break
            }
            throw error
        }
    }

    /// Refuses, with an audit entry of the refusal, a read this person may not make.
    public func require(_ permission: Permission, now: Date) throws {
        guard user.role.may(permission) else {
            backend.recordRefusal(permission, now: now)
            throw StoreError.notAllowed(account: user.login, role: user.role, action: permission)
        }
    }

    // MARK: - Writes

    /// Adds an order. Refuses a number already used (trimmed, case-insensitive).
    @discardableResult
    public func addOrder(_ order: Order, now: Date) throws -> Order {
        try write(.addOrder, now: now) { tx in try addOrder(order, in: tx, now: now) }
    }

    /// Records the service of an unserved order.
    public func serve(_ number: String, at instant: Date, now: Date) throws {
        try write(.serve, now: now) { tx in try serve(number, at: instant, in: tx, now: now) }
    }

    /// Revokes an order, once, with a reason.
    public func revoke(_ number: String, at instant: Date, reason: String, now: Date) throws {
        try write(.revoke, now: now) { tx in try revoke(number, at: instant, reason: reason, in: tx, now: now) }
    }

    /// Records a check. A check with outcome `breach` opens a breach (RULES.md 9), returned with it.
    @discardableResult
    public func addCheck(_ number: String, at instant: Date, officer: String, method: CheckMethod, outcome: CheckOutcome,
                         note: String, now: Date) throws -> (check: Check, breach: Breach?) {
        try write(.recordCheck, now: now) { tx in
            let order = try Self.require(tx, number)
            return try addCheck(Check(orderID: order.id ?? 0, at: instant, officer: officer, method: method, outcome: outcome,
                                      note: note), on: order, in: tx, now: now)
        }
    }

    /// Records a breach of the order by the respondent.
    @discardableResult
    public func addBreach(_ number: String, at instant: Date, description: String, reportedBy: String, now: Date) throws -> Breach {
        try write(.recordBreach, now: now) { tx in
            let order = try Self.require(tx, number)
            return try addBreach(Breach(orderID: order.id ?? 0, occurred: instant, reported: now, reportedBy: reportedBy,
                                        description: description), on: order, in: tx, now: now)
        }
    }

    /// Closes an open breach with the action taken.
    @discardableResult
    public func closeBreach(_ id: Int64, action: String, at instant: Date, now: Date) throws -> Breach {
        try write(.closeBreach, now: now) { tx in try closeBreach(id, action: action, at: instant, in: tx, now: now) }
    }

    /// Records a correction of one detail of an order, with its reason (supervisors only).
    public func correct(_ number: String, field: CorrectableField, value: String, reason: String, now: Date) throws {
        try correct(number, changes: [(field, value)], reason: reason, now: now)
    }

    /// Records corrections of several details of one order with one reason, all in one transaction:
    /// every value is checked before anything is written, and either every correction is saved or none.
    public func correct(_ number: String, changes: [(field: CorrectableField, value: String)], reason: String,
                        now: Date) throws {
        let long: Set<CorrectableField> = [.restrictions, .survivorNotes, .survivorContact, .respondentAddress]
        let cleaned = try changes.map { change in
            (change.field, try TextRule.clean(change.value, field: change.field.subject,
                                              max: long.contains(change.field) ? rules.limits.textMaxLength
                                                                               : rules.limits.nameMaxLength,
                                              required: false))
        }
        let reason = try TextRule.clean(reason, field: .reason, max: rules.limits.textMaxLength)
        try write(.correct, now: now) { tx in
            let order = try Self.require(tx, number)
            for (field, value) in cleaned {
                let sealed = field.isSurvivorData
                    ? try Vault.seal(Data(value.utf8), context: Order.numberKey(order.number) + "/" + field.rawValue,
                                     to: tx.sealingKey())
                    : nil
                _ = try tx.insertCorrection(on: order, field: field, value: field.isSurvivorData ? nil : value,
                                            sealed: sealed, reason: reason)
            }
        }
    }

    /// Adds a person (supervisors only). A login is an operating-system (or server) account name.
    public func addUser(_ login: String, role: Role, district: String, now: Date) throws {
        let login = try TextRule.clean(login, field: .login, max: 63)
        let district = try TextRule.clean(district, field: .district, max: rules.limits.nameMaxLength, required: false)
        try write(.manageUsers, now: now) { tx in try tx.addUser(User(login: login, role: role, district: district)) }
    }

    /// Disables a person (supervisors only); nobody is deleted, and the last supervisor stays.
    public func disableUser(_ login: String, now: Date) throws {
        try write(.manageUsers, now: now) { tx in try tx.disableUser(login) }
    }

    /// Changes the passphrase by changing the key itself (supervisors only, unlocked): a new key pair,
    /// wrapped under `newPassphrase`; every sealed survivor value (orders' and corrections') opened
    /// with the old key and sealed again to the new one, each bound to what it was bound to; the new
    /// key record; and the audit entry, all in one transaction: a failure leaves everything as it was.
    /// Afterwards an old key record with the old passphrase opens nothing, old or new. Returns this
    /// session unlocked with the new key (this one holds the old key, which opens nothing any more).
    @discardableResult
    public func rekey(newPassphrase: String, now: Date) throws -> OrderStore {
        try require(.rekey, now: now)
        guard vault.isUnlocked else { throw StoreError.locked }
        let next = try Vault.create(passphrase: newPassphrase)
        try write(.rekey, now: now) { tx in
            // Another session's rekey since this one was unlocked: this key no longer opens what is stored.
            guard try tx.sealingKey() == vault.record.publicKey else { throw StoreError.keyChanged }
            try tx.rekey(to: next.record) { batch in try reseal(batch, to: next) }
            // The keyed index of names under the new key: every old token goes (BlindIndex).
            guard let key = BlindIndex.key(next) else { throw StoreError.keyUnusable }
            try tx.rebuildSurvivorIndex { batch in try batch.map { try survivorTokens($0, opener: next, key: key) } }
        }
        return OrderStore(backend: backend, vault: next)
    }

    /// A batch of sealed values sealed again, on every core (each value is opened and sealed on its own).
    private func reseal(_ batch: [SealedValue], to next: Vault) throws -> [Data] {
        let results = BatchResults(count: batch.count)
        DispatchQueue.concurrentPerform(iterations: batch.count) { i in
            results.set(i, Result { try reseal(batch[i], to: next) })
        }
        return try results.values()
    }

    /// One sealed value opened with this session's key and sealed to `next`'s, bound to the same context
    /// (the one it opens with: the order's number key, with "/field" for a correction).
    private func reseal(_ value: SealedValue, to next: Vault) throws -> Data {
        // First what reading opens it with (Reads.swift), then the other form of the number key.
        let contexts = value.field.map { field in [value.numberKey, Order.numberKey(value.number)].map { $0 + "/" + field.rawValue } }
            ?? [Order.numberKey(value.number), value.numberKey]
        for (i, context) in contexts.enumerated() where !contexts[..<i].contains(context) {
            if let plain = try? vault.open(value.sealed, context: context) {
                return try next.seal(plain, context: context)
            }
        }
        throw StoreError.rekeyRefused(order: value.number)
    }

    /// The keyed tokens of the survivor's name in an order's sealed record, opened with `opener`.
    private func survivorTokens(_ value: SealedValue, opener: Vault, key: SymmetricKey) throws -> Set<Int64> {
        for context in [Order.numberKey(value.number), value.numberKey] {
            if let plain = try? opener.open(value.sealed, context: context) {
                return BlindIndex.tokens(name: try JSONDecoder().decode(Survivor.self, from: plain).name, key: key)
            }
        }
        throw StoreError.rekeyRefused(order: value.number)
    }

    // MARK: - The same writes inside a transaction the caller holds (demo data, imports)

    public func addOrder(_ order: Order, in tx: any StoreTransaction, now: Date) throws -> Order {
        var order = try scheduler.admitNew(order, now: now)
        let key = Order.numberKey(order.number)
        if let existing = try tx.history(number: order.number) { throw Refusal.duplicateNumber(existing.order.number) }
        let sealed = try Vault.seal(JSONEncoder().encode(order.survivor), context: key, to: tx.sealingKey())
        let id = try tx.insertOrder(order, numberKey: key, sealedSurvivor: sealed, initials: Initials.of(order.survivor.name))
        order.id = id
        // Her name in the keyed index when this session holds the key; else found by opening, until indexed.
        if let tokens = survivorTokens(order.survivor.name) { try tx.indexSurvivor(orderID: id, tokens: tokens) }
        return order
    }

    public func serve(_ number: String, at instant: Date, in tx: any StoreTransaction, now: Date) throws {
        let order = try Self.require(tx, number)
        try scheduler.admitService(at: instant, of: order, now: now)
        try tx.serve(order, at: instant)
    }

    public func revoke(_ number: String, at instant: Date, reason: String, in tx: any StoreTransaction, now: Date) throws {
        guard let history = try tx.history(number: number) else { throw Refusal.unknownOrder(number) }
        let reason = try scheduler.admitRevocation(at: instant, reason: reason, of: history, now: now)
        try tx.revoke(history.order, at: instant, reason: reason)
    }

    public func addCheck(_ check: Check, on order: Order, in tx: any StoreTransaction, now: Date) throws -> (check: Check, breach: Breach?) {
        var check = try scheduler.admit(check, on: order, now: now)
        let description = check.note.isEmpty ? "found at the check of \(InstantFormat(timeZone: timeZone).human(check.at))" : check.note
        let ids = try tx.insertCheck(check, on: order, breachDescription: description)
        check.id = ids.checkID
        let breach = ids.breachID.map {
            Breach(id: $0, orderID: check.orderID, occurred: check.at, reported: now, reportedBy: check.officer,
                   description: description, checkID: ids.checkID)
        }
        return (check, breach)
    }

    public func addBreach(_ breach: Breach, on order: Order, in tx: any StoreTransaction, now: Date) throws -> Breach {
        var breach = try scheduler.admit(breach, on: order, now: now)
        breach.id = try tx.insertBreach(breach, on: order)
        return breach
    }

    public func closeBreach(_ id: Int64, action: String, at instant: Date, in tx: any StoreTransaction, now: Date) throws -> Breach {
        guard var breach = try tx.breach(id: id) else { throw Refusal.unknownBreach(id) }
        let action = try scheduler.admitClosing(breach, at: instant, action: action, now: now)
        try tx.closeBreach(breach, at: instant, action: action)
        breach.closed = instant
        breach.action = action
        return breach
    }

    static func require(_ tx: any StoreTransaction, _ number: String) throws -> Order {
        guard let history = try tx.history(number: number) else { throw Refusal.unknownOrder(number) }
        return history.order
    }
}

/// What the threads of a batch make, each its own slot; read once all are done.
private final class BatchResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Data, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ result: Result<Data, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        results[i] = result
    }

    /// Every value in order, or the first failure in order.
    func values() throws -> [Data] {
        lock.lock()
        defer { lock.unlock() }
        return try results.map { result in
            guard let result else { throw StoreError.keyUnusable }
            return try result.get()
        }
    }
}
