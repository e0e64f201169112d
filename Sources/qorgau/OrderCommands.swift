import ArgumentParser
import Foundation
import MonitorUI
import OrderModel
import OrderStore
import Scheduler

extension Qorgau {
    struct OrderCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "order", abstract: "Add, serve, revoke, list and show orders.",
            subcommands: [Add.self, Serve.self, Revoke.self, Correct.self, List.self, Show.self])
    }

    struct CheckCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Record police checks of the respondent's adherence.",
            subcommands: [AddCheck.self])
    }

    struct BreachCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "breach", abstract: "Record breaches of an order and the action taken.",
            subcommands: [AddBreach.self, CloseBreach.self])
    }
}

extension Qorgau.OrderCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an order (refused if its number exists).")

        @OptionGroup var options: StoreOptions
        @Option(help: "The order's number, unique (trimmed, case-insensitive).") var number: String
        @Option(help: "protective-order or special-requirements.") var kind: OrderKind = .protectiveOrder
        @Option(help: ArgumentHelp("When it was issued.", valueName: "T")) var issued: TimeArgument
        @Option(help: ArgumentHelp("When it was served on the respondent.", valueName: "T")) var served: TimeArgument?
        @Option(help: "Term in days from service (default: the kind's).") var termDays: Int?
        @Option(help: "Days between checks (default: the kind's legal maximum).") var checkIntervalDays: Int?
        @Option(help: "The survivor's name (confidential).") var survivor: String
        @Option(help: "The survivor's phone (confidential).") var survivorPhone = ""
        @Option(help: "Where the survivor can be reached or is sheltered (confidential).") var survivorContact = ""
        @Option(help: "Notes about the survivor (confidential).") var survivorNotes = ""
        @Option(help: "The respondent's name.") var respondent: String
        @Option(help: ArgumentHelp("The respondent's date of birth.", valueName: "DAY")) var respondentBirthDate: DayArgument?
        @Option(help: "The respondent's address.") var respondentAddress = ""
        @Option(help: "The respondent's phone.") var respondentPhone = ""
        @Option(help: "Police district.") var district = ""
        @Option(help: "Issuing officer.") var officer = ""
        @Option(help: "What the order forbids.") var restrictions = ""

        mutating func run() throws {
            let context = try Context.open(options)
            let kindRules = context.store.rules.kind(kind)
            let order = Order(
                number: number, kind: kind, issued: try context.instant(issued), served: try served.map(context.instant),
                termDays: termDays ?? kindRules.termDays.default,
                checkIntervalDays: checkIntervalDays ?? kindRules.checkIntervalDays.default,
                district: district, officer: officer, restrictions: restrictions,
                survivor: Survivor(name: survivor, phone: survivorPhone, contact: survivorContact, notes: survivorNotes),
                respondent: Respondent(name: respondent, birthDate: respondentBirthDate?.value,
                                       address: respondentAddress, phone: respondentPhone))
            let added = try context.store.addOrder(order, now: context.now)
            print("added order \(added.number)")
        }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that an order was served on the respondent.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The order's number.") var number: String
        @Option(help: ArgumentHelp("When it was served.", valueName: "T")) var at: TimeArgument

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.serve(number, at: context.instant(at), now: context.now)
            print("served order \(number)")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an order, with a reason.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The order's number.") var number: String
        @Option(help: ArgumentHelp("When it was revoked.", valueName: "T")) var at: TimeArgument
        @Option(help: "Why.") var reason: String

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.revoke(number, at: context.instant(at), reason: reason, now: context.now)
            print("revoked order \(number)")
        }
    }

    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct one detail of an order, with a reason (supervisors). The original stays in the file.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The order's number.") var number: String
        @Option(help: "district, officer, restrictions, respondent-address, respondent-phone, survivor-phone, survivor-contact or survivor-notes.")
        var field: CorrectableField
        @Option(help: "The corrected value.") var value: String
        @Option(help: "Why.") var reason: String

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.correct(number, field: field, value: value, reason: reason, now: context.now)
            print("corrected \(field.rawValue) of order \(number)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List orders by status.")

        enum StatusFilter: String, ExpressibleByArgument, CaseIterable {
            case active, unserved, expired, revoked, all
        }

        @OptionGroup var options: StoreOptions
        @Option(help: "active, unserved, expired, revoked or all.") var status: StatusFilter = .active
        @Option(help: ArgumentHelp("Status as of this time (default: now).", valueName: "T|DAY")) var asOf: TimeArgument?
        @Option(help: "table, json or csv.") var format: Format = .table
        @Option(help: "Only orders whose number, respondent or (with the passphrase, for staff and supervisors) survivor contains this.")
        var search: String?

        mutating func run() throws {
            var context = try Context.open(options)
            let asOf = try context.asOf(asOf)
            var orders = try context.store.orders(status: OrderStatus(rawValue: status.rawValue), asOf: asOf)
            if let search, !search.isEmpty {
                context = try context.unlocked()
                let q = search.lowercased()
                let survivors = try context.store.ordersWithSurvivorMatching(search)
                orders = orders.filter {
                    $0.order.number.lowercased().contains(q) || $0.order.respondent.name.lowercased().contains(q)
                        || survivors.contains($0.order.id ?? 0)
                }
            }
            let f = context.format
            switch format {
            case .json:
                print(JSON.object([
                    ("asOf", .string(f.iso(asOf))), ("timeZone", .string(context.store.timeZone.identifier)),
                    ("orders", .array(orders.map { s in
                        .object([
                            ("number", .string(s.order.number)), ("kind", .string(s.order.kind.rawValue)),
                            ("status", .string(s.status.rawValue)), ("issued", .string(f.iso(s.order.issued))),
                            ("served", .optional(s.order.served.map(f.iso))), ("expires", .optional(s.expires.map(f.iso))),
                            ("nextDue", .optional(s.status == .active ? s.nextDue?.iso : nil)),
                            ("district", .string(s.order.district)), ("officer", .string(s.order.officer)),
                            ("respondent", .string(s.order.respondent.name)),
                            ("survivorInitials", .string(Initials.of(s.order.survivor.name))),
                            ("openBreaches", .int(s.openBreaches)),
                        ])
                    })),
                ]).rendered())
            case .table, .csv:
                let table = Table(
                    headers: ["NUMBER", "STATUS", "SERVED", "EXPIRES", "NEXT DUE", "BREACHES", "DISTRICT", "RESPONDENT", "SURVIVOR"],
                    rows: orders.map { s in
                        [s.order.number, s.status.rawValue, s.order.served.map(f.human) ?? "-", s.expires.map(f.human) ?? "-",
                         s.status == .active ? s.nextDue?.dotted ?? "-" : "-", String(s.openBreaches), s.order.district,
                         s.order.respondent.name, Initials.of(s.order.survivor.name)]
                    })
                print(format == .csv ? table.csv() : table.aligned() + "\n\(orders.count) order" + (orders.count == 1 ? "" : "s"), terminator: format == .csv ? "" : "\n")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show everything about one order.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The order's number.") var number: String
        @Option(help: ArgumentHelp("As of this time (default: now).", valueName: "T|DAY")) var asOf: TimeArgument?
        @Option(help: "table or json.") var format: Format = .table

        mutating func run() throws {
            let context = try Context.open(options).unlocked()
            let asOf = try context.asOf(asOf)
            let detail = try context.store.detail(number: number, asOf: asOf, now: context.now)
            print(format == .json ? OrderView.json(detail, context: context).rendered() : OrderView.text(detail, context: context))
        }
    }
}

extension CorrectableField: ExpressibleByArgument {}
