import Wording
import OrderModel
import Terminal

/// `?`: the keys of the current screen (`ui.help.<screen>`, titled `ui.help.title.<screen>`), then the
/// keys that work everywhere.
enum HelpScreen {
    static func draw(on canvas: Canvas, in body: Rect, screen: ScreenID, values: [String: String], context: ScreenContext) {
        let name = screen.name
        let bottom = body.top + body.rows - 1  // the row of "any key closes"
        var y = body.top + 1
        y += Wrap.draw(context.text("help.title.\(name)"), on: canvas, row: y, col: 2, width: body.cols - 4, style: .header,
                       maxRows: 2)
        y += 1
        let sections = [context.text("help.\(name)", values), context.text("help.global")].map { lines($0, width: body.cols - 6) }
        // Blank lines between the sections only while everything fits.
        let spaced = y + sections.reduce(0) { $0 + $1.count + 1 } <= bottom
        for section in sections {
            for line in section where y < bottom {
                canvas.put(line, row: y, col: 4, style: .normal, width: body.cols - 6)
                y += 1
            }
            if spaced { y += 1 }
        }
        canvas.put(context.text("help.close"), row: min(y, bottom), col: 2, style: .dim, width: body.cols - 4)
    }

    /// The letters that pick each choice of the check-in, as its labels read in this language: "c, b, n".
    static func choiceLetters(_ words: Words) -> [String: String] {
        func letters(_ labels: [String]) -> String {
            var seen: [String] = []
            for label in labels {
                if let first = label.first.map({ $0.lowercased() }), !seen.contains(first) { seen.append(first) }
            }
            return seen.joined(separator: ", ")
        }
        return ["outcomes": letters(CheckOutcome.allCases.map { words.text("ui.outcome.\($0.rawValue)") }),
                "methods": letters(CheckMethod.allCases.map { words.text("ui.method.\($0.rawValue)") })]
    }

    /// A help text's lines, each "keys   what they do", wrapped with what they do lined up.
    static func lines(_ text: String, width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { raw -> [String] in
            let line = String(raw)
            guard TextWidth.width(of: line) > width else { return [line] }
            // The description starts after the first run of two or more spaces.
            guard let gap = line.range(of: "  "),
                  let start = line[gap.lowerBound...].firstIndex(where: { $0 != " " }) else {
                return Wrap.words(line, width: width)
            }
            let indent = TextWidth.width(of: String(line[..<start]))
            guard indent < width / 2 else { return Wrap.words(line, width: width) }
            let wrapped = Wrap.words(String(line[start...]), width: width - indent)
            return wrapped.enumerated().map { i, part in
                (i == 0 ? String(line[..<start]) : String(repeating: " ", count: indent)) + part
            }
        }
    }
}
