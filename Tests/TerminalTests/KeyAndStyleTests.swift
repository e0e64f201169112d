import CNcurses
import Testing
@testable import Terminal

@Suite struct KeyTests {
    @Test(arguments: [
        (false, 97, .character("a")), (false, 0x49A, .character("Қ")), (false, 0x738B, .character("王")),
        (false, 32, .character(" ")), (false, 27, .escape), (false, 9, .tab),
        (false, 10, .enter), (false, 13, .enter), (false, 8, .backspace), (false, 127, .backspace),
        (false, 1, .control("a")), (false, 3, .control("c")), (false, 26, .control("z")),
        (false, 0, .unknown(0)), (false, 28, .unknown(28)), (false, 0x85, .unknown(0x85)),
        (false, 0xD800, .unknown(0xD800)), (false, 0x110000, .unknown(0x110000)),
        (true, UInt32(KEY_UP), .up), (true, UInt32(KEY_DOWN), .down), (true, UInt32(KEY_LEFT), .left),
        (true, UInt32(KEY_RIGHT), .right), (true, UInt32(KEY_PPAGE), .pageUp),
        (true, UInt32(KEY_NPAGE), .pageDown), (true, UInt32(KEY_HOME), .home), (true, UInt32(KEY_END), .end),
        (true, UInt32(KEY_BACKSPACE), .backspace), (true, UInt32(KEY_DC), .delete),
        (true, UInt32(KEY_ENTER), .enter), (true, UInt32(KEY_BTAB), .backTab), (true, UInt32(KEY_RESIZE), .resize),
        (true, UInt32(cn_key_f(1)), .function(1)), (true, UInt32(cn_key_f(12)), .function(12)),
        (true, UInt32(KEY_F0), .unknown(Int(KEY_F0))), (true, UInt32(KEY_MOUSE), .unknown(Int(KEY_MOUSE))),
    ] as [(Bool, UInt32, Key)])
    func decode(isKeyCode: Bool, value: UInt32, expected: Key) {
        #expect(Key.decode(isKeyCode: isKeyCode, value: value) == expected)
    }
}

@Suite struct StyleTests {
    @Test(arguments: [
        (nil, true, true), ("", true, true), ("1", true, false), ("0", true, false), (nil, false, false),
    ] as [(String?, Bool, Bool)])
    func colorIsUsedOnlyWhenAvailableAndWanted(noColor: String?, hasColors: Bool, expected: Bool) {
        #expect(shouldUseColor(noColor: noColor, terminalHasColors: hasColors) == expected)
    }

    @Test func everyRoleButPlainOnesStandsOutInMonochrome() {
        let plain: Set<Style> = [.normal, .ok, .hidden]
        for style in Style.allCases {
            #expect((style.monochromeAttributes != cn_a_normal()) == !plain.contains(style), "\(style)")
        }
        #expect(Style.critical.monochromeAttributes & cn_a_reverse() != 0)
    }

    @Test func colorPairsAreDistinctAndValid() {
        let pairs = Style.allCases.filter { $0.colorScheme != nil }.map(\.colorPair)
        #expect(Set(pairs).count == pairs.count)
        #expect(pairs.allSatisfy { $0 > 0 && $0 < 64 })
        #expect(Style.normal.colorPair == 0)
    }

    @Test func errorsExplainThemselves() {
        #expect("\(TerminalError.inputNotATerminal)" == "standard input is not a terminal")
        #expect("\(TerminalError.outputNotATerminal)" == "standard output is not a terminal")
        #expect("\(TerminalError.unknownTerminalType("xyz"))" == "unknown terminal type 'xyz'")
    }
}
