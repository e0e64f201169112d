import Wording
import ArgumentParser
import Foundation
import OrderModel
import OrderStore
import Scheduler

extension Qorgau {
    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: say("alerts.abstract"))

        @OptionGroup var options: StoreOptions
        @Option(help: .cli("alerts.asOf", valueName: "T|DAY")) var asOf: TimeArgument?
        @Option(help: .cli("common.format")) var format: Format = .table

        mutating func run() throws {
            let context = try Context.open(options)
            try Self.printAlerts(context: context, asOf: context.asOf(asOf), format: format)
        }

        static func printAlerts(context: Context, asOf: Date, format: Format) throws {
            let screened = try context.store.screenedAlerts(asOf: asOf)
            defer { reportDamaged(screened.damaged) }
            let alerts = screened.values
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
                    return n == 0 ? nil : say("alerts.count", ["n": processWords.number(n), "kind": worded("kind", kind)])
                }
                print(say("alerts.summary", ["asOf": f.human(asOf), "zone": context.store.timeZone.identifier,
                                             "counts": counts.isEmpty ? say("alerts.none") : counts.joined(separator: ", ")]))
                if !alerts.isEmpty { print(table(alerts, f).aligned()) }
            }
        }

        static func json(_ a: Alert, _ f: InstantFormat) -> JSON {
            var pairs: [(String, JSON)] = [
                ("kind", .string(a.kind.rawValue)), ("severity", .string(a.severity.rawValue)),
                ("order", .string(a.orderNumber)), ("reason", .string(processWords.reason(a, format: f))),
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
            Table(columns: ["kind", "severity", "order", "district", "respondent", "reason"], rows: alerts.map {
                [worded("kind", $0.kind), worded("severity", $0.severity), $0.orderNumber, $0.district, $0.respondent,
                 processWords.reason($0, format: f)]
            })
        }
    }

    struct Violations: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: say("violations.abstract"))

        @OptionGroup var options: StoreOptions
        @Option(help: .cli("violations.from", valueName: "DAY")) var from: DayArgument?
        @Option(help: .cli("violations.to", valueName: "DAY")) var to: DayArgument?
        @Option(help: .cli("violations.asOf", valueName: "T|DAY")) var asOf: TimeArgument?
        @Option(help: .cli("common.format")) var format: Format = .table

        func validate() throws {
            if let from, let to, from.value > to.value {
                throw ValidationError(say("violations.fromAfterTo", ["from": from.value.iso, "to": to.value.iso]))
            }
        }

        mutating func run() throws {
            let context = try Context.open(options)
            let asOf = try context.asOf(asOf)
            let to = to?.value ?? context.format.day(asOf)
            let from = try from?.value ?? min(context.store.firstIssueDay() ?? to, to)
            let screened = try context.store.screenedViolations(from: from, to: to, asOf: asOf)
            defer { reportDamaged(screened.damaged) }
            let list = screened.values
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
                        pairs += [("district", .string(v.district)), ("officer", .string(v.officer)), ("reason", .string(processWords.reason(v)))]
                        return .object(pairs)
                    })),
                ]).rendered())
            case .table, .csv:
                let table = Table(columns: ["day", "kind", "order", "district", "officer", "reason"], rows: list.map {
                    [$0.day.iso, worded("kind", $0.kind), $0.orderNumber, $0.district, $0.officer, processWords.reason($0)]
                })
                if format == .csv {
                    print(table.csv(), terminator: "")
                } else {
                    let missed = list.filter { $0.kind == .missedCheck }.count
                    print(say("violations.summary", ["from": from.dotted, "to": to.dotted, "asOf": f.human(asOf),
                                                     "missed": sayCount("violations.missed", missed),
                                                     "breaches": sayCount("violations.breaches", list.count - missed)]))
                    if !list.isEmpty { print(table.aligned()) }
                }
            }
        }
    }
}

/// The exit status of a command that printed what it could but met orders it could not read as stored.
let damagedRecordsStatus: Int32 = 3

/// After the good output: one line on stderr for each damaged order ("order ZP-3 is damaged: field issued …"),
/// then exit status 3 (`damagedRecordsStatus`); nothing when none is.
func reportDamaged(_ damaged: [DamagedRecord]) {
    guard !damaged.isEmpty else { return }
    for record in damaged {
        FileHandle.standardError.write(Data(("qorgau: " + processWords.damaged(record) + "\n").utf8))
    }
    fflush(nil)
    exit(damagedRecordsStatus)
}
