import Foundation
import OrderModel
import OrderStore
import PostgresStore
import Testing
import TestSupport

@Suite("Which orders changed, on the server, under row security")
struct ChangedOrdersServerTests {
    @Test("a liaison learns only of her district's orders; an order moved out of it makes her screens read everything")
    func liaisonSeesHerDistrict() throws {
        let site = try ServerSite()
        let now = serverTestNow
        let liaison = try Backend.postgres.session(of: site.store, for: site.liaison, now: now)
        let other = try Backend.postgres.session(of: site.store, for: site.otherLiaison, now: now)
        let home = try site.id(of: "ZP-1"), away = try site.id(of: "ZP-2")
        var mark = try liaison.changeMark()
        #expect(try liaison.changedOrders(since: mark) == OrderChanges(mark: mark, orders: []))

        // The supervisor checks both; each liaison hears of her own order only, and the mark passes both.
        try site.store.addCheck("ZP-1", at: almatyTime("2026-11-12 11:00"), officer: "A", method: .visit, outcome: .compliant,
                                note: "", now: now)
        try site.store.addCheck("ZP-2", at: almatyTime("2026-11-12 11:00"), officer: "A", method: .visit, outcome: .compliant,
                                note: "", now: now)
        let seen = try liaison.changedOrders(since: mark)
        #expect(seen.orders == [home])
        #expect(seen.mark == (try site.store.changeMark()))
        #expect(try other.changedOrders(since: mark).orders == [away])
        // A survivor's opening by the supervisor is audited; nobody else learns of it, not even as a change.
        mark = seen.mark
        _ = try site.store.detail(number: "ZP-1", asOf: now, now: now)
        #expect(try liaison.changedOrders(since: mark).orders == [])

        // ZP-1 moves to the other district: its new liaison hears of it as moved; the old one cannot be told which
        // order (she may no longer see it), so her screens read everything.
        mark = try liaison.changeMark()
        try site.store.correct("ZP-1", field: .district, value: ServerSite.other, reason: "wrong district", now: now)
        #expect(try liaison.changedOrders(since: mark).orders == nil)
        let moved = try other.changedOrders(since: mark)
        #expect(moved.orders == [home])
        #expect(moved.moved == [home])

        // The trail itself stays the supervisors': the function gives no action, account or detail.
        let direct = site.psql("SELECT * FROM qorgau.history", as: site.liaison)
        #expect(direct.status != 0 || direct.out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let rows = site.psql("SELECT DISTINCT action FROM qorgau.changed_orders(0, 1000) ORDER BY 1", as: site.liaison)
        #expect(rows.status == 0, "\(rows.err)")
        #expect(Set(rows.out.split(separator: "\n").map(String.init)).isSubset(of: ["head", "none", "figures", "moved", "everything"]),
                "\(rows.out)")
    }
}
