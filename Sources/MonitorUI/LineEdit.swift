import Terminal

/// One line of typed text with a cursor: what every text field and search box edits.
/// ←/→ move, Home/Ctrl-A and End/Ctrl-E go to either end, Backspace deletes before the cursor and
/// Delete at it, Ctrl-U clears; a character is inserted where the cursor is.
struct LineEdit: Equatable {
    private(set) var text: String
    /// The cursor, in characters from the start: 0 before the first, `text.count` after the last.
    private(set) var cursor: Int

    init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// Replaces the text; the cursor goes to its end.
    mutating func set(_ text: String) {
        self.text = text
        cursor = text.count
    }

    /// Applies an editing key. `.changed` when the text changed, `.moved` when only the cursor did,
    /// nil when the key is not an editing key (the caller's then).
    mutating func apply(_ key: Key) -> Change? {
        switch key {
        case .character(let c):
            text.insert(c, at: index(cursor))
            cursor += 1
            return .changed
        case .backspace:
            guard cursor > 0 else { return .moved }
            cursor -= 1
            text.remove(at: index(cursor))
            return .changed
        case .delete:
            guard cursor < text.count else { return .moved }
            text.remove(at: index(cursor))
            return .changed
        case .control("u"):
            guard !text.isEmpty else { return .moved }
            set("")
            return .changed
        case .control("k"):
            guard cursor < text.count else { return .moved }
            text.removeSubrange(index(cursor)...)
            return .changed
        case .left: cursor = max(cursor - 1, 0)
        case .right: cursor = min(cursor + 1, text.count)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        default: return nil
        }
        return .moved
    }

    enum Change { case changed, moved }

    private func index(_ offset: Int) -> String.Index {
        text.index(text.startIndex, offsetBy: min(max(offset, 0), text.count))
    }

    /// What a box `width` columns wide shows of `shown` (the text, or its dots for a secret) so that the
    /// cursor is in it, and the cursor's column in the box. Scrolled only as far as the cursor needs
    /// (it then stays at the right edge); "…" at an edge says there is more that way.
    static func window(_ shown: String, cursor: Int, width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 2 else { return ("", 0) }
        let chars = Array(shown)
        let cursor = min(max(cursor, 0), chars.count)
        let widths = chars.map { TextWidth.width(of: String($0)) }
        func span(_ range: Range<Int>) -> Int { widths[range].reduce(0, +) }
        if span(0..<chars.count) < width { return (shown, span(0..<cursor)) }
        // The first character shown: the leftmost that keeps "…" and the cursor's own cell in the box.
        var start = 0
        if span(0..<cursor) > width - 1 {
            start = cursor
            while start > 0 && 1 + span((start - 1)..<cursor) <= width - 1 { start -= 1 }
        }
        var used = start > 0 ? 1 : 0
        var end = start
        while end < chars.count && used + widths[end] <= width {
            used += widths[end]
            end += 1
        }
        var out = start > 0 ? "…" : ""
        if end < chars.count {
            while end > start && used + 1 > width {
                end -= 1
                used -= widths[end]
            }
            out += String(chars[start..<end]) + "…"
        } else {
            out += String(chars[start..<end])
        }
        return (out, (start > 0 ? 1 : 0) + span(start..<cursor))
    }
}
