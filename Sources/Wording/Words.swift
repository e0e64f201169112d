import Foundation
import OrderModel
import OrderStore
import Scheduler

/// The one wording layer: facts in, sentences out, in the chosen language. The screens and
/// the command line both speak through it; the rules and the store never make sentences.
public struct Words: Sendable {
    public let language: Language
    public let catalog: Catalog

    public init(_ language: Language) {
        self.language = language
        catalog = .shipped(language)
    }

    public static let english = Words(.en)

    /// The template of `key` with its `{name}` values filled in.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String { catalog.text(key, values) }

    /// The plural form of `key` for `n` (`{n}` is filled in): 1 день, 2 дня, 5 дней.
    public func count(_ key: String, _ n: Int, _ values: [String: String] = [:]) -> String { catalog.count(key, n, values) }

    /// "1 day", "5 дней", "5 күн".
    public func days(_ n: Int) -> String { count("days", n) }

    /// "1 hour", "26 часов".
    public func hours(_ n: Int) -> String { count("hours", n) }

    /// "today", "tomorrow", "in 3 days".
    public func when(inDays n: Int) -> String {
        switch n {
        case 0: text("when.today")
        case 1: text("when.tomorrow")
        default: count("when.inDays", n)
        }
    }

    /// A whole number in this language: 12,345 / 12 345.
    public func number(_ n: Int) -> String { catalog.number(n) }
}
