/// Command keys on a Cyrillic keyboard layout. A person who left the keyboard in Russian or
/// Kazakh presses the key marked `q` and the terminal sends «й»: for a command that is the same
/// key, so it means `q`. Only command keys are translated, never text typed into a field.
///
/// The tables follow the physical key, at the same shift level, as the X11 layouts define them
/// (xkb-data 2.35, `symbols/ru` and `symbols/kz`):
///
/// - Russian ЙЦУКЕН (`ru`): the 32 letters of the three letter rows and `ё` on the grave key;
///   `й`→`q` … `ч`→`x` … `ю`→`.`, `Ч`→`X` (Shift stays Shift: `Х`→`{`, `Ж`→`:`, `Ё`→`~`).
/// - Kazakh (`kz`, after the standard RST KazSSR 903-90): the same letter rows as ЙЦУКЕН, and
///   nine Kazakh letters in place of digits: `ә`2 `і`3 `ң`4 `ғ`5 `ү`8 `ұ`9 `қ`0 `ө`- `һ`=
///   (shifted: `Ә`@ `І`# `Ң`$ `Ғ`% `Ү`* `Ұ`( `Қ`) `Ө`_ `Һ`+). So on that layout the keys 2, 3 and 4
///   still open tabs 2-4. Its `1` key types `"` (punctuation, not mapped): there F1 (or Tab)
///   opens Today. F1-F4 and Tab are the same on every layout.
///
/// Punctuation is left alone: both layouts type `?` (Shift-7 in `ru`, Shift of the `/` key in `kz`)
/// and `/` (Shift-\) as themselves.
public enum KeyboardLayout {
    /// The character the US layout types on the key (and shift level) that types `c` on the
    /// Russian or Kazakh layout; `c` itself when it is not a letter of those layouts.
    public static func latin(_ c: Character) -> Character {
        table[c] ?? c
    }

    /// The key as a command: a character from a Cyrillic layout becomes the one on the same key
    /// of the US layout; every other key is unchanged.
    public static func command(_ key: Key) -> Key {
        guard case .character(let c) = key else { return key }
        return .character(latin(c))
    }

    /// Whether two letters are typed by the same key on some layout (ignoring Shift): `п` and `g`,
    /// `С` and `c`, `a` and `A`. Used to pick a choice by its first letter whatever the layout.
    public static func sameKey(_ a: Character, _ b: Character) -> Bool {
        let a = a.lowercased(), b = b.lowercased()
        if a == b { return true }
        guard a.count == 1, b.count == 1, let x = a.first.map(latin), let y = b.first.map(latin) else { return false }
        // Symbols of the digit row are not letters: «і» and 3 are one key, but 3 opens a tab.
        return x == y && x.isLetter
    }

    /// Russian ЙЦУКЕН, lower then upper case, beside the US keys: row by row, key by key.
    static let russianLetters = Array("йцукенгшщзхъфывапролджэячсмитьбюё")
    static let usUnshifted = Array("qwertyuiop[]asdfghjkl;'zxcvbnm,.`")
    static let russianCapitals = Array("ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ")
    static let usShifted = Array("QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~")

    /// The Kazakh letters of the `kz` layout's digit row, and the US keys they are on.
    static let kazakhDigitRow = Array("әіңғүұқөһ")
    static let usDigits = Array("2345890-=")
    static let kazakhDigitRowCapitals = Array("ӘІҢҒҮҰҚӨҺ")
    static let usDigitsShifted = Array("@#$%*()_+")

    static let table: [Character: Character] = {
        var map: [Character: Character] = [:]
        for (from, to) in [(russianLetters, usUnshifted), (russianCapitals, usShifted),
                           (kazakhDigitRow, usDigits), (kazakhDigitRowCapitals, usDigitsShifted)] {
            for (a, b) in zip(from, to) { map[a] = b }
        }
        return map
    }()
}
