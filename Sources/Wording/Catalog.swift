import Foundation
import QorgauResources

/// Every word a user reads in one language, by key, from `Resources/strings/<language>.*.json`.
/// A template names its values in braces: `"due {due}"`. A counted phrase has one key per
/// plural category: `days.one`, `days.few`, `days.many`, `days.other`.
public struct Catalog: Sendable {
    public let language: Language
    public let entries: [String: String]

    public init(language: Language, entries: [String: String]) {
        self.language = language
        self.entries = entries
    }

    /// The catalog shipped in the binary for `language` (its parts merged).
    public static func shipped(_ language: Language) -> Catalog {
        switch language {
        case .en: english
        case .ru: russian
        case .kk: kazakh
        }
    }

    public static let english = load(.en)
    public static let russian = load(.ru)
    public static let kazakh = load(.kk)

    /// Read with `CatalogParser` (not `JSONDecoder`): this runs at every process start. A part that does not
    /// parse adds nothing, and the catalog tests fail on it.
    private static func load(_ language: Language) -> Catalog {
        var entries: [String: String] = [:]
        for part in ShippedResources.stringBytes(language.rawValue) {
            let parsed = (try? CatalogParser.parse(part)) ?? [:]
            if entries.isEmpty {
                entries = parsed
            } else {
                entries.merge(parsed) { first, _ in first }
            }
        }
        return Catalog(language: language, entries: entries)
    }

    public func has(_ key: String) -> Bool { entries[key] != nil }

    /// The template of `key` with its `{name}` values filled in. A key missing here falls back
    /// to English, then to the key itself, so a gap shows rather than silently vanishing
    /// (and the catalog tests fail on it).
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        let template = entries[key] ?? (language == .en ? nil : Catalog.english.entries[key]) ?? key
        return Catalog.fill(template, values)
    }

    /// The form of `key` for the count `n`: `count("days", 5)` reads `days.many` in Russian,
    /// with `{n}` set to `n` written in this language.
    public func count(_ key: String, _ n: Int, _ values: [String: String] = [:]) -> String {
        var values = values
        values["n"] = values["n"] ?? number(n)
        let category = language.plural(n)
        if entries["\(key).\(category.rawValue)"] != nil { return text("\(key).\(category.rawValue)", values) }
        return text("\(key).other", values)
    }

    /// A whole number with this language's grouping: 12,345 in English, 12 345 (no-break
    /// space) in Russian and Kazakh.
    public func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        guard digits.count > 3 else { return n < 0 ? "-" + digits : digits }
        let separator = language == .en ? "," : "\u{00A0}"
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += separator }
            out.append(digit)
        }
        return n < 0 ? "-" + out : out
    }

    /// The `{name}` placeholders of a template.
    public static func placeholders(_ template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "}") else { break }
            names.insert(String(rest[after..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// `template` with each `{name}` that `values` names replaced by its value; any other brace stays as it is.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty else { return template }
        // Scans and writes UTF-8 bytes: `{` and `}` are ASCII, so their byte positions are character boundaries,
        // and no grapheme breaking of the Cyrillic around them is needed (this runs once per reason, thousands
        // of times a morning: String indices and Substring appends cost several times the bytes' loop).
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16 * values.count)
        var copied = 0
        var scan = 0
        while let open = bytes[scan...].firstIndex(of: UInt8(ascii: "{")) {
            let after = open + 1
            scan = after
            guard let close = bytes[after...].firstIndex(of: UInt8(ascii: "}")),
                  let value = values[String(decoding: bytes[after..<close], as: UTF8.self)] else { continue }
            out.append(contentsOf: bytes[copied..<open])
            out.append(contentsOf: value.utf8)
            copied = close + 1
            scan = copied
        }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }
}
