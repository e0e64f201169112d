import Foundation
@testable import MonitorUI
import OrderModel
import OrderStore
import Terminal
import Testing

/// The Orders screen over a list several pages long (pages of 5): it reads pages as the cursor moves, never the
/// whole list, and the position, `G`, `g`, the sort and the search are the list's, not the window's.
@Suite("Orders read by pages")
struct OrdersPagingTests {
    static let count = 60

    /// 60 orders in effect, ZP-01 … ZP-60, each with its own respondent and survivor; pages of 5.
    func makePagedApp() throws -> (MonitorApp, GridCanvas, OrderStore) {
        let store = try OrderStore.inMemory(timeZone: almaty, rules: RuleSet.kazakhstan(), account: "liaison1")
        let clock = TestClock(t("2026-11-22 09:00"))
        for i in 1 ... Self.count {
            let n = String(format: "%02d", i)
            try store.addOrder(Order(number: "ZP-\(n)", issued: t("2026-11-10 10:00"), served: t("2026-11-10 15:00"), termDays: 30,
                                     checkIntervalDays: 7, district: "Есиль", officer: "Ахметов Д.",
                                     survivor: Survivor(name: "Survivor Qyz\(n)"), respondent: Respondent(name: "Respondent Ul\(n)")),
                               now: clock.now)
        }
        let app = MonitorApp(store: store, clock: { clock.now }, pageSize: 5)
        let canvas = GridCanvas(rows: 24, cols: 80)
        app.press(.character("2"), on: canvas)
        return (app, canvas, store)
    }

    /// The number of the selected row as the screen has it.
    func selected(_ app: MonitorApp) -> String? { app.orders.row(at: app.orders.cursor.selected)?.order.number }

    @Test("opening reads the first pages only; G shows the last order at row 60 of 60; walking back up and g keep the count")
    func endAndBack() throws {
        let (app, canvas, _) = try makePagedApp()
        #expect(canvas.contains("Orders: active (60)"), "\(canvas.text)")
        #expect(canvas.contains("row 1 of 60"), "\(canvas.text)")
        #expect(app.orders.visible.count < Self.count, "the whole list was read")
        #expect(canvas.contains("ZP-01") && !canvas.contains("ZP-60"))

        app.press(.character("G"), on: canvas)
        #expect(canvas.contains("row 60 of 60"), "\(canvas.text)")
        #expect(selected(app) == "ZP-60")
        #expect(canvas.contains("ZP-60"))
        #expect(app.orders.visible.count < Self.count)

        for _ in 0 ..< Self.count - 1 { app.press(.character("k"), on: canvas) }
        #expect(canvas.contains("row 1 of 60"), "\(canvas.text)")
        #expect(selected(app) == "ZP-01")

        app.press(.end, on: canvas)
        #expect(selected(app) == "ZP-60")
        app.press(.character("g"), on: canvas)
        #expect(selected(app) == "ZP-01")
        #expect(canvas.contains("row 1 of 60"))
    }

    @Test("moving down reads the next pages: every row in turn, then Enter opens the one selected")
    func walkDown() throws {
        let (app, canvas, _) = try makePagedApp()
        for i in 2 ... Self.count {
            app.press(.character("j"), on: canvas)
            #expect(selected(app) == String(format: "ZP-%02d", i))
            #expect(canvas.contains("row \(i) of 60"), "\(canvas.text)")
        }
        app.press(.character("j"), on: canvas)
        #expect(selected(app) == "ZP-60", "the end stays the end")
        app.press(.pageUp, on: canvas)
        let number = String(format: "ZP-%02d", Self.count - (app.listHeight - 1))
        #expect(selected(app) == number)
        app.press(.enter, on: canvas)
        #expect(app.orderScreen?.number == number)
    }

    @Test("S reverses the list: the first page read is the last orders, and G then shows ZP-01")
    func reversed() throws {
        let (app, canvas, _) = try makePagedApp()
        app.press(.character("S"), on: canvas)
        #expect(selected(app) == "ZP-60")
        #expect(canvas.contains("row 1 of 60"))
        app.press(.character("G"), on: canvas)
        #expect(selected(app) == "ZP-01")
        #expect(canvas.contains("row 60 of 60"))
    }

    @Test("the search reads the store: an order on a later page is found by respondent and by survivor (the index, no names kept)")
    func searchLaterPage() throws {
        let (app, canvas, _) = try makePagedApp()
        app.press(.character("/"), on: canvas)
        app.type("ul19", on: canvas)
        #expect(app.orders.visible.map(\.order.number) == ["ZP-19"], "\(canvas.text)")
        #expect(canvas.contains("row 1 of 1"), "\(canvas.text)")
        app.press(.escape, on: canvas)
        #expect(canvas.contains("row 1 of 60"))

        app.press(.character("/"), on: canvas)
        app.type("qyz21", on: canvas)
        app.press(.enter, on: canvas)
        #expect(app.orders.visible.map(\.order.number) == ["ZP-21"], "\(canvas.text)")
        // Found through the keyed index, a candidate opened only once its row was read.
        #expect(app.orders.found?.survivorIDs.count == 1)
        #expect(!Mirror(reflecting: app.orders).children.contains { $0.value is [Int64: String] }, "no names held")
        app.press(.enter, on: canvas)
        #expect(app.orderScreen?.number == "ZP-21")
    }

    @Test("a search matching many rows pages too: G shows its last match")
    func searchPages() throws {
        let (app, canvas, _) = try makePagedApp()
        app.press(.character("/"), on: canvas)
        app.type("respondent", on: canvas)
        app.press(.enter, .character("G"), on: canvas)
        #expect(selected(app) == "ZP-60")
        #expect(canvas.contains("row 60 of 60"), "\(canvas.text)")
        #expect(app.orders.visible.count < Self.count)
    }

    @Test("filters count and page: all, then none unserved")
    func filters() throws {
        let (app, canvas, _) = try makePagedApp()
        app.press(.character("f"), on: canvas)
        #expect(canvas.contains("Orders: unserved (0)"), "\(canvas.text)")
        #expect(canvas.contains("No order matches."))
        app.press(.character("f"), .character("f"), .character("f"), on: canvas)
        #expect(canvas.contains("Orders: all (60)"), "\(canvas.text)")
        app.press(.character("G"), on: canvas)
        #expect(selected(app) == "ZP-60")
    }
}
