import ArgumentParser
import Foundation
import OrderModel
import OrderStore

extension Role: ExpressibleByArgument {}

extension Qorgau {
    struct UserCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "The people who may use the file: operating-system accounts and their roles.",
            discussion: """
                liaison: add orders, record services, checks and breaches. staff: add orders, record breaches, see
                alerts and the survivor's details. supervisor: everything, plus revoke orders, close breaches, manage
                users, export and read the audit trail.
                """,
            subcommands: [Add.self, List.self, Disable.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add an account with a role (supervisors).")
            @OptionGroup var options: StoreOptions
            @Argument(help: "The operating-system account name.") var login: String
            @Option(help: "staff, liaison or supervisor.") var role: Role
            @Option(help: "Their district.") var district = ""

            mutating func run() throws {
                let context = try Context.open(options)
                try context.store.addUser(login, role: role, district: district, now: context.now)
                print("added \(login) as \(role.rawValue)")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Everyone who was ever a user.")
            @OptionGroup var options: StoreOptions
            @Option(help: "table, json or csv.") var format: Format = .table

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
                    let table = Table(headers: ["LOGIN", "ROLE", "DISTRICT", "STATE"], rows: users.map {
                        [$0.login, $0.role.rawValue, $0.district, $0.disabled ? "disabled" : "active"]
                    })
                    print(format == .csv ? table.csv() : table.aligned(), terminator: format == .csv ? "" : "\n")
                }
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disable an account (supervisors). Nobody is deleted.")
            @OptionGroup var options: StoreOptions
            @Argument(help: "The account name.") var login: String

            mutating func run() throws {
                let context = try Context.open(options)
                try context.store.disableUser(login, now: context.now)
                print("disabled \(login)")
            }
        }
    }

    struct AuditCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit", abstract: "The hash-chained trail of every write, refusal, opening of survivor details and export.",
            subcommands: [Verify.self, Log.self])

        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Walk the chain; exit 1 naming the first entry changed, removed or inserted.",
                discussion: "Write down the head it prints: a trail rewritten whole from the start is caught only against it.")
            @OptionGroup var options: StoreOptions

            mutating func run() throws {
                let context = try Context.open(options)
                let finding = try context.store.verifyAudit(now: context.now)
                if case .intact = finding {
                    print(finding.message)
                } else {
                    throw AuditBroken(message: finding.message)
                }
            }
        }

        struct Log: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the audit trail (supervisors).")
            @OptionGroup var options: StoreOptions
            @Option(help: "Only this account.") var user: String?
            @Option(help: ArgumentHelp("From this day.", valueName: "DAY")) var from: DayArgument?
            @Option(help: ArgumentHelp("To this day.", valueName: "DAY")) var to: DayArgument?
            @Option(help: "table, json or csv.") var format: Format = .table

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
                    let table = Table(headers: ["ID", "AT", "ACCOUNT", "ACTION", "RECORD", "DETAIL"], rows: entries.map {
                        [String($0.id), f.human($0.at), $0.account, $0.action, "\($0.entity) \($0.entityID.map(String.init) ?? "")", $0.detail]
                    })
                    print(format == .csv ? table.csv() : table.aligned(), terminator: format == .csv ? "" : "\n")
                }
            }
        }
    }
}

struct AuditBroken: UserFacingError {
    let message: String
}
