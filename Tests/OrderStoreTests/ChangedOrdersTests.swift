import Foundation
import OrderModel
import OrderStore
import Testing
import TestSupport

@Suite("Which orders changed since a mark")
struct ChangedOrdersTests {
    @Test("each write names its order (a check, a breach and its closing through it); audited reads name none", arguments: Backend.allCases)
    func namesTheOrders(_ backend: Backend) throws {
        let store = try newStore(backend)
        let one = try store.addOrder(order("ZP-1"), now: now)
        let two = try store.addOrder(order("ZP-2", served: nil), now: now)
        let id1 = try #require(one.id), id2 = try #require(two.id)
        var mark = try store.changeMark()
        #expect(try store.changedOrders(since: mark) == OrderChanges(mark: mark, orders: []))

        try store.addCheck("ZP-1", at: t("2026-11-06 11:00"), officer: "A", method: .visit, outcome: .compliant, note: "", now: now)
        var changes = try store.changedOrders(since: mark)
        #expect(changes.orders == [id1])
        #expect(changes.moved.isEmpty, "a check moves no order in a list")
        #expect(changes.mark == (try store.changeMark()))
        mark = changes.mark

        let breach = try store.addBreach("ZP-1", at: t("2026-11-10 20:00"), description: "came", reportedBy: "neighbour", now: now)
        _ = try store.closeBreach(try #require(breach.id), action: "warned", at: t("2026-11-11 10:00"), now: now)
        try store.serve("ZP-2", at: t("2026-11-02 10:00"), now: now)
        changes = try store.changedOrders(since: mark)
        #expect(changes.orders == [id1, id2])
        #expect(changes.moved == [id2])
        mark = changes.mark

        // An opening of survivor data is audited, and changes nothing shown.
        _ = try store.detail(number: "ZP-1", asOf: now, now: now)
        changes = try store.changedOrders(since: mark)
        #expect(changes.orders == [])
        #expect(changes.mark >= mark)
        mark = changes.mark

        try store.correct("ZP-1", field: .officer, value: "Омаров Р.", reason: "typo", now: now)
        try store.revoke("ZP-2", at: t("2026-11-20 10:00"), reason: "court", now: now)
        changes = try store.changedOrders(since: mark)
        #expect(changes.orders == [id1, id2])
        #expect(changes.moved == [id1, id2])
    }

    @Test("what cannot be said per order is unknown: the people changed, more orders than the limit, a mark from other records",
          arguments: Backend.allCases)
    func unknown(_ backend: Backend) throws {
        let store = try newStore(backend)
        try store.addOrder(order("ZP-1"), now: now)
        var mark = try store.changeMark()
        try store.addUser(backend.login("staff2"), role: .staff, district: "", now: now)
        #expect(try store.changedOrders(since: mark).orders == nil)
        #expect(try store.changedOrders(since: mark).mark == (try store.changeMark()))

        mark = try store.changeMark()
        for i in 2...4 { try store.addOrder(order("ZP-\(i)"), now: now) }
        #expect(try store.changedOrders(since: mark, limit: 2).orders == nil)
        #expect(try store.changedOrders(since: mark, limit: 3).orders?.count == 3)

        // A mark ahead of the records' own (another file put in place): nothing can be said.
        let ahead = try store.changedOrders(since: try store.changeMark() + 10)
        #expect(ahead.orders == nil)
        #expect(ahead.mark == (try store.changeMark()))
    }
}
