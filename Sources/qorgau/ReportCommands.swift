import Wording
import ArgumentParser
import Foundation
import OrderModel
import OrderStore
import Scheduler

extension Qorgau {
    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Today's alerts, most urgent first: breach-open, check-overdue, unserved, check-due, expiring.")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp("As of this time; a day means its 00:00 (default: now).", valueName: "T|DAY"))
        var asOf: TimeArgument?
        @Option(help: "table, json or csv.") var format: Format = .table

        mutating func run() throws {
            let context = try Context.open(options)
            try Self.printAlerts(context: context, asOf: context.asOf(asOf), format: format)
        }

        static func printAlerts(context: Context, asOf: Date, format: Format) throws {
            let alerts = try context.store.alerts(asOf: asOf)
            let f = context.format
            switch format {
            case .json:
                print(JSON.object([
                    ("asOf", .string(f.iso(asOf))), ("timeZone", .string(context.store.timeZone.identifier)),
                    ("alerts", .array(alerts.map { json($0, f) })),
                ]).rendered())
            case .csv:
                print(table(alerts, f).csv(), terminator: "")
            case .table:
                let counts = AlertKind.allCases.compactMap { kind -> String? in
                    let n = alerts.filter { $0.kind == kind }.count
                    return n == 0 ? nil : "\(n) \(kind.rawValue)"
                }
                print("Alerts as of \(f.human(asOf)) (\(context.store.timeZone.identifier)): "
                      + (counts.isEmpty ? "none" : counts.joined(separator: ", ")))
                if !alerts.isEmpty { print(table(alerts, f).aligned()) }
            }
        }

        static func json(_ a: Alert, _ f: InstantFormat) -> JSON {
            var pairs: [(String, JSON)] = [
                ("kind", .string(a.kind.rawValue)), ("severity", .string(a.severity.rawValue)),
                ("order", .string(a.orderNumber)), ("reason", .string(Words.english.reason(a, format: f))),
            ]
            switch a.kind {
            case .checkOverdue:
                pairs += [("due", .optional(a.due?.iso)), ("daysOverdue", .optional(a.daysOverdue))]
            case .checkDue:
                pairs += [("due", .optional(a.due?.iso)), ("daysLeft", .optional(a.daysLeft))]
            case .expiring:
                pairs += [("expires", .optional(a.expires.map(f.iso))), ("daysLeft", .optional(a.daysLeft))]
            case .unserved:
                pairs += [("issued", .optional(a.issued.map(f.iso)))]
            case .breachOpen:
                pairs += [("breach", .optional(a.breachID.map(Int.init))), ("occurred", .optional(a.occurred.map(f.iso)))]
            }
            pairs += [("district", .string(a.district)), ("officer", .string(a.officer)), ("respondent", .string(a.respondent))]
            return .object(pairs)
        }

        static func table(_ alerts: [Alert], _ f: InstantFormat) -> Table {
            Table(headers: ["KIND", "SEVERITY", "ORDER", "DISTRICT", "RESPONDENT", "REASON"],
                  rows: alerts.map { [$0.kind.rawValue, $0.severity.rawValue, $0.orderNumber, $0.district, $0.respondent, Words.english.reason($0, format: f)] })
        }
    }

    struct Violations: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Missed checks (by due date) and breaches (by date) in a period, for supervisors.")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp("First day (default: the first order's issue day).", valueName: "DAY")) var from: DayArgument?
        @Option(help: ArgumentHelp("Last day (default: the day of --as-of).", valueName: "DAY")) var to: DayArgument?
        @Option(help: ArgumentHelp("As known at this time (default: now).", valueName: "T|DAY")) var asOf: TimeArgument?
        @Option(help: "table, json or csv.") var format: Format = .table

        func validate() throws {
            if let from, let to, from.value > to.value { throw ValidationError("--from \(from.value.iso) is after --to \(to.value.iso)") }
        }

        mutating func run() throws {
            let context = try Context.open(options)
            let asOf = try context.asOf(asOf)
            let to = to?.value ?? context.format.day(asOf)
            let from = try from?.value ?? min(context.store.firstIssueDay() ?? to, to)
            let list = try context.store.violations(from: from, to: to, asOf: asOf)
            let f = context.format
            switch format {
            case .json:
                print(JSON.object([
                    ("asOf", .string(f.iso(asOf))), ("timeZone", .string(context.store.timeZone.identifier)),
                    ("from", .string(from.iso)), ("to", .string(to.iso)),
                    ("violations", .array(list.map { v in
                        var pairs: [(String, JSON)] = [("kind", .string(v.kind.rawValue)), ("order", .string(v.orderNumber))]
                        switch v.kind {
                        case .missedCheck:
                            pairs += [("due", .optional(v.due?.iso)), ("checked", .optional(v.checked?.iso)),
                                      ("daysLate", .optional(v.daysLate))]
                        case .breach:
                            pairs += [("breach", .optional(v.breachID.map(Int.init))), ("occurred", .optional(v.occurred.map(f.iso))),
                                      ("status", .string(v.isOpen == true ? "open" : "closed"))]
                        }
                        pairs += [("district", .string(v.district)), ("officer", .string(v.officer)), ("reason", .string(Words.english.reason(v)))]
                        return .object(pairs)
                    })),
                ]).rendered())
            case .table, .csv:
                let table = Table(headers: ["DAY", "KIND", "ORDER", "DISTRICT", "OFFICER", "REASON"],
                                  rows: list.map { [$0.day.iso, $0.kind.rawValue, $0.orderNumber, $0.district, $0.officer, Words.english.reason($0)] })
                if format == .csv {
                    print(table.csv(), terminator: "")
                } else {
                    let missed = list.filter { $0.kind == .missedCheck }.count
                    print("Violations \(from.dotted) to \(to.dotted), as of \(f.human(asOf)): \(missed) missed checks, \(list.count - missed) breaches")
                    if !list.isEmpty { print(table.aligned()) }
                }
            }
        }
    }
}
