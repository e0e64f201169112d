import Foundation
import Testing

/// The lists of the screens in a real terminal: search, n/N, Esc, the Today filter, the row position.
@Suite("Lists in a real terminal (tmux)", .serialized)
struct TUIListsTests {
    /// The morning's three alerts and a second overdue order whose respondent shares a name with the breach's.
    static func fixture() throws -> TUIFixture {
        let f = try TUIFixture.morning()
        try f.addOrder("ZP-120", servedDaysAgo: 12, respondent: "Нұрлан Омаров", district: "Медеуский")
        return f
    }

    @Test("Today at 80×24: / and a Cyrillic fragment show only the matching alerts with row 1 of 2; n moves; Esc clears")
    func todaySearch() throws {
        let f = try Self.fixture()
        defer { f.remove() }
        let ui = TUITests()
        let tui = try ui.start(f, cols: 80, rows: 24)
        defer { tui.kill() }
        ui.expectShown("row 1 of 4", on: tui)

        tui.type("/")
        tui.type("омар")
        ui.expectShown("/ омар", on: tui)
        ui.expectShown("row 1 of 2", on: tui)
        ui.expectGone(TUIFixture.overdue, from: tui)
        ui.expectGone(TUIFixture.expiring, from: tui)
        #expect(tui.row(containing: TUIFixture.breached) != nil, "\(tui.screen())")
        #expect(tui.row(containing: "ZP-120") != nil, "\(tui.screen())")

        tui.send("Enter")
        tui.type("n")
        ui.expectShown("row 2 of 2", on: tui)
        tui.type("n")
        ui.expectShown("row 1 of 2", on: tui)

        tui.send("Escape")
        ui.expectShown("of 4", on: tui)
        ui.expectGone("/ омар", from: tui)
        ui.expectShown(TUIFixture.overdue, on: tui)
        ui.expectShown(TUIFixture.expiring, on: tui)
        ui.expectShown("what needs action", on: tui)
    }

    @Test("Today at 80×24: f shows only breaches, the header says so; «а» on a Cyrillic layout is f; Esc shows all")
    func todayFilter() throws {
        let f = try Self.fixture()
        defer { f.remove() }
        let ui = TUITests()
        let tui = try ui.start(f, cols: 80, rows: 24)
        defer { tui.kill() }
        ui.expectShown("row 1 of 4", on: tui)

        tui.type("f")
        ui.expectShown("Only !! BREACH · Esc shows all", on: tui)
        ui.expectShown("row 1 of 1", on: tui)
        ui.expectGone(TUIFixture.overdue, from: tui)
        ui.expectGone("ZP-120", from: tui)
        #expect(tui.row(containing: TUIFixture.breached) != nil, "\(tui.screen())")

        tui.type("а")
        ui.expectShown("Only ! OVERDUE", on: tui)
        ui.expectShown("row 1 of 2", on: tui)
        ui.expectGone(TUIFixture.breached, from: tui)
        #expect(tui.row(containing: TUIFixture.overdue) != nil, "\(tui.screen())")

        tui.send("Escape")
        ui.expectGone("Only ", from: tui)
        ui.expectShown(TUIFixture.breached, on: tui)
        ui.expectShown("of 4", on: tui)
    }

    @Test("Orders at 80×24 in pages of 3 (QORGAU_PAGE_SIZE): row 1 of 23, G shows the last order at row 23 of 23, g the first; / finds an order on a later page")
    func ordersPaged() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        for i in 1 ... 20 {
            try f.addOrder("ZP-4\(String(format: "%02d", i))", servedDaysAgo: 5, respondent: "Paging Person \(i)", district: "Есиль")
        }
        let ui = TUITests()
        let tui = try ui.start(f, cols: 80, rows: 24, environment: ["QORGAU_PAGE_SIZE": "3"])
        defer { tui.kill() }
        tui.type("2")
        ui.expectShown("row 1 of 23", on: tui)
        ui.expectShown("Orders: active (23)", on: tui)
        #expect(tui.row(containing: "ZP-118") != nil, "\(tui.screen())")
        #expect(tui.row(containing: "ZP-420") == nil, "\(tui.screen())")

        tui.type("G")
        ui.expectShown("row 23 of 23", on: tui)
        ui.expectShown("ZP-420", on: tui)
        ui.expectGone("ZP-118", from: tui)

        tui.type("k")
        ui.expectShown("row 22 of 23", on: tui)
        tui.type("g")
        ui.expectShown("row 1 of 23", on: tui)
        ui.expectShown("ZP-118", on: tui)

        tui.type("/")
        tui.type("person 17")
        ui.expectShown("row 1 of 1", on: tui)
        #expect(tui.row(containing: "ZP-417") != nil, "\(tui.screen())")
        ui.expectGone("ZP-118", from: tui)
        tui.send("Enter")
        tui.send("Escape")
        ui.expectShown("row 1 of 23", on: tui)
    }
}
