import Foundation
import GRDB
import OrderModel

/// What a person may do is their role's, enforced here so that the command line, the screens
/// and any export obey the same rules.
public enum Role: String, Codable, Sendable, CaseIterable {
    case staff, liaison, supervisor

    public func may(_ permission: Permission) -> Bool {
        switch self {
        case .supervisor: true
        case .liaison: [.addOrder, .serve, .recordCheck, .recordBreach].contains(permission)
        case .staff: [.addOrder, .recordBreach, .viewSurvivor].contains(permission)
        }
    }
}

public enum Permission: String, Sendable, CaseIterable {
    case addOrder = "add orders"
    case serve = "record a service"
    case recordCheck = "record checks"
    case recordBreach = "record breaches"
    case revoke = "revoke orders"
    case closeBreach = "close breaches"
    case manageUsers = "manage users"
    case export = "export"
    case readAudit = "read the audit trail"
    case viewSurvivor = "see the survivor's contact details"
    case rekey = "change the passphrase"
    case correct = "correct an order's details"
}

/// A person: an operating-system account with a role.
public struct User: Hashable, Sendable {
    public var login: String
    public var role: Role
    public var district: String
    public var disabled: Bool

    public init(login: String, role: Role, district: String = "", disabled: Bool = false) {
        self.login = login
        self.role = role
        self.district = district
        self.disabled = disabled
    }

    static func fetch(_ db: Database, login: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE login = ?", arguments: [login]).map(user)
    }

    static func user(_ row: Row) -> User {
        User(login: row["login"] ?? "", role: Role(rawValue: row["role"] ?? "") ?? .liaison, district: row["district"] ?? "",
             disabled: row["disabled"] ?? true)
    }

    static func insert(_ db: Database, _ user: User, by account: String, now: Date) throws {
        try db.execute(sql: "INSERT INTO users (login, role, district, disabled, createdAt, createdBy) VALUES (?, ?, ?, 0, ?, ?)",
                       arguments: [user.login, user.role.rawValue, user.district, now.timeIntervalSince1970, account])
    }
}

extension OrderStore {
    /// Adds a person (supervisors only). A login is an operating-system account name.
    public func addUser(_ login: String, role: Role, district: String, now: Date) throws {
        let login = try TextRule.clean(login, field: "login", max: 64)
        let district = try TextRule.clean(district, field: "district", max: rules.limits.nameMaxLength, required: false)
        try guarded(.manageUsers, now: now) { db in
            if try User.fetch(db, login: login) != nil { throw StoreError.userExists(login) }
            try User.insert(db, User(login: login, role: role, district: district), by: user.login, now: now)
            try History.append(db, account: user.login, now: now, action: "user.add", entity: "user", entityID: nil,
                               detail: ["login": login, "role": role.rawValue])
        }
    }

    /// Disables a person (supervisors only); nobody is deleted, and the last supervisor stays.
    public func disableUser(_ login: String, now: Date) throws {
        try guarded(.manageUsers, now: now) { db in
            guard let target = try User.fetch(db, login: login) else { throw StoreError.unknownUser(login) }
            if target.role == .supervisor,
               try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE role = 'supervisor' AND disabled = 0") ?? 0 <= 1 {
                throw StoreError.lastSupervisor
            }
            try db.execute(sql: "UPDATE users SET disabled = 1 WHERE login = ?", arguments: [login])
            try History.append(db, account: user.login, now: now, action: "user.disable", entity: "user", entityID: nil,
                               detail: ["login": login])
        }
    }

    /// Everyone who was ever a user, by login.
    public func users() throws -> [User] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY login").map(User.user) }
    }

    /// Refuses, with an audit entry of the refusal, a read this session's person may not make.
    func require(_ permission: Permission, now: Date) throws {
        try guarded(permission, now: now) { _ in }
    }

    /// Runs `body` in one write transaction when the session's person may do `permission` (checked
    /// again inside the transaction, so a user disabled meanwhile is stopped). A refusal for lack of
    /// permission writes nothing but its own audit entry.
    func guarded<T>(_ permission: Permission, now: Date, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write { db in
                guard let current = try User.fetch(db, login: user.login), !current.disabled else {
                    throw StoreError.disabledUser(account: user.login)
                }
                guard current.role.may(permission) else {
                    throw StoreError.notAllowed(account: user.login, role: current.role.rawValue, action: permission.rawValue)
                }
                return try body(db)
            }
        } catch let error as StoreError {
            switch error {
            case .notAllowed, .disabledUser:
                try? writer.write { db in
                    try History.append(db, account: user.login, now: now, action: "refused", entity: "permission",
                                       entityID: nil, detail: ["wanted": permission.rawValue])
                }
            default: break
            }
            throw error
        }
    }
}
