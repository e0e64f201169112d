/// The languages Qorgau speaks. The raw value is the ISO 639-1 code used by `--lang`,
/// `QORGAU_LANG` and the catalogs' file names.
public enum Language: String, CaseIterable, Sendable {
    case en, ru, kk

    /// The environment variables read, in this order, when neither `--lang` nor `QORGAU_LANG`
    /// names a language: the first whose value names one of ours decides.
    public static let localeVariables = ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"]

    /// `--lang`, else `QORGAU_LANG`, else the locale variables; English when none names ours.
    /// An explicit choice (`--lang`, `QORGAU_LANG`) that is not ours is refused, never guessed.
    public static func resolve(option: String?, environment: [String: String]) throws(UnknownLanguage) -> Language {
        for (explicit, source) in [(option, "--lang"), (environment["QORGAU_LANG"], "QORGAU_LANG")] {
            guard let explicit, !explicit.isEmpty else { continue }
            guard let language = Language(code: explicit) else { throw UnknownLanguage(text: explicit, source: source) }
            return language
        }
        for name in localeVariables {
            guard let value = environment[name], !value.isEmpty else { continue }
            // LANGUAGE is a list by priority: "kk:ru:en".
            for item in value.split(separator: ":") {
                if let language = Language(locale: String(item)) { return language }
            }
        }
        return .en
    }

    /// "ru", "RU", "kk", "kaz", "rus", "eng", "en".
    public init?(code: String) {
        switch code.lowercased() {
        case "en", "eng", "english": self = .en
        case "ru", "rus", "russian", "русский": self = .ru
        case "kk", "kaz", "kazakh", "қазақша", "қазақ": self = .kk
        default: return nil
        }
    }

    /// A POSIX locale name: "ru_RU.UTF-8", "kk_KZ", "en_GB.utf8@euro", "ru". "C" and "POSIX"
    /// name no language of ours.
    public init?(locale: String) {
        let language = locale.split(whereSeparator: { "_.@-".contains($0) }).first.map(String.init) ?? ""
        guard language.count >= 2, language.count <= 3, let value = Language(code: language) else { return nil }
        self = value
    }
}

/// `--lang xx` or `QORGAU_LANG=xx` named no language of ours.
public struct UnknownLanguage: Error, Equatable, Sendable {
    public var text: String
    public var source: String
}
