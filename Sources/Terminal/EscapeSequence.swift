/// The key sequences terminals send for Home, End, Delete, PgUp/PgDn, the arrows and F1–F12, whatever
/// the terminfo entry of `TERM` says: xterm and tmux (`ESC [ 1 ~`, `ESC O H`, `ESC [ 24 ~`), rxvt
/// (`ESC [ 7 ~`), the Linux console (`ESC [ [ A`). The driver gives them to ncurses (`define_key`), and
/// decodes what still reaches it as Esc plus characters, so that no sequence acts as Esc and letters.
public enum EscapeSequence {
    /// Every sequence the driver defines, without its leading ESC, with the key it means.
    public static let known: [(sequence: String, key: Key)] = {
        var list: [(String, Key)] = [
            ("[A", .up), ("[B", .down), ("[C", .right), ("[D", .left), ("[H", .home), ("[F", .end), ("[Z", .backTab),
            ("OA", .up), ("OB", .down), ("OC", .right), ("OD", .left), ("OH", .home), ("OF", .end), ("OM", .enter),
            ("OP", .function(1)), ("OQ", .function(2)), ("OR", .function(3)), ("OS", .function(4)),
            ("[[A", .function(1)), ("[[B", .function(2)), ("[[C", .function(3)), ("[[D", .function(4)), ("[[E", .function(5)),
        ]
        for (number, key) in tildeKeys.sorted(by: { $0.key < $1.key }) { list.append(("[\(number)~", key)) }
        return list
    }()

    /// `ESC [ n ~`: 1 and 7 Home, 4 and 8 End (xterm/tmux, rxvt), 3 Delete, 5/6 PgUp/PgDn, 11–24 F1–F12.
    static let tildeKeys: [Int: Key] = [
        1: .home, 7: .home, 4: .end, 8: .end, 3: .delete, 5: .pageUp, 6: .pageDown,
        11: .function(1), 12: .function(2), 13: .function(3), 14: .function(4), 15: .function(5),
        17: .function(6), 18: .function(7), 19: .function(8), 20: .function(9), 21: .function(10),
        23: .function(11), 24: .function(12),
    ]

    /// What the characters after an ESC are so far.
    public enum Reading: Equatable {
        /// A whole sequence: this key, or `.unknown` for one that means nothing here.
        case key(Key)
        /// Part of a sequence: read on.
        case partial
        /// Not a sequence: Esc, with the last character still to be read as a key of its own.
        case escapeThen
    }

    /// Reads `chars`, the characters that came right after an ESC. CSI (`ESC [` parameters, a final
    /// byte from `@` to `~`), SS3 (`ESC O` and one character) and the console's `ESC [ [ letter`;
    /// Alt and a key (`ESC x`) is a sequence too, of no meaning here; a second ESC ends the first.
    public static func read(_ chars: [Character]) -> Reading {
        guard let first = chars.first else { return .partial }
        switch first {
        case "\u{1B}":
            return .escapeThen
        case "[":
            guard chars.count > 1 else { return .partial }
            if chars[1] == "[" {
                guard chars.count > 2 else { return .partial }
                return .key(known.first { $0.sequence == String(chars) }?.key ?? .unknown(0))
            }
            guard let last = chars.last, chars.count > 1 else { return .partial }
            if isFinal(last) { return .key(csi(String(chars.dropFirst().dropLast()), final: last)) }
            // Parameters and intermediates only; anything else ends a sequence that went wrong.
            guard last.isASCII, let value = last.asciiValue, (0x20...0x3F).contains(value) else { return .key(.unknown(0)) }
            return chars.count > 32 ? .key(.unknown(0)) : .partial
        case "O":
            guard chars.count > 1 else { return .partial }
            return .key(known.first { $0.sequence == String(chars.prefix(2)) }?.key ?? .unknown(0))
        default:
            return .key(.unknown(0))
        }
    }

    /// A CSI sequence's key: `parameters` before the final byte (`1;5` in `ESC [ 1 ; 5 C`). Modifiers
    /// (Shift, Ctrl, Alt as a second parameter) are ignored: Ctrl-Home is Home.
    static func csi(_ parameters: String, final: Character) -> Key {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        guard parameters.allSatisfy({ $0.isNumber || $0 == ";" }), numbers.count <= 2 else { return .unknown(0) }
        if final == "~" {
            guard let n = numbers.first ?? nil else { return .unknown(0) }
            return tildeKeys[n] ?? .unknown(0)
        }
        // `ESC [ 1 ; 5 A`: a modified arrow, Home or End; `ESC [ A` the plain one.
        guard numbers.count == 1 ? parameters.isEmpty : numbers.first == 1 else { return .unknown(0) }
        return known.first { $0.sequence == "[" + String(final) }?.key ?? .unknown(0)
    }

    private static func isFinal(_ c: Character) -> Bool {
        guard let value = c.asciiValue else { return false }
        return (0x40...0x7E).contains(value)
    }
}
