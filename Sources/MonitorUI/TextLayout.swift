import Terminal

/// Lines that fit: a sentence or a key hint longer than the screen is wrapped, never cut, so a
/// translation longer than the English still shows every word at 80 columns.
enum Wrap {
    /// The separator of key hints and of the parts of a title: "c check · b breach".
    static let separator = " · "

    /// `text` in lines of at most `width` columns: broken between its " · " parts where it can,
    /// else between words; a single word wider than the line is cut with "…".
    static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if TextWidth.width(of: text) <= width { return [text] }
        var lines: [String] = []
        var line = ""
        for part in text.components(separatedBy: separator) {
            if line.isEmpty {
                line = part
            } else if TextWidth.width(of: line + separator + part) <= width {
                line += separator + part
            } else {
                lines.append(line)
                line = part
            }
            // A part that alone is too wide is broken between words; its last line stays open.
            if TextWidth.width(of: line) > width {
                var words = Self.words(line, width: width)
                line = words.removeLast()
                lines += words
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` broken between words into lines of at most `width` columns.
    static func words(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            if line.isEmpty {
                line = word
            } else if TextWidth.width(of: line + " " + word) <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
            if TextWidth.width(of: line) > width {
                lines.append(TextWidth.truncate(line, toWidth: width))
                line = ""
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Draws `text` wrapped to `width` from `row`, at most `maxRows` lines (the last one cut if
    /// it must be); returns how many rows it took.
    @discardableResult
    static func draw(_ text: String, on canvas: Canvas, row: Int, col: Int, width: Int, style: Style,
                     maxRows: Int = .max) -> Int {
        var shown = lines(text, width: width)
        if shown.count > maxRows {
            shown = Array(shown.prefix(max(maxRows, 0)))
            if let last = shown.indices.last { shown[last] = TextWidth.truncate(shown[last] + " …", toWidth: width) }
        }
        for (i, line) in shown.enumerated() {
            canvas.put(line, row: row + i, col: col, style: style, width: width)
        }
        return shown.count
    }

    /// The parts of a single line laid out with the widest gap between them that fits: "a   b   c",
    /// else "a  b  c", else "a b c".
    static func spread(_ parts: [String], width: Int) -> String {
        for gap in [3, 2] {
            let joined = parts.joined(separator: String(repeating: " ", count: gap))
            if TextWidth.width(of: joined) <= width { return joined }
        }
        return parts.joined(separator: " ")
    }
}

/// Columns of the list screens: each at least as wide as its header and (up to a limit) its
/// widest cell, the free-text column taking what is left, so a longer word in another language
/// narrows the free text rather than pushing a column off the screen.
struct ColumnSpec {
    var title: String
    /// The width the column has in English at this screen size: it never gets narrower for
    /// having shorter words, so the English layout does not move.
    var base: Int
    /// The widest cell, and how far the column may grow to show it.
    var content: Int = 0
    var cap: Int = 24
    /// The column that takes the rest of the line (the reason, the name).
    var free = false
    /// Whether this column may give up width (down to its header and `minimum`) when the free
    /// column would be narrower than its own `base` (and at least `Table.freeMinimum`).
    var shrinkable = false
    var minimum = 0

    var header: Int { TextWidth.width(of: title) }
    var natural: Int { max(base, min(content, cap), header) }
}

enum Table {
    /// The narrowest the free-text column gets before other columns give up width.
    static let freeMinimum = 12

    /// The widths of `specs` on a line `width` columns wide (one column of margin either side,
    /// one between columns).
    static func layout(_ specs: [ColumnSpec], width: Int) -> [(String, Int)] {
        var widths = specs.map { $0.free ? 0 : $0.natural }
        guard let free = specs.firstIndex(where: \.free) else { return zip(specs.map(\.title), widths).map { ($0, $1) } }
        let available = width - 2 - specs.count + 1
        func rest() -> Int { available - widths.enumerated().reduce(0) { $0 + ($1.offset == free ? 0 : $1.element) } }
        let wanted = max(freeMinimum, specs[free].header, specs[free].base)
        // Shrink the widest shrinkable column a column at a time until the free one has what it wants.
        while rest() < wanted {
            let candidates = specs.indices.filter {
                specs[$0].shrinkable && widths[$0] > max(specs[$0].header, specs[$0].minimum)
            }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
        }
        widths[free] = max(rest(), specs[free].header)
        return zip(specs.map(\.title), widths).map { ($0, $1) }
    }

    static func header(_ columns: [(String, Int)], on canvas: Canvas, row: Int) {
        var x = 1
        for (title, width) in columns {
            canvas.put(title, row: row, col: x, style: .header, width: width)
            x += width + 1
        }
    }

    /// One row; the first cell may carry its own style (the alert's tag) unless the row is selected.
    static func row(_ cells: [String], _ columns: [(String, Int)], on canvas: Canvas, row: Int, style: Style,
                    firstStyle: Style? = nil) {
        let total = columns.reduce(0) { $0 + $1.1 + 1 }
        canvas.fill(row: row, col: 0, width: total + 1, style: style)
        var x = 1
        for (i, (cell, column)) in zip(cells, columns).enumerated() {
            let cellStyle = i == 0 && style != .selected ? (firstStyle ?? style) : style
            canvas.put(TextWidth.truncate(cell, toWidth: column.1), row: row, col: x, style: cellStyle, width: column.1)
            x += column.1 + 1
        }
    }

    /// The widest of `cells`, in terminal columns.
    static func widest(_ cells: [String]) -> Int {
        cells.reduce(0) { max($0, TextWidth.width(of: $1)) }
    }
}
