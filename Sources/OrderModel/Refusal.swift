/// An error whose message a shelter worker or a police liaison can act on.
/// Messages never quote survivor data: they name the field, not its content.
public protocol UserFacingError: Error {
    var message: String { get }
}

/// Why an input was refused (exit status 1; nothing is written).
public enum Refusal: UserFacingError, Equatable {
    case duplicateNumber(String)
    case unknownOrder(String)
    case unknownBreach(Int64)
    case servedBeforeIssued
    case termOutOfRange(kind: String, value: Int, min: Int, max: Int)
    case intervalOutOfRange(kind: String, value: Int, min: Int, max: Int)
    case unknownKind(String)
    case inFuture(what: String)
    case beforeService(what: String)
    case beforeIssue(what: String)
    case afterEnd(what: String)
    case notServed(number: String)
    case emptyText(field: String)
    case tooLong(field: String, max: Int)
    case controlCharacters(field: String)
    case alreadyRevoked(number: String)
    case alreadyServed(number: String)
    case revoked(number: String)
    case breachAlreadyClosed(Int64)
    case actionBeforeBreach(Int64)
    case revocationBeforeRecord(number: String, what: String)
    case nonexistentLocalTime(text: String, timeZone: String)
    case invalidDate(String)

    public var message: String {
        switch self {
        case .duplicateNumber(let n): "an order numbered \(n) already exists"
        case .unknownOrder(let n): "no order numbered \(n)"
        case .unknownBreach(let id): "no breach with ID \(id)"
        case .servedBeforeIssued: "the service time is before the issue time"
        case let .termOutOfRange(kind, value, min, max):
            "a \(kind) lasts \(min) to \(max) days, not \(value)"
        case let .intervalOutOfRange(kind, value, min, max):
            "a \(kind) is checked every \(min) to \(max) days, not every \(value)"
        case .unknownKind(let k): "unknown kind of order: \(k)"
        case .inFuture(let what): "the \(what) is in the future"
        case .beforeService(let what): "the \(what) is before the order was served"
        case .beforeIssue(let what): "the \(what) is before the order was issued"
        case .afterEnd(let what): "the \(what) is after the order ended"
        case .notServed(let n): "order \(n) has not been served: record its service first"
        case .emptyText(let field): "the \(field) is empty"
        case let .tooLong(field, max): "the \(field) is longer than \(max) characters"
        case .controlCharacters(let field): "the \(field) contains control characters"
        case .alreadyRevoked(let n): "order \(n) is already revoked"
        case .alreadyServed(let n): "order \(n) is already served"
        case .revoked(let n): "order \(n) is revoked"
        case .breachAlreadyClosed(let id): "breach \(id) is already closed"
        case .actionBeforeBreach(let id): "the action on breach \(id) is dated before the breach"
        case let .revocationBeforeRecord(n, what): "order \(n) has a \(what) after that revocation time"
        case let .nonexistentLocalTime(text, zone):
            "\(text) does not exist in \(zone) (the clocks skip it)"
        case .invalidDate(let text): "not a date: \(text)"
        }
    }
}
