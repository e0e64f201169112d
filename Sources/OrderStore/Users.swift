import Foundation
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
}
