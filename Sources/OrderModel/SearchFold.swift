import Foundation

/// Folding of names and order numbers for search, so that a name typed in either script, in any
/// case and in any of the usual romanisations finds the record however it was entered.
///
/// Both the stored text and the query are folded to one *skeleton*: lowercase ASCII letters, with
/// digits, spaces and punctuation kept as they are (so "ZP-12/2026" folds to "zp-12/2026" and plain
/// Latin numbers keep matching). A query matches when every one of its words is a substring of
/// the skeleton of some field (AND over the words, in any order).
///
/// ## The scheme
///
/// 1. **Clean-up** (table-driven, one pass over the Unicode scalars): invisible characters
///    (U+200B, U+FEFF, soft hyphen, bidirectional marks, every default-ignorable code point) are
///    dropped; runs of white space count as one space; everything is lowercased; compatibility
///    forms are unfolded (fullwidth "Ｚ" is "z"); combining marks are stripped, except that и + ◌̆
///    is "й", е + ◌̈ is "ё", s/c + cedilla or caron are "ş"/"ç" ("š"/"č"), and z + caron is "ž".
///    Dashes (‐ – — −) are "-".
/// 2. **Letters** (Cyrillic and Latin to one Latin skeleton; ⇒ reads "becomes"):
///
///    | skeleton | Cyrillic            | Latin                                           |
///    |----------|---------------------|-------------------------------------------------|
///    | a        | а ә                 | a ä á … ə                                       |
///    | e        | е э є (ё, see below)| e é è ê; "ye" (y before e is the glide of е)    |
///    | i        | и й ы і ї           | i ı İ í …, y (except in "ye", "yo")             |
///    | o        | о ө                 | o ö ó ø …                                       |
///    | u        | у ұ ү ў             | u ū ü ú …, w                                    |
///    | g        | г ғ ґ               | g ğ                                             |
///    | k        | к қ                 | k q (c, see below)                              |
///    | n        | н ң                 | n ñ ŋ                                           |
///    | kh       | х һ ҳ               | kh; h anywhere but after s, z, c, k             |
///    | zh       | ж җ                 | zh, ž (j, see below)                            |
///    | ts       | ц                   | ts (c, see below)                               |
///    | ch       | ч                   | ch, ç, č                                        |
///    | sh       | ш                   | sh, ş, ș, š                                     |
///    | shch     | щ                   | shch                                            |
///    | iu, ia   | ю, я                | yu/iu, ya/ia                                    |
///    | ks       |                     | x                                               |
///    | (none)   | ъ ь                 | apostrophes ' ’ ʼ ʻ ´ (often written for ь)     |
///
///    Other letters map to themselves (б→b, в→v, …). A doubled letter counts once ("Assel" =
///    "Әсел", "Mariyam" = "Мариям", "Nurlanqyzy" = "Нұрланқызы").
///
///    Cyrillic letters become their common romanisation (ш is "sh"), rather than Latin digraphs
///    becoming one symbol, so the fold is letter by letter and a query typed half-way still
///    matches: "s" finds "Шамиль", "zh" and "z" find "Жанар", "Қай" finds "Kairat".
/// 3. **Spellings that cannot share one skeleton.** For a few letters the usual spellings differ
///    in length, so a text is folded once per reading and a query matches any of them (a query's
///    own readings count too). The readings are chosen per kind below, for the whole text at once:
///    - ё, ë: "e" (ICAO, passports; Ё = Е) or "io" (Fyodor); Latin "yo": "io" or "e".
///    - ь, ъ: dropped (Vasilev, Vasilyev) or "i" (Vasiliev).
///    - ю, я after a consonant: "iu"/"ia" (Lyudmila, Liudmila) or "u"/"a" (Ludmila).
///    - Latin c (not in "ch"): "k" (Victor) or "ts" (Cvetkov).
///    - Latin j: "zh" (Kazakh Latin and Kazakh usage: Jumabaev = Жұмабаев) or "i" (Julia, Dmitrij).
///    - At the very end of a query word, c may begin "ch" and y may begin "ye": "Ch" finds "Чингиз".
/// 4. **Safety net.** The cleaned-up text itself (step 1 only) is also kept, so whatever a plain
///    case-insensitive substring search would find is always found.
///
/// ## What it conflates (false positives, acceptable for a search)
///
/// Kazakh letters with their nearest Russian ones (қ=к, ғ=г, ә=а, ө=о, ұ=ү=у, і=и, ң=н, һ=х);
/// и=й=ы=і; е=ё=э; ш=сх ("Ashat" finds both Ашат and Асхат); ц=тс; х=кх; c=к or ц; j=ж or й;
/// w=у; ь and ъ are ignored; a doubled letter equals a single one; a query word may also
/// match the Latin plain text (e.g. "sh" finds "Ashirov" and "Шамиль").
///
/// ## Known misses
///
/// Spellings outside these conventions: "th" for т, "gh" for ғ, "dzh" vs "j" in a query
/// ("Dzhamal" is found by "Jamal", not the reverse), German "sch"/"tsch", "ie" written for ъе.
public enum SearchFold {
    /// The skeleton of `text` under the primary reading (ё as "e", ь dropped, c as "k", j as
    /// "zh"), words separated by one space: "Қайрат" and "Qaırat" are both "kairat",
    /// "Жұмабаев" is "zhumabaev", "ZP-12/2026" stays "zp-12/2026".
    public static func fold(_ text: String) -> String {
        let units = Normalizer.units(text)
        var out: [UInt8] = []
        out.reserveCapacity(units.count + units.count / 2)
        _ = Skeleton.render(units, 0, units.count, mask: 0, isQuery: false, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether every word of `query` is found in some field (a query with no words matches).
    /// Folds every field: for lists, fold each record once into a ``FoldedText`` and the query
    /// once into a ``SearchQuery``.
    public static func matches(_ query: String, in fields: [String]) -> Bool {
        SearchQuery(query).matches(FoldedText(joining: fields))
    }
}

/// A text (or several fields of one record) folded once for searching, see ``SearchFold``.
public struct FoldedText: Hashable, Sendable {
    /// Per word of each field: its skeleton under each reading and its cleaned-up plain text
    /// (UTF-8), each ended by a zero byte and none repeated. No query needle contains a zero
    /// byte, so a needle found anywhere in here was found within one of them.
    let storage: [UInt8]

    public init(_ text: String) {
        self.init(joining: [text])
    }

    /// Several fields of one record (a query word matches when it is found in any of them).
    public init(joining fields: [String]) {
        var storage: [UInt8] = []
        for field in fields {
            let units = Normalizer.units(field)
            storage.reserveCapacity(storage.count + 3 * units.count + 8)
            Skeleton.forEachWord(units) { lo, hi in
                Skeleton.appendReadings(units, lo, hi, isQuery: false, to: &storage)
            }
        }
        self.storage = storage
    }

    /// True when the text had nothing searchable (empty, white space or invisible characters).
    public var isEmpty: Bool { storage.isEmpty }

    func contains(_ needle: [UInt8]) -> Bool {
        storage.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { n in
                let m = n.count
                guard m > 0 else { return true }
                guard hay.count >= m else { return false }
                let first = n[0]
                var i = 0
                let last = hay.count - m
                while i <= last {
                    if hay[i] == first {
                        var k = 1
                        while k < m && hay[i + k] == n[k] { k += 1 }
                        if k == m { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

/// A query folded once, to match against many ``FoldedText``s (each keystroke folds only this).
public struct SearchQuery: Hashable, Sendable {
    /// Per word: the needles that may stand for it (its skeleton under each reading, and its
    /// plain text). A word matches when any of its needles is found.
    let words: [[[UInt8]]]

    public init(_ text: String) {
        let units = Normalizer.units(text)
        var words: [[[UInt8]]] = []
        Skeleton.forEachWord(units) { lo, hi in
            var storage: [UInt8] = []
            Skeleton.appendReadings(units, lo, hi, isQuery: true, to: &storage)
            let needles = storage.split(separator: 0).map(Array.init)
            if !needles.isEmpty { words.append(needles) }
        }
        self.words = words
    }

    /// True when the query has no words (empty, white space or invisible characters only).
    public var isEmpty: Bool { words.isEmpty }

    /// Whether every word of the query is found in `text` (an empty query matches everything).
    public func matches(_ text: FoldedText) -> Bool {
        words.allSatisfy { needles in needles.contains { text.contains($0) } }
    }

    /// Whether every word of the query is found in at least one of `fields`, not necessarily
    /// the same one.
    public func matches(_ fields: [FoldedText]) -> Bool {
        words.allSatisfy { needles in fields.contains { field in needles.contains { field.contains($0) } } }
    }
}

// MARK: - Step 1: clean-up to lowercase units

/// Cleans text up to lowercase scalars ("units"), words separated by one 0x20: step 1 of
/// ``SearchFold``. Table-driven: the tables are built once, on first use.
enum Normalizer {
    /// Letters whose marks matter to the skeleton, kept composed.
    static let composed: Set<UInt32> = [0x439, 0x451, 0x15F, 0xE7, 0xEB, 0x161, 0x10D, 0x17E, 0x219]

    /// Lowercase letters without a decomposition that stand for one or more plain letters.
    static let special: [UInt32: [UInt32]] = [
        0xDF: [0x73, 0x73], 0xE6: [0x61, 0x65], 0x153: [0x6F, 0x65], 0xF8: [0x6F], 0x111: [0x64],
        0xF0: [0x64], 0x142: [0x6C], 0x127: [0x68], 0xFE: [0x74, 0x68], 0x14B: [0x6E], 0x259: [0x61],
        0xB4: [0x2019],  // a spacing acute written as an apostrophe, not a space
        0x2010: [0x2D], 0x2011: [0x2D], 0x2012: [0x2D], 0x2013: [0x2D], 0x2014: [0x2D], 0x2015: [0x2D],
        0x2212: [0x2D], 0xFE63: [0x2D], 0xFF0D: [0x2D],
    ]

    /// Entries: up to three output scalars packed 21 bits apart; 0 drops the scalar; `space` is
    /// white space.
    static let space: UInt64 = 0x20
    static let basic: [UInt64] = build(0x80 ..< 0x530)
    static let latinAdditional: [UInt64] = build(0x1E00 ..< 0x1F00)
    static let punctuation: [UInt64] = build(0x2000 ..< 0x2070)
    static let fullwidth: [UInt64] = build(0xFE00 ..< 0xFFF0)

    static func units(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            var e: UInt64
            if v < 0x80 {
                switch v {
                case 0x41 ... 0x5A: e = UInt64(v + 0x20)
                case 0x09 ... 0x0D, 0x20: e = space
                case 0x00 ... 0x1F, 0x7F: continue
                default: e = UInt64(v)
                }
            } else if v >= 0x300 && v <= 0x36F {
                if !pendingSpace, let last = out.last, let c = compose(last, mark: v) { out[out.count - 1] = c }
                continue
            } else {
                e = entry(v)
            }
            if e == 0 { continue }
            if e == space {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append(UInt32(truncatingIfNeeded: e & 0x1F_FFFF))
            if e > 0x1F_FFFF {
                out.append(UInt32(truncatingIfNeeded: (e >> 21) & 0x1F_FFFF))
                if e >> 42 != 0 { out.append(UInt32(truncatingIfNeeded: e >> 42)) }
            }
        }
        return out
    }

    /// The letter a combining mark makes of the (lowercase) letter before it, when that matters.
    static func compose(_ base: UInt32, mark: UInt32) -> UInt32? {
        switch (base, mark) {
        case (0x438, 0x306): 0x439  // и + breve = й
        case (0x435, 0x308): 0x451  // е + diaeresis = ё
        case (0x65, 0x308): 0xEB  // ë
        case (0x73, 0x327): 0x15F  // ş
        case (0x63, 0x327): 0xE7  // ç
        case (0x73, 0x30C): 0x161  // š
        case (0x63, 0x30C): 0x10D  // č
        case (0x7A, 0x30C): 0x17E  // ž
        case (0x73, 0x326): 0x219  // ș
        default: nil
        }
    }

    @inline(__always)
    static func entry(_ v: UInt32) -> UInt64 {
        switch v {
        case 0x80 ..< 0x530: basic[Int(v - 0x80)]
        case 0x1E00 ..< 0x1F00: latinAdditional[Int(v - 0x1E00)]
        case 0x2000 ..< 0x2070: punctuation[Int(v - 0x2000)]
        case 0xFE00 ..< 0xFFF0: fullwidth[Int(v - 0xFE00)]
        default: slowEntry(v)
        }
    }

    static func pack(_ scalars: [UInt32]) -> UInt64 {
        var e: UInt64 = 0
        for (i, s) in scalars.prefix(3).enumerated() { e |= UInt64(s) << (21 * UInt64(i)) }
        return e
    }

    static func isMark(_ p: Unicode.Scalar.Properties) -> Bool {
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// Outside the tables (other scripts): drop invisibles and marks, lowercase, nothing more.
    static func slowEntry(_ v: UInt32) -> UInt64 {
        guard let scalar = Unicode.Scalar(v) else { return 0 }
        let p = scalar.properties
        if p.isDefaultIgnorableCodePoint { return 0 }
        if p.isWhitespace { return space }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .control, .format, .surrogate: return 0
        default: break
        }
        guard p.changesWhenLowercased else { return UInt64(v) }
        return pack(p.lowercaseMapping.unicodeScalars.map(\.value))
    }

    /// The table entries of `range`, worked out once with Foundation's decomposition.
    static func build(_ range: Range<UInt32>) -> [UInt64] {
        range.map { v in
            guard let scalar = Unicode.Scalar(v) else { return 0 }
            let p = scalar.properties
            if let mapped = special[v] { return pack(mapped) }
            if p.isDefaultIgnorableCodePoint { return 0 }
            if p.isWhitespace { return space }
            switch p.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .control, .format, .surrogate: return 0
            default: break
            }
            let lower = String(scalar).lowercased()
            let lowerScalars = lower.unicodeScalars.map(\.value)
            if lowerScalars.count == 1 {
                if composed.contains(lowerScalars[0]) { return UInt64(lowerScalars[0]) }
                if let mapped = special[lowerScalars[0]] { return pack(mapped) }
            }
            let base = lower.decomposedStringWithCompatibilityMapping.unicodeScalars
                .filter { !isMark($0.properties) }
                .map(\.value)
            if base.isEmpty { return 0 }
            if base.allSatisfy({ $0 == 0x20 }) { return space }
            return pack(base.filter { $0 != 0x20 })
        }
    }
}

// MARK: - Steps 2 and 3: units to skeletons

enum Skeleton {
    // The kinds of letter with more than one reading (step 3 of ``SearchFold``), as mask bits.
    static let yo: UInt8 = 1  // ё, ë, Latin "yo"
    static let sign: UInt8 = 2  // ь, ъ
    static let latinC: UInt8 = 4  // c not in "ch"
    static let glide: UInt8 = 8  // ю, я after a consonant
    static let latinJ: UInt8 = 16  // j
    static let trailing: UInt8 = 32  // the last letter of a query word: c of "ch", y of "ye"

    /// Calls `body` with the bounds of each word (units between spaces).
    static func forEachWord(_ units: [UInt32], _ body: (Int, Int) -> Void) {
        var lo = 0
        for i in 0 ... units.count where i == units.count || units[i] == 0x20 {
            if i > lo { body(lo, i) }
            lo = i + 1
        }
    }

    /// Appends, each ended by a zero byte: the word's primary skeleton, its plain text, and its
    /// skeleton under every other combination of readings; empty ones and repeats left out.
    static func appendReadings(_ u: [UInt32], _ lo: Int, _ hi: Int, isQuery: Bool, to s: inout [UInt8]) {
        let wordStart = s.count
        var start = s.count
        let seen = render(u, lo, hi, mask: 0, isQuery: isQuery, into: &s)
        close(from: start, word: wordStart, &s)
        start = s.count
        for k in lo ..< hi { appendUTF8(u[k], to: &s) }
        close(from: start, word: wordStart, &s)
        var mask = seen
        while mask != 0 {
            start = s.count
            _ = render(u, lo, hi, mask: mask, isQuery: isQuery, into: &s)
            close(from: start, word: wordStart, &s)
            mask = (mask &- 1) & seen
        }
    }

    /// Ends the segment begun at `start`: dropped when empty or equal to an earlier one of the word.
    static func close(from start: Int, word wordStart: Int, _ s: inout [UInt8]) {
        let n = s.count - start
        guard n > 0 else { return }
        var p = wordStart
        while p < start {
            var q = p
            while s[q] != 0 { q += 1 }
            if q - p == n && s[p ..< q].elementsEqual(s[start...]) {
                s.removeLast(n)
                return
            }
            p = q + 1
        }
        s.append(0)
    }

    static func appendUTF8(_ v: UInt32, to s: inout [UInt8]) {
        switch v {
        case 0 ..< 0x80:
            s.append(UInt8(v))
        case 0x80 ..< 0x800:
            s.append(UInt8(0xC0 | (v >> 6)))
            s.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800 ..< 0x10000:
            s.append(UInt8(0xE0 | (v >> 12)))
            s.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            s.append(UInt8(0x80 | (v & 0x3F)))
        default:
            s.append(UInt8(0xF0 | ((v >> 18) & 0x07)))
            s.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            s.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            s.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    static func isCyrillicConsonant(_ v: UInt32) -> Bool {
        switch v {
        case 0x431 ... 0x434, 0x436, 0x437, 0x43A ... 0x43D, 0x43F ... 0x442, 0x444 ... 0x449,
             0x491, 0x493, 0x497, 0x49B, 0x4A3, 0x4B3, 0x4BB: true
        default: false
        }
    }

    /// Appends the skeleton of `u[lo..<hi]` under the readings in `mask` (step 2, with step 3's
    /// choices); returns the kinds of letter with more than one reading that it met.
    static func render(_ u: [UInt32], _ lo: Int, _ hi: Int, mask: UInt8, isQuery: Bool,
                       into out: inout [UInt8]) -> UInt8 {
        let w = Writer(start: out.count)
        var seen: UInt8 = 0
        var i = lo
        while i < hi {
            let v = u[i]
            let prev: UInt32 = i > lo ? u[i - 1] : 0
            let next: UInt32 = i + 1 < hi ? u[i + 1] : 0
            let atOpenEnd = isQuery && i + 1 == hi
            i += 1
            switch v {
            case 0x61 ... 0x7A:
                switch v {
                case 0x63:  // c: of "ch", else к or ц
                    if next == 0x68 {
                        w.letter(0x63, &out)
                    } else {
                        seen |= latinC
                        if atOpenEnd { seen |= trailing }
                        if atOpenEnd && mask & trailing != 0 {
                            w.letter(0x63, &out)
                        } else if mask & latinC != 0 {
                            w.letters("ts", &out)
                        } else {
                            w.letter(0x6B, &out)
                        }
                    }
                case 0x68:  // h: second letter of zh, sh, ch, kh; else х
                    switch prev {
                    case 0x73, 0x7A, 0x63, 0x6B: w.letter(0x68, &out)
                    default: w.letters("kh", &out)
                    }
                case 0x6A:  // j: ж (Kazakh) or й
                    seen |= latinJ
                    if mask & latinJ != 0 { w.letter(0x69, &out) } else { w.letters("zh", &out) }
                case 0x71: w.letter(0x6B, &out)  // q
                case 0x77: w.letter(0x75, &out)  // w
                case 0x78: w.letters("ks", &out)  // x
                case 0x79:  // y
                    if atOpenEnd {
                        seen |= trailing
                        if mask & trailing == 0 { w.letter(0x69, &out) }
                    } else if next == 0x65 || next == 0xEB {
                        // the glide of е: "Yerlan", "Sergeyev"
                    } else if next == 0x6F {
                        seen |= yo
                        if mask & yo != 0 {
                            w.letter(0x65, &out)
                            i += 1
                        } else {
                            w.letter(0x69, &out)
                        }
                    } else {
                        w.letter(0x69, &out)
                    }
                default:
                    w.letter(UInt8(v), &out)
                }
            case 0x27, 0x60, 0x2018, 0x2019, 0x2B9, 0x2BA, 0x2BB, 0x2BC:
                break  // apostrophes, often written for ь
            case 0x20 ... 0x7E:
                w.other(UInt8(v), &out)
            case 0x430, 0x4D9: w.letter(0x61, &out)  // а ә
            case 0x431: w.letter(0x62, &out)  // б
            case 0x432: w.letter(0x76, &out)  // в
            case 0x433, 0x493, 0x491, 0x453: w.letter(0x67, &out)  // г ғ ґ ѓ
            case 0x434: w.letter(0x64, &out)  // д
            case 0x435, 0x44D, 0x454: w.letter(0x65, &out)  // е э є
            case 0x436, 0x497, 0x17E: w.letters("zh", &out)  // ж җ ž
            case 0x437: w.letter(0x7A, &out)  // з
            case 0x438, 0x439, 0x44B, 0x456, 0x457, 0x458, 0x131: w.letter(0x69, &out)  // и й ы і ї ј ı
            case 0x43A, 0x49B, 0x45C: w.letter(0x6B, &out)  // к қ ќ
            case 0x43B: w.letter(0x6C, &out)  // л
            case 0x43C: w.letter(0x6D, &out)  // м
            case 0x43D, 0x4A3: w.letter(0x6E, &out)  // н ң
            case 0x43E, 0x4E9: w.letter(0x6F, &out)  // о ө
            case 0x43F: w.letter(0x70, &out)  // п
            case 0x440: w.letter(0x72, &out)  // р
            case 0x441: w.letter(0x73, &out)  // с
            case 0x442: w.letter(0x74, &out)  // т
            case 0x443, 0x4B1, 0x4AF, 0x45E: w.letter(0x75, &out)  // у ұ ү ў
            case 0x444: w.letter(0x66, &out)  // ф
            case 0x445, 0x4BB, 0x4B3: w.letters("kh", &out)  // х һ ҳ
            case 0x446: w.letters("ts", &out)  // ц
            case 0x447, 0xE7, 0x10D: w.letters("ch", &out)  // ч ç č
            case 0x448, 0x15F, 0x219, 0x161: w.letters("sh", &out)  // ш ş ș š
            case 0x449: w.letters("shch", &out)  // щ
            case 0x44A, 0x44C:  // ъ ь
                seen |= sign
                if mask & sign != 0 { w.letter(0x69, &out) }
            case 0x44E, 0x44F:  // ю я
                let vowel: UInt8 = v == 0x44E ? 0x75 : 0x61
                if isCyrillicConsonant(prev) {
                    seen |= glide
                    if mask & glide != 0 {
                        w.letter(vowel, &out)
                        continue
                    }
                }
                w.letter(0x69, &out)
                w.letter(vowel, &out)
            case 0x451, 0xEB:  // ё ë
                seen |= yo
                if mask & yo != 0 { w.letters("io", &out) } else { w.letter(0x65, &out) }
            default:
                w.otherScalar(v, &out)
            }
        }
        return seen
    }

    /// Appends to the skeleton, counting a doubled letter once.
    struct Writer {
        let start: Int

        @inline(__always)
        func letter(_ b: UInt8, _ out: inout [UInt8]) {
            if out.count > start && out[out.count - 1] == b { return }
            out.append(b)
        }

        @inline(__always)
        func letters(_ s: StaticString, _ out: inout [UInt8]) {
            s.withUTF8Buffer { for b in $0 { letter(b, &out) } }
        }

        @inline(__always)
        func other(_ b: UInt8, _ out: inout [UInt8]) { out.append(b) }

        func otherScalar(_ v: UInt32, _ out: inout [UInt8]) { appendUTF8(v, to: &out) }
    }
}

// MARK: - For indexes of folded text (the stores' search columns)

extension FoldedText {
    /// Every reading of every word, each on a line of its own: what a store indexes. A query
    /// matches this text exactly when ``SearchQuery/matches(_:)-(FoldedText)`` says so, every
    /// needle being a substring of one line (no needle holds a line break: white space splits words).
    public var indexText: String {
        String(decoding: storage.dropLast().map { $0 == 0 ? 0x0A : $0 }, as: UTF8.self)
    }

    /// Every reading of every word, each once per word (what a keyed index of names takes apart).
    public var readings: [String] {
        storage.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension SearchQuery {
    /// Per word of the query, the needles that may stand for it (any one found is enough; every word
    /// must be found): to search an ``FoldedText/indexText`` in a database.
    public var needles: [[String]] {
        words.map { $0.map { String(decoding: $0, as: UTF8.self) } }
    }
}

extension NameSortKey {
    /// The key as bytes whose plain byte order (memcmp, SQLite's BLOB order, PostgreSQL's bytea order)
    /// is the key's order: each weight as four big-endian bytes, so a store can sort by a column.
    public var bytes: Data {
        var data = Data(capacity: 4 * weights.count)
        for w in weights {
            data.append(UInt8(truncatingIfNeeded: w >> 24))
            data.append(UInt8(truncatingIfNeeded: w >> 16))
            data.append(UInt8(truncatingIfNeeded: w >> 8))
            data.append(UInt8(truncatingIfNeeded: w))
        }
        return data
    }
}
