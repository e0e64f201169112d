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

    public var message: String {
        switch self {
        case .missing(let p): "no Qorgau database at \(p): create one with `qorgau init`, or try `qorgau demo`"
        case .alreadyExists(let p): "\(p) already exists: nothing was changed (choose another path with --db)"
        case .notQorgau(let p): "\(p) is not a Qorgau database: nothing was changed"
        case .newerVersion(let p): "\(p) was written by a newer version of Qorgau: upgrade Qorgau to open it"
        case .unknownTimeZone(let z): "unknown time zone \(z): use an IANA name such as Asia/Almaty"
        case let .cannotCreate(p, reason): "cannot create \(p): \(reason)"
        case let .cannotOpen(p, reason): "cannot open \(p): \(reason)"
        case let .damaged(p, reason): "\(p) is damaged (\(reason)): restore it from a backup"
        }
    }
}
