import Foundation

/// Alphabetical order of names for lists: the Kazakh Cyrillic alphabet, which contains the
/// Russian one,
///
///     А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я
///
/// compared in three steps, each deciding only when the one before is a tie:
/// 1. letters regardless of case. Space comes first (so "Иванов Пётр" precedes "Иванова Анна"),
///    then punctuation, digits, Cyrillic letters in the order above (Ё and Й are letters of their
///    own; other Cyrillic letters such as ґ, є, җ, ҳ right after their base letter, the rest
///    after Я), then Latin letters in the order of the Kazakh Latin alphabet (a ä b c ç d e f g ğ
///    h ı i j k l m n ñ o ö p q r s ş t u ū ü v w x y z; other accented Latin letters as their
///    base letter), then any other script by code point. Invisible characters are ignored, runs
///    of white space count as one, and decomposed letters (и + ◌̆) count as the composed one (й);
/// 2. case, letter by letter: lowercase before uppercase;
/// 3. the text itself, code point by code point, so that the order is total: two names are tied
///    only when they are the same sequence of code points.
///
/// For sorting many names, compute each ``sortKey(_:)`` once (``sorted(_:)`` does).
public enum NameOrder {
    /// The Kazakh Cyrillic alphabet in order, uppercase.
    public static let alphabet = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"

    /// The comparable key of `name` (cheap to compare; compute it once per name).
    public static func sortKey(_ name: String) -> NameSortKey {
        let text = name.unicodeScalars.contains(where: { (0x300 ... 0x36F).contains($0.value) })
            ? name.precomposedStringWithCanonicalMapping : name
        var weights: [UInt32] = []
        var cases: [UInt32] = []
        weights.reserveCapacity(2 * name.utf8.count + 2)
        cases.reserveCapacity(name.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let e = NameWeights.entry(scalar.value)
            if e == 0 { continue }
            if e == NameWeights.space {
                pendingSpace = !weights.isEmpty
                continue
            }
            if pendingSpace {
                weights.append(UInt32(NameWeights.space))
                cases.append(1)
                pendingSpace = false
            }
            let letterCase: UInt32 = e >> 48 != 0 ? 2 : 1
            weights.append(UInt32(truncatingIfNeeded: e & 0xFF_FFFF))
            cases.append(letterCase)
            let second = UInt32(truncatingIfNeeded: (e >> 24) & 0xFF_FFFF)
            if second != 0 {
                weights.append(second)
                cases.append(letterCase)
            }
        }
        weights.append(0)
        weights.append(contentsOf: cases)
        weights.append(0)
        for scalar in name.unicodeScalars { weights.append(scalar.value) }
        return NameSortKey(weights: weights)
    }

    /// Whether `a` comes before `b` (for one comparison; for a sort, use ``sorted(_:)``).
    public static func precedes(_ a: String, _ b: String) -> Bool {
        sortKey(a) < sortKey(b)
    }

    /// `names` in alphabetical order, each key computed once.
    public static func sorted(_ names: [String]) -> [String] {
        sorted(names, by: { $0 })
    }

    /// `items` in the alphabetical order of `name(item)`, each key computed once; items with the
    /// same name keep their order.
    public static func sorted<T>(_ items: [T], by name: (T) -> String) -> [T] {
        let keyed = items.enumerated().map { (key: sortKey(name($0.element)), index: $0.offset) }
        return keyed.sorted {
            let order = $0.key.compare($1.key)
            return order != 0 ? order < 0 : $0.index < $1.index
        }.map { items[$0.index] }
    }
}

/// The sort key of a name (see ``NameOrder``): compare keys instead of names.
public struct NameSortKey: Comparable, Hashable, Sendable {
    /// Letter weights, 0, case weights (one per letter weight), 0, the code points: comparing
    /// the arrays in dictionary order compares letters, then case, then the text.
    let weights: [UInt32]

    public static func < (a: NameSortKey, b: NameSortKey) -> Bool {
        a.compare(b) < 0
    }

    /// Negative, zero or positive as `self` comes before, ties with or comes after `other`.
    func compare(_ other: NameSortKey) -> Int {
        weights.withUnsafeBufferPointer { x in
            other.weights.withUnsafeBufferPointer { y in
                let n = Swift.min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
                    i += 1
                }
                return x.count - y.count
            }
        }
    }
}

/// The per-character weights of ``NameOrder``, in tables built once.
enum NameWeights {
    // Entries: first weight (24 bits), second weight (24 bits, 0 if none), uppercase (bit 48);
    // 0 for ignored characters; `space` for white space. Weight bands, in order:
    static let space: UInt64 = 1
    static let asciiPunctuation: UInt32 = 0x10  // + code point
    static let otherPunctuation: UInt32 = 0x100  // + code point, up to U+FFFF
    static let digits: UInt32 = 0x1_1000  // + value
    static let cyrillic: UInt32 = 0x1_2000  // + 4 × place in the alphabet (+ 1 for a variant)
    static let otherCyrillic: UInt32 = 0x1_2200  // + code point − U+0400
    static let latin: UInt32 = 0x1_3000  // + 4 × place in the alphabet
    static let otherLetters: UInt32 = 0x2_0000  // + code point

    static let cyrillicOrder: [UInt32: UInt32] = order(NameOrder.alphabet.lowercased(), band: cyrillic)
    static let latinOrder: [UInt32: UInt32] = order("aäbcçdefgğhıijklmnñoöpqrsştuūüvwxyz", band: latin)
    /// Cyrillic letters of other languages, right after the letter they are a variant of.
    static let cyrillicVariants: [UInt32: Character] = [
        0x491: "г", 0x454: "е", 0x497: "ж", 0x458: "й", 0x4B3: "х", 0x45E: "у", 0x457: "і",
    ]

    static let basic: [UInt64] = (0 ..< 0x530).map(build)
    static let latinAdditional: [UInt64] = (0x1E00 ..< 0x1F00).map(build)
    static let punctuation: [UInt64] = (0x2000 ..< 0x2070).map(build)
    static let fullwidth: [UInt64] = (0xFE00 ..< 0xFFF0).map(build)

    static func order(_ letters: String, band: UInt32) -> [UInt32: UInt32] {
        var result: [UInt32: UInt32] = [:]
        for (i, scalar) in letters.unicodeScalars.enumerated() { result[scalar.value] = band + 4 * UInt32(i) }
        return result
    }

    @inline(__always)
    static func entry(_ v: UInt32) -> UInt64 {
        switch v {
        case 0 ..< 0x530: basic[Int(v)]
        case 0x1E00 ..< 0x1F00: latinAdditional[Int(v - 0x1E00)]
        case 0x2000 ..< 0x2070: punctuation[Int(v - 0x2000)]
        case 0xFE00 ..< 0xFFF0: fullwidth[Int(v - 0xFE00)]
        default: build(v, decomposing: false)
        }
    }

    /// The weight of one lowercase, undecorated scalar.
    static func weight(_ v: UInt32) -> UInt32 {
        if let w = cyrillicOrder[v] ?? latinOrder[v] { return w }
        if let base = cyrillicVariants[v]?.unicodeScalars.first, let w = cyrillicOrder[base.value] { return w + 1 }
        guard let scalar = Unicode.Scalar(v) else { return otherLetters }
        let p = scalar.properties
        if p.generalCategory == .decimalNumber, let value = p.numericValue { return digits + UInt32(max(0, min(9, value))) }
        if v < 0x80 { return asciiPunctuation + v }
        if (0x400 ..< 0x530).contains(v) { return otherCyrillic + v - 0x400 }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .letterNumber, .otherNumber:
            return otherLetters + v
        default:
            return otherPunctuation + min(v, 0xFFFF)
        }
    }

    /// The entry of one scalar; outside the tables (other scripts) without Foundation's
    /// decomposition, which only the tables need.
    static func build(_ v: UInt32) -> UInt64 { build(v, decomposing: true) }

    static func build(_ v: UInt32, decomposing: Bool) -> UInt64 {
        guard let scalar = Unicode.Scalar(v) else { return 0 }
        let p = scalar.properties
        if p.isDefaultIgnorableCodePoint { return 0 }
        if p.isWhitespace { return space }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .control, .format, .surrogate: return 0
        default: break
        }
        let upper: UInt64 = p.changesWhenLowercased ? 1 << 48 : 0
        let lower = p.lowercaseMapping
        let lowerScalars = lower.unicodeScalars.map(\.value)
        var letters: [UInt32]
        if !decomposing {
            letters = lowerScalars
        } else if lowerScalars.count == 1, cyrillicOrder[lowerScalars[0]] != nil || latinOrder[lowerScalars[0]] != nil
            || cyrillicVariants[lowerScalars[0]] != nil {
            letters = lowerScalars
        } else if let mapped = Normalizer.special[lowerScalars[0]], lowerScalars.count == 1 {
            letters = mapped
        } else {
            letters = lower.decomposedStringWithCompatibilityMapping.unicodeScalars
                .filter { !Normalizer.isMark($0.properties) }
                .map(\.value)
        }
        letters = Array(letters.prefix(2))
        if letters.isEmpty { return 0 }
        if letters.allSatisfy({ $0 == 0x20 }) { return space }
        var e = UInt64(weight(letters[0]))
        if letters.count > 1 { e |= UInt64(weight(letters[1])) << 24 }
        return e | upper
    }
}
