import Foundation
import OrderModel
import OrderStore
import PostgresStore
import SQLiteStore

/// The two backends every store and CLI test runs against: one SQLite file, and a real PostgreSQL
/// server (a throw-away cluster of this test process, one new database a store).
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    /// The passphrase of every test store.
    public static let passphrase = "test"

    /// A new, empty store whose first supervisor is `account`, unlocked. On PostgreSQL `account` is
    /// the role that installs the schema (LOGIN CREATEROLE, not a superuser), as the README says.
    public func newStore(timeZone: TimeZone, rules: RuleSet, account: String, now: Date) throws -> OrderStore {
        switch self {
        case .sqlite:
            return try SQLiteBackend.inMemory(timeZone: timeZone, rules: rules, account: account, now: now)
        case .postgres:
            let cluster = try PGCluster.shared()
            // Installing takes CREATEROLE away from the installer: two tests installing as the same role at once
            // would race, so one at a time per role.
            return try InstallLocks.shared.lock(account) {
                let database = try cluster.createDatabase(owner: account)
                return try PostgresBackend.install(conninfo: cluster.uri(database: database, user: account), timeZone: timeZone,
                                                   rules: rules, passphrase: Self.passphrase, now: now)
            }
        }
    }

    /// Another person's session on the same records: `account` must be a user already (added with
    /// `addUser`, which on the server also made the login role and granted its group).
    public func session(of store: OrderStore, for account: String, now: Date) throws -> OrderStore {
        switch self {
        case .sqlite:
            return try store.session(for: account, now: now)
        case .postgres:
            let cluster = try PGCluster.shared()
            try cluster.allowPeerLogin(as: account)
            return try PostgresBackend.open(conninfo: cluster.uri(database: try Self.database(of: store), user: account))
        }
    }

    /// The database a server store lives in (from its address).
    public static func database(of store: OrderStore) throws -> String {
        guard let components = URLComponents(string: store.path), components.path.count > 1 else {
            throw PGClusterError("no database in \(store.path)")
        }
        return String(components.path.dropFirst())
    }
}

/// One lock per installing role.
final class InstallLocks: @unchecked Sendable {
    static let shared = InstallLocks()
    private let guardLock = NSLock()
    private var locks: [String: NSLock] = [:]

    func lock<T>(_ role: String, _ body: () throws -> T) throws -> T {
        guardLock.lock()
        let lock = locks[role] ?? NSLock()
        locks[role] = lock
        guardLock.unlock()
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
