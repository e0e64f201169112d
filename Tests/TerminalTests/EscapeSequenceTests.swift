import Testing
@testable import Terminal

@Suite("Key sequences whatever terminfo says")
struct EscapeSequenceTests {
    /// Reads the characters after ESC one by one, as the driver does.
    func key(_ text: String) -> Key? {
        var chars: [Character] = []
        for c in text {
            chars.append(c)
            switch EscapeSequence.read(chars) {
            case .key(let key): return chars.count == text.count ? key : nil
            case .partial: continue
            case .escapeThen: return .escape
            }
        }
        return nil
    }

    @Test("xterm, tmux, rxvt and the Linux console: Home, End, Delete, PgUp/PgDn, arrows, F1–F12", arguments: [
        ("[1~", Key.home), ("[H", .home), ("OH", .home), ("[7~", .home),
        ("[4~", .end), ("[F", .end), ("OF", .end), ("[8~", .end),
        ("[3~", .delete), ("[5~", .pageUp), ("[6~", .pageDown),
        ("[A", .up), ("OB", .down), ("[C", .right), ("OD", .left), ("[Z", .backTab), ("OM", .enter),
        ("OP", .function(1)), ("OS", .function(4)), ("[11~", .function(1)), ("[[A", .function(1)), ("[[E", .function(5)),
        ("[15~", .function(5)), ("[17~", .function(6)), ("[21~", .function(10)), ("[23~", .function(11)), ("[24~", .function(12)),
        // Modified: Ctrl-Home is Home, Shift-Delete is Delete.
        ("[1;5H", .home), ("[1;2F", .end), ("[3;2~", .delete), ("[1;5A", .up),
    ])
    func known(_ sequence: String, _ expected: Key) {
        #expect(key(sequence) == expected, "\(sequence.debugDescription)")
    }

    @Test("a sequence nobody defined is one unknown key, never Esc and letters", arguments: [
        "[200~", "[201~", "[1;5q", "[99;5q", "[25~", "Oq", "[5A", "[?1h", "x", "q", "1",
    ])
    func unknown(_ sequence: String) {
        guard case .unknown = key(sequence) else {
            Issue.record("\(sequence.debugDescription) read as \(String(describing: key(sequence)))")
            return
        }
    }

    @Test("ESC twice is Esc, then the start of the next key")
    func escapeTwice() {
        #expect(EscapeSequence.read(["\u{1B}"]) == .escapeThen)
        #expect(EscapeSequence.read(["["]) == .partial)
        #expect(EscapeSequence.read(["[", "1"]) == .partial)
        #expect(EscapeSequence.read(["[", "["]) == .partial)
        #expect(EscapeSequence.read(["O"]) == .partial)
    }

    @Test("every sequence the driver defines has a key code for define_key")
    func definable() {
        for (sequence, key) in EscapeSequence.known {
            #expect(key.keyCode != nil, "\(sequence)")
        }
    }
}
