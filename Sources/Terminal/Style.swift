internal import CNcurses

/// What a piece of text means on screen; the driver decides how that looks on this terminal.
public enum Style: Int, CaseIterable, Hashable, Sendable {
    case normal, title, header, selected, critical, warning, notice, ok, dim, status, error, input
    /// Text that must not be readable (masked fields): both canvases draw it as blanks.
    case hidden

    /// Attributes used when colours are off; chosen so that every role stays distinguishable
    /// from plain text on a monochrome terminal.
    var monochromeAttributes: attr_t {
        switch self {
        case .normal, .ok, .hidden: cn_a_normal()
        case .title, .warning: cn_a_bold()
        case .header: cn_a_bold() | cn_a_underline()
        case .selected, .status: cn_a_reverse()
        case .critical, .error: cn_a_bold() | cn_a_reverse()
        case .notice, .input: cn_a_underline()
        case .dim: cn_a_dim()
        }
    }

    /// Foreground, background (-1: terminal default) and extra attributes when colours are on;
    /// nil for roles drawn in the terminal's own colours.
    var colorScheme: (foreground: Int16, background: Int16, attributes: attr_t)? {
        switch self {
        case .normal, .hidden: nil
        case .title: (Int16(COLOR_WHITE), Int16(COLOR_BLUE), cn_a_bold())
        case .header: (Int16(COLOR_CYAN), -1, cn_a_bold())
        case .selected: (Int16(COLOR_BLACK), Int16(COLOR_CYAN), cn_a_normal())
        case .critical: (Int16(COLOR_WHITE), Int16(COLOR_RED), cn_a_bold())
        case .warning: (Int16(COLOR_YELLOW), -1, cn_a_bold())
        case .notice: (Int16(COLOR_MAGENTA), -1, cn_a_normal())
        case .ok: (Int16(COLOR_GREEN), -1, cn_a_normal())
        case .dim: (-1, -1, cn_a_dim())
        case .status: (Int16(COLOR_BLACK), Int16(COLOR_WHITE), cn_a_normal())
        case .error: (Int16(COLOR_RED), -1, cn_a_bold())
        case .input: (-1, -1, cn_a_underline())
        }
    }

    /// The colour pair a role uses (pair 0 is the terminal default and cannot be redefined).
    var colorPair: Int16 { colorScheme == nil ? 0 : Int16(rawValue + 1) }
}

/// Whether to draw in colour: https://no-color.org says any non-empty NO_COLOR turns it off.
func shouldUseColor(noColor: String?, terminalHasColors: Bool) -> Bool {
    terminalHasColors && (noColor ?? "").isEmpty
}
