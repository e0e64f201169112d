import ArgumentParser
import Foundation
import MonitorUI
import OrderModel
import OrderStore
import Scheduler

@main
struct Qorgau: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qorgau",
        abstract: "Monitor police protective orders: overdue checks, expiring orders, open breaches.",
        discussion: """
            Times (T) are local to the database's time zone: 2026-11-01T15:00, "2026-11-01 15:00" or
            "01.11.2026 15:00"; an explicit offset (+05:00, Z) is honoured. Days are 2026-11-01 or 01.11.2026.
            The database is --db PATH or --db postgresql://…, else $QORGAU_DB, else $XDG_DATA_HOME/qorgau/qorgau.sqlite.
            A file is one person's; where several people share records, use a PostgreSQL server (see the README).
            Exit status: 0 done, 1 refused (nothing written), 2 usage error.
            """,
        subcommands: [Init.self, Demo.self, OrderCommand.self, CheckCommand.self, BreachCommand.self,
                      Alerts.self, Violations.self, UserCommand.self, AuditCommand.self, Rekey.self,
                      Backup.self, Restore.self, ExportCommand.self, ImportCommand.self])

    @OptionGroup var options: StoreOptions

    /// With no subcommand: the screens.
    mutating func run() throws {
        try Context.open(options).runScreens()
    }

    /// Parses, runs, and exits 0 (done), 1 (refused: one line on stderr, nothing written) or 2 (usage).
    static func main() {
        Context.prepareLocale()
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
        } catch let error as UserFacingError {
            Context.fail(error.message, status: 1)
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

/// `--db PATH` and `--key-file PATH`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database: a file, or a PostgreSQL server as postgresql://… (libpq's URI).", valueName: "path|uri"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "A file (mode 0600) holding the passphrase of survivor data (default: $QORGAU_KEY_FILE, else <db>.key if present).",
        valueName: "path"))
    var keyFile: String?
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
