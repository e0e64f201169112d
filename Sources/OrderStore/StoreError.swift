import OrderModel

/// Problems with the file itself, each with what to do about it.
public enum StoreError: UserFacingError, Equatable {
    case missing(path: String)
    case alreadyExists(path: String)
    case notQorgau(path: String)
    case newerVersion(path: String)
    case unknownTimeZone(String)
    case cannotCreate(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    case damaged(path: String, reason: String)
    case wrongPassphrase
    case keyUnusable
    case sealedValueDamaged
    case keyFileUnsafe(path: String)
    case keyFileUnreadable(path: String)
    case notAUser(account: String)
    case disabledUser(account: String)
    case notAllowed(account: String, role: String, action: String)
    case unknownUser(String)
    case userExists(String)
    case locked
    case lastSupervisor
    case unknownGroup(String)
    case wouldOverwrite(path: String)
    case notAnExport
    case unknownScheme(String)
    case cannotConnect(location: String, reason: String)
    case refusedByServer(String)
    /// The server refused this person (role, district, or not an enabled user): audited like `notAllowed`.
    case forbiddenByServer(String)
    case serverError(String)
    case databaseNotEmpty(location: String)
    case notInstalled(location: String)
    case serverTool(command: String)
    case fileOnly(command: String)

    public var message: String {
        switch self {
        case .missing(let p): "no Qorgau database at \(p): create one with `qorgau init`, or try `qorgau demo`"
        case .alreadyExists(let p): "\(p) already exists: nothing was changed (choose another path)"
        case .notQorgau(let p): "\(p) is not a Qorgau database (or is damaged beyond reading): nothing was changed; check the path, or restore a backup"
        case .newerVersion(let p): "\(p) was written by a newer version of Qorgau: upgrade Qorgau to open it"
        case .unknownTimeZone(let z): "unknown time zone \(z): use an IANA name such as Asia/Almaty"
        case let .cannotCreate(p, reason): "cannot create \(p): \(reason)"
        case let .cannotOpen(p, reason): "cannot open \(p): \(reason) (check the path, its permissions and the free space on the disk)"
        case let .damaged(p, reason): "\(p) is damaged (\(reason)): restore it from a backup"
        case .wrongPassphrase: "wrong passphrase: survivor data stays locked"
        case .keyUnusable: "the encryption key could not be made: nothing was written"
        case .sealedValueDamaged: "a sealed survivor record does not open: it was changed outside Qorgau; restore from a backup"
        case .keyFileUnsafe(let p): "the key file \(p) must be readable by its owner only: chmod 600 \(p)"
        case .keyFileUnreadable(let p): "cannot read the key file \(p)"
        case .notAUser(let a): "the account \(a) is not a Qorgau user: ask a supervisor to run `qorgau user add \(a) --role ...`"
        case .disabledUser(let a): "the account \(a) is disabled: ask a supervisor"
        case let .notAllowed(a, role, action): "\(a) (\(role)) may not \(action): ask a supervisor"
        case .unknownUser(let l): "no user \(l)"
        case .userExists(let l): "\(l) is already a user"
        case .wouldOverwrite(let p): "\(p) exists: add --force to put the copy in its place (the old file is kept beside it)"
        case .notAnExport: "that is not a Qorgau export: nothing was created"
        case .unknownGroup(let g): "no group \(g) on this machine: create it first (groupadd \(g))"
        case .lastSupervisor: "that is the last supervisor: add another supervisor first"
        case .unknownScheme(let s): "\(s) is neither a file path nor a PostgreSQL address (postgresql://… or postgres://…): nothing was created"
        case let .cannotConnect(l, reason): "cannot connect to \(l): \(reason)"
        case .refusedByServer(let m): "refused by the server: \(m); nothing was written"
        case .forbiddenByServer(let m): "refused by the server: \(m): ask a supervisor; nothing was written"
        case .serverError(let m): "the server reported an error: \(m); nothing was written"
        case .databaseNotEmpty(let l): "\(l) already holds tables: Qorgau installs only into an empty database (createdb a new one)"
        case .notInstalled(let l): "\(l) holds no Qorgau records: install them with `qorgau init --db \(l)`"
        case .serverTool(let c): "on a PostgreSQL server, use \(c)"
        case .fileOnly(let c): "`\(c)` works on a Qorgau file, not on a server"
        case .locked: "survivor data is locked: give the passphrase (asked on a terminal, or --key-file / QORGAU_KEY_FILE)"
        }
    }
}
