import Testing
@testable import Terminal

@Suite struct GridCanvasTests {
    @Test(arguments: [
        (0, -2, nil, "cdef"), (0, 2, nil, "  abc"), (0, 4, nil, "    a"), (0, 5, nil, ""),
        (0, 1, 2, " ab"), (0, -1, 3, "bc"), (-1, 0, nil, ""), (3, 0, nil, ""),
        (0, Int.max, nil, ""), (0, Int.min, nil, ""), (0, 1, Int.max, " abcd"), (0, 0, -3, ""),
    ] as [(Int, Int, Int?, String)])
    func clipsSilently(row: Int, col: Int, width: Int?, expectedRow0: String) {
        let grid = GridCanvas(rows: 3, cols: 5)
        grid.put("abcdef", row: row, col: col, style: .normal, width: width)
        #expect(grid.line(0) == expectedRow0)
        #expect(grid.line(1) == "" && grid.line(2) == "")
    }

    @Test func wideCharactersTakeTwoCells() {
        let grid = GridCanvas(rows: 1, cols: 7)
        grid.put("王王x", row: 0, col: 0, style: .critical)
        #expect(grid.line(0) == "王王x")
        #expect(grid.style(atRow: 0, col: 3) == .critical)
        #expect(grid.style(atRow: 0, col: 4) == .critical)
        #expect(grid.style(atRow: 0, col: 5) == .normal)
    }

    @Test(arguments: [
        (-1, nil, " a"), (5, nil, "     王"), (6, nil, ""), (0, 2, "王"), (0, 1, ""), (0, 3, "王a"), (4, 2, "    王"),
    ] as [(Int, Int?, String)])
    func neverShowsHalfAWideCharacter(col: Int, width: Int?, expected: String) {
        let grid = GridCanvas(rows: 1, cols: 7)
        grid.put("王a", row: 0, col: col, style: .normal, width: width)
        #expect(grid.line(0) == expected)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        let grid = GridCanvas(rows: 2, cols: 6)
        grid.put("王王", row: 0, col: 0)
        grid.put("x", row: 0, col: 1)
        grid.put("王王", row: 1, col: 0)
        grid.put("y", row: 1, col: 2)
        #expect(grid.line(0) == " x王")
        #expect(grid.line(1) == "王y")
    }

    @Test func paddedColumnsLineUpAcrossScripts() {
        let grid = GridCanvas(rows: 4, cols: 30)
        for (row, name) in ["Нұрсұлтан", "王王", "Aigerim", "Ғалия Өмірзақова Ұлы"].enumerated() {
            grid.put(name, row: row, col: 0, style: .normal, width: 10)
            grid.put("|", row: row, col: 10)
        }
        #expect(grid.text == "Нұрсұлтан |\n王王      |\nAigerim   |\nҒалия Өмір|")
        for row in 0..<4 {
            let beforeBar = grid.line(row).prefix { $0 != "|" }
            #expect(TextWidth.width(of: String(beforeBar)) == 10)
        }
    }

    @Test func widthPadsInTheGivenStyle() {
        let grid = GridCanvas(rows: 1, cols: 10)
        grid.put("ab", row: 0, col: 1, style: .selected, width: 5)
        #expect((0..<10).map { grid.style(atRow: 0, col: $0) }
            == [.normal] + Array(repeating: .selected, count: 5) + Array(repeating: .normal, count: 4))
        grid.fill(row: 0, col: 1, width: 2, style: .status)
        #expect(grid.line(0) == "")
        #expect(grid.style(atRow: 0, col: 2) == .status && grid.style(atRow: 0, col: 3) == .selected)
    }

    @Test func controlCharactersAreShownNotObeyed() {
        let grid = GridCanvas(rows: 2, cols: 20)
        grid.put("a\u{1B}[2J\nb\u{202E}c", row: 0, col: 0)
        #expect(grid.text == "a␛[2J␊b�c\n")
    }

    @Test(arguments: ["\u{200B}", "\u{FEFF}", "\u{2028}", "\u{2029}", "\u{E0041}", "\u{E007F}"])
    func invisibleCharactersAreShown(_ invisible: String) {
        let grid = GridCanvas(rows: 1, cols: 20)
        grid.put("Қай" + invisible + "рат", row: 0, col: 0)
        #expect(grid.line(0) == "Қай\u{FFFD}рат")
    }

    @Test func combiningMarksRideOnTheirBase() {
        let grid = GridCanvas(rows: 1, cols: 5)
        grid.put("\u{301}e\u{301}x", row: 0, col: 0, style: .ok)
        #expect(grid.line(0) == "e\u{301}x")
        #expect(grid.style(atRow: 0, col: 1) == .ok)
        #expect(grid.style(atRow: 0, col: 2) == .normal)
    }

    @Test func unprintableScalarsBecomeReplacementCharacters() {
        let grid = GridCanvas(rows: 1, cols: 5)
        grid.put("a\u{378}b", row: 0, col: 0)  // U+0378 is unassigned: wcwidth says -1
        #expect(grid.line(0) == "a\u{FFFD}b")
        #expect(TextWidth.width(of: "a\u{378}b") == 3)
    }

    @Test func hiddenTextIsBlank() {
        let grid = GridCanvas(rows: 1, cols: 10)
        grid.put("secret王", row: 0, col: 0, style: .hidden)
        #expect(grid.line(0) == "")
        #expect(!grid.contains("secret"))
    }

    @Test func clearResizeAndCursor() {
        let grid = GridCanvas(rows: 2, cols: 4)
        grid.put("abcd", row: 1, col: 0)
        #expect(grid.contains("bc") && grid.text == "\nabcd")
        grid.setCursor(row: 1, col: 2)
        #expect(grid.cursor?.row == 1 && grid.cursor?.col == 2)
        grid.hideCursor()
        #expect(grid.cursor == nil)
        grid.resize(rows: 3, cols: 2)
        #expect(grid.size == Size(rows: 3, cols: 2) && grid.text == "\n\n")
        grid.put("xyz", row: 2, col: 0)
        grid.clear()
        #expect(!grid.contains("x"))
        #expect(GridCanvas(rows: -1, cols: -1).size == Size(rows: 0, cols: 0))
    }
}
