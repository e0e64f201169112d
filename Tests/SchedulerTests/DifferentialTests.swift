import Foundation
import OrderModel
import Scheduler
import Testing

// A second, independent reading of RULES.md: a plain day-by-day walk written from the rules
// alone, compared with the scheduler on thousands of random histories.

// MARK: - Deterministic random numbers

/// The project's seeded generator, with the draws the generator of histories needs.
struct SplitMix64 {
    private var base: SeededGenerator

    init(seed: UInt64) { base = SeededGenerator(seed: seed) }

    mutating func next() -> UInt64 { base.next() }

    /// Uniform in `range` (the modulo bias is irrelevant here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// True with probability `percent` / 100.
    mutating func percent(_ percent: Int) -> Bool { int(0...99) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

// MARK: - The simulator

/// A local date and clock time (seconds since local midnight).
struct LocalTime: Comparable, CustomStringConvertible {
    var day: LocalDay
    var seconds: Int

    static func < (a: LocalTime, b: LocalTime) -> Bool { (a.day, a.seconds) < (b.day, b.seconds) }

    var description: String {
        "\(day.iso) " + String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }
}

/// What RULES.md says about one order as of an instant, reduced to comparable facts.
struct Verdict: Equatable, CustomStringConvertible {
    var status: OrderStatus
    /// Sorted by description: compared as a multiset.
    var alerts: [AlertFacts]
    var missed: [Missed]

    var description: String {
        "status \(status.rawValue); alerts [\(alerts.map(\.description).joined(separator: "; "))]; "
            + "missed [\(missed.map(\.description).joined(separator: "; "))]"
    }
}

/// RULES.md read literally, one calendar day at a time. Uses `Calendar` for local times and
/// `LocalDay` only as a date value; nothing from the scheduler.
struct RulesSimulator {
    let zone: TimeZone
    let dueSoonDays: Int
    let expiringDays: Int
    let unservedGraceHours: Int
    private let calendar: Calendar

    init(zone: TimeZone, rules: RuleSet) {
        self.zone = zone
        dueSoonDays = rules.horizons.dueSoonDays
        expiringDays = rules.horizons.expiringDays
        unservedGraceHours = rules.horizons.unservedGraceHours
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// "Date of X" and its local clock time.
    func local(_ instant: Date) -> LocalTime {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        let day = LocalDay(year: c.year ?? 0, month: c.month ?? 0, day: c.day ?? 0) ?? LocalDay(ordinal: 0)
        return LocalTime(day: day, seconds: (c.hour ?? 0) * 3600 + (c.minute ?? 0) * 60 + (c.second ?? 0))
    }

    /// The instant of a local time (the generator avoids clock times that a change skips or repeats).
    func instant(_ t: LocalTime) -> Date {
        let (y, m, d) = t.day.components
        let parts = DateComponents(year: y, month: m, day: d, hour: t.seconds / 3600, minute: t.seconds / 60 % 60,
                                   second: t.seconds % 60)
        return calendar.date(from: parts) ?? .distantPast
    }

    func run(_ history: OrderHistory, asOf now: Date) -> Verdict {
        let order = history.order
        let today = local(now).day
        var alerts: [AlertFacts] = []

        // Only what was recorded by `now` is known as of `now`.
        let served = order.served.flatMap { $0 <= now ? $0 : nil }
        let revoked = order.revoked.flatMap { $0 <= now ? $0 : nil }

        // 9. An open breach: recorded, no action yet (an action after `now` is not known yet).
        for breach in history.breaches where breach.occurred <= now {
            let closedByNow = breach.closed.map { $0 <= now } ?? false
            if !closedByNow { alerts.append(breachOpen(order.number)) }
        }

        // 1. An unserved order is not in effect. 8. Unserved after the grace hours, unless revoked.
        guard let served else {
            if revoked == nil, now.timeIntervalSince(order.issued) >= Double(unservedGraceHours) * 3600 {
                alerts.append(unservedAlert(order.number))
            }
            return Verdict(status: revoked == nil ? .unserved : .revoked, alerts: alerts.sorted(), missed: [])
        }

        // 1. expires = served + termDays calendar days at the same local clock time; ends = min(expires, revoked).
        let servedAt = local(served)
        let expiresAt = LocalTime(day: servedAt.day + order.termDays, seconds: servedAt.seconds)
        let expires = instant(expiresAt)
        var endsAt = expiresAt
        var ends = expires
        if let revoked, revoked < expires {
            endsAt = local(revoked)
            ends = revoked
        }
        let inEffectNow = served <= now && now < ends
        let status: OrderStatus = revoked != nil ? .revoked : (inEffectNow ? .active : .expired)

        // 4. Still in effect at the end of day d: ends after the local midnight ending d.
        func inEffectAtEnd(of d: LocalDay) -> Bool { endsAt > LocalTime(day: d + 1, seconds: 0) }

        // 2. Counted checks: compliant or breach, known by now, made while the order could be checked.
        var countedDays = Set<LocalDay>()
        for check in history.checks where check.outcome != .notLocated && check.at <= now
            && check.at >= served && check.at <= ends {
            countedDays.insert(local(check.at).day)
        }

        // 3, 10. Walk the days from the date of service to the date of `now` (or of ends).
        var lastCounted = servedAt.day
        var openGapDue: LocalDay?
        var missed: [Missed] = []
        var d = servedAt.day
        while d <= min(today, endsAt.day) {
            if countedDays.contains(d) {
                if let due = openGapDue {
                    missed.append(Missed(due: due, checked: d, daysLate: d - due))
                    openGapDue = nil
                }
                lastCounted = d
            }
            // At the midnight ending d (if it has come by now): was d a due date left unchecked?
            let dayIsOver = d < today
            if dayIsOver, openGapDue == nil, d == lastCounted + order.checkIntervalDays, inEffectAtEnd(of: d) {
                openGapDue = d
            }
            d = d + 1
        }
        if let due = openGapDue {
            missed.append(Missed(due: due, checked: nil, daysLate: min(today, endsAt.day) - due))
        }

        // 5, 6, 7. Alerts of an order in effect.
        if inEffectNow && status == .active {
            let due = lastCounted + order.checkIntervalDays
            if inEffectAtEnd(of: due) {
                if today > due {
                    alerts.append(AlertFacts(kind: .checkOverdue, number: order.number, due: due, daysOverdue: today - due))
                } else if due - today <= dueSoonDays {
                    alerts.append(AlertFacts(kind: .checkDue, number: order.number, due: due, daysLeft: due - today))
                }
            }
            let left = expiresAt.day - today
            if left >= 0 && left <= expiringDays {
                alerts.append(AlertFacts(kind: .expiring, number: order.number, daysLeft: left))
            }
        }
        return Verdict(status: status, alerts: alerts.sorted(), missed: missed)
    }
}

// MARK: - Random histories

struct GeneratedCase: CustomStringConvertible {
    var seed: UInt64
    var index: Int
    var zone: TimeZone
    var history: OrderHistory
    var asOf: [Date]

    var description: String {
        let f = InstantFormat(timeZone: zone)
        func show(_ d: Date?) -> String {
            d.map { "\(f.iso($0)) (epoch \(Int64($0.timeIntervalSince1970)))" } ?? "-"
        }
        let o = history.order
        var lines = [
            "seed 0x\(String(seed, radix: 16)) case \(index) (replay: DifferentialTests.generate(seed:index:))",
            "zone \(zone.identifier); order \(o.number) \(o.kind.rawValue) term \(o.termDays) interval \(o.checkIntervalDays)",
            "  issued  \(show(o.issued))",
            "  served  \(show(o.served))",
            "  revoked \(show(o.revoked))",
        ]
        lines += history.checks.map { "  check   \(show($0.at)) \($0.outcome.rawValue)" }
        lines += history.breaches.map { "  breach  \(show($0.occurred)) closed \(show($0.closed))" }
        return lines.joined(separator: "\n")
    }
}

@Suite("Differential: scheduler vs a day-by-day simulator of RULES.md")
struct DifferentialTests {
    static let baseSeed: UInt64 = 0x0051_0A6A_0202_6111
    static let caseCount = 3000

    /// 2026-01-01 00:00 UTC.
    static let yearStart = Date(timeIntervalSince1970: 1_767_225_600)

    /// Case `index` of the run seeded with `seed`; each case has its own generator so one case
    /// can be replayed alone.
    static func generate(seed: UInt64, index: Int) -> GeneratedCase {
        var r = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        let zone = r.percent(50) ? Zone.almaty : r.pick([Zone.berlin, Zone.newYork])
        let sim = RulesSimulator(zone: zone, rules: kz)
        let hasDST = zone.identifier != Zone.almaty.identifier
        func seconds(_ from: Date, _ to: Date) -> Int { max(0, Int(to.timeIntervalSince(from))) }
        func plus(_ d: Date, _ s: Int) -> Date { d.addingTimeInterval(Double(s)) }

        let kind: OrderKind = r.percent(85) ? .protectiveOrder : .specialRequirements
        let term: Int
        let interval: Int
        if kind == .protectiveOrder {
            term = r.percent(30) ? 30 : r.int(1...30)
            interval = r.percent(30) ? 7 : r.int(1...7)
        } else {
            term = r.int(90...366)
            interval = r.int(7...31)
        }

        // Any second of 2026 (both clock changes of both DST zones fall in it).
        let issued = plus(yearStart, r.int(0...(365 * 86_400)))
        var served: Date?
        if r.percent(85) {
            var s = plus(issued, r.percent(20) ? 0 : r.int(1...(72 * 3600)))
            if r.percent(25) {
                // On a local midnight, or one second after: the edges of rule 4.
                let day = sim.local(s).day + 1
                s = plus(sim.instant(LocalTime(day: day, seconds: 0)), r.pick([0, 1, 60]))
            }
            // A clock time that the spring change skips or the autumn one repeats would make
            // "the same local clock time" ambiguous at expiry (see the report): keep clear of 01:00-02:59.
            if hasDST, (3600..<(3 * 3600)).contains(sim.local(s).seconds) { s = plus(s, 3 * 3600) }
            served = s
        }

        var revoked: Date?
        var ends: Date?
        if let served {
            let expires = sim.instant(LocalTime(day: sim.local(served).day + term, seconds: sim.local(served).seconds))
            ends = expires
            if r.percent(20) {
                var at = plus(served, r.int(0...max(0, seconds(served, expires) - 1)))
                if r.percent(40) {
                    // On a local midnight, or just after: the edges of rule 4.
                    let midnight = sim.instant(LocalTime(day: sim.local(at).day + 1, seconds: 0))
                    let edge = plus(midnight, r.pick([0, 0, 1]))
                    if edge < expires { at = edge }
                }
                revoked = at
                ends = at
            }
        } else if r.percent(25) {
            revoked = plus(issued, r.int(0...(5 * 86_400)))
        }

        var checks: [Check] = []
        var breaches: [Breach] = []
        if let served, let ends {
            let span = seconds(served, ends)
            func randomInstant() -> Date {
                switch r.int(0...19) {
                case 0: return served
                case 1: return ends
                case 2, 3, 4:
                    // Just before or at a local midnight inside the term.
                    let first = sim.local(served).day, last = sim.local(ends).day
                    let day = first + r.int(0...max(0, last - first))
                    let t = sim.instant(LocalTime(day: day, seconds: r.pick([0, 59, 86_399, 86_340])))
                    return min(max(t, served), ends)
                default: return plus(served, r.int(0...span))
                }
            }
            for _ in 0..<r.int(0...8) {
                let outcome: CheckOutcome = r.percent(70) ? .compliant : (r.percent(50) ? .breach : .notLocated)
                checks.append(makeCheck(randomInstant(), outcome))
            }
            checks.sort { $0.at < $1.at }
            for i in checks.indices { checks[i].id = Int64(i + 1) }
            // A check with outcome breach opens a breach; plus 0 to 2 breaches reported otherwise.
            let breachTimes = checks.filter { $0.outcome == .breach }.map(\.at) + (0..<r.int(0...2)).map { _ in randomInstant() }
            for (i, occurred) in breachTimes.enumerated() {
                let closed = r.percent(50) ? plus(occurred, r.int(0...(10 * 86_400))) : nil
                breaches.append(makeBreach(occurred, closed: closed, id: Int64(i + 1)))
            }
        }

        let order = makeOrder("ZP-\(index)", kind: kind, issued: issued, served: served,
                              term: term, interval: interval, revoked: revoked)
        let history = OrderHistory(order: order, checks: checks, breaches: breaches)

        // As-of instants before, during and after the term, and on its edges.
        let horizon = plus(ends ?? plus(issued, 40 * 86_400), 30 * 86_400)
        let from = plus(issued, -86_400)
        var asOf: [Date] = []
        for _ in 0..<4 {
            switch r.int(0...9) {
            case 0:
                let edges = [served, ends, revoked, plus(issued, 24 * 3600), plus(issued, 24 * 3600 - 1)]
                    + checks.map(\.at) + breaches.map(\.occurred) + breaches.map(\.closed)
                asOf.append(r.pick(edges.compactMap { $0 }))
            case 1, 2:
                // A local midnight or the last second before one.
                let first = sim.local(from).day
                let day = first + r.int(0...max(0, sim.local(horizon).day - first))
                asOf.append(sim.instant(LocalTime(day: day, seconds: r.pick([0, 86_399]))))
            case 3:
                asOf.append(plus(ends ?? issued, r.int(0...(40 * 86_400))))
            default:
                asOf.append(plus(from, r.int(0...seconds(from, horizon))))
            }
        }
        return GeneratedCase(seed: seed, index: index, zone: zone, history: history, asOf: asOf)
    }

    /// What the scheduler says, reduced to the same facts as the simulator's verdict.
    static func schedulerVerdict(_ c: GeneratedCase, asOf t: Date) -> (Verdict, OrderStatus) {
        let s = scheduler(c.zone)
        let timeline = s.timeline(of: c.history, asOf: t)
        let alerts = s.alerts(for: c.history, asOf: t).map(AlertFacts.init).sorted()
        let verdict = Verdict(status: timeline.status, alerts: alerts, missed: timeline.missedChecks.map(Missed.init))
        return (verdict, s.status(of: c.history.order, asOf: t))
    }

    @Test func schedulerAgreesWithTheSimulator() {
        Self.expectAgreement(seed: Self.baseSeed, cases: Self.caseCount)
    }

    /// The same comparison on 100,000 histories of another seed: slow (seconds, not milliseconds), so tagged;
    /// it runs in CI with every other test.
    @Test(.tags(.slow)) func schedulerAgreesOnAHundredThousandHistories() {
        Self.expectAgreement(seed: Self.baseSeed ^ 0x5EED_0001, cases: 100_000, asOfPerCase: 1)
    }

    /// Compares the scheduler with the simulator on `cases` generated histories (each at
    /// `asOfPerCase` of its instants), recording the first mismatches in full.
    static func expectAgreement(seed: UInt64, cases: Int, asOfPerCase: Int = .max) {
        var compared = 0, mismatches = 0
        var seen: [String: Int] = [:]
        for index in 0..<cases {
            let c = Self.generate(seed: seed, index: index)
            let sim = RulesSimulator(zone: c.zone, rules: kz)
            for t in c.asOf.prefix(asOfPerCase) {
                compared += 1
                let expected = sim.run(c.history, asOf: t)
                let (actual, plainStatus) = Self.schedulerVerdict(c, asOf: t)
                for a in expected.alerts { seen[a.kind.rawValue, default: 0] += 1 }
                seen["status \(expected.status.rawValue)", default: 0] += 1
                if expected.missed.contains(where: { $0.checked == nil }) { seen["open gap", default: 0] += 1 }
                if expected.missed.contains(where: { $0.checked != nil }) { seen["closed gap", default: 0] += 1 }
                if expected != actual || plainStatus != expected.status {
                    mismatches += 1
                    if mismatches <= 5 {
                        Issue.record("""
                            scheduler and RULES.md simulator disagree (seed \(seed), case \(index))
                            \(c)
                            as of \(InstantFormat(timeZone: c.zone).iso(t)) (epoch \(Int64(t.timeIntervalSince1970)))
                              simulator: \(expected)
                              scheduler: \(actual) (status(of:) \(plainStatus.rawValue))
                            """)
                    }
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(compared) comparisons disagree (first 5 recorded above)")
        // The generator must reach every rule, or agreeing proves little.
        for key in ["breach-open", "check-overdue", "unserved", "check-due", "expiring", "status active",
                    "status expired", "status revoked", "status unserved", "open gap", "closed gap"] {
            #expect(seen[key, default: 0] >= 50, "only \(seen[key, default: 0]) comparisons with \(key)")
        }
    }

    /// The generator is deterministic: a reported case can be replayed from its seed and index.
    @Test func generatorIsDeterministic() {
        let a = Self.generate(seed: Self.baseSeed, index: 1234)
        let b = Self.generate(seed: Self.baseSeed, index: 1234)
        #expect(a.history == b.history)
        #expect(a.asOf == b.asOf)
        #expect(a.history != Self.generate(seed: Self.baseSeed, index: 1235).history)
    }

    /// Every generated history is one the admit functions would have let in, so the
    /// comparison stays within what can be recorded.
    @Test func generatedHistoriesAreAdmissible() throws {
        for index in stride(from: 0, to: Self.caseCount, by: 10) {
            let c = Self.generate(seed: Self.baseSeed, index: index)
            let s = scheduler(c.zone)
            let order = c.history.order
            let late = Date(timeIntervalSince1970: 2_000_000_000)
            _ = try s.admitNew(order, now: late)
            for check in c.history.checks { _ = try s.admit(check, on: order, now: late) }
            for breach in c.history.breaches { _ = try s.admit(breach, on: order, now: late) }
        }
    }
}

extension Tag {
    /// Tests that take tens of seconds; they still run in CI.
    @Tag static var slow: Self
}
