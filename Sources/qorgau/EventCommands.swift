import ArgumentParser
import Foundation
import OrderModel
import OrderStore

extension Qorgau.CheckCommand {
    struct AddCheck: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record a check; outcome `breach` also opens a breach.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The order's number.") var number: String
        @Option(help: ArgumentHelp("When the check was made.", valueName: "T")) var at: TimeArgument
        @Option(help: "The officer who made it.") var officer: String
        @Option(help: "compliant, breach or not-located.") var outcome: CheckOutcome
        @Option(help: "visit, phone or summons.") var method: CheckMethod = .visit
        @Option(help: "A note.") var note = ""

        mutating func run() throws {
            let context = try Context.open(options)
            let (check, breach) = try context.store.addCheck(number, at: context.instant(at), officer: officer, method: method,
                                                             outcome: outcome, note: note, now: context.now)
            print("recorded check \(check.id ?? 0) on order \(number)" + (breach.map { "; opened breach \($0.id ?? 0)" } ?? ""))
        }
    }
}

extension Qorgau.BreachCommand {
    struct AddBreach: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Record a breach of an order.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The order's number.") var number: String
        @Option(help: ArgumentHelp("When it happened.", valueName: "T")) var at: TimeArgument
        @Option(help: "What happened.") var description: String
        @Option(help: "Who reported it (default: you).") var reportedBy: String?

        mutating func run() throws {
            let context = try Context.open(options)
            let breach = try context.store.addBreach(number, at: context.instant(at), description: description,
                                                     reportedBy: reportedBy ?? context.store.user.login,
                                                     now: context.now)
            print("recorded breach \(breach.id ?? 0) on order \(number)")
        }
    }

    struct CloseBreach: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a breach with the action taken.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The breach's ID.") var id: Int64
        @Option(help: "The action taken.") var action: String
        @Option(help: ArgumentHelp("When (default: now).", valueName: "T")) var at: TimeArgument?

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.closeBreach(id, action: action, at: context.asOf(at), now: context.now)
            print("closed breach \(id)")
        }
    }
}
