#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CNcurses

/// Why the terminal could not be opened, in words a user can act on.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    case inputNotATerminal
    case outputNotATerminal
    case terminalTypeNotSet
    case unknownTerminalType(String)

    public var description: String {
        switch self {
        case .inputNotATerminal: "standard input is not a terminal"
        case .outputNotATerminal: "standard output is not a terminal"
        case .terminalTypeNotSet: "the TERM environment variable is not set"
        case .unknownTerminalType(let name): "unknown terminal type '\(name)'"
        }
    }
}

/// The ncurses driver. Not Sendable: curses is not thread-safe, so the screen stays on the
/// thread that opened it. One open screen per process.
public final class TerminalScreen: Canvas {
    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>
    private let usesColor: Bool
    private var cursor: (row: Int, col: Int)?

    private init(screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, usesColor: Bool) {
        self.screen = screen
        self.window = window
        self.usesColor = usesColor
    }

    deinit { close() }

    /// Takes over the terminal (alternate screen, raw keys, no echo, hidden cursor), with colours
    /// unless the terminal has none or NO_COLOR is set. Throws instead of exiting when stdin or
    /// stdout is not a terminal or TERM is unknown.
    public static func open() throws(TerminalError) -> TerminalScreen {
        setlocale(LC_ALL, "")
        // ncurses needs a UTF-8 LC_CTYPE to draw Cyrillic at all; many shells run with LANG unset.
        UTF8Locale.ensureUTF8CType()
        guard isatty(STDIN_FILENO) == 1 else { throw .inputNotATerminal }
        guard isatty(STDOUT_FILENO) == 1 else { throw .outputNotATerminal }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else {
            throw .terminalTypeNotSet
        }
        // newterm, unlike initscr, reports an unknown TERM instead of calling exit(1).
        guard let screen = newterm(nil, cn_stdout(), cn_stdin()), let window = cn_stdscr() else {
            throw .unknownTerminalType(term)
        }
        _ = installRestoreHooks
        raw()  // Ctrl-C and Ctrl-Z arrive as keys; the app decides what they mean.
        noecho()
        keypad(window, true)
        // The common sequences of xterm, tmux, rxvt and the console, whatever TERM's terminfo lists.
        for (sequence, key) in EscapeSequence.known {
            if let code = key.keyCode { define_key("\u{1B}" + sequence, code) }
        }
        set_escdelay(25)
        curs_set(0)
        let noColor = getenv("NO_COLOR").map { String(cString: $0) }
        let color = shouldUseColor(noColor: noColor, terminalHasColors: has_colors())
        if color { startColors() }
        return TerminalScreen(screen: screen, window: window, usesColor: color)
    }

    /// Gives the terminal back as it was (cooked mode, main screen, cursor). Safe to call twice.
    public func close() {
        guard let screen else { return }
        endwin()
        delscreen(screen)
        self.screen = nil
    }

    /// The next key, or nil when none arrives within `timeoutMilliseconds` (negative: wait forever).
    /// An escape sequence ncurses did not know arrives as ESC and its characters: it is read to its end
    /// here and becomes its key, or `.unknown`, never Esc followed by letters that would act as keys.
    public func readKey(timeoutMilliseconds: Int32) -> Key? {
        guard screen != nil, let first = readRaw(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        guard !first.isKeyCode && first.value == 27 else { return Key.decode(isKeyCode: first.isKeyCode, value: first.value) }
        var chars: [Character] = []
        while true {
            // What follows an ESC in one sequence is already here (ncurses waited ESCDELAY for it); a
            // sequence cut between two reads gets a little longer.
            guard let next = readRaw(timeoutMilliseconds: chars.isEmpty ? 0 : 30) else {
                return chars.isEmpty ? .escape : .unknown(27)
            }
            // Esc, then a key ncurses decoded (Esc and PgUp typed fast): that key is read next.
            if next.isKeyCode {
                if chars.isEmpty {
                    ungetch(Int32(bitPattern: next.value))
                    return .escape
                }
                return .unknown(27)
            }
            guard let scalar = Unicode.Scalar(next.value) else { return .unknown(27) }
            chars.append(Character(scalar))
            switch EscapeSequence.read(chars) {
            case .key(let key): return key
            case .partial: continue
            case .escapeThen:
                // Esc twice: the first is Esc, the second is read again as the start of the next key.
                unget_wch(wchar_t(bitPattern: next.value))
                return .escape
            }
        }
    }

    private func readRaw(timeoutMilliseconds: Int32) -> (isKeyCode: Bool, value: UInt32)? {
        wtimeout(window, timeoutMilliseconds)
        var value: wint_t = 0
        let result = wget_wch(window, &value)
        if result == ERR { return nil }
        return (result == KEY_CODE_YES, UInt32(value))
    }

    /// Sends the frame drawn since the last `present` to the terminal; ncurses writes only what changed.
    public func present() {
        guard screen != nil else { return }
        let size = self.size
        if let cursor, (0..<size.rows).contains(cursor.row), (0..<size.cols).contains(cursor.col) {
            wmove(window, Int32(cursor.row), Int32(cursor.col))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    public var size: Size {
        guard screen != nil else { return Size(rows: 0, cols: 0) }
        return Size(rows: Int(cn_getmaxy(window)), cols: Int(cn_getmaxx(window)))
    }

    public func clear() {
        guard screen != nil else { return }
        // werase, not wclear: wclear forces a full repaint, which flickers.
        werase(window)
    }

    public func put(_ text: String, row: Int, col: Int, style: Style, width: Int?) {
        let size = self.size
        guard screen != nil, row >= 0, row < size.rows else { return }
        let (start, glyphs) = Layout.place(text, col: col, width: width, cols: size.cols, style: style)
        guard !glyphs.isEmpty else { return }
        var wide: [wchar_t] = []
        for glyph in glyphs {
            for scalar in glyph.text.unicodeScalars { wide.append(wchar_t(bitPattern: scalar.value)) }
        }
        if usesColor, let scheme = style.colorScheme {
            wattr_set(window, scheme.attributes, style.colorPair, nil)
        } else {
            wattr_set(window, usesColor ? cn_a_normal() : style.monochromeAttributes, 0, nil)
        }
        // Writing the bottom-right cell reports ERR (the cursor cannot advance) but draws it.
        mvwaddnwstr(window, Int32(row), Int32(start), wide, Int32(wide.count))
        wattr_set(window, cn_a_normal(), 0, nil)
    }

    public func fill(row: Int, col: Int, width: Int, style: Style) {
        put("", row: row, col: col, style: style, width: width)
    }

    public func setCursor(row: Int, col: Int) { cursor = (row, col) }

    public func hideCursor() { cursor = nil }

    private static func startColors() {
        start_color()
        // -1 keeps the user's own background; without use_default_colors it must be black.
        let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
        for style in Style.allCases {
            guard let scheme = style.colorScheme else { continue }
            let fg = scheme.foreground < 0 && background >= 0 ? Int16(COLOR_WHITE) : scheme.foreground
            let bg = scheme.background < 0 ? background : scheme.background
            init_pair(style.colorPair, fg, bg)
        }
    }

    /// Restores the terminal on kill, hangup, interrupt and exit, even without `close()`.
    /// The handlers only call endwin() and re-raise with the default action; endwin() after
    /// `close()` finds no screen and does nothing.
    private static let installRestoreHooks: Void = {
        for signalNumber in [SIGTERM, SIGHUP, SIGINT] where cn_signal_is_ignored(signalNumber) == 0 {
            signal(signalNumber) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
        atexit { endwin() }
    }()
}

@available(*, unavailable)
extension TerminalScreen: Sendable {}
