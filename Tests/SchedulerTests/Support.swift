import Foundation
import OrderModel
import Scheduler
import Testing

// Helpers shared by the scheduler tests. Force-unwraps are allowed here only: a bad
// literal in a test table is a bug in the test, and crashing names it at once.

/// The zones the tests use.
enum Zone {
    /// Kazakhstan, UTC+5 all year since March 2024: the zone of the worked example.
    static let almaty = TimeZone(identifier: "Asia/Almaty")!
    static let utc = TimeZone(identifier: "UTC")!
    /// Daylight saving: 29.03.2026 02:00 -> 03:00, 25.10.2026 03:00 -> 02:00.
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// Daylight saving: 08.03.2026 02:00 -> 03:00, 01.11.2026 02:00 -> 01:00.
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func named(_ id: String) -> TimeZone { TimeZone(identifier: id)! }
}

/// The shipped rule set (RULES.md defaults).
let kz: RuleSet = try! RuleSet.kazakhstan()

func scheduler(_ zone: TimeZone = Zone.almaty) -> Scheduler {
    Scheduler(rules: kz, timeZone: zone)
}

/// `"2026-11-01 15:00"` (or any form `LocalDateTime` parses) as an instant in `zone`.
func at(_ text: String, _ zone: TimeZone = Zone.almaty) -> Date {
    guard let local = LocalDateTime(parsing: text) else { fatalError("test literal is not a date-time: \(text)") }
    return try! local.instant(in: zone)
}

/// `"2026-11-08"` or `"08.11.2026"`.
func day(_ text: String) -> LocalDay {
    guard let d = LocalDay(parsing: text) else { fatalError("test literal is not a date: \(text)") }
    return d
}

/// `"08.11"`: a day of 2026 in the short form RULES.md uses.
func d2026(_ ddMM: String) -> LocalDay { day("\(ddMM).2026") }

let respondentName = "Respondent One"
let survivorName = "Survivor One"

func makeOrder(
    _ number: String = "ZP-1",
    kind: OrderKind = .protectiveOrder,
    issued: Date,
    served: Date? = nil,
    term: Int = 30,
    interval: Int = 7,
    revoked: Date? = nil,
    respondent: String = respondentName,
    survivor: String = survivorName,
    id: Int64 = 1
) -> Order {
    Order(id: id, number: number, kind: kind, issued: issued, served: served, termDays: term,
          checkIntervalDays: interval, district: "Almaly", officer: "Officer A",
          survivor: Survivor(name: survivor), respondent: Respondent(name: respondent),
          revoked: revoked, revocationReason: revoked == nil ? nil : "court decision")
}

func makeCheck(_ instant: Date, _ outcome: CheckOutcome = .compliant, orderID: Int64 = 1, id: Int64? = nil) -> Check {
    Check(id: id, orderID: orderID, at: instant, officer: "Officer A", outcome: outcome)
}

func makeBreach(_ occurred: Date, closed: Date? = nil, orderID: Int64 = 1, id: Int64 = 1) -> Breach {
    Breach(id: id, orderID: orderID, occurred: occurred, reported: occurred, reportedBy: "Officer A",
           description: "came to the flat", closed: closed, action: closed == nil ? nil : "protocol drawn up")
}

/// A check written in a table: local time in the row's zone and outcome.
struct CheckSpec: Sendable, CustomStringConvertible {
    var at: String
    var outcome: CheckOutcome = .compliant
    var description: String { "\(at) \(outcome.rawValue)" }
}

func ok(_ at: String) -> CheckSpec { CheckSpec(at: at, outcome: .compliant) }
func breachCheck(_ at: String) -> CheckSpec { CheckSpec(at: at, outcome: .breach) }
func notLocated(_ at: String) -> CheckSpec { CheckSpec(at: at, outcome: .notLocated) }

/// A missed check written in a table: `due`, `checked` (nil while open), `daysLate`.
struct Missed: Hashable, Sendable, CustomStringConvertible {
    var due: LocalDay
    var checked: LocalDay?
    var daysLate: Int

    init(due: LocalDay, checked: LocalDay?, daysLate: Int) {
        self.due = due
        self.checked = checked
        self.daysLate = daysLate
    }

    init(_ due: String, _ checked: String?, _ daysLate: Int) {
        self.due = day(due)
        self.checked = checked.map(day)
        self.daysLate = daysLate
    }

    init(_ m: MissedCheck) {
        due = m.due
        checked = m.checked
        daysLate = m.daysLate
    }

    var description: String { "due \(due) checked \(checked?.description ?? "-") late \(daysLate)" }
}

/// An alert reduced to what the rules decide: kind and numbers.
struct AlertFacts: Hashable, Sendable, Comparable, CustomStringConvertible {
    var kind: AlertKind
    var number: String = "ZP-1"
    var due: LocalDay?
    var daysOverdue: Int?
    var daysLeft: Int?

    init(kind: AlertKind, number: String = "ZP-1", due: LocalDay? = nil, daysOverdue: Int? = nil, daysLeft: Int? = nil) {
        self.kind = kind
        self.number = number
        self.due = due
        self.daysOverdue = daysOverdue
        self.daysLeft = daysLeft
    }

    init(_ a: Alert) {
        self.init(kind: a.kind, number: a.orderNumber, due: a.due, daysOverdue: a.daysOverdue, daysLeft: a.daysLeft)
    }

    var description: String {
        var parts = [kind.rawValue, number]
        if let due { parts.append("due \(due)") }
        if let daysOverdue { parts.append("overdue \(daysOverdue)") }
        if let daysLeft { parts.append("left \(daysLeft)") }
        return parts.joined(separator: " ")
    }

    static func < (a: AlertFacts, b: AlertFacts) -> Bool { a.description < b.description }
}

func overdue(_ days: Int, due: String, _ number: String = "ZP-1") -> AlertFacts {
    AlertFacts(kind: .checkOverdue, number: number, due: day(due), daysOverdue: days)
}

func dueSoon(_ left: Int, due: String, _ number: String = "ZP-1") -> AlertFacts {
    AlertFacts(kind: .checkDue, number: number, due: day(due), daysLeft: left)
}

func expiring(_ left: Int, _ number: String = "ZP-1") -> AlertFacts {
    AlertFacts(kind: .expiring, number: number, daysLeft: left)
}

func unservedAlert(_ number: String = "ZP-1") -> AlertFacts { AlertFacts(kind: .unserved, number: number) }
func breachOpen(_ number: String = "ZP-1") -> AlertFacts { AlertFacts(kind: .breachOpen, number: number) }

// MARK: - Table rows


/// A breach written in a table: when it occurred and when an action closed it (nil: open).
struct BreachSpec: Sendable, CustomStringConvertible {
    var occurred: String
    var closed: String?
    var description: String { "breach \(occurred) closed \(closed ?? "-")" }
}

func openBreach(_ occurred: String) -> BreachSpec { BreachSpec(occurred: occurred, closed: nil) }
func closedBreach(_ occurred: String, _ closed: String) -> BreachSpec { BreachSpec(occurred: occurred, closed: closed) }

/// One row of a rule table: an order's history written as local times in `zone`, an as-of
/// instant, and what RULES.md says about it. Expectations left nil are not checked.
struct Row: Sendable, CustomTestStringConvertible {
    var name: String
    var zone = "Asia/Almaty"
    var number = "ZP-1"
    var kind: OrderKind = .protectiveOrder
    var issued = "2026-11-01 09:00"
    var served: String? = "2026-11-01 15:00"
    var term = 30
    var interval = 7
    var revoked: String?
    var checks: [CheckSpec] = []
    var breaches: [BreachSpec] = []
    var asOf: String

    var status: OrderStatus?
    /// The current enforced due date; "-" for none.
    var due: String?
    var missed: [Missed]?
    /// The alerts of this order, in the order of the daily screen.
    var alerts: [AlertFacts]?

    var testDescription: String { name }
    var tz: TimeZone { Zone.named(zone) }
    var asOfInstant: Date { at(asOf, tz) }

    var history: OrderHistory {
        let order = makeOrder(number, kind: kind, issued: at(issued, tz), served: served.map { at($0, tz) },
                              term: term, interval: interval, revoked: revoked.map { at($0, tz) })
        let checks = checks.enumerated().map { i, c in makeCheck(at(c.at, tz), c.outcome, id: Int64(i + 1)) }
        let breaches = breaches.enumerated().map { i, b in
            makeBreach(at(b.occurred, tz), closed: b.closed.map { at($0, tz) }, id: Int64(i + 1))
        }
        return OrderHistory(order: order, checks: checks, breaches: breaches)
    }

    /// The whole row, printed when an expectation fails.
    var dump: String {
        var lines = ["\(name) [\(zone)] \(kind.rawValue) \(number): issued \(issued), served \(served ?? "-"), term \(term), interval \(interval), revoked \(revoked ?? "-")"]
        lines += checks.map { "  check \($0)" }
        lines += breaches.map { "  \($0)" }
        lines.append("  as of \(asOf)")
        return lines.joined(separator: "\n")
    }
}

/// Checks every expectation the row states against the scheduler.
func verify(_ row: Row, sourceLocation: SourceLocation = #_sourceLocation) {
    let s = scheduler(row.tz)
    let history = row.history
    let t = row.asOfInstant
    let timeline = s.timeline(of: history, asOf: t)
    let comment = Comment(rawValue: row.dump)
    if let status = row.status {
        #expect(timeline.status == status, comment, sourceLocation: sourceLocation)
        #expect(s.status(of: history.order, asOf: t) == status, comment, sourceLocation: sourceLocation)
    }
    if let due = row.due {
        let expected: LocalDay? = due == "-" ? nil : day(due)
        #expect(timeline.nextDue == expected, comment, sourceLocation: sourceLocation)
    }
    if let missed = row.missed {
        #expect(timeline.missedChecks.map(Missed.init) == missed, comment, sourceLocation: sourceLocation)
    }
    if let alerts = row.alerts {
        let actual = s.alerts(for: [history], asOf: t).map(AlertFacts.init)
        #expect(actual == alerts, comment, sourceLocation: sourceLocation)
    }
}
