import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Scheduler
import Testing
import TestSupport

/// The morning's reads narrow the orders in SQL before the scheduler decides: the narrowing may read more
/// than the scheduler reports, never less. These tests hold the store's answers to the scheduler's on
/// whole histories, around the day boundaries and changes of offset the narrowing reasons about.
@Suite("The morning's candidate reads")
struct MorningCandidatesTests {
    /// Zones and days where the offset changes (a skipped day in Apia, daylight saving at midnight in
    /// Santiago, a half-hour change on Lord Howe, Almaty's change of 2024) and plain days.
    static let boundaryCases: [(zone: String, day: String)] = [
        ("Pacific/Apia", "2011-12-29"), ("Pacific/Apia", "2011-12-31"), ("Pacific/Apia", "2012-01-04"),
        ("America/Santiago", "2026-09-06"), ("America/Santiago", "2026-09-08"), ("America/Santiago", "2026-04-05"),
        ("Australia/Lord_Howe", "2026-10-04"), ("Australia/Lord_Howe", "2026-04-06"),
        ("Europe/London", "2026-03-29"), ("Europe/London", "2026-10-26"), ("Asia/Almaty", "2024-03-01"),
        ("Asia/Almaty", "2024-03-05"), ("Asia/Almaty", "2026-11-22"),
    ]

    @Test("dueBy lies above every anchor whose due date falls by today + dueSoonDays, whatever the zone's changes",
          arguments: boundaryCases.indices)
    func dueByCoversEveryDueAnchor(_ index: Int) throws {
        let (zoneID, text) = Self.boundaryCases[index]
        let zone = try #require(TimeZone(identifier: zoneID))
        let today = day(text)
        let intervals = try RuleSet.kazakhstan().kinds.map(\.checkIntervalDays)
        for dueSoon in [0, 1, 3] {
            let bound = SQLiteBackend.dueBy(today: today, dueSoonDays: dueSoon, intervals: intervals, in: zone)
            for k in 1...31 {
                // The last instant of the last anchor day whose due date (anchor + k) is on or before today + dueSoon.
                let anchorDay = today + dueSoon - k
                let firstAfter = (anchorDay + 1).start(in: zone)
                let latest = firstAfter.addingTimeInterval(-0.001)
                // (A day the zone skipped, as Apia did 30.12.2011, has no instant: the one before is the latest.)
                #expect(LocalDay(latest, in: zone) <= anchorDay, "\(zoneID) \(text) k=\(k)")
                #expect(LocalDay(firstAfter, in: zone) > anchorDay, "\(zoneID) \(text) k=\(k)")
                #expect(latest.timeIntervalSince1970 + Double(k) * 86_400 < bound, "\(zoneID) \(text) dueSoon=\(dueSoon) k=\(k)")
            }
        }
    }

    @Test("dueBy adds nothing where the offset stays put, and a whole day where a day was skipped")
    func dueByIsTight() throws {
        let intervals = try RuleSet.kazakhstan().kinds.map(\.checkIntervalDays)
        let almaty = try #require(TimeZone(identifier: "Asia/Almaty"))
        let today = day("2026-11-22")
        #expect(SQLiteBackend.dueBy(today: today, dueSoonDays: 1, intervals: intervals, in: almaty)
            == (today + 2).start(in: almaty).timeIntervalSince1970)
        let apia = try #require(TimeZone(identifier: "Pacific/Apia"))
        let after = day("2012-01-02")
        #expect(SQLiteBackend.dueBy(today: after, dueSoonDays: 1, intervals: intervals, in: apia)
            == (after + 2).start(in: apia).timeIntervalSince1970 + 86_400)
    }

    /// A store in `zone` whose orders are served, checked (counted or not, some checks dated after the instants
    /// asked about) and revoked around midnight, with intervals 1 to 7 and a special-requirements order.
    static func store(_ backend: Backend, zone: TimeZone, base: String) throws -> OrderStore {
        let late = try #require(LocalDateTime(parsing: base)).instant(in: zone).addingTimeInterval(40 * 86_400)
        let store = try backend.newStore(timeZone: zone, rules: RuleSet.kazakhstan(), account: "boss", now: late)
        let start = try #require(LocalDateTime(parsing: base)).instant(in: zone)
        let clock: [TimeInterval] = [600, 43_200, 79_200]
        for i in 0..<30 {
            let interval = [1, 2, 3, 5, 7][i % 5]
            let served = LocalDay(start, in: zone) - (i % 11)
            let servedAt = served.start(in: zone).addingTimeInterval(clock[i % 3])
            let o = Order(number: "M-\(i)", issued: servedAt.addingTimeInterval(-3600), served: servedAt, termDays: [30, 9, 12][i % 3],
                          checkIntervalDays: interval, district: "Медеуский", officer: "Ахметов Д.",
                          survivor: Survivor(name: "Айгерим Нұрланқызы", phone: "+7 701 000 0000"),
                          respondent: Respondent(name: "Нұрсұлтан Әбілқайыров"))
            try store.addOrder(o, now: late)
            if i % 4 != 0 {
                let checked: LocalDay = served + (1 + i % 5)
                let at = checked.start(in: zone).addingTimeInterval(clock[(i + 1) % 3])
                try store.addCheck("M-\(i)", at: at, officer: "A", method: .visit, outcome: .compliant, note: "", now: late)
            }
            if i % 5 == 0 {
                let at = (served + 2).start(in: zone).addingTimeInterval(clock[(i + 2) % 3])
                try store.addCheck("M-\(i)", at: at, officer: "A", method: .phone, outcome: .notLocated, note: "", now: late)
            }
            if i % 7 == 0 {
                // Checked again later than most of the instants asked about.
                let at = (served + 8).start(in: zone).addingTimeInterval(clock[i % 3])
                try store.addCheck("M-\(i)", at: at, officer: "A", method: .visit, outcome: .breach, note: "", now: late)
            }
            if i == 13 { try store.revoke("M-\(i)", at: servedAt.addingTimeInterval(3 * 86_400), reason: "court", now: late) }
        }
        let special = Order(number: "S-1", kind: .specialRequirements, issued: start.addingTimeInterval(-20 * 86_400),
                            served: start.addingTimeInterval(-20 * 86_400 + 3600), termDays: 90, checkIntervalDays: 7,
                            district: "Медеуский", officer: "Ахметов Д.",
                            survivor: Survivor(name: "Айгерим Нұрланқызы", phone: "+7 701 000 0000"),
                            respondent: Respondent(name: "Нұрсұлтан Әбілқайыров"))
        try store.addOrder(special, now: late)
        try store.addOrder(Order(number: "U-1", issued: start.addingTimeInterval(-2 * 86_400), served: nil, termDays: 30,
                                 checkIntervalDays: 7, district: "Медеуский", officer: "Ахметов Д.",
                                 survivor: Survivor(name: "Айгерим Нұрланқызы", phone: "+7 701 000 0000"),
                                 respondent: Respondent(name: "Нұрсұлтан Әбілқайыров")), now: late)
        return store
    }

    static let zones: [(zone: String, base: String)] = [
        ("Asia/Almaty", "2026-11-22 09:00"), ("America/Santiago", "2026-09-04 09:00"), ("Europe/London", "2026-10-22 09:00"),
    ]

    @Test("alerts and violations at instants every five hours equal the scheduler's on whole histories",
          arguments: Backend.allCases, zones.indices)
    func agreesWithScheduler(_ backend: Backend, _ index: Int) throws {
        let (zoneID, base) = Self.zones[index]
        let zone = try #require(TimeZone(identifier: zoneID))
        let store = try Self.store(backend, zone: zone, base: base)
        let histories = try store.histories()
        #expect(histories.count == 32)
        let start = try #require(LocalDateTime(parsing: base)).instant(in: zone).addingTimeInterval(-6 * 86_400)
        var seen = Set<AlertKind>()
        for step in 0..<(16 * 24 / 5) {
            let instant = start.addingTimeInterval(Double(step) * 5 * 3600)
            let alerts = try store.alerts(asOf: instant)
            #expect(alerts == store.scheduler.alerts(for: histories, asOf: instant), "\(zoneID) alerts as of \(instant)")
            seen.formUnion(alerts.map(\.kind))
            if step % 6 == 0 {
                let to = LocalDay(instant, in: zone)
                for from in [to - 3, to - 20] {
                    #expect(try store.violations(from: from, to: to, asOf: instant)
                        == store.scheduler.violations(for: histories, from: from, to: to, asOf: instant), "\(zoneID) violations as of \(instant)")
                }
            }
        }
        #expect(seen.isSuperset(of: [.checkOverdue, .checkDue, .expiring, .unserved, .breachOpen]), "\(seen)")
    }

    @Test("a breach whose order is not a whole number is still read for violations, and reported")
    func violationsWithAnOrderThatIsNotANumber() throws {
        let store = try DamagedRowsTests.store(.sqlite)
        let (from, to) = (day("2026-11-01"), day("2026-11-22"))
        let before = try store.screenedViolations(from: from, to: to, asOf: now)
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: """
                INSERT INTO breaches (orderID, occurred, reported, reportedBy, description, checkID, closed, action, closedBy,
                                      recordedAt, recordedBy)
                SELECT 'x', occurred, reported, reportedBy, description, checkID, closed, action, closedBy, recordedAt, recordedBy
                FROM breaches LIMIT 1
                """)
            try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
        }
        let after = try store.screenedViolations(from: from, to: to, asOf: now)
        #expect(after.values == before.values)
        #expect(after.damaged.count == before.damaged.count + 1)
        #expect(after.damaged.contains(DamagedRecord(orderID: nil, number: nil, field: .id)))
    }
}
