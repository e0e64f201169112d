import Foundation
import Terminal
import Wording

/// The idle lock: after `after` seconds without a key the screens lock; a passphrase (or, for roles
/// without one, the account name) brings them back. The app drops survivor data when it engages
/// and decides whether what was typed opens it again.
struct IdleLock {
    let after: TimeInterval
    private(set) var lastKey: Date
    /// The form asking for the passphrase; nil while the screens are open.
    private(set) var form: Form?

    init(after: TimeInterval, now: Date) {
        self.after = after
        lastKey = now
    }

    var isLocked: Bool { form != nil }

    mutating func touch(_ now: Date) { lastKey = now }

    /// Whether the time without a key has run out.
    func isDue(now: Date) -> Bool { !isLocked && now.timeIntervalSince(lastKey) >= after }

    /// Locks: asks for the passphrase, or the account name when the role has none to give.
    mutating func engage(words: Words, asksPassphrase: Bool) {
        form = Form(title: words.text("ui.lock.title"), fields: [
            .init(label: words.text(asksPassphrase ? "ui.field.passphrase" : "ui.field.account"), kind: .secret, value: ""),
        ])
    }

    /// A key while locked: what was typed, when Enter offers it; nil otherwise.
    mutating func handle(_ key: Key) -> String? {
        guard var form else { return nil }
        defer { self.form = form }
        switch form.handle(key) {
        case .enter, .submit:
            return form.value(0)
        case .cancel:
            form.set(0, "")
        case .none, .unhandled:
            break
        }
        return nil
    }

    /// What was typed does not unlock: the field is emptied and says so.
    mutating func refuse(words: Words) {
        form?.set(0, "")
        form?.fields[0].error = words.text("ui.lock.wrong")
    }

    mutating func release() { form = nil }

    func draw(on canvas: Canvas, words: Words, login: String) {
        guard let form else { return }
        let size = canvas.size
        form.draw(on: canvas, row: 2, words: words)
        canvas.put(" " + words.text("ui.lock.status", ["user": login]), row: size.rows - 1, col: 0, style: .status, width: size.cols)
    }
}
