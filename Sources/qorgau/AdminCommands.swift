import ArgumentParser
import Foundation
import OrderModel
import OrderStore
import Wording

extension Role: ExpressibleByArgument {}

extension Qorgau {
    struct UserCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: say("user.abstract"), discussion: say("user.discussion"),
            subcommands: [Add.self, List.self, Disable.self])

        @OptionGroup var language: LanguageOption

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: say("user.add.abstract"))
            @OptionGroup var options: StoreOptions
            @Argument(help: .cli("user.add.login")) var login: String
            @Option(help: .cli("user.add.role")) var role: Role
            @Option(help: .cli("user.add.district")) var district = ""

            mutating func run() throws {
                let context = try Context.open(options)
                try context.store.addUser(login, role: role, district: district, now: context.now)
                print(say("user.add.done", ["login": login, "role": processWords.role(role)]))
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: say("user.list.abstract"))
            @OptionGroup var options: StoreOptions
            @Option(help: .cli("common.format")) var format: Format = .table

            mutating func run() throws {
                let context = try Context.open(options)
                let users = try context.store.users()
                switch format {
                case .json:
                    print(JSON.array(users.map { u in
                        .object([("login", .string(u.login)), ("role", .string(u.role.rawValue)),
                                 ("district", .string(u.district)), ("disabled", .bool(u.disabled))])
                    }).rendered())
                case .table, .csv:
                    let table = Table(columns: ["login", "role", "district", "state"], rows: users.map {
                        [$0.login, processWords.role($0.role), $0.district, say($0.disabled ? "state.disabled" : "state.active")]
                    })
                    print(format == .csv ? table.csv() : table.aligned(), terminator: format == .csv ? "" : "\n")
                }
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "disable", abstract: say("user.disable.abstract"))
            @OptionGroup var options: StoreOptions
            @Argument(help: .cli("user.disable.login")) var login: String

            mutating func run() throws {
                let context = try Context.open(options)
                try context.store.disableUser(login, now: context.now)
                print(say("user.disable.done", ["login": login]))
            }
        }
    }

    struct AuditCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit", abstract: say("audit.abstract"), subcommands: [Verify.self, Log.self])

        @OptionGroup var language: LanguageOption

        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "verify", abstract: say("audit.verify.abstract"), discussion: say("audit.verify.discussion"))
            @OptionGroup var options: StoreOptions

            mutating func run() throws {
                let context = try Context.open(options)
                let finding = try context.store.verifyAudit(now: context.now)
                if case .intact = finding {
                    print(processWords.finding(finding))
                } else {
                    throw Said(processWords.finding(finding))
                }
            }
        }

        struct Log: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "log", abstract: say("audit.log.abstract"))
            @OptionGroup var options: StoreOptions
            @Option(help: .cli("audit.log.user")) var user: String?
            @Option(help: .cli("audit.log.from", valueName: "DAY")) var from: DayArgument?
            @Option(help: .cli("audit.log.to", valueName: "DAY")) var to: DayArgument?
            @Option(help: .cli("common.format")) var format: Format = .table

            mutating func run() throws {
                let context = try Context.open(options)
                let entries = try context.store.auditEntries(account: user, from: from?.value, to: to?.value, now: context.now)
                let f = context.format
                switch format {
                case .json:
                    print(JSON.array(entries.map { e in
                        .object([("id", .int(Int(e.id))), ("at", .string(f.iso(e.at))), ("account", .string(e.account)),
                                 ("action", .string(e.action)), ("entity", .string(e.entity)),
                                 ("entityID", .optional(e.entityID.map(Int.init))), ("detail", .string(e.detail)),
                                 ("hash", .string(e.hash))])
                    }).rendered())
                case .table, .csv:
                    let table = Table(columns: ["id", "at", "account", "action", "record", "detail"], rows: entries.map {
                        [String($0.id), f.human($0.at), $0.account, $0.action, "\($0.entity) \($0.entityID.map(String.init) ?? "")", $0.detail]
                    })
                    print(format == .csv ? table.csv() : table.aligned(), terminator: format == .csv ? "" : "\n")
                }
            }
        }
    }
}
