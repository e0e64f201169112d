import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// The police liaison's main task: find the order by part of its number, and record a check.
/// A compliant check done now is the number, Enter (picks the order), Enter (saves). The order picked
/// shows with its respondent, address and how its checks stand, so that nothing is recorded blind.
final class CheckInScreen: Screen {
    static let order = 0, time = 1, officer = 2, outcome = 3, method = 4, note = 5

    let id = ScreenID.checkIn
    var form: Form
    let login: String
    /// The time the form proposed; while the field still shows it, "now" means the moment of saving.
    var proposedTime: String
    /// The orders in effect at the figures' instant: where part of a number is looked for.
    var inEffect: [OrderSummary] = []
    /// The orders in effect at a time typed into the form, when that is not now: a late check finds
    /// the orders of its day, expired or revoked since.
    private var inEffectThen: (at: Date, orders: [OrderSummary])?
    /// The last number looked up in full among all orders, and what it found.
    private var lookedUp: (key: String, number: String?)?
    /// The order the typed number names, as it stands now: what the check will be recorded on.
    private(set) var picked: OrderDetail?
    /// True from a save until anything is typed: Enter or Esc then go back where the check-in was started from.
    private(set) var justSaved = false

    init(words: Words, login: String, now: Date, timeZone: TimeZone) {
        self.login = login
        form = CheckInScreen.blank(words: words, login: login, now: now, timeZone: timeZone)
        proposedTime = form.value(CheckInScreen.time)
    }

    static func blank(words: Words, login: String, now: Date, timeZone: TimeZone) -> Form {
        Form(title: words.text("ui.checkIn.title"), fields: [
            .init(label: words.text("ui.field.order"), kind: .text, value: "", hint: words.text("ui.checkIn.hint"),
                  subjects: [.orderNumber]),
            .init(label: words.text("ui.field.time"), kind: .text, value: InstantFormat(timeZone: timeZone).human(now),
                  subjects: [.checkTime]),
            .init(label: words.text("ui.field.officer"), kind: .text, value: login, subjects: [.officer]),
            .init(label: words.text("ui.field.outcome"), kind: .choice(CheckOutcome.allCases.map {
                Form.Choice(value: $0.rawValue, label: words.text("ui.outcome.\($0.rawValue)"))
            }), value: CheckOutcome.compliant.rawValue),
            .init(label: words.text("ui.field.method"), kind: .choice(CheckMethod.allCases.map {
                Form.Choice(value: $0.rawValue, label: words.text("ui.method.\($0.rawValue)"))
            }), value: CheckMethod.visit.rawValue),
            .init(label: words.text("ui.field.note"), kind: .text, value: "", subjects: [.note]),
        ])
    }

    func load(context: ScreenContext) throws {
        refreshTime(now: context.asOf, timeZone: context.timeZone)
        inEffect = try context.reader.orders(status: .active, asOf: context.asOf)
        inEffectThen = nil
        lookedUp = nil
        picked = nil
        refreshOrder(context: context)
    }

    /// Keeps an untouched time field showing the current minute.
    func refreshTime(now: Date, timeZone: TimeZone) {
        guard form.value(Self.time) == proposedTime else { return }
        proposedTime = InstantFormat(timeZone: timeZone).human(now)
        form.set(Self.time, proposedTime)
    }

    var hasUnsavedInput: Bool { form.dirty }

    func discardInput(context: ScreenContext) {
        reset(context: context)
    }

    func helpValues(context: ScreenContext) -> [String: String] { HelpScreen.choiceLetters(context.words) }

    // MARK: - Finding the order

    /// The time typed, when it is not the one proposed (which means the moment of saving).
    private func typedTime(_ context: ScreenContext) -> Date? {
        guard form.value(Self.time) != proposedTime else { return nil }
        return (try? TypedTime.instant(form.value(Self.time), timeZone: context.timeZone, today: context.today)) ?? nil
    }

    /// The orders in effect at the typed time (now, unless another time is typed).
    private func candidates(_ context: ScreenContext) -> [OrderSummary] {
        guard let at = typedTime(context), abs(at.timeIntervalSince(context.asOf)) >= 60 else { return inEffect }
        if let then = inEffectThen, then.at == at { return then.orders }
        let orders = (try? context.reader.orders(status: .active, asOf: at)) ?? []
        inEffectThen = (at, orders)
        return orders
    }

    /// The numbers of the orders in effect at the typed time that contain what was typed (any case).
    func matches(context: ScreenContext) -> [String] {
        let typed = Order.numberKey(form.value(Self.order))
        guard !typed.isEmpty else { return [] }
        return candidates(context).map(\.order.number).filter { Order.numberKey($0).contains(typed) }
    }

    /// The order the typed text names: a number in full (of any order: whether a check on it at that time
    /// is admitted is the store's to say, as on the command line), else the only match.
    func resolved(context: ScreenContext) -> String? {
        let typed = Order.numberKey(form.value(Self.order))
        guard !typed.isEmpty else { return nil }
        if let exact = candidates(context).first(where: { Order.numberKey($0.order.number) == typed }) {
            return exact.order.number
        }
        if let full = lookUp(typed, context: context) { return full }
        let found = matches(context: context)
        return found.count == 1 ? found[0] : nil
    }

    /// The number of the order whose number is `key`, among all orders; one read per number typed.
    private func lookUp(_ key: String, context: ScreenContext) -> String? {
        if let lookedUp, lookedUp.key == key { return lookedUp.number }
        let number = (try? context.reader.detail(number: form.value(Self.order).trimmingCharacters(in: .whitespaces),
                                                 asOf: context.asOf))?.history.order.number
        lookedUp = (key, number)
        return number
    }

    /// The hint under the number (what it matches), and the order it names with how it stands.
    func refreshOrder(context: ScreenContext) {
        let typed = form.value(Self.order)
        let found = matches(context: context)
        form.fields[Self.order].hint = typed.isEmpty ? context.text(justSaved ? "checkIn.savedHint" : "checkIn.hint")
            : found.isEmpty ? nil : context.words.count("ui.checkIn.matches", found.count,
                                                        ["list": found.prefix(6).joined(separator: ", ") + (found.count > 6 ? " …" : "")])
        let number = resolved(context: context)
        if number != picked?.history.order.number {
            picked = number.flatMap { try? context.reader.detail(number: $0, asOf: context.asOf) }
        }
        form.fields[Self.order].notes = picked.map { Self.notes(for: $0, context: context) } ?? []
    }

    /// The respondent and address of the order, then where its checks stand as of the figures' instant.
    static func notes(for detail: OrderDetail, context: ScreenContext) -> [Form.Note] {
        let order = detail.history.order, timeline = detail.timeline
        let address = order.respondent.address.isEmpty ? context.text("checkIn.noAddress") : order.respondent.address
        let who = Form.Note(text: context.text("checkIn.respondent", ["name": order.respondent.name, "address": address]),
                            style: .normal)
        let ends = timeline.ends.map(context.formats.human) ?? ""
        let today = context.formats.day(context.asOf)
        let standing: Form.Note
        switch timeline.status {
        case .active:
            if let due = timeline.nextDue {
                if today > due {
                    standing = Form.Note(text: context.text("checkIn.overdue", ["days": context.words.days(today - due),
                                                                                "due": due.dotted]), style: .warning)
                } else if today == due {
                    standing = Form.Note(text: context.text("checkIn.dueToday"), style: .notice)
                } else {
                    standing = Form.Note(text: context.text("checkIn.due", ["due": due.dotted,
                                                                            "when": context.words.when(inDays: due - today)]),
                                         style: .normal)
                }
            } else {
                standing = Form.Note(text: context.text("checkIn.noneDue", ["ends": ends]), style: .normal)
            }
        case .expired: standing = Form.Note(text: context.text("checkIn.expired", ["ends": ends]), style: .warning)
        case .revoked: standing = Form.Note(text: context.text("checkIn.revoked", ["ends": ends]), style: .warning)
        case .unserved: standing = Form.Note(text: context.text("checkIn.unserved"), style: .warning)
        }
        return [who, standing]
    }

    // MARK: - Keys

    func handle(_ press: KeyPress, context: ScreenContext) -> Command? {
        // A role that may not record checks is told so before typing anything: every key is the app's.
        guard context.may(.recordCheck) else { return nil }
        let key = press.typed
        // Function keys (F1-F4 switch screens, F12 hides) always belong to the app.
        if case .function = key { return nil }
        if justSaved && !form.dirty && (key == .enter || key == .escape) {
            justSaved = false
            refreshOrder(context: context)
            return .back
        }
        if key == .tab && !form.dirty && form.focus == Self.order && form.value(Self.order).isEmpty { return nil }
        // Esc leaves a form with nothing typed (back), and asks before forgetting what was typed.
        if key == .escape { return form.dirty ? .confirmDiscard : nil }
        var command = Command.nothing
        switch form.handle(key) {
        case .submit:
            command = save(context: context)
        case .enter(let index):
            if index == Self.order {
                if let number = resolved(context: context) {
                    form.set(Self.order, number)
                    form.fields[Self.order].error = nil
                    form.focus = Self.outcome
                } else {
                    form.fields[Self.order].error = context.text(matches(context: context).isEmpty ? "error.noMatch" : "error.manyMatches")
                }
            } else if index == Self.note || index == Self.outcome || index == Self.method {
                command = save(context: context)
            } else {
                form.focus += 1
            }
        case .unhandled:
            // On a choice, a letter that picks no option is the app's: 1-4, q, ? keep their meaning.
            return nil
        case .none, .cancel:
            break
        }
        if form.dirty { justSaved = false }
        refreshOrder(context: context)
        return command
    }

    func reset(context: ScreenContext) {
        form = Self.blank(words: context.words, login: login, now: context.now, timeZone: context.timeZone)
        proposedTime = form.value(Self.time)
        justSaved = false
        inEffectThen = nil
        picked = nil
        refreshOrder(context: context)
    }

    /// The check-in with this order already chosen, the focus on the outcome.
    func start(with number: String, context: ScreenContext) {
        reset(context: context)
        form.set(Self.order, number)
        form.focus = Self.outcome
        refreshOrder(context: context)
    }

    /// Validates every field and asks the app to save; errors go beside their fields and nothing is written.
    func save(context: ScreenContext) -> Command {
        form.clearErrors()
        let number = resolved(context: context)
        if number == nil {
            form.fields[Self.order].error = context.text(form.value(Self.order).isEmpty ? "error.orderRequired"
                : matches(context: context).isEmpty ? "error.noMatch" : "error.manyMatches")
        }
        let untouched = form.value(Self.time) == proposedTime
        let at = untouched ? context.now : form.time(Self.time, context: context)
        if form.value(Self.officer).trimmingCharacters(in: .whitespaces).isEmpty {
            form.fields[Self.officer].error = context.text("error.required")
        }
        guard let number, let at, !form.hasErrors,
              let outcome = CheckOutcome(rawValue: form.value(Self.outcome)),
              let method = CheckMethod(rawValue: form.value(Self.method)) else { return .nothing }
        return .write(.check(number: number, at: at, officer: form.value(Self.officer), method: method, outcome: outcome,
                             note: form.value(Self.note)))
    }

    /// After the app wrote the check: a blank form (Enter or Esc go back), or the refusal beside its field.
    func finished(_ write: Write, result: Result<String, Error>, context: ScreenContext) -> Command? {
        switch result {
        case .success:
            reset(context: context)
            justSaved = true
            refreshOrder(context: context)
        case .failure(let error):
            form.show(error, words: context.words)
        }
        return nil
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        guard context.may(.recordCheck) else {
            var y = body.top + 1
            y += Wrap.draw(form.title, on: canvas, row: y, col: 2, width: body.cols - 4, style: .header, maxRows: 3) + 1
            Wrap.draw(context.whoMay(.recordCheck), on: canvas, row: y, col: 2, width: body.cols - 4, style: .warning)
            return
        }
        form.draw(on: canvas, row: body.top + 1, words: context.words)
    }
}
