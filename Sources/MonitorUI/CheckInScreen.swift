import Wording
import Foundation
import OrderModel
import OrderStore
import Terminal

/// The police liaison's main task: find the order by part of its number, and record a check.
/// A compliant check done now is the number, Enter (picks the order), Enter (saves).
struct CheckInScreen {
    static let order = 0, time = 1, officer = 2, outcome = 3, method = 4, note = 5

    var form: Form
    var activeNumbers: [String] = []
    let login: String
    /// The time the form proposed; while the field still shows it, "now" means the moment of saving.
    var proposedTime: String

    init(words: Words, login: String, now: Date, timeZone: TimeZone) {
        self.login = login
        form = CheckInScreen.blank(words: words, login: login, now: now, timeZone: timeZone)
        proposedTime = form.value(CheckInScreen.time)
    }

    /// Keeps an untouched time field showing the current minute.
    mutating func refreshTime(now: Date, timeZone: TimeZone) {
        guard form.value(Self.time) == proposedTime else { return }
        proposedTime = InstantFormat(timeZone: timeZone).human(now)
        form.set(Self.time, proposedTime)
    }

    static func blank(words: Words, login: String, now: Date, timeZone: TimeZone) -> Form {
        Form(title: words.text("ui.checkIn.title"), fields: [
            .init(label: words.text("ui.field.order"), kind: .text, value: "", hint: words.text("ui.checkIn.hint")),
            .init(label: words.text("ui.field.time"), kind: .text, value: InstantFormat(timeZone: timeZone).human(now)),
            .init(label: words.text("ui.field.officer"), kind: .text, value: login),
            .init(label: words.text("ui.field.outcome"), kind: .choice(CheckOutcome.allCases.map {
                Form.Choice(value: $0.rawValue, label: words.text("ui.outcome.\($0.rawValue)"))
            }), value: CheckOutcome.compliant.rawValue),
            .init(label: words.text("ui.field.method"), kind: .choice(CheckMethod.allCases.map {
                Form.Choice(value: $0.rawValue, label: words.text("ui.method.\($0.rawValue)"))
            }), value: CheckMethod.visit.rawValue),
            .init(label: words.text("ui.field.note"), kind: .text, value: ""),
        ])
    }

    /// The active orders whose number contains what was typed (case-insensitive).
    func matches() -> [String] {
        let typed = Order.numberKey(form.value(Self.order))
        guard !typed.isEmpty else { return [] }
        return activeNumbers.filter { Order.numberKey($0).contains(typed) }
    }

    /// The order the typed text names: an exact number, or the only match.
    func resolved() -> String? {
        let typed = Order.numberKey(form.value(Self.order))
        if let exact = activeNumbers.first(where: { Order.numberKey($0) == typed }) { return exact }
        let found = matches()
        return found.count == 1 ? found[0] : nil
    }

    /// Handles a key inside the form: nil for keys the form leaves to the app (screen switching,
    /// quit, help), else what the app should do after it (often nothing).
    mutating func handle(_ key: Key, app: MonitorApp) -> Command?? {
        // Function keys (F1-F4 switch screens, F12 hides) always belong to the app.
        if case .function = key { return nil }
        if key == .tab && !form.dirty && form.focus == Self.order && form.value(Self.order).isEmpty { return nil }
        if key == .escape && !form.dirty { return nil }
        var command: Command?
        switch form.handle(key) {
        case .cancel:
            reset(app: app)
        case .submit:
            command = save(app: app)
        case .enter(let index):
            if index == Self.order {
                if let number = resolved() {
                    form.set(Self.order, number)
                    form.fields[Self.order].error = nil
                    form.focus = Self.outcome
                } else {
                    form.fields[Self.order].error = app.text(matches().isEmpty ? "error.noMatch" : "error.manyMatches")
                }
            } else if index == Self.note || index == Self.outcome || index == Self.method {
                command = save(app: app)
            } else {
                form.focus += 1
            }
        case .unhandled:
            // On a choice, a letter that picks no option is the app's: 1-4, q, ? keep their meaning.
            return nil
        case .none:
            break
        }
        updateHint(app: app)
        return .some(command)
    }

    mutating func updateHint(app: MonitorApp) {
        let found = matches()
        form.fields[Self.order].hint = form.value(Self.order).isEmpty ? app.text("checkIn.hint")
            : found.isEmpty ? nil : app.words.count("ui.checkIn.matches", found.count,
                                                    ["list": found.prefix(6).joined(separator: ", ") + (found.count > 6 ? " …" : "")])
    }

    mutating func reset(app: MonitorApp) {
        form = Self.blank(words: app.words, login: login, now: app.clock(), timeZone: app.store.timeZone)
        proposedTime = form.value(Self.time)
        updateHint(app: app)
    }

    /// Validates every field, then saves; errors go beside their fields and nothing is written.
    mutating func save(app: MonitorApp) -> Command? {
        form.clearErrors()
        let number = resolved()
        if number == nil {
            form.fields[Self.order].error = app.text(form.value(Self.order).isEmpty ? "error.orderRequired"
                : matches().isEmpty ? "error.noMatch" : "error.manyMatches")
        }
        let untouched = form.value(Self.time) == proposedTime
        let at = untouched ? app.clock() : app.parseTime(&form, Self.time)
        if form.value(Self.officer).trimmingCharacters(in: .whitespaces).isEmpty {
            form.fields[Self.officer].error = app.text("error.required")
        }
        guard let number, let at, !form.hasErrors,
              let outcome = CheckOutcome(rawValue: form.value(Self.outcome)),
              let method = CheckMethod(rawValue: form.value(Self.method)) else { return nil }
        do {
            let (check, breach) = try app.store.addCheck(number, at: at, officer: form.value(Self.officer), method: method,
                                                          outcome: outcome, note: form.value(Self.note), now: app.clock())
            reset(app: app)
            return .saved(app.text(breach == nil ? "saved.check" : "saved.checkBreach",
                                   ["id": String(check.id ?? 0), "number": number,
                                    "outcome": app.text("outcome.\(outcome.rawValue)")]))
        } catch let refusal as Refusal {
            switch refusal {
            case .inFuture, .beforeService, .afterEnd, .nonexistentLocalTime: form.fields[Self.time].error = app.words.message(refusal)
            case .controlCharacters(.officer), .emptyText(.officer), .tooLong(.officer, _):
                form.fields[Self.officer].error = app.words.message(refusal)
            default: form.formError = app.words.message(refusal)
            }
        } catch {
            form.formError = app.describe(error)
        }
        return nil
    }

    func draw(on canvas: Canvas, in body: Rect, app: MonitorApp) {
        form.draw(on: canvas, row: body.top + 1, words: app.words)
    }
}
