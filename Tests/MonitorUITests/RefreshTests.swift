import Foundation
@testable import MonitorUI
import OrderModel
import OrderStore
import Scheduler
import Terminal
import Testing

/// What the open screens hold: the figures a partial refresh must leave exactly as a whole computation would.
private struct Shown: Equatable {
    var alerts: [Alert]
    var violations: [Violation]
    var orders: [OrderSummary]
    var ordersTotal: Int
    var order: OrderHistory?

    init(_ app: MonitorApp) {
        alerts = app.today.alerts
        violations = app.violations.all
        orders = app.orders.visible
        ordersTotal = app.orders.total
        order = app.orderScreen?.detail.history
    }
}

/// One write another terminal makes, by the store's own session.
private enum Write: String, CaseIterable, CustomStringConvertible {
    case checkIn, breachRecorded, breachClosed, orderAdded, orderServed, orderRevoked, correction, survivorOpening

    var description: String { rawValue }

    func perform(on store: OrderStore, _ random: inout SeededGenerator, serial: Int, now: Date) throws {
        let number = "RF-\(Int.random(in: 1...24, using: &random))"
        let earlier = now.addingTimeInterval(-Double(Int.random(in: 1...20, using: &random)) * 1800)
        switch self {
        case .checkIn:
            _ = try? store.addCheck(number, at: earlier, officer: "Омаров Р.", method: .visit,
                                    outcome: [.compliant, .notLocated, .breach].randomElement(using: &random) ?? .compliant, note: "", now: now)
        case .breachRecorded:
            _ = try? store.addBreach(number, at: earlier, description: "came to the door", reportedBy: "neighbour", now: now)
        case .breachClosed:
            let open = try store.alerts(asOf: now).filter { $0.kind == .breachOpen }
            if let breach = open.randomElement(using: &random), let id = breach.breachID {
                _ = try store.closeBreach(id, action: "warned", at: now, now: now)
            }
        case .orderAdded:
            let served: Date? = Bool.random(using: &random) ? now.addingTimeInterval(-Double(Int.random(in: 1...29, using: &random)) * 86_400) : nil
            _ = try store.addOrder(Order(number: "RN-\(serial)", issued: (served ?? now).addingTimeInterval(-2 * 86_400), served: served,
                                         termDays: 30, checkIntervalDays: 7, district: "Есиль", officer: "Омаров Р.",
                                         survivor: Survivor(name: "Added Survivor"), respondent: Respondent(name: "Added \(serial)")),
                                   now: now)
        case .orderServed:
            let waiting = try store.alerts(asOf: now).filter { $0.kind == .unserved }
            if let order = waiting.randomElement(using: &random) { try store.serve(order.orderNumber, at: earlier, now: now) }
        case .orderRevoked:
            try? store.revoke(number, at: earlier, reason: "court", now: now)
        case .correction:
            let field: CorrectableField = Bool.random(using: &random) ? .district : .officer
            try? store.correct(number, field: field, value: field == .district ? "Алмалинский" : "Corrected \(serial)",
                               reason: "typo", now: now)
        case .survivorOpening:
            _ = try store.detail(number: number, asOf: now, now: now)
        }
    }
}

@Suite("A live refresh reads again only the orders written")
struct RefreshTests {
    /// 24 orders in several states (served long ago and overdue, expiring, unserved, with breaches), an app on them
    /// with every tab loaded (Orders in pages of 5) and one order opened.
    private static func makeApp(seed: UInt64, clock: TestClock = TestClock(t("2026-11-22 09:00"))) throws
        -> (MonitorApp, OrderStore, Date) {
        let store = try OrderStore.inMemory(timeZone: almaty, rules: RuleSet.kazakhstan(), account: "sup1")
        let now = clock.now
        var random = SeededGenerator(seed: seed)
        for i in 1...24 {
            let servedDaysAgo = Int.random(in: -4...29, using: &random)
            let served: Date? = servedDaysAgo < 0 ? nil : now.addingTimeInterval(-Double(servedDaysAgo) * 86_400 - 3600)
            try store.addOrder(Order(number: "RF-\(i)", issued: now.addingTimeInterval(-Double(max(servedDaysAgo, 1) + 1) * 86_400),
                                     served: served, termDays: 30, checkIntervalDays: 7, district: ["Есиль", "Медеуский"][i % 2],
                                     officer: "Ахметов Д.", survivor: Survivor(name: "Survivor \(i)"),
                                     respondent: Respondent(name: "Respondent \(i)")), now: now)
            if let served, served.addingTimeInterval(3 * 86_400) < now, Bool.random(using: &random) {
                try store.addCheck("RF-\(i)", at: served.addingTimeInterval(3 * 86_400), officer: "A", method: .visit,
                                   outcome: .compliant, note: "", now: now)
            }
            if let served, served < now.addingTimeInterval(-5 * 3600), Int.random(in: 0..<4, using: &random) == 0 {
                _ = try store.addBreach("RF-\(i)", at: now.addingTimeInterval(-5 * 3600), description: "phoned", reportedBy: "survivor",
                                        now: now)
            }
        }
        let app = MonitorApp(store: store, clock: { clock.now }, pageSize: 5)
        app.handle(.character("2"))
        app.handle(.character("4"))
        app.handle(.character("2"))
        app.openOrder("RF-3")
        return (app, store, now)
    }

    @Test("after each kind of write, a refresh (no whole computation) shows exactly what a whole reload shows",
          arguments: Write.allCases.map(\.rawValue))
    func eachWrite(_ name: String) throws {
        let write = try #require(Write(rawValue: name))
        var written = 0
        for seed in UInt64(1)...6 {
            let (app, store, now) = try Self.makeApp(seed: seed)
            var random = SeededGenerator(seed: seed &* 7919)
            let before = try store.changeMark()
            for serial in 0..<3 { try write.perform(on: store, &random, serial: serial, now: now) }
            if try store.changeMark() > before { written += 1 }
            let whole = app.loader.wholeComputations
            app.tick()
            #expect(app.loader.wholeComputations == whole, "\(write), seed \(seed): the refresh read everything")
            let refreshed = Shown(app)
            app.reload()
            #expect(refreshed == Shown(app), "\(write), seed \(seed)")
        }
        #expect(written >= 3, "\(write): too few of the writes were made to tell anything")
    }

    @Test("after random runs of writes, the refreshed screens equal a whole reload")
    func randomWrites() throws {
        for seed in UInt64(11)...30 {
            let (app, store, now) = try Self.makeApp(seed: seed)
            var random = SeededGenerator(seed: seed)
            for round in 0..<4 {
                for serial in 0..<Int.random(in: 1...5, using: &random) {
                    let write = Write.allCases.randomElement(using: &random) ?? .checkIn
                    try write.perform(on: store, &random, serial: round * 10 + serial, now: now)
                }
                app.tick()
                let refreshed = Shown(app)
                app.reload()
                #expect(refreshed == Shown(app), "seed \(seed), round \(round)")
            }
        }
    }

    @Test("a change of the people or a new minute reads everything; nothing written reads nothing; a check refreshes")
    func wholeWhenUnknown() throws {
        let clock = TestClock(t("2026-11-22 09:00"))
        let (app, store, now) = try Self.makeApp(seed: 3, clock: clock)
        var whole = app.loader.wholeComputations
        try store.addUser("staff9", role: .staff, district: "", now: now)
        app.tick()
        #expect(app.loader.wholeComputations == whole + 1)
        whole += 1
        app.tick()
        #expect(app.loader.wholeComputations == whole, "nothing written, nothing read")
        let open = try #require(app.today.alerts.first { $0.kind == .checkOverdue || $0.kind == .checkDue })
        try store.addCheck(open.orderNumber, at: now.addingTimeInterval(-60), officer: "A", method: .visit, outcome: .compliant, note: "",
                           now: now)
        app.tick()
        #expect(app.loader.wholeComputations == whole)
        #expect(!app.today.alerts.contains { $0.orderNumber == open.orderNumber && $0.kind == open.kind }, "the check is shown")
        clock.now = now.addingTimeInterval(61)
        app.tick()
        #expect(app.loader.wholeComputations == whole + 1, "a minute later, every figure is computed again")
    }
}
