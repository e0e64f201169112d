import Wording
import Terminal

/// A selection in a list and the first row shown: what every list screen scrolls with.
struct ListCursor: Equatable {
    var selected = 0
    var top = 0

    /// Keeps the selection inside `count` rows and visible in a window of `height` rows.
    mutating func clamp(count: Int, height: Int) {
        selected = count == 0 ? 0 : min(max(selected, 0), count - 1)
        let height = max(height, 1)
        if selected < top { top = selected }
        if selected >= top + height { top = selected - height + 1 }
        top = max(0, min(top, max(count - height, 0)))
    }

    /// Moves for a navigation key; false when the key is not one.
    mutating func move(_ key: Key, count: Int, height: Int) -> Bool {
        switch key {
        case .up, .character("k"): selected -= 1
        case .down, .character("j"): selected += 1
        case .pageUp: selected -= max(height - 1, 1)
        case .pageDown: selected += max(height - 1, 1)
        case .home, .character("g"): selected = 0
        case .end, .character("G"): selected = count - 1
        default: return false
        }
        clamp(count: count, height: height)
        return true
    }
}

extension ListCursor {
    /// Where the selection is, "row 12 of 340" (`ui.list.position`); empty for an empty list. `atLeast`: the count
    /// is a lower bound ("row 12 of 1,000+").
    func position(count: Int, atLeast: Bool = false, context: ScreenContext) -> String {
        guard count > 0 else { return "" }
        return context.text("list.position", ["row": context.words.number(min(selected, count - 1) + 1),
                                              "count": context.words.number(count) + (atLeast ? "+" : "")])
    }

    /// Draws `position` at the right end of `row` (between `col` and `col + width`), dimmed; returns the
    /// columns it took with the space before it, so that the line's own text goes in what is left.
    @discardableResult
    func drawPosition(count: Int, atLeast: Bool = false, on canvas: Canvas, row: Int, col: Int, width: Int,
                      context: ScreenContext) -> Int {
        let text = position(count: count, atLeast: atLeast, context: context)
        let taken = TextWidth.width(of: text)
        guard taken > 0, taken + 1 < width else { return 0 }
        canvas.put(text, row: row, col: col + width - taken, style: .dim, width: taken)
        return taken + 1
    }
}
