internal import CNcurses

/// A key press as the app sees it, decoded from `wget_wch`.
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end
    /// F1 is `.function(1)`.
    case function(Int)
    /// The terminal changed size; `Canvas.size` already reflects it.
    case resize
    /// Ctrl plus a letter, lowercased: Ctrl-C is `.control("c")`. Ctrl-H, -I, -J and -M arrive as
    /// `.backspace`, `.tab` and `.enter` because terminals send the same bytes for those.
    case control(Character)
    /// Anything else, with its raw code.
    case unknown(Int)

    /// Decodes one `wget_wch` result: `isKeyCode` when it returned KEY_CODE_YES, `value` the code
    /// or character it stored.
    public static func decode(isKeyCode: Bool, value: UInt32) -> Key {
        isKeyCode ? decodeKeyCode(Int32(bitPattern: value)) : decodeCharacter(value)
    }

    /// The ncurses key code of a special key, for `define_key`; nil for characters and the rest.
    var keyCode: Int32? {
        switch self {
        case .up: KEY_UP
        case .down: KEY_DOWN
        case .left: KEY_LEFT
        case .right: KEY_RIGHT
        case .pageUp: KEY_PPAGE
        case .pageDown: KEY_NPAGE
        case .home: KEY_HOME
        case .end: KEY_END
        case .delete: KEY_DC
        case .enter: KEY_ENTER
        case .backTab: KEY_BTAB
        case .function(let n) where (1...63).contains(n): cn_key_f(Int32(n))
        default: nil
        }
    }

    private static func decodeKeyCode(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME, KEY_FIND, KEY_A1: .home
        case KEY_END, KEY_SELECT, KEY_C1: .end
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case KEY_RESIZE: .resize
        case cn_key_f(1)...cn_key_f(63): .function(Int(code - cn_key_f(0)))
        default: .unknown(Int(code))
        }
    }

    private static func decodeCharacter(_ value: UInt32) -> Key {
        switch value {
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(value) + 0x60)))
        case 0..<0x20, 0x80..<0xA0: return .unknown(Int(value))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown(Int(value)) }
            return .character(Character(scalar))
        }
    }
}
