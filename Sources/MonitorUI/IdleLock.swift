import Foundation
import Terminal
import Wording

/// The idle lock: after `after` seconds without a key the screens lock, and only what the person alone knows opens
/// them: the passphrase of survivor data for a role that may open it, else the account's PIN (`PinFile`), chosen
/// (typed twice) when a session of such a role first starts. What is typed is never shown, not even a dot a
/// character (`Form.Kind.secret`). The app drops survivor data when the lock engages and decides whether what was
/// typed opens it; after `tries` wrong answers in a row the program ends rather than letting guesses go on.
struct IdleLock {
    /// What the lock asks for.
    enum Asking: Equatable {
        case passphrase, pin
        /// A PIN to choose, typed twice: the first start of a session whose role has no passphrase.
        case newPin
    }

    /// Wrong answers in a row that end the program.
    static let tries = 5

    let after: TimeInterval
    private(set) var lastKey: Date
    private(set) var asking: Asking?
    /// The form asking; nil while the screens are open.
    private(set) var form: Form?
    /// Wrong answers in a row since the lock engaged.
    private(set) var wrong = 0

    init(after: TimeInterval, now: Date) {
        self.after = after
        lastKey = now
    }

    var isLocked: Bool { form != nil }

    mutating func touch(_ now: Date) { lastKey = now }

    /// Whether the time without a key has run out.
    func isDue(now: Date) -> Bool { !isLocked && now.timeIntervalSince(lastKey) >= after }

    /// Locks, asking for `asking`.
    mutating func engage(_ asking: Asking, words: Words) {
        self.asking = asking
        wrong = 0
        func field(_ key: String) -> Form.Field { .init(label: words.text(key), kind: .secret, value: "") }
        form = switch asking {
        case .passphrase: Form(title: words.text("ui.lock.title"), fields: [field("ui.field.passphrase")])
        case .pin: Form(title: words.text("ui.lock.title"), fields: [field("ui.field.pin")])
        case .newPin: Form(title: words.text("ui.lock.newPin.title"), fields: [field("ui.field.pin"), field("ui.field.pinAgain")])
        }
    }

    /// A key while locked: what was typed in every field, when Enter offers it with every field filled; nil
    /// otherwise (Enter on an empty answer is no answer, and does not count as a wrong one). Esc empties the fields.
    mutating func handle(_ key: Key) -> [String]? {
        guard var form else { return nil }
        defer { self.form = form }
        switch form.handle(key) {
        case .enter, .submit:
            guard let empty = form.fields.firstIndex(where: { $0.value.isEmpty }) else { return form.fields.map(\.value) }
            form.focus = empty
        case .cancel:
            for i in form.fields.indices { form.set(i, "") }
            form.focus = 0
        case .none, .unhandled:
            break
        }
        return nil
    }

    /// What was typed does not open: the field empties and says so, with the tries left. True when that was the
    /// last try.
    mutating func refuse(words: Words) -> Bool {
        wrong += 1
        reject(words.count("ui.lock.wrong", Self.tries - wrong))
        return wrong >= Self.tries
    }

    /// What was typed cannot be used (a PIN chosen that is not 4 to 12 digits, or typed differently twice): every
    /// field empties, and the first says why.
    mutating func reject(_ reason: String) {
        guard var form else { return }
        for i in form.fields.indices { form.set(i, "") }
        form.focus = 0
        form.fields[0].error = reason
        self.form = form
    }

    mutating func release() {
        form = nil
        asking = nil
        wrong = 0
    }

    /// The lock, and nothing of the records: the form, what it is about, and whose lock it is in the status line.
    func draw(on canvas: Canvas, words: Words, login: String, pinPath: String?) {
        guard let form else { return }
        let size = canvas.size
        var y = form.draw(on: canvas, row: 2, words: words) + 1
        let about = asking == .newPin
            ? words.text("ui.lock.newPin.about", ["minutes": words.number(Int((after / 60).rounded(.up))), "path": pinPath ?? ""])
            : words.count("ui.lock.about", Self.tries)
        y += Wrap.draw(about, on: canvas, row: y, col: 2, width: size.cols - 4, style: .dim, maxRows: max(size.rows - 2 - y, 1))
        canvas.put(" " + words.text("ui.lock.status", ["user": login]), row: size.rows - 1, col: 0, style: .status, width: size.cols)
    }
}
