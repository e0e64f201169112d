import ArgumentParser
import Foundation
import OrderModel
import OrderStore

extension Qorgau.CheckCommand {
    struct AddCheck: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: say("check.add.abstract"))

        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("common.number")) var number: String
        @Option(help: .cli("check.add.at", valueName: "T")) var at: TimeArgument
        @Option(help: .cli("check.add.officer")) var officer: String
        @Option(help: .cli("check.add.outcome")) var outcome: CheckOutcome
        @Option(help: .cli("check.add.method")) var method: CheckMethod = .visit
        @Option(help: .cli("check.add.note")) var note = ""

        mutating func run() throws {
            let context = try Context.open(options)
            let (check, breach) = try context.store.addCheck(number, at: context.instant(at), officer: officer, method: method,
                                                             outcome: outcome, note: note, now: context.now)
            let values = ["id": String(check.id ?? 0), "number": number]
            print(breach.map { say("check.add.doneWithBreach", values.merging(["breach": String($0.id ?? 0)]) { a, _ in a }) }
                  ?? say("check.add.done", values))
        }
    }
}

extension Qorgau.BreachCommand {
    struct AddBreach: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: say("breach.add.abstract"))

        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("common.number")) var number: String
        @Option(help: .cli("breach.add.at", valueName: "T")) var at: TimeArgument
        @Option(help: .cli("breach.add.description")) var description: String
        @Option(help: .cli("breach.add.reportedBy")) var reportedBy: String?

        mutating func run() throws {
            let context = try Context.open(options)
            let breach = try context.store.addBreach(number, at: context.instant(at), description: description,
                                                     reportedBy: reportedBy ?? context.store.user.login,
                                                     now: context.now)
            print(say("breach.add.done", ["id": String(breach.id ?? 0), "number": number]))
        }
    }

    struct CloseBreach: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: say("breach.close.abstract"))

        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("breach.close.id")) var id: Int64
        @Option(help: .cli("breach.close.action")) var action: String
        @Option(help: .cli("breach.close.at", valueName: "T")) var at: TimeArgument?

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.closeBreach(id, action: action, at: context.asOf(at), now: context.now)
            print(say("breach.close.done", ["id": String(id)]))
        }
    }
}
