/// An error whose message a shelter worker or a police liaison can act on.
/// Messages never quote survivor data: they name the field, not its content.
/// (The program's own types are worded by the `Wording` module; this protocol is for the
/// few errors whose text is not ours, such as a server's or the system's.)
public protocol UserFacingError: Error {
    var message: String { get }
}

/// What a refusal is about: a field a person typed, or the time of an event. The wording
/// layer names it in the reader's language.
public enum Field: String, Sendable, CaseIterable {
    case orderNumber, survivorName, survivorPhone, survivorContact, survivorNotes
    case respondentName, respondentAddress, respondentPhone
    case district, officer, restrictions, revocationReason, note, breachDescription, reporter, action, reason, login
    case issueTime, serviceTime, revocationTime, checkTime, breachTime, actionTime
    case revocation, check, breach
}

/// Why an input was refused (exit status 1; nothing is written). A fact, not a sentence:
/// `Wording` words it.
public enum Refusal: Error, Equatable, Sendable {
    case duplicateNumber(String)
    case unknownOrder(String)
    case unknownBreach(Int64)
    case servedBeforeIssued
    case termOutOfRange(kind: OrderKind, value: Int, min: Int, max: Int)
    case intervalOutOfRange(kind: OrderKind, value: Int, min: Int, max: Int)
    case unknownKind(String)
    case inFuture(what: Field)
    case beforeService(what: Field)
    case beforeIssue(what: Field)
    case afterEnd(what: Field)
    case notServed(number: String)
    case emptyText(field: Field)
    case tooLong(field: Field, max: Int)
    case controlCharacters(field: Field)
    case invisibleCharacters(field: Field)
    case alreadyRevoked(number: String)
    case alreadyServed(number: String)
    case revoked(number: String)
    case breachAlreadyClosed(Int64)
    case actionBeforeBreach(Int64)
    case nonexistentLocalTime(text: String, timeZone: String)
    case invalidDate(String)
}
