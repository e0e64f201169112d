/// Makes untrusted text harmless on a terminal: nothing in it can move the cursor, change
/// colours, clear the screen or reorder what is shown around it.
public enum SafeText {
    /// `text` with C0 controls (TAB, CR, LF, ESC included) shown as Control Pictures, DEL as "␡",
    /// C1 controls, bidirectional overrides and invisible characters (zero-width space, BOM,
    /// line/paragraph separators, tags) as "�"; every other scalar unchanged.
    public static func display(_ text: String) -> String {
        // Most strings are clean: a byte scan for the only UTF-8 lead bytes that can start an
        // unsafe scalar (C2: C1 controls, D8: U+061C, E2: U+200B–U+2069, EF: U+FEFF, F3: tags)
        // avoids rebuilding them.
        let suspicious = text.utf8.contains {
            $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF || $0 == 0xF3
        }
        if !suspicious { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(placeholder(for: scalar) ?? scalar)
        }
        return String(out)
    }

    /// The visible stand-in for a scalar that must not reach the terminal, or nil if it is safe.
    static func placeholder(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x00...0x1F: return Unicode.Scalar(0x2400 + scalar.value)
        case 0x7F: return "\u{2421}"
        case 0x80...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: return "\u{FFFD}"
        case 0x200B, 0xFEFF, 0x2028, 0x2029, 0xE0000...0xE007F: return "\u{FFFD}"
        default: return nil
        }
    }
}
