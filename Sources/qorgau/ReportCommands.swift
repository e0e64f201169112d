import Wording
import ArgumentParser
import Foundation
import OrderModel
import OrderStore
import Scheduler

extension Qorgau {
    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alerts", abstract: say("alerts.abstract"))

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
                json(alerts, asOf: asOf, timeZone: context.store.timeZone, f).print()
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

        /// The JSON of `alerts --format json`, written as it goes (`JSONWriter`: the layout of `JSON.rendered()`).
        static func json(_ alerts: [Alert], asOf: Date, timeZone: TimeZone, _ f: InstantFormat) -> JSONWriter {
            var w = JSONWriter(capacity: 512 + 400 * alerts.count)
            w.beginObject()
            w.string("asOf", f.iso(asOf))
            w.string("timeZone", timeZone.identifier)
            w.key("alerts")
            w.beginArray()
            for a in alerts {
                w.beginObject()
                w.string("kind", a.kind.rawValue)
                w.string("severity", a.severity.rawValue)
                w.string("order", a.orderNumber)
                w.string("reason", processWords.reason(a, format: f))
                switch a.kind {
                case .checkOverdue:
                    w.optional("due", a.due?.iso)
                    w.optional("daysOverdue", a.daysOverdue)
                case .checkDue:
                    w.optional("due", a.due?.iso)
                    w.optional("daysLeft", a.daysLeft)
                case .expiring:
                    w.optional("expires", a.expires.map(f.iso))
                    w.optional("daysLeft", a.daysLeft)
                case .unserved:
                    w.optional("issued", a.issued.map(f.iso))
                case .breachOpen:
                    w.optional("breach", a.breachID.map(Int.init))
                    w.optional("occurred", a.occurred.map(f.iso))
                }
                w.string("district", a.district)
                w.string("officer", a.officer)
                w.string("respondent", a.respondent)
                w.endObject()
            }
            w.endArray()
            w.endObject()
            return w
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
            commandName: "violations", abstract: say("violations.abstract"))

        @OptionGroup var options: StoreOptions
        @Option(help: .cli("violations.from", valueName: "DAY")) var from: DayArgument?
        @Option(help: .cli("violations.to", valueName: "DAY")) var to: DayArgument?
        @Option(help: .cli("violations.asOf", valueName: "T|DAY")) var asOf: TimeArgument?
        @Option(help: .cli("common.format")) var format: Format = .table

        /// The JSON of `violations --format json`, written as it goes (`JSONWriter`: the layout of `JSON.rendered()`).
        static func json(_ list: [Violation], from: LocalDay, to: LocalDay, asOf: Date, timeZone: TimeZone,
                         _ f: InstantFormat) -> JSONWriter {
            var w = JSONWriter(capacity: 512 + 300 * list.count)
            w.beginObject()
            w.string("asOf", f.iso(asOf))
            w.string("timeZone", timeZone.identifier)
            w.string("from", from.iso)
            w.string("to", to.iso)
            w.key("violations")
            w.beginArray()
            for v in list {
                w.beginObject()
                w.string("kind", v.kind.rawValue)
                w.string("order", v.orderNumber)
                switch v.kind {
                case .missedCheck:
                    w.optional("due", v.due?.iso)
                    w.optional("checked", v.checked?.iso)
                    w.optional("daysLate", v.daysLate)
                case .breach:
                    w.optional("breach", v.breachID.map(Int.init))
                    w.optional("occurred", v.occurred.map(f.iso))
                    w.string("status", v.isOpen == true ? "open" : "closed")
                }
                w.string("district", v.district)
                w.string("officer", v.officer)
                w.string("reason", processWords.reason(v))
                w.endObject()
            }
            w.endArray()
            w.endObject()
            return w
        }

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
                Self.json(list, from: from, to: to, asOf: asOf, timeZone: context.store.timeZone, f).print()
            case .table, .csv:
                let shown = processWords.violationsTable(list)
                let table = Table(headers: shown.headers, rows: shown.rows)
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
