import ArgumentParser
import Foundation
import Wording

/// The language of this run, chosen once at start, before the arguments are parsed: the parser
/// builds help texts (and the abstracts of commands) from the catalog, so it must already know it.
/// `--lang`, else `QORGAU_LANG`, else the locale variables, else English (`Language.resolve`).
enum Speech {
    /// The language, or why an explicit choice (`--lang`, `QORGAU_LANG`) was refused.
    static let choice: Result<Language, UnknownLanguage> = {
        do throws(UnknownLanguage) {
            return .success(try Language.resolve(option: option(in: CommandLine.arguments),
                                                 environment: ProcessInfo.processInfo.environment))
        } catch {
            return .failure(error)
        }
    }()

    /// The words of a refusal of the choice itself: in the locale's language, the bad choice left out.
    static var wordsForRefusal: Words {
        var environment = ProcessInfo.processInfo.environment
        environment["QORGAU_LANG"] = nil
        return Words((try? Language.resolve(option: nil, environment: environment)) ?? .en)
    }

    /// `--lang X` or `--lang=X` as typed: the last one wins, as it does for the parser; nothing
    /// after `--`, which ends the options.
    static func option(in arguments: [String]) -> String? {
        var found: String?
        var index = arguments.index(after: arguments.startIndex)
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == "--lang" {
                let next = arguments.index(after: index)
                if next < arguments.endIndex { found = arguments[next] }
                index = next
            } else if argument.hasPrefix("--lang=") {
                found = String(argument.dropFirst("--lang=".count))
            }
            index = arguments.index(after: index)
        }
        return found
    }
}

/// Every word this run prints, in the language chosen at start (English when the choice was refused:
/// `main` then says so and exits 2 before anything else is read).
let processWords = Words((try? Speech.choice.get()) ?? .en)

/// A sentence of the command line's catalog (`en.cli.json`, keys `cli.…`) in this run's language.
func say(_ key: String, _ values: [String: String] = [:]) -> String {
    processWords.text("cli." + key, values)
}

/// The plural form of a counted phrase of the command line's catalog: `sayCount("orders", 5)`
/// reads `cli.orders.other` in English, `cli.orders.many` in Russian.
func sayCount(_ key: String, _ n: Int, _ values: [String: String] = [:]) -> String {
    processWords.count("cli." + key, n, values)
}

/// A value of one of our enumerations as tables and CSV show it: `worded("kind", AlertKind.checkOverdue)`
/// reads `cli.kind.check-overdue` ("check-overdue" in English, where the value is also what JSON says).
func worded<Value: RawRepresentable>(_ group: String, _ value: Value) -> String where Value.RawValue == String {
    say(group + "." + value.rawValue)
}

extension ArgumentHelp {
    /// The help of an option or argument, from the catalog: `@Option(help: .cli("order.add.number"))`.
    static func cli(_ key: String, valueName: String? = nil) -> ArgumentHelp {
        ArgumentHelp(say(key), valueName: valueName)
    }
}

/// The language option every command takes. Its value was read before parsing (`Speech`); the parser
/// only has to accept it, and show it in help.
struct LanguageOption: ParsableArguments {
    @Option(name: .long, help: .cli("option.lang", valueName: "en|ru|kk"))
    var lang: String?
}
