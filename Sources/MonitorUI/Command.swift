import Foundation
import OrderModel
import OrderStore
import Terminal
import Wording

/// What a screen or a form asks the app to do once its own key handling is over. The app performs
/// every command; a screen never changes the app, and never writes to the records itself.
enum Command {
    /// The key was taken; nothing more to do.
    case nothing
    /// Compute the figures again.
    case reload
    /// Go to a screen of the tab bar.
    case show(ScreenID)
    case back
    case openOrder(String)
    /// The check-in screen with this order already chosen; Esc and, after saving, Enter come back.
    case startCheckIn(String)
    case openForm(FormPurpose)
    /// Change the records: the app performs it (after asking, when it cannot be undone) and hands the
    /// result back to the form or screen it came from.
    case write(Write)
    /// Ask before forgetting the current screen's typed input (Esc on a filled form).
    case confirmDiscard
    case flash(String, Style)
    /// Open the survivors' names in memory for a search by name (when this session may): an audited read.
    case loadSurvivorNames
    /// Open survivor data with the passphrase typed into the unlock form.
    case unlock(passphrase: String)
    /// Hand the answer of a form to the screen under it (a period, a filter): the screen's own state.
    case answer(ScreenInput)
}

/// What the app hands to the current screen at its asking: a form's answer, or what an audited read found.
enum ScreenInput: Equatable {
    /// The period typed into the period form.
    case period(from: LocalDay, to: LocalDay)
    /// The survivors' names by order ID, opened in memory for a search (empty when this session may not).
    case survivorNames([Int64: String])
}

/// A change to the records, as typed and checked by a form: performed by the app alone.
enum Write: Equatable {
    case check(number: String, at: Date, officer: String, method: CheckMethod, outcome: CheckOutcome, note: String)
    case breach(number: String, at: Date, description: String, reportedBy: String)
    case serve(number: String, at: Date)
    case revoke(number: String, at: Date, reason: String)
    case closeBreach(id: Int64, number: String, action: String, at: Date)

    /// What will be written, for the person to confirm, when it cannot be undone; nil when it needs no asking.
    func confirmation(words: Words, formats: InstantFormat) -> String? {
        switch self {
        case .revoke(let number, let at, let reason):
            words.text("ui.confirm.revoke", ["number": number, "at": formats.human(at), "reason": reason])
        case .closeBreach(let id, let number, let action, let at):
            words.text("ui.confirm.close", ["id": String(id), "number": number, "at": formats.human(at), "action": action])
        case .check, .breach, .serve:
            nil
        }
    }

    /// Writes it; returns what was saved, in words. A refusal is thrown and nothing is written.
    func perform(on store: OrderStore, now: Date, words: Words) throws -> String {
        func text(_ key: String, _ values: [String: String]) -> String { words.text("ui." + key, values) }
        switch self {
        case let .check(number, at, officer, method, outcome, note):
            let (check, breach) = try store.addCheck(number, at: at, officer: officer, method: method, outcome: outcome,
                                                     note: note, now: now)
            return text(breach == nil ? "saved.check" : "saved.checkBreach",
                        ["id": String(check.id ?? 0), "number": number, "outcome": text("outcome.\(outcome.rawValue)", [:])])
        case let .breach(number, at, description, reportedBy):
            let breach = try store.addBreach(number, at: at, description: description, reportedBy: reportedBy, now: now)
            return text("saved.breach", ["id": String(breach.id ?? 0), "number": number])
        case let .serve(number, at):
            try store.serve(number, at: at, now: now)
            return text("saved.serve", ["number": number])
        case let .revoke(number, at, reason):
            try store.revoke(number, at: at, reason: reason, now: now)
            return text("saved.revoke", ["number": number])
        case let .closeBreach(id, _, action, at):
            try store.closeBreach(id, action: action, at: at, now: now)
            return text("saved.close", ["id": String(id)])
        }
    }
}

/// A yes-or-no question over the screen: `y` (or the language's own yes) answers yes, any other key
/// goes back to what was on screen before it, the form and its typed input as they were.
struct Question {
    enum Kind {
        /// Quit and lose typed input.
        case quit
        /// Forget the typed input of the form behind (the screen's own, when `back` is nil).
        case discard
        /// Write what a form holds, which cannot be undone.
        case write(Write)
    }

    var kind: Kind
    var text: String
    /// What shows again after any answer but yes: the form being filled; nil for the screen.
    var back: Modal?
}

/// Something drawn over the current screen that takes the keys until it is dismissed.
indirect enum Modal {
    case help
    case form(Form, FormPurpose)
    case question(Question)
}
