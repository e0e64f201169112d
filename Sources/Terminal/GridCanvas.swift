/// An in-memory canvas for testing screens without a terminal. A wide character takes two
/// cells (the second a continuation), so `line` shows what a terminal would, column for column.
public final class GridCanvas: Canvas {
    private struct Cell {
        var text = " "
        var style = Style.normal
        var isContinuation = false
    }

    public private(set) var size: Size
    /// Where `setCursor` last put the cursor; nil when hidden.
    public private(set) var cursor: (row: Int, col: Int)?
    private var cells: [[Cell]]

    /// A blank grid; negative dimensions count as 0.
    public init(rows: Int, cols: Int) {
        size = Size(rows: max(rows, 0), cols: max(cols, 0))
        cells = []
        clear()
    }

    /// Changes the size and blanks the grid, as a terminal resize followed by a redraw would.
    public func resize(rows: Int, cols: Int) {
        size = Size(rows: max(rows, 0), cols: max(cols, 0))
        clear()
    }

    public func clear() {
        cells = Array(repeating: Array(repeating: Cell(), count: size.cols), count: size.rows)
    }

    public func put(_ text: String, row: Int, col: Int, style: Style, width: Int?) {
        guard row >= 0 && row < size.rows else { return }
        let (start, glyphs) = Layout.place(text, col: col, width: width, cols: size.cols, style: style)
        var x = start
        for glyph in glyphs {
            write(glyph, style: style, row: row, col: x)
            x += glyph.width
        }
    }

    public func fill(row: Int, col: Int, width: Int, style: Style) {
        put("", row: row, col: col, style: style, width: width)
    }

    public func setCursor(row: Int, col: Int) { cursor = (row, col) }

    public func hideCursor() { cursor = nil }

    /// The whole screen, one line per row, trailing spaces trimmed.
    public var text: String {
        (0..<size.rows).map(line).joined(separator: "\n")
    }

    /// One row as a terminal shows it, trailing spaces trimmed; "" outside the grid.
    public func line(_ row: Int) -> String {
        guard row >= 0 && row < size.rows else { return "" }
        var out = ""
        for cell in cells[row] where !cell.isContinuation { out += cell.text }
        while out.last == " " { out.removeLast() }
        return out
    }

    /// The style of one cell; `.normal` outside the grid.
    public func style(atRow row: Int, col: Int) -> Style {
        guard row >= 0 && row < size.rows && col >= 0 && col < size.cols else { return .normal }
        return cells[row][col].style
    }

    /// Whether `fragment` appears on any single line.
    public func contains(_ fragment: String) -> Bool {
        (0..<size.rows).contains { line($0).contains(fragment) }
    }

    /// Writes one glyph, blanking the remains of any wide character it overwrites in part,
    /// as a terminal does.
    private func write(_ glyph: Glyph, style: Style, row: Int, col: Int) {
        if cells[row][col].isContinuation && col > 0 {
            cells[row][col - 1] = Cell(style: cells[row][col - 1].style)
        }
        let end = col + glyph.width
        if end < size.cols && cells[row][end].isContinuation {
            cells[row][end] = Cell(style: cells[row][end].style)
        }
        cells[row][col] = Cell(text: glyph.text, style: style)
        if glyph.width == 2 {
            cells[row][col + 1] = Cell(text: "", style: style, isContinuation: true)
        }
    }
}
