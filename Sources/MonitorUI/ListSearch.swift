import OrderModel
import Terminal
import Wording

/// The `/` search of a list, the same on every list screen:
///
/// - `/` starts typing the query (a `LineEdit`: ←/→, Home/End, Backspace… edit it); while typing,
///   every key goes to the query. Enter keeps the query, Esc clears it.
/// - Not typing, with a query kept: Esc clears it (the screen takes that Esc, so it does not go back),
///   `n`/`N` move the cursor to the next/previous matching row, wrapping.
/// - Matching folds case, script and the usual romanisations (`SearchQuery`, `FoldedText`).
///
/// It holds only the query: the screen keeps its rows, filters them with `matches` whenever `handle`
/// says `.changed`, and draws the line with `draw`. Use:
///
///     if let outcome = search.handle(press, cursor: &cursor, count: rows.count, height: context.listHeight) {
///         if outcome == .changed { refilter(); cursor.clamp(count: rows.count, height: context.listHeight) }
///         return .nothing
///     }
struct ListSearch: Equatable {
    /// The query as typed, with its cursor.
    private(set) var edit = LineEdit()
    /// True while the query is being typed: every key goes to it.
    private(set) var typing = false
    /// The query, folded once per change.
    private(set) var query = SearchQuery("")

    /// The query as typed.
    var text: String { edit.text }

    /// Whether a query is kept or being typed: the list is filtered by it (or may be, once typed).
    var isActive: Bool { typing || !edit.text.isEmpty }

    /// What a key did.
    enum Outcome: Equatable {
        /// `/` began typing (a screen that also searches data it loads on demand may load it now).
        case started
        /// The query changed: filter the rows again with `matches`, then clamp the cursor.
        case changed
        /// Taken, with nothing to redo: an edit of the cursor in the query, Enter, `n`/`N` (the
        /// cursor was moved).
        case taken
    }

    /// Handles a key; nil when the key is not the search's (the screen's own keys then).
    /// `n`/`N` move `cursor` among the `count` rows to the next/previous row for which `isMatch`
    /// holds, wrapping; leave `isMatch` out when the rows are already filtered by `matches`.
    mutating func handle(_ press: KeyPress, cursor: inout ListCursor, count: Int, height: Int,
                         isMatch: (Int) -> Bool = { _ in true }) -> Outcome? {
        if typing {
            switch press.typed {
            case .enter:
                typing = false
                return .taken
            case .escape:
                typing = false
                return set("")
            default:
                return edit.apply(press.typed) == .changed ? set(edit.text) : .taken
            }
        }
        switch press.command {
        case .character("/"):
            typing = true
            edit.set(edit.text)
            return .started
        case .escape where !edit.text.isEmpty:
            return set("")
        case .character("n") where !edit.text.isEmpty, .character("N") where !edit.text.isEmpty:
            let forward = press.command == .character("n")
            guard count > 0 else { return .taken }
            for step in 1 ... count {
                let row = ((cursor.selected + (forward ? step : -step)) % count + count) % count
                if isMatch(row) {
                    cursor.selected = row
                    break
                }
            }
            cursor.clamp(count: count, height: height)
            return .taken
        default:
            return nil
        }
    }

    /// Empties the query and stops typing.
    mutating func clear() {
        typing = false
        _ = set("")
    }

    /// Whether a row's folded text matches the query (every row does when there is none).
    func matches(_ text: FoldedText) -> Bool { query.isEmpty || query.matches(text) }

    /// True when the query has something to match (not empty, not only spaces).
    var filters: Bool { !query.isEmpty }

    /// Draws the search line at `row`: the query (with the cursor while typing) or, without one,
    /// `hint` (wrapped). Returns the rows it took.
    func draw(hint: String, on canvas: Canvas, row: Int, col: Int, width: Int, context: ScreenContext) -> Int {
        guard isActive else { return Wrap.draw(hint, on: canvas, row: row, col: col, width: width, style: .dim) }
        let prefix = context.text("list.search", ["query": ""])
        let room = width - TextWidth.width(of: prefix)
        let shown = LineEdit.window(edit.text, cursor: edit.cursor, width: room)
        canvas.put(prefix + shown.text, row: row, col: col, style: typing ? .input : .dim, width: width)
        if typing { canvas.setCursor(row: row, col: col + TextWidth.width(of: prefix) + shown.cursorColumn) }
        return 1
    }

    private mutating func set(_ text: String) -> Outcome {
        if edit.text != text { edit.set(text) }
        query = SearchQuery(text)
        return .changed
    }
}
