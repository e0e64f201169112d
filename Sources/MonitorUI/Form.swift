import Wording
import OrderModel
import Terminal

/// A form: labelled fields, one focused, each with its error beside it. Every form of the screens is
/// one of these (the check-in, the forms over an order, the lock). Nothing is saved until the whole
/// form is valid; what submitting means is decided by whoever holds the form.
struct Form {
    enum Kind: Equatable {
        case text
        /// Typed but never shown, not even its length: the box stays empty, the cursor at its start.
        case secret
        /// One of a fixed set of values, changed with ←/→, space, or the first letter of its label.
        case choice([Choice])
    }

    /// A value kept as it is stored ("not-located") and the label shown for it ("не найден").
    struct Choice: Equatable {
        var value: String
        var label: String
    }

    /// A line under a field: what the typed value found (the order picked, and how it stands).
    /// The lengths of an order a refusal may be about, which name no field of their own.
    enum Term { case termDays, checkIntervalDays }

    struct Note {
        var text: String
        var style: Style
    }

    struct Field {
        var label: String
        var kind: Kind
        /// The typed text and its cursor; for a choice, the chosen value.
        var edit: LineEdit
        var error: String?
        /// A line under the field (matches for the order field).
        var hint: String?
        /// Lines under the hint.
        var notes: [Note] = []
        /// What refusals about these fields or times show beside this field.
        var subjects: [OrderModel.Field]
        /// What refusals about the order's term show beside this field.
        var terms: [Term] = []

        init(label: String, kind: Kind, value: String, hint: String? = nil, subjects: [OrderModel.Field] = []) {
            self.label = label
            self.kind = kind
            edit = LineEdit(value)
            self.hint = hint
            self.subjects = subjects
        }

        var value: String {
            get { edit.text }
            set { edit.set(newValue) }
        }
    }

    enum Event: Equatable {
        case none, submit, cancel
        /// A key the focused field did not take: the app's (on a choice, 1-4 switch screens and q quits).
        case unhandled
        /// Enter was pressed on the field at this index (the app may resolve it and move on).
        case enter(Int)
    }

    var title: String
    var fields: [Field]
    var focus = 0
    var formError: String?
    /// True once the person typed or chose anything: leaving or quitting then asks first.
    var dirty = false

    func value(_ index: Int) -> String { fields[index].value }

    mutating func set(_ index: Int, _ value: String) {
        fields[index].value = value
    }

    mutating func clearErrors() {
        formError = nil
        for i in fields.indices { fields[i].error = nil }
    }

    var hasErrors: Bool { formError != nil || fields.contains { $0.error != nil } }

    /// Edits, moves between fields, or reports Enter, submit (Ctrl-S) and cancel (Esc).
    mutating func handle(_ key: Key) -> Event {
        guard fields.indices.contains(focus) else { return .none }
        switch key {
        case .escape: return .cancel
        case .control("s"): return .submit
        case .tab, .down: focus = (focus + 1) % fields.count
        case .backTab, .up: focus = (focus + fields.count - 1) % fields.count
        case .enter: return .enter(focus)
        default:
            switch fields[focus].kind {
            case .text, .secret: return editText(key)
            case .choice(let options): return choose(key, options)
            }
        }
        return .none
    }

    private mutating func editText(_ key: Key) -> Event {
        switch fields[focus].edit.apply(key) {
        case .changed:
            dirty = true
            fields[focus].error = nil
            return .none
        case .moved:
            return .none
        case nil:
            if case .character = key { return .none }
            return .unhandled
        }
    }

    private mutating func choose(_ key: Key, _ options: [Choice]) -> Event {
        guard let current = options.firstIndex(where: { $0.value == fields[focus].value }) else { return .none }
        switch key {
        case .right, .character(" "): fields[focus].value = options[(current + 1) % options.count].value
        case .left: fields[focus].value = options[(current + options.count - 1) % options.count].value
        case .character(let c):
            guard let next = Self.pick(c, in: options, current: current) else { return .unhandled }
            fields[focus].value = options[next].value
        default: return .unhandled
        }
        dirty = true
        return .none
    }

    /// The option a typed letter picks: the first letter of its label as shown ("п" for
    /// "по телефону"), typed on any layout (the key of "п" types "g" in Latin); when several
    /// labels start with it, each press moves to the next of them. Nil when none starts with it.
    static func pick(_ c: Character, in options: [Choice], current: Int) -> Int? {
        let matching = options.indices.filter { i in options[i].label.first.map { KeyboardLayout.sameKey($0, c) } ?? false }
        guard let first = matching.first else { return nil }
        guard matching.contains(current) else { return first }
        return matching.first { $0 > current } ?? first
    }

    /// The most rows the whole value of a focused field too long for its box takes under it.
    static let wholeValueRows = 3

    /// Draws the form from `row`, labels in a column `labelWidth` wide; returns the next free row.
    /// A text field longer than its box scrolls with the cursor, and while it has the focus its whole
    /// value is also shown under it, wrapped, so that it can be read before saving. Fields that do not
    /// fit above the keys scroll with the focus, ▲ and ▼ at the right saying there are more.
    @discardableResult
    func draw(on canvas: Canvas, row: Int, words: Words) -> Int {
        let cols = canvas.size.cols
        let top = row + Wrap.draw(title, on: canvas, row: row, col: 2, width: cols - 4, style: .header, maxRows: 3) + 1
        let keys = words.text("ui.form.keys")
        let below = (formError.map { min(Wrap.lines("✗ " + $0, width: cols - 4).count, 3) } ?? 0)
            + Wrap.lines(keys, width: cols - 4).count
        // The fields end above the blank line, the form's error and the keys, all above the message line.
        let bottom = canvas.size.rows - 2 - below - 1
        let measured = drawFields(on: ClippedCanvas(canvas, shift: 0, rows: 0..<0), row: top)
        var y = measured.end
        if measured.end > bottom && bottom > top {
            let shift = max(0, min(measured.focus.upperBound - bottom, measured.focus.lowerBound - top))
            drawFields(on: ClippedCanvas(canvas, shift: shift, rows: top..<bottom), row: top)
            if shift > 0 { canvas.put("▲", row: top, col: cols - 2, style: .dim) }
            if measured.end - shift > bottom { canvas.put("▼", row: bottom - 1, col: cols - 2, style: .dim) }
            y = bottom
        } else {
            drawFields(on: canvas, row: top)
        }
        y += 1
        if let formError {
            y += Wrap.draw("✗ " + formError, on: canvas, row: y, col: 2, width: cols - 4, style: .error, maxRows: 3)
        }
        y += Wrap.draw(keys, on: canvas, row: y, col: 2, width: cols - 4, style: .dim)
        return y
    }

    /// Draws the fields from `row`; returns the row after them and the rows of the focused field.
    @discardableResult
    private func drawFields(on canvas: Canvas, row: Int) -> (end: Int, focus: Range<Int>) {
        let cols = canvas.size.cols
        // The label, its "▸ " marker and a space before the value.
        let labelWidth = min(max(fields.map { TextWidth.width(of: $0.label) }.max() ?? 0, 10) + 3, 26)
        // Wide enough for every choice; a third of the screen for text, leaving room for errors.
        let widestChoice = fields.map { field -> Int in
            guard case .choice(let options) = field.kind else { return 0 }
            return options.reduce(0) { $0 + TextWidth.width(of: $1.label) + 3 }
        }.max() ?? 0
        let valueWidth = max(min(cols / 3, 40), widestChoice, 10)
        var y = row
        var focusRows = row..<row
        for (i, field) in fields.enumerated() {
            let focused = i == focus
            let first = y
            canvas.put((focused ? "▸ " : "  ") + field.label, row: y, col: 0, style: focused ? .title : .normal,
                       width: labelWidth)
            var overflows = false
            switch field.kind {
            case .text, .secret:
                let shown = field.kind == .secret ? "" : field.value
                let window = LineEdit.window(shown, cursor: field.edit.cursor, width: valueWidth)
                canvas.put(window.text, row: y, col: labelWidth, style: .input, width: valueWidth)
                if focused { canvas.setCursor(row: y, col: labelWidth + window.cursorColumn) }
                overflows = field.kind == .text && TextWidth.width(of: shown) >= valueWidth
            case .choice(let options):
                let shown = options.map { $0.value == field.value ? "[\($0.label)]" : " \($0.label) " }.joined(separator: " ")
                canvas.put(shown, row: y, col: labelWidth, style: .input, width: valueWidth)
            }
            var errorBelow: String?
            if let error = field.error {
                let beside = cols - labelWidth - valueWidth - 1
                if TextWidth.width(of: error) + 2 <= beside {
                    canvas.put("✗ " + error, row: y, col: labelWidth + valueWidth + 1, style: .error, width: beside)
                } else {
                    errorBelow = error
                }
            }
            y += 1
            if focused && overflows {
                y += Wrap.draw(field.value, on: canvas, row: y, col: labelWidth, width: cols - labelWidth - 1, style: .dim,
                               maxRows: Self.wholeValueRows)
            }
            if let errorBelow {
                y += Wrap.draw("✗ " + errorBelow, on: canvas, row: y, col: labelWidth, width: cols - labelWidth - 1,
                               style: .error, maxRows: 2)
            }
            if let hint = field.hint {
                canvas.put(hint, row: y, col: labelWidth, style: .dim, width: cols - labelWidth)
                y += 1
            }
            for note in field.notes {
                y += Wrap.draw(note.text, on: canvas, row: y, col: labelWidth, width: cols - labelWidth - 1, style: note.style,
                               maxRows: 2)
            }
            if focused { focusRows = first..<y }
        }
        return (y, focusRows)
    }
}

/// A canvas that shows another's rows `rows` only, what is drawn at row r landing at r - `shift`:
/// the part of a tall form that fits, or (with no rows) nothing at all, to measure it.
final class ClippedCanvas: Canvas {
    let base: Canvas
    let shift: Int
    let rows: Range<Int>

    init(_ base: Canvas, shift: Int, rows: Range<Int>) {
        self.base = base
        self.shift = shift
        self.rows = rows
    }

    var size: Size { base.size }
    func clear() {}
    func hideCursor() {}

    func put(_ text: String, row: Int, col: Int, style: Style, width: Int?) {
        if rows.contains(row - shift) { base.put(text, row: row - shift, col: col, style: style, width: width) }
    }

    func fill(row: Int, col: Int, width: Int, style: Style) {
        if rows.contains(row - shift) { base.fill(row: row - shift, col: col, width: width, style: style) }
    }

    func setCursor(row: Int, col: Int) {
        if rows.contains(row - shift) { base.setCursor(row: row - shift, col: col) }
    }
}
