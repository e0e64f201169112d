import Wording
import Foundation
@testable import MonitorUI
import OrderModel
import Scheduler
import Terminal
import Testing

/// The alerts' order numbers as the Today list shows them, top to bottom.
private func shownNumbers(_ app: MonitorApp) -> [String] { app.today.visible.map(\.orderNumber) }

/// Whether the screen took the key itself.
private func took(_ command: Command?) -> Bool {
    if case .nothing = command { true } else { false }
}

@Suite("Lists: search, n/N, Esc, filters and the row position")
struct ListSearchTests {
    @Test("Today: / finds alerts by respondent in Cyrillic, n/N move among them and wrap, Esc clears")
    func todaySearch() throws {
        let (app, canvas, _, _) = try makeApp(rows: 24, cols: 80)
        #expect(canvas.contains("row 1 of 6"), "\(canvas.text)")
        app.press(.character("/"), on: canvas)
        app.type("иван", on: canvas)
        #expect(shownNumbers(app) == ["ZP-2", "ZP-2"])
        #expect(canvas.contains("/ иван"))
        #expect(canvas.contains("row 1 of 2"))
        app.press(.enter, on: canvas)
        #expect(!app.today.search.typing)
        app.press(.character("n"), on: canvas)
        #expect(canvas.contains("row 2 of 2"))
        app.press(.character("n"), on: canvas)
        #expect(canvas.contains("row 1 of 2"), "n wraps to the first")
        app.press(.character("N"), on: canvas)
        #expect(canvas.contains("row 2 of 2"), "N wraps to the last")
        // Esc, not typing, clears the search, and the screen takes it.
        #expect(took(app.today.handle(KeyPress(.escape), context: app.context())))
        app.draw(on: canvas)
        #expect(app.today.search.text.isEmpty)
        #expect(shownNumbers(app).count == 6)
        #expect(canvas.contains("of 6"))
        // With nothing to clear, Esc is the app's again (back).
        #expect(app.today.handle(KeyPress(.escape), context: app.context()) == nil)
    }

    @Test("Today: the search looks at number, district and officer as well, folded; Esc while typing clears")
    func todaySearchFields() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("/"), on: canvas)
        app.type("medeu", on: canvas)
        #expect(shownNumbers(app) == ["ZP-1", "ZP-5"])
        app.press(.escape, on: canvas)
        #expect(shownNumbers(app).count == 6)
        #expect(!app.today.search.typing)
        app.press(.character("/"), on: canvas)
        app.type("zp-4", on: canvas)
        #expect(shownNumbers(app) == ["ZP-4"])
        app.press(.escape, .character("/"), on: canvas)
        app.type("ахмет", on: canvas)
        #expect(shownNumbers(app) == ["ZP-3", "ZP-1", "ZP-2", "ZP-5", "ZP-2"], "ZP-4 has no officer")
    }

    @Test("Today: n and N do nothing without a search, and no search matching shows a line saying so")
    func todayNoMatch() throws {
        let (app, canvas, _, _) = try makeApp()
        #expect(app.today.handle(KeyPress(.character("n")), context: app.context()) == nil)
        app.press(.character("/"), on: canvas)
        app.type("nobody", on: canvas)
        #expect(app.today.visible.isEmpty)
        #expect(canvas.contains("No alert matches: Esc shows all."))
        #expect(!canvas.contains("row "))
    }

    @Test("Today: f shows one kind at a time, in the screen's order, then all; the header says so; Esc clears")
    func todayKindFilter() throws {
        let (app, canvas, _, _) = try makeApp(rows: 24, cols: 80)
        app.press(.character("f"), on: canvas)
        #expect(shownNumbers(app) == ["ZP-3"])
        #expect(canvas.contains("Only !! BREACH · Esc shows all"), "\(canvas.text)")
        #expect(canvas.contains("row 1 of 1"))
        app.press(.character("f"), on: canvas)
        #expect(shownNumbers(app) == ["ZP-1"])
        app.press(.character("f"), .character("f"), on: canvas)
        #expect(app.today.kind == .checkDue)
        #expect(shownNumbers(app) == ["ZP-2", "ZP-5"])
        app.press(.character("f"), .character("f"), on: canvas)
        #expect(app.today.kind == nil)
        #expect(shownNumbers(app).count == 6)
        app.press(.character("f"), on: canvas)
        #expect(took(app.today.handle(KeyPress(.escape), context: app.context())))
        app.draw(on: canvas)
        #expect(app.today.kind == nil)
        #expect(!canvas.contains("Only "))
    }

    @Test("Today: d and o narrow to the selected alert's district or officer, again shows all; filters combine")
    func todayDistrictOfficer() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("j"), on: canvas)  // ZP-1, Медеуский
        app.press(.character("d"), on: canvas)
        #expect(shownNumbers(app) == ["ZP-1", "ZP-5"])
        #expect(canvas.contains("Only district Медеуский"))
        #expect(app.today.visible[app.today.cursor.selected].orderNumber == "ZP-1", "the selected alert stays selected")
        app.press(.character("f"), .character("f"), .character("f"), .character("f"), on: canvas)
        #expect(shownNumbers(app) == ["ZP-5"])
        #expect(canvas.contains("Only • DUE · district Медеуский"))
        app.press(.escape, on: canvas)
        #expect(shownNumbers(app).count == 6)
        app.press(.character("o"), on: canvas)
        #expect(!shownNumbers(app).contains("ZP-4"))
        #expect(canvas.contains("officer Ахметов Д."))
        app.press(.character("o"), on: canvas)
        #expect(shownNumbers(app).count == 6)
        // Search and filter together; Esc clears the search first, then the filter.
        app.press(.character("d"), .character("/"), on: canvas)
        app.type("ZP-5", on: canvas)
        app.press(.enter, on: canvas)
        #expect(shownNumbers(app) == ["ZP-5"])
        app.press(.escape, on: canvas)
        #expect(app.today.search.text.isEmpty && app.today.isNarrowed)
        app.press(.escape, on: canvas)
        #expect(!app.today.isNarrowed)
    }

    @Test("Today keeps the order RULES.md gives (Alert.precedes), filtered or not")
    func todayOrder() throws {
        let (app, canvas, _, _) = try makeApp()
        let all = app.today.visible
        #expect(all == all.sorted(by: Alert.precedes))
        #expect(all == app.today.alerts)
        app.press(.character("/"), on: canvas)
        app.type("zp", on: canvas)
        #expect(app.today.visible == all)
    }

    @Test("On a Cyrillic layout «а» is f, «т»/«Т» are n/N, «в» is d, «щ» is o")
    func todayCyrillicLayout() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("а"), on: canvas)
        #expect(app.today.kind == .breachOpen)
        app.press(.escape, .character("/"), on: canvas)
        app.type("иван", on: canvas)
        app.press(.enter, .character("т"), on: canvas)
        #expect(app.today.cursor.selected == 1)
        app.press(.character("Т"), on: canvas)
        #expect(app.today.cursor.selected == 0)
        app.press(.escape, .character("в"), on: canvas)
        #expect(app.today.district == "Есиль")
        app.press(.character("щ"), on: canvas)
        #expect(app.today.officer == "Ахметов Д.")
    }

    @Test("Orders: the row position, n/N among the found rows, Esc after Enter clears and is the screen's")
    func orders() throws {
        let (app, canvas, _, _) = try makeApp(rows: 24, cols: 80)
        app.press(.character("2"), on: canvas)
        #expect(canvas.contains("row 1 of 4"), "\(canvas.text)")
        app.press(.character("j"), on: canvas)
        #expect(canvas.contains("row 2 of 4"))
        app.press(.character("/"), on: canvas)
        app.type("медеу", on: canvas)
        app.press(.enter, on: canvas)
        #expect(app.orders.visible.map(\.order.number) == ["ZP-1", "ZP-5"])
        #expect(canvas.contains("row 2 of 2"), "the selection stays where it can")
        app.press(.character("n"), on: canvas)
        #expect(canvas.contains("row 1 of 2"))
        app.press(.character("N"), on: canvas)
        #expect(canvas.contains("row 2 of 2"))
        // Taken by the screen, which asks for the list without the query (the app makes the search, none here).
        let cleared = app.orders.handle(KeyPress(.escape), context: app.context())
        if case .searchOrders("") = cleared {} else { Issue.record("Esc after Enter gave \(String(describing: cleared))") }
        #expect(app.orders.query.isEmpty)
        #expect(app.orders.handle(KeyPress(.escape), context: app.context()) == nil)
    }

    @Test("At 80×24 in every language the position, counts and hints all show on Today and Orders",
          arguments: Language.allCases)
    func fitsAt80(_ language: Language) throws {
        let words = Words(language)
        let (app, canvas, _, _) = try makeApp(rows: 24, cols: 80, words: words)
        app.press(.character("f"), .character("f"), .character("f"), .character("f"), on: canvas)
        let position = words.text("ui.list.position", ["row": "1", "count": "2"])
        #expect(canvas.contains(position), "\(canvas.text)")
        #expect(canvas.contains(words.text("ui.today.searchHint")), "\(canvas.text)")
        #expect(canvas.contains(words.text("ui.alert.expiring") + " 1"), "\(canvas.text)")
        app.press(.character("2"), on: canvas)
        #expect(canvas.contains(words.text("ui.list.position", ["row": "1", "count": "4"])), "\(canvas.text)")
        #expect(canvas.contains(words.text("ui.orders.searchHint")), "\(canvas.text)")
    }

    @Test("ListSearch: Esc with no query is not taken; a query of spaces does not filter; / keeps the query")
    func unit() {
        var search = ListSearch()
        var cursor = ListCursor()
        #expect(search.handle(KeyPress(.escape), cursor: &cursor, count: 3, height: 10) == nil)
        #expect(search.handle(KeyPress(.character("n")), cursor: &cursor, count: 3, height: 10) == nil)
        #expect(search.handle(KeyPress(.character("/")), cursor: &cursor, count: 3, height: 10) == .started)
        #expect(search.handle(KeyPress(.character(" ")), cursor: &cursor, count: 3, height: 10) == .changed)
        #expect(!search.filters)
        #expect(search.handle(KeyPress(.left), cursor: &cursor, count: 3, height: 10) == .taken)
        #expect(search.handle(KeyPress(.character("q")), cursor: &cursor, count: 3, height: 10) == .changed)
        #expect(search.handle(KeyPress(.enter), cursor: &cursor, count: 3, height: 10) == .taken)
        #expect(search.text == "q ")
        // n with a predicate: to the next row it holds for, wrapping.
        #expect(search.handle(KeyPress(.character("n")), cursor: &cursor, count: 5, height: 10, isMatch: { $0 % 2 == 0 }) == .taken)
        #expect(cursor.selected == 2)
        _ = search.handle(KeyPress(.character("n")), cursor: &cursor, count: 5, height: 10, isMatch: { $0 % 2 == 0 })
        _ = search.handle(KeyPress(.character("n")), cursor: &cursor, count: 5, height: 10, isMatch: { $0 % 2 == 0 })
        #expect(cursor.selected == 0)
        _ = search.handle(KeyPress(.character("N")), cursor: &cursor, count: 5, height: 10, isMatch: { $0 % 2 == 0 })
        #expect(cursor.selected == 4)
        #expect(search.handle(KeyPress(.character("/")), cursor: &cursor, count: 3, height: 10) == .started)
        #expect(search.handle(KeyPress(.escape), cursor: &cursor, count: 3, height: 10) == .changed)
        #expect(search.text.isEmpty && !search.typing)
    }
}
