import ArgumentParser
import Foundation
import MonitorUI
import OrderModel
import OrderStore
import Scheduler
import Terminal
import Wording

extension Qorgau {
    struct OrderCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "order", abstract: say("order.abstract"),
            subcommands: [Add.self, Serve.self, Revoke.self, Correct.self, List.self, Show.self])

        @OptionGroup var language: LanguageOption
    }

    struct CheckCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: say("check.abstract"),
            subcommands: [AddCheck.self])

        @OptionGroup var language: LanguageOption
    }

    struct BreachCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "breach", abstract: say("breach.abstract"),
            subcommands: [AddBreach.self, CloseBreach.self])

        @OptionGroup var language: LanguageOption
    }
}

extension Qorgau.OrderCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: say("order.add.abstract"),
                                                        discussion: say("order.add.discussion"))

        @OptionGroup var options: StoreOptions
        @Option(help: .cli("order.add.number")) var number: String
        @Option(help: .cli("order.add.kind")) var kind: OrderKind = .protectiveOrder
        @Option(help: .cli("order.add.issued", valueName: "T")) var issued: TimeArgument
        @Option(help: .cli("order.add.served", valueName: "T")) var served: TimeArgument?
        @Option(help: .cli("order.add.termDays")) var termDays: Int?
        @Option(help: .cli("order.add.checkIntervalDays")) var checkIntervalDays: Int?
        /// The safe way first (help lists options in this order): a file, or standard input with `-`.
        @Option(help: .cli("order.add.survivorFrom", valueName: "FILE|-")) var survivorFrom: String?
        // For scripts only: arguments are readable by every account on the machine, and one warning says so.
        @Option(help: ArgumentHelp(say("order.add.survivor") + " " + say("survivor.argvHelp"))) var survivor: String?
        @Option(help: ArgumentHelp(say("order.add.survivorPhone") + " " + say("survivor.argvHelp"))) var survivorPhone: String?
        @Option(help: ArgumentHelp(say("order.add.survivorContact") + " " + say("survivor.argvHelp"))) var survivorContact: String?
        @Option(help: ArgumentHelp(say("order.add.survivorNotes") + " " + say("survivor.argvHelp"))) var survivorNotes: String?
        @Option(help: .cli("order.add.respondent")) var respondent: String
        @Option(help: .cli("order.add.respondentBirthDate", valueName: "DAY")) var respondentBirthDate: DayArgument?
        @Option(help: .cli("order.add.respondentAddress")) var respondentAddress = ""
        @Option(help: .cli("order.add.respondentPhone")) var respondentPhone = ""
        @Option(help: .cli("order.add.district")) var district = ""
        @Option(help: .cli("order.add.officer")) var officer = ""
        @Option(help: .cli("order.add.restrictions")) var restrictions = ""

        /// Whether any survivor detail came as an argument.
        var survivorInArguments: Bool {
            [survivor, survivorPhone, survivorContact, survivorNotes].contains { $0 != nil }
        }

        /// The survivor of the new order: from `--survivor-from`, else from the arguments, else asked on the
        /// terminal. Read before the store is opened: a refused file leaves everything as it was.
        func survivorDetails() throws -> Survivor {
            if let survivorFrom {
                guard !survivorInArguments else { throw ValidationError(say("survivor.bothWays")) }
                let fields = try SurvivorInput.read(from: survivorFrom)
                guard let name = fields[.name], !name.isEmpty else {
                    throw Said(say("survivor.fileNoName", ["source": SurvivorInput.shown(survivorFrom)]))
                }
                return Survivor(name: name, phone: fields[.phone] ?? "", contact: fields[.contact] ?? "", notes: fields[.notes] ?? "")
            }
            if survivorInArguments {
                guard let survivor else { throw ValidationError(say("survivor.noName")) }
                return Survivor(name: survivor, phone: survivorPhone ?? "", contact: survivorContact ?? "", notes: survivorNotes ?? "")
            }
            guard SurvivorInput.interactive else { throw ValidationError(say("survivor.noName")) }
            return try SurvivorInput.askSurvivor()
        }

        mutating func run() throws {
            let survivor = try survivorDetails()
            let context = try Context.open(options)
            let kindRules = context.store.rules.kind(kind)
            let order = Order(
                number: number, kind: kind, issued: try context.instant(issued), served: try served.map(context.instant),
                termDays: termDays ?? kindRules.termDays.default,
                checkIntervalDays: checkIntervalDays ?? kindRules.checkIntervalDays.default,
                district: district, officer: officer, restrictions: restrictions,
                survivor: survivor,
                respondent: Respondent(name: respondent, birthDate: respondentBirthDate?.value,
                                       address: respondentAddress, phone: respondentPhone))
            let added = try context.store.addOrder(order, now: context.now)
            print(say("order.add.done", ["number": added.number]))
            // After the outcome, so that a refusal stays one line; once, however many options were given.
            if survivorInArguments { SurvivorInput.warnArguments() }
        }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "serve", abstract: say("order.serve.abstract"))

        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("common.number")) var number: String
        @Option(help: .cli("order.serve.at", valueName: "T")) var at: TimeArgument

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.serve(number, at: context.instant(at), now: context.now)
            print(say("order.serve.done", ["number": number]))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: say("order.revoke.abstract"))

        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("common.number")) var number: String
        @Option(help: .cli("order.revoke.at", valueName: "T")) var at: TimeArgument
        @Option(help: .cli("common.reason")) var reason: String

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.revoke(number, at: context.instant(at), reason: reason, now: context.now)
            print(say("order.revoke.done", ["number": number]))
        }
    }

    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "correct", abstract: say("order.correct.abstract"),
                                                        discussion: say("order.correct.discussion"))

        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("common.number")) var number: String
        @Option(help: .cli("order.correct.field")) var field: CorrectableField
        @Option(help: .cli("order.correct.survivorFrom", valueName: "FILE|-")) var survivorFrom: String?
        @Option(help: .cli("order.correct.value")) var value: String?
        @Option(help: .cli("common.reason")) var reason: String

        /// The new value: for a survivor field from `--survivor-from`, else `--value` (with the warning), else asked
        /// on the terminal; for any other field, `--value`. Read before the store is opened.
        func newValue() throws -> String {
            guard let line = SurvivorField(correcting: field) else {
                guard survivorFrom == nil else { throw ValidationError(say("survivor.correctNotSurvivor", ["field": field.rawValue])) }
                guard let value else { throw ValidationError(say("order.correct.valueNeeded", ["field": field.rawValue])) }
                return value
            }
            if let survivorFrom {
                guard value == nil else { throw ValidationError(say("survivor.bothWays")) }
                let fields = try SurvivorInput.read(from: survivorFrom)
                guard fields.count == 1, let given = fields[line] else {
                    throw Said(say("survivor.correctOneField", ["field": field.rawValue, "name": line.rawValue,
                                                                 "source": SurvivorInput.shown(survivorFrom)]))
                }
                return given
            }
            if let value { return value }
            guard SurvivorInput.interactive else {
                throw ValidationError(say("survivor.noValue", ["field": field.rawValue, "name": line.rawValue]))
            }
            let what = processWords.field(field.subject)
            guard let answer = SurvivorInput.ask(say("prompt.survivorNew", ["what": what])) else {
                throw Said(say("survivor.promptEnded", ["what": what]))
            }
            return answer
        }

        mutating func run() throws {
            let newValue = try newValue()
            let context = try Context.open(options)
            try context.store.correct(number, field: field, value: newValue, reason: reason, now: context.now)
            print(say("order.correct.done", ["field": processWords.field(field.subject), "number": number]))
            if field.isSurvivorData, value != nil { SurvivorInput.warnArguments() }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: say("order.list.abstract"))

        enum StatusFilter: String, ExpressibleByArgument, CaseIterable {
            case active, unserved, expired, revoked, all
        }

        /// Names sort by the Kazakh/Russian alphabet (`NameOrder`), numbers as the store gives them.
        enum SortKey: String, ExpressibleByArgument, CaseIterable {
            case number, respondent, district, officer
        }

        @OptionGroup var options: StoreOptions
        @Option(help: .cli("order.list.status")) var status: StatusFilter = .active
        @Option(help: .cli("order.list.asOf", valueName: "T|DAY")) var asOf: TimeArgument?
        @Option(help: .cli("common.format")) var format: Format = .table
        @Option(help: .cli("order.list.search")) var search: String?
        @Option(help: .cli("order.list.sort")) var sort: SortKey = .number

        /// How many orders a page of the store holds: the list is read, and written out, page by page
        /// (`QORGAU_PAGE_SIZE` for tests, which check that pages of one give the same output).
        static var pageSize: Int {
            ProcessInfo.processInfo.environment["QORGAU_PAGE_SIZE"].flatMap { Int($0) }.map { max($0, 1) } ?? 1000
        }

        mutating func run() throws {
            var context = try Context.open(options)
            let asOf = try context.asOf(asOf)
            var found: OrderSearch?
            if let search, !search.isEmpty {
                context = try context.unlocked()
                // Case, Kazakh letters and Latin transliteration folded away (SearchFold); survivors' names
                // matched once here (audited), the rest through the store's index, page by page.
                found = try context.store.orderSearch(search, now: context.now)
            }
            let store = context.store, status = OrderStatus(rawValue: status.rawValue)
            let sort = OrderSort(rawValue: sort.rawValue) ?? .number
            var damaged = DamageLog()
            defer { reportDamaged(damaged.damaged) }
            /// Every order of the list in order, a page at a time, `passes` times over one snapshot of the store (one
            /// read transaction); the damaged ones noted on the first pass.
            func forEachPage(passes: Int = 1, _ body: (_ pass: Int, [OrderSummary]) -> Void) throws {
                try store.eachOrderPage(status: status, sort: sort, search: found, asOf: asOf, pageSize: Self.pageSize,
                                        passes: passes) { pass, page in
                    if pass == 0 { for d in page.damaged { damaged.note(orderID: d.orderID, number: d.number, d.field) } }
                    body(pass, page.rows)
                }
            }
            let f = context.format
            switch format {
            case .json:
                var first = true
                print("{\n  \"asOf\": \(JSON.quote(f.iso(asOf))),\n  \"timeZone\": \(JSON.quote(store.timeZone.identifier)),\n  \"orders\": ",
                      terminator: "")
                try forEachPage { _, orders in
                    for s in orders {
                        let item = JSON.object([
                            ("number", .string(s.order.number)), ("kind", .string(s.order.kind.rawValue)),
                            ("status", .string(s.status.rawValue)), ("issued", .string(f.iso(s.order.issued))),
                            ("served", .optional(s.order.served.map(f.iso))), ("expires", .optional(s.expires.map(f.iso))),
                            ("nextDue", .optional(s.status == .active ? s.nextDue?.iso : nil)),
                            ("district", .string(s.order.district)), ("officer", .string(s.order.officer)),
                            ("respondent", .string(s.order.respondent.name)),
                            ("survivorInitials", .string(Initials.of(s.order.survivor.name))),
                            ("openBreaches", .int(s.openBreaches)),
                        ])
                        print((first ? "[\n" : ",\n") + "    " + item.rendered(indent: "    "), terminator: "")
                        first = false
                    }
                }
                print(first ? "[]\n}" : "\n  ]\n}")
            case .table, .csv:
                let headers = Table(columns: ["number", "status", "served", "expires", "nextDue", "breaches", "district", "respondent",
                                              "survivor"], rows: []).headers
                func cells(_ s: OrderSummary) -> [String] {
                    [s.order.number, worded("status", s.status), s.order.served.map(f.human) ?? "-", s.expires.map(f.human) ?? "-",
                     s.status == .active ? s.nextDue?.dotted ?? "-" : "-", String(s.openBreaches), s.order.district,
                     s.order.respondent.name, Initials.of(s.order.survivor.name)]
                }
                if format == .csv {
                    print(CSV.render(headers: headers, rows: []), terminator: "")
                    try forEachPage { _, orders in
                        for row in orders.map(cells) { print(row.map(CSV.cell).joined(separator: ","), terminator: "\r\n") }
                    }
                    return
                }
                // Aligned columns need the widest cell first: one pass to measure, one to write, over one snapshot.
                var widths = headers.map { TextWidth.width(of: $0) }
                var count = 0
                var headed = false
                try forEachPage(passes: 2) { pass, orders in
                    if pass == 0 {
                        for row in orders.map(cells) {
                            for c in row.indices { widths[c] = max(widths[c], TextWidth.width(of: row[c])) }
                        }
                        count += orders.count
                        return
                    }
                    if !headed { print(Table.line(headers, widths: widths)) }
                    headed = true
                    for row in orders.map(cells) { print(Table.line(row, widths: widths)) }
                }
                if !headed { print(Table.line(headers, widths: widths)) }
                print(sayCount("orders", count))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: say("order.show.abstract"))

        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("common.number")) var number: String
        @Option(help: .cli("order.show.asOf", valueName: "T|DAY")) var asOf: TimeArgument?
        @Option(help: .cli("order.show.format")) var format: Format = .table

        mutating func run() throws {
            let context = try Context.open(options).unlocked()
            let asOf = try context.asOf(asOf)
            let detail: OrderDetail
            do {
                detail = try context.store.detail(number: number, asOf: asOf, now: context.now)
            } catch StoreError.damagedRecord(let record) {
                Context.fail(processWords.damaged(record), status: damagedRecordsStatus)
            }
            print(format == .json ? OrderView.json(detail, context: context).rendered() : OrderView.text(detail, context: context))
        }
    }
}

extension CorrectableField: ExpressibleByArgument {}
