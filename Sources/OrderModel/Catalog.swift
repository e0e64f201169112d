import Foundation
import QorgauResources

/// Every word a user reads, by key, from `Resources/strings/`. A template names its
/// values in braces: `"due {due}"`.
public struct Catalog: Sendable {
    private let entries: [String: String]

    public init(entries: [String: String]) { self.entries = entries }

    /// The English catalog shipped in the binary (empty, so keys show, if it were unreadable).
    public static let english: Catalog = {
        let entries = (try? JSONDecoder().decode([String: String].self, from: ShippedResources.englishStrings)) ?? [:]
        return Catalog(entries: entries)
    }()

    public func has(_ key: String) -> Bool { entries[key] != nil }

    /// The template of `key` with its `{name}` values filled in; the key itself when missing,
    /// so that a gap in a translation is visible rather than silent.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        let template = entries[key] ?? key
        guard !values.isEmpty else { return template }
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest.index(after: open)
            if let close = rest[after...].firstIndex(of: "}"), let value = values[String(rest[after..<close])] {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out += "{"
                rest = rest[after...]
            }
        }
        out += rest
        return out
    }

    /// "1 day", "3 days".
    public func days(_ n: Int) -> String { text(n == 1 ? "days.one" : "days.other", ["n": String(n)]) }

    /// "1 hour", "26 hours".
    public func hours(_ n: Int) -> String { text(n == 1 ? "hours.one" : "hours.other", ["n": String(n)]) }

    /// "today", "tomorrow", "in 3 days".
    public func when(inDays n: Int) -> String {
        switch n {
        case 0: text("when.today")
        case 1: text("when.tomorrow")
        default: text("when.inDays", ["days": days(n)])
        }
    }
}
