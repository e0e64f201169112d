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
    /// Make the Orders search of this text (`OrderStore.orderSearch`: survivors' names through the store's keyed
    /// index, when this session may; an audited read) and hand it back (`ScreenInput.orderSearch`).
    case searchOrders(String)
    /// Open survivor data with the passphrase typed into the unlock form.
    case unlock(passphrase: String)
    /// Hand the answer of a form to the screen under it (a period, a filter): the screen's own state.
    case answer(ScreenInput)
    /// Save a list to a file (`e` on Violations): audited as an export; an existing file is replaced
    /// only with `replace`, once the person said so (`ReportExport.swift`).
    case saveReport(Report, path: String, replace: Bool)
}

/// What the app hands to the current screen at its asking: a form's answer, or what an audited read found.
enum ScreenInput: Equatable {
    /// The period typed into the period form.
    case period(from: LocalDay, to: LocalDay)
    /// The Orders search made of the query typed (nil: no query).
    case orderSearch(OrderSearch?)
}

/// A change to the records, as typed and checked by a form: performed by the app alone.
enum Write: Equatable {
    case check(number: String, at: Date, officer: String, method: CheckMethod, outcome: CheckOutcome, note: String)
    case breach(number: String, at: Date, description: String, reportedBy: String)
    case serve(number: String, at: Date)
    case revoke(number: String, at: Date, reason: String)
    case closeBreach(id: Int64, number: String, action: String, at: Date)
    /// A new order as the add form read it; a nil term or interval is the kind's default, as on the command line.
    case addOrder(Order, termDays: Int?, checkIntervalDays: Int?)
    /// Corrections of an order's details, one store correction per changed field, all with one reason.
    case correct(number: String, changes: [DetailChange], reason: String)

    /// The order to show once the write is saved (a new or corrected order's view); nil: stay.
    var opens: String? {
        switch self {
        case .addOrder(let order, _, _): order.number
        case .correct(let number, _, _): number
        default: nil
        }
    }

    /// What will be written, for the person to confirm, when it cannot be undone; nil when it needs no asking.
    func confirmation(words: Words, formats: InstantFormat) -> String? {
        switch self {
        case .revoke(let number, let at, let reason):
            words.text("ui.confirm.revoke", ["number": number, "at": formats.human(at), "reason": reason])
        case .closeBreach(let id, let number, let action, let at):
            words.text("ui.confirm.close", ["id": String(id), "number": number, "at": formats.human(at), "action": action])
        case .check, .breach, .serve, .addOrder, .correct:
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
        case let .addOrder(order, termDays, checkIntervalDays):
            var order = order
            let rules = store.rules.kind(order.kind)
            order.termDays = termDays ?? rules.termDays.default
            order.checkIntervalDays = checkIntervalDays ?? rules.checkIntervalDays.default
            let added = try store.addOrder(order, now: now)
            return text("saved.addOrder", ["number": added.number])
        case let .correct(number, changes, reason):
            // Every change is checked before any is written, and all are saved in one transaction or none.
            try store.correct(number, changes: changes.map { ($0.field, $0.value) }, reason: reason, now: now)
            return text("saved.correct", ["number": number,
                                          "fields": changes.map { words.field($0.field.subject) }.joined(separator: ", ")])
        }
    }
}

/// One detail of an order corrected: the field and its new value.
struct DetailChange: Equatable {
    var field: CorrectableField
    var value: String
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
        /// Save a report over the file that is at `path` already.
        case replaceFile(Report, path: String)
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
