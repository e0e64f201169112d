@testable import MonitorUI
import Terminal
import Testing

@Suite("Lines and columns that fit")
struct TextLayoutTests {
    static let hints = [
        "c check · b breach · s serve · r revoke · x close breach · ↑↓ scroll · Esc back",
        "c проверка · b нарушение · s вручение · r отмена · x закрыть нарушение · ↑↓ листать · Esc назад",
        "The form has unsaved input. Quit and lose it? y quits, any other key goes back.",
        "Нұсқама ZP-3: №1 бұзушылықты қабылданған шарамен жабу, 王小明",
        "short",
    ]

    @Test("wrapped lines fit the width and keep every word, in order", arguments: hints, [20, 40, 78])
    func wrap(_ text: String, _ width: Int) {
        let lines = Wrap.lines(text, width: width)
        #expect(lines.allSatisfy { TextWidth.width(of: $0) <= width }, "\(lines)")
        let rejoined = lines.joined(separator: " ").split(whereSeparator: \.isWhitespace).filter { $0 != "·" }
        let original = text.split(whereSeparator: \.isWhitespace).filter { $0 != "·" }
        #expect(rejoined == original, "\(lines)")
    }

    @Test("a hint breaks between its parts, not inside one")
    func wrapAtParts() {
        #expect(Wrap.lines("w week · m month · l last month", width: 20) == ["w week · m month", "l last month"])
        #expect(Wrap.lines("fits", width: 10) == ["fits"])
    }

    @Test("counts spread with the widest gap that fits")
    func spread() {
        #expect(Wrap.spread(["a 1", "b 2"], width: 9) == "a 1   b 2")
        #expect(Wrap.spread(["a 1", "b 2"], width: 8) == "a 1  b 2")
        #expect(Wrap.spread(["a 1", "b 2"], width: 7) == "a 1 b 2")
    }

    @Test("longer headers widen their column and narrow the free one; shrinkable columns give way first")
    func layout() {
        let english = Table.layout([ColumnSpec(title: "ALERT", base: 12), ColumnSpec(title: "WHO", base: 18, shrinkable: true),
                                    ColumnSpec(title: "WHY", base: 0, free: true)], width: 80)
        #expect(english.map(\.1) == [12, 18, 80 - 2 - 2 - 30])
        let russian = Table.layout([ColumnSpec(title: "СЛЕДУЮЩАЯ ПРОВЕРКА", base: 10), ColumnSpec(title: "КТО", base: 50, shrinkable: true),
                                    ColumnSpec(title: "ПОЧЕМУ", base: 0, free: true)], width: 80)
        #expect(russian[0].1 == 18)
        #expect(russian[2].1 == Table.freeMinimum)
        #expect(russian.reduce(0) { $0 + $1.1 + 1 } + 1 <= 80)
    }
}
