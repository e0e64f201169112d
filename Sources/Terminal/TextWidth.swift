#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CNcurses

/// Column widths as a terminal counts them (wcwidth per Unicode scalar), not as `String.count` does.
public enum TextWidth {
    /// Terminal columns `text` occupies once shown through `SafeText`: combining marks 0, CJK 2,
    /// a control or other non-printable scalar the width of its placeholder (1).
    public static func width(of text: String) -> Int {
        _ = UTF8Locale.ensured
        var total = 0
        for scalar in text.unicodeScalars { total += columns(of: scalar) }
        return total
    }

    /// The longest prefix of `text` fitting in `width` columns; ends in "…" when something was cut.
    /// Never splits a wide character and never returns more than `max(width, 0)` columns.
    public static func truncate(_ text: String, toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        _ = UTF8Locale.ensured
        if self.width(of: text) <= width { return text }
        let budget = width - 1  // room for the ellipsis
        var used = 0
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let w = columns(of: scalar)
            if used + w > budget { break }
            used += w
            kept.append(scalar)
        }
        return String(kept) + "…"
    }

    /// `text` truncated to `width` columns, then right-padded with spaces to exactly `width` columns.
    public static func pad(_ text: String, toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        let cut = truncate(text, toWidth: width)
        return cut + String(repeating: " ", count: width - self.width(of: cut))
    }

    /// Columns of one scalar as drawn by the canvases (placeholders included).
    static func columns(of scalar: Unicode.Scalar) -> Int {
        if scalar.value >= 0x20 && scalar.value < 0x7F { return 1 }
        if SafeText.placeholder(for: scalar) != nil { return 1 }
        let w = Int(cn_wcwidth(scalar.value))
        return w < 0 ? 1 : min(w, 2)
    }
}

/// wcwidth answers -1 for every non-ASCII scalar under the "C" locale, which is what a test
/// process or a shell without LANG runs in; a UTF-8 LC_CTYPE makes widths meaningful.
enum UTF8Locale {
    static let ensured: Void = ensureUTF8CType()

    /// Switches LC_CTYPE to a UTF-8 locale unless the current one already is.
    static func ensureUTF8CType() {
        if isUTF8() { return }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
            return
        }
    }

    static func isUTF8() -> Bool {
        guard let codeset = cn_codeset() else { return false }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }
}
