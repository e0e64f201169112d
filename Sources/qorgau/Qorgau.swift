import ArgumentParser
import Foundation
import MonitorUI
import OrderModel
import OrderStore
import Scheduler
import Wording

@main
struct Qorgau: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qorgau",
        abstract: say("qorgau.abstract"),
        discussion: say("qorgau.discussion"),
        subcommands: [Init.self, Demo.self, OrderCommand.self, CheckCommand.self, BreachCommand.self,
                      Alerts.self, Violations.self, UserCommand.self, AuditCommand.self, Rekey.self, Upgrade.self,
                      Backup.self, Restore.self, ExportCommand.self, ImportCommand.self])

    @OptionGroup var options: StoreOptions

    /// With no subcommand: the screens.
    mutating func run() throws {
        try Context.open(options).runScreens()
    }

    /// Parses, runs, and exits 0 (done), 1 (refused: one line on stderr, nothing written), 2 (usage) or 3 (damaged
    /// records: every readable order was printed, each damaged one named once on stderr).
    /// The language is chosen first: an unknown `--lang` or `QORGAU_LANG` is a usage error.
    static func main() {
        Context.prepareLocale()
        if case .failure(let refused) = Speech.choice {
            Context.fail(Speech.wordsForRefusal.message(refused), status: 2)
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            Context.fail(error.message, status: 2)
        } catch {
            // `help` and `--help` arrive here as a clean exit carrying the text to print.
            if exitCode(for: error) == .success {
                let text = fullMessage(for: error)
                if !text.isEmpty { print(text) }
                Foundation.exit(0)
            }
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            Context.fail(Context.describe(error), status: 1)
        }
    }
}

/// `--db PATH`, `--key-file PATH` and `--lang en|ru|kk`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: .cli("option.db", valueName: "path|uri"))
    var db: String?

    @Option(name: .long, help: .cli("option.keyFile", valueName: "path"))
    var keyFile: String?

    @OptionGroup var language: LanguageOption
}

/// `--format table|json|csv`.
extension Format: ExpressibleByArgument {}

/// A time as typed (`T`); its instant needs the database's zone.
struct TimeArgument: ExpressibleByArgument {
    let value: LocalDateTime

    init?(argument: String) {
        guard let value = LocalDateTime(parsing: argument) else { return nil }
        self.value = value
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A day as typed (`DAY`).
struct DayArgument: ExpressibleByArgument {
    let value: LocalDay

    init?(argument: String) {
        guard let value = LocalDay(parsing: argument) else { return nil }
        self.value = value
    }
}

extension OrderKind: ExpressibleByArgument {}
extension CheckOutcome: ExpressibleByArgument {}
extension CheckMethod: ExpressibleByArgument {}
extension OrderStatus: ExpressibleByArgument {}
