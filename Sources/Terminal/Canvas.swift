internal import CNcurses

/// A canvas size in terminal cells.
public struct Size: Equatable, Sendable {
    public var rows: Int
    public var cols: Int
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }
}

/// What screens draw onto: the terminal, or an in-memory grid in tests.
/// Coordinates are zero-based; anything outside the canvas is clipped silently.
public protocol Canvas: AnyObject {
    /// Current size; changes after a resize.
    var size: Size { get }
    /// Blanks every cell (no flicker on the terminal: it is diffed on `present`).
    func clear()
    /// Draws `text` made safe by `SafeText` at (row, col), clipped at the right edge and, if
    /// `width` is given, to `width` columns, with the rest of those columns blanked in `style`.
    func put(_ text: String, row: Int, col: Int, style: Style, width: Int?)
    /// Blanks `width` cells from (row, col) in `style`.
    func fill(row: Int, col: Int, width: Int, style: Style)
    /// Shows the text cursor at (row, col), e.g. in an input field.
    func setCursor(row: Int, col: Int)
    /// Hides the text cursor.
    func hideCursor()
}

extension Canvas {
    /// `put` with the common defaults: plain style, no fixed width.
    public func put(_ text: String, row: Int, col: Int, style: Style = .normal) {
        put(text, row: row, col: col, style: style, width: nil)
    }
}

/// One spacing character plus any zero-width scalars that ride on it, as a terminal draws it.
struct Glyph: Equatable {
    var text: String
    var width: Int  // 1 or 2

    static let blank = Glyph(text: " ", width: 1)
}

/// The shared layout rules, so that the grid in tests and the terminal clip identically.
enum Layout {
    /// Glyphs of `text` after sanitising; a non-printable becomes "�" and zero-width scalars
    /// with nothing to attach to are dropped (a terminal would merge them into whatever is left of
    /// them).
    static func glyphs(of text: String) -> [Glyph] {
        _ = UTF8Locale.ensured
        var glyphs: [Glyph] = []
        for scalar in SafeText.display(text).unicodeScalars {
            let width = TextWidth.columns(of: scalar)
            if width == 0 {
                if !glyphs.isEmpty { glyphs[glyphs.count - 1].text.unicodeScalars.append(scalar) }
                continue
            }
            let printable = scalar.value < 0x7F || cn_wcwidth(scalar.value) > 0
            glyphs.append(Glyph(text: printable ? String(scalar) : "\u{FFFD}", width: width))
        }
        return glyphs
    }

    /// The contiguous run of glyphs a `put` produces on a row `cols` wide: the first column and
    /// the glyphs from there. A wide glyph cut by an edge becomes blanks, never half a character.
    static func place(_ text: String, col: Int, width: Int?, cols: Int, style: Style) -> (start: Int, glyphs: [Glyph]) {
        let low = max(col, 0)
        var high = cols
        if let width {
            let w = max(width, 0)
            high = min(high, col > Int.max - w ? Int.max : col + w)
        }
        guard low < high else { return (low, []) }
        var run: [Glyph] = []
        var x = col
        for glyph in glyphs(of: text) {
            if x >= high { break }
            let end = x + glyph.width
            if x >= low && end <= high && style != .hidden {
                run.append(glyph)
            } else if end > low {
                // A wide glyph cut by an edge becomes blanks: half a character cannot be shown.
                run.append(contentsOf: repeatElement(.blank, count: min(end, high) - max(x, low)))
            }
            x = end
        }
        if width != nil, max(x, low) < high {
            run.append(contentsOf: repeatElement(.blank, count: high - max(x, low)))
        }
        return (low, run)
    }
}
