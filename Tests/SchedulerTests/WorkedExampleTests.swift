import Foundation
import OrderModel
import Scheduler
import Testing

/// The worked example of RULES.md, in Asia/Almaty: order ZP-1 served 01.11.2026 15:00,
/// term 30, interval 7, counted checks on 06.11 and 16.11.
@Suite("RULES.md worked example")
struct WorkedExampleTests {
    let s = scheduler(Zone.almaty)
    let served = at("2026-11-01 15:00")

    func history(checks: [String] = ["2026-11-06 11:00", "2026-11-16 11:00"]) -> OrderHistory {
        let order = makeOrder("ZP-1", issued: at("2026-11-01 10:00"), served: served, term: 30, interval: 7)
        return OrderHistory(order: order, checks: checks.enumerated().map { makeCheck(at($1), id: Int64($0 + 1)) })
    }

    @Test func expiresFirstOfDecemberAt1500() {
        #expect(s.expires(served: served, termDays: 30) == at("2026-12-01 15:00"))
    }

    @Test func firstCheckDueEighthOfNovember() {
        #expect(s.timeline(of: history(checks: []), asOf: at("2026-11-02 10:00")).nextDue == d2026("08.11"))
    }

    @Test func checkOnSixthMovesDueDateToThirteenth() {
        let t = s.timeline(of: history(checks: ["2026-11-06 11:00"]), asOf: at("2026-11-07 10:00"))
        #expect(t.nextDue == d2026("13.11"))
        #expect(t.missedChecks.isEmpty)
    }

    @Test func missedCheckDue13CheckedOn16ThreeDaysLateNextDue23() throws {
        let t = s.timeline(of: history(), asOf: at("2026-11-16 12:00"))
        #expect(t.status == .active)
        #expect(t.missedChecks.map(Missed.init) == [Missed("2026-11-13", "2026-11-16", 3)])
        #expect(t.nextDue == d2026("23.11"))
        #expect(t.anchor == d2026("16.11"))

        let violations = s.violations(for: [history()], from: d2026("01.11"), to: d2026("30.11"),
                                      asOf: at("2026-11-16 12:00"))
        let v = try #require(violations.first)
        #expect(violations.count == 1)
        #expect(v.kind == .missedCheck)
        #expect(v.due == d2026("13.11"))
        #expect(v.checked == d2026("16.11"))
        #expect(v.daysLate == 3)
    }

    @Test func before16thTheGapIsOpen() {
        let t = s.timeline(of: history(), asOf: at("2026-11-15 12:00"))
        #expect(t.missedChecks.map(Missed.init) == [Missed("2026-11-13", nil, 2)])
    }

    @Test func on22ndAt0900CheckDueTomorrow() throws {
        let alerts = s.alerts(for: [history()], asOf: at("2026-11-22 09:00"))
        let a = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(a.kind == .checkDue)
        #expect(a.daysLeft == 1)
        #expect(a.due == d2026("23.11"))
        #expect(a.orderNumber == "ZP-1")
        #expect(a.anchor == d2026("16.11"))
        #expect(a.anchorIsCheck)
    }

    @Test func on25thOverdueTwoDays() throws {
        let alerts = s.alerts(for: [history()], asOf: at("2026-11-25 00:00"))
        let a = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(a.kind == .checkOverdue)
        #expect(a.daysOverdue == 2)
        #expect(a.due == d2026("23.11"))
        #expect(a.anchor == d2026("16.11"))
        #expect(a.anchorIsCheck)
    }

    @Test func on28thOverdueFiveDaysThenExpiringThreeDaysLeft() throws {
        let alerts = s.alerts(for: [history()], asOf: at("2026-11-28 00:00"))
        try #require(alerts.count == 2)
        #expect(alerts[0].kind == .checkOverdue)
        #expect(alerts[0].daysOverdue == 5)
        #expect(alerts[0].due == d2026("23.11"))
        #expect(alerts[0].anchor == d2026("16.11"))
        #expect(alerts[1].kind == .expiring)
        #expect(alerts[1].daysLeft == 3)
        #expect(alerts[1].expires == at("2026-12-01 15:00"))
    }

    @Test func dueDate30thIsEnforced01stIsNot() {
        let ends = at("2026-12-01 15:00")
        #expect(s.isEnforced(d2026("30.11"), ends: ends))
        #expect(!s.isEnforced(d2026("01.12"), ends: ends))
    }

    /// "The due date 30.11 (if a check came on 23.11) is enforced": missing it is overdue
    /// on 01.12 before 15:00, and a missed check for good after the end.
    @Test func checkOn23rdMakes30thEnforced() {
        let h = history(checks: ["2026-11-06 11:00", "2026-11-16 11:00", "2026-11-23 11:00"])
        #expect(s.timeline(of: h, asOf: at("2026-11-24 10:00")).nextDue == d2026("30.11"))
        let alerts = s.alerts(for: [h], asOf: at("2026-12-01 10:00")).map(AlertFacts.init)
        #expect(alerts == [overdue(1, due: "2026-11-30"), expiring(0)])
        let after = s.timeline(of: h, asOf: at("2026-12-05 10:00"))
        #expect(after.status == .expired)
        #expect(after.missedChecks.map(Missed.init) == [
            Missed("2026-11-13", "2026-11-16", 3), Missed("2026-11-30", nil, 1),
        ])
    }

    /// "A due date of 01.12 would not be": checks on 23.11 (on time) and 24.11 leave no check demanded.
    @Test func checkOn24thLeavesNoEnforcedDueDate() {
        let h = history(checks: ["2026-11-06 11:00", "2026-11-16 11:00", "2026-11-23 11:00", "2026-11-24 11:00"])
        #expect(s.timeline(of: h, asOf: at("2026-11-25 10:00")).nextDue == nil)
        #expect(s.alerts(for: [h], asOf: at("2026-12-01 10:00")).map(AlertFacts.init) == [expiring(0)])
        let after = s.timeline(of: h, asOf: at("2026-12-05 10:00"))
        #expect(after.missedChecks.map(Missed.init) == [Missed("2026-11-13", "2026-11-16", 3)])
    }
}
