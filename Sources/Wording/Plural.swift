/// CLDR plural categories (https://cldr.unicode.org, `common/supplemental/plurals.xml`).
public enum PluralCategory: String, CaseIterable, Sendable {
    case zero, one, two, few, many, other
}

extension Language {
    /// The category of the integer `n` in this language, from CLDR's `plurals.xml` (v = 0,
    /// so only the integer conditions apply):
    /// - en: one: i = 1 and v = 0; other.
    /// - ru: one: v = 0 and i % 10 = 1 and i % 100 != 11;
    ///       few: v = 0 and i % 10 = 2..4 and i % 100 != 12..14;
    ///       many: v = 0 and (i % 10 = 0 or i % 10 = 5..9 or i % 100 = 11..14); other: fractions.
    /// - kk: one: n = 1; other.
    public func plural(_ n: Int) -> PluralCategory {
        let i = n.magnitude
        switch self {
        case .en, .kk:
            return i == 1 ? .one : .other
        case .ru:
            let mod10 = i % 10, mod100 = i % 100
            if mod10 == 1 && mod100 != 11 { return .one }
            if (2...4).contains(mod10) && !(12...14).contains(mod100) { return .few }
            return .many
        }
    }

    /// The categories whole numbers take in this language: what a catalog must spell.
    public var integerCategories: Set<PluralCategory> {
        switch self {
        case .en, .kk: [.one, .other]
        case .ru: [.one, .few, .many]
        }
    }
}
