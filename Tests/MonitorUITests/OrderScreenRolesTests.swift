import Wording
import Foundation
@testable import MonitorUI
import OrderModel
import OrderStore
import SQLiteStore
import Scheduler
import Terminal
import Testing

/// The order view as each role finds it (issue 11, items 7, 8, 9 and 11): only what the role may do is
/// offered, long text is wrapped and the selected line shown whole, g/G and a "more" marker, a choice
/// between several open breaches, and the add and correct forms.
@Suite("The order view by role, its long text, and the add/correct forms")
struct OrderScreenRolesTests {
    /// The app of `makeApp`'s file for another person with `role`.
    func app(as role: Role, rows: Int = 30, cols: Int = 100) throws -> (MonitorApp, GridCanvas, OrderStore, TestClock) {
        let (_, _, store, clock) = try makeApp(rows: rows, cols: cols)
        let login = "\(role.rawValue)7"
        try store.addUser(login, role: role, district: "", now: clock.now)
        let app = MonitorApp(store: try store.session(for: login, now: clock.now), clock: { clock.now })
        let canvas = GridCanvas(rows: rows, cols: cols)
        app.draw(on: canvas)
        return (app, canvas, store, clock)
    }

    func open(_ number: String, in app: MonitorApp, on canvas: GridCanvas) {
        app.openOrder(number)
        app.draw(on: canvas)
    }

    /// Sets the fields of the form shown (index: value).
    func fill(_ app: MonitorApp, _ values: [Int: String]) {
        guard case .form(var form, let purpose) = app.modal else { return }
        for (index, value) in values { form.set(index, value) }
        form.dirty = true
        app.modal = .form(form, purpose)
    }

    func purpose(_ app: MonitorApp) -> FormPurpose? {
        if case .form(_, let purpose) = app.modal { return purpose }
        return nil
    }

    func form(_ app: MonitorApp) -> Form? {
        if case .form(let form, _) = app.modal { return form }
        return nil
    }

    // MARK: - 7. What a role may do

    @Test("a liaison is offered check, breach and serve; r, x and e say who may, and open nothing")
    func liaison() throws {
        let (app, canvas, _, _) = try app(as: .liaison)
        open("ZP-3", in: app, on: canvas)
        for offered in ["c check", "b breach", "s serve"] { #expect(canvas.contains(offered), "\(canvas.text)") }
        for hidden in ["r revoke", "x close breach", "e correct"] { #expect(!canvas.contains(hidden), "\(canvas.text)") }
        app.press(.character("r"), on: canvas)
        #expect(app.modal == nil)
        #expect(canvas.contains("Only a supervisor may revoke orders."), "\(canvas.text)")
        app.press(.character("x"), on: canvas)
        #expect(app.modal == nil)
        #expect(canvas.contains("Only a supervisor may close breaches."))
        app.press(.character("e"), on: canvas)
        #expect(app.modal == nil)
        #expect(canvas.contains("Only a supervisor may correct an order's details."))
        // What the role may do opens as before.
        app.press(.character("s"), on: canvas)
        #expect(purpose(app) == .serve(number: "ZP-3"))
    }

    @Test("staff: no check key on an order, and the Check-in tab says who may before anything is typed")
    func staff() throws {
        let (app, canvas, store, clock) = try app(as: .staff)
        open("ZP-1", in: app, on: canvas)
        #expect(canvas.contains("b breach"))
        for hidden in ["c check", "s serve", "r revoke", "x close breach", "e correct"] {
            #expect(!canvas.contains(hidden), "\(canvas.text)")
        }
        app.press(.character("c"), on: canvas)
        #expect(app.screen == .order("ZP-1"))
        #expect(canvas.contains("Only a liaison or a supervisor may record checks."), "\(canvas.text)")
        app.press(.character("3"), on: canvas)
        #expect(app.screen == .checkIn)
        #expect(canvas.contains("Only a liaison or a supervisor may record checks."), "\(canvas.text)")
        #expect(!canvas.contains("Officer"))
        app.type("ZP-1", on: canvas)
        app.press(.enter, .enter, .control("s"), on: canvas)
        #expect(app.checkIn.form.value(CheckInScreen.order).isEmpty)
        #expect(try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.checks.count == 1)
        // Keys of the app still work from there.
        app.press(.character("1"), on: canvas)
        #expect(app.screen == .today)
    }

    @Test("a supervisor is offered every action, correct included")
    func supervisor() throws {
        let (app, canvas, _, _) = try makeApp()
        open("ZP-3", in: app, on: canvas)
        for offered in ["c check", "b breach", "s serve", "r revoke", "x close breach", "e correct"] {
            #expect(canvas.contains(offered), "\(canvas.text)")
        }
    }

    // MARK: - 8. Long text

    @Test("long restrictions and a long breach description wrap at 80 columns; the selected line shows in full")
    func longText() throws {
        let (_, _, store, clock) = try makeApp(rows: 24, cols: 80)
        let restrictions = "Не приближаться к пострадавшей ближе чем на 500 метров, не звонить ей и не писать, "
            + "не появляться у её работы на улице Абая ОКОНЧАНИЕ"
        let description = "Стоял у подъезда с 21:00 до 23:30, звонил ей четырнадцать раз, угрожал поджечь дверь, "
            + "потом писал сообщения с чужого номера и ждал её у остановки, соседи вызвали наряд ФИНАЛ"
        try store.addOrder(Order(number: "ZP-9", issued: t("2026-11-10 10:00"), served: t("2026-11-20 15:00"), termDays: 30,
                                 checkIntervalDays: 7, district: "Есиль", restrictions: restrictions,
                                 survivor: Survivor(name: "Анна Ли"), respondent: Respondent(name: "Олег Ли")), now: clock.now)
        try store.addBreach("ZP-9", at: t("2026-11-20 22:00"), description: description, reportedBy: "survivor", now: clock.now)
        let app = MonitorApp(store: store, clock: { clock.now })
        let canvas = GridCanvas(rows: 30, cols: 80)
        open("ZP-9", in: app, on: canvas)
        // The restrictions: wrapped between words, whole in three rows.
        #expect(canvas.contains("ОКОНЧАНИЕ"), "\(canvas.text)")
        // The breach, not selected: its first rows and "…"; selected (G: the last line), all of it.
        let breachRow = try #require(row(canvas, containing: "breach #"))
        #expect(!canvas.contains("ФИНАЛ"))
        #expect((breachRow...breachRow + 2).contains { canvas.line($0).trimmingCharacters(in: .whitespaces).hasSuffix("…") },
                "\(canvas.text)")
        app.press(.character("G"), on: canvas)
        #expect(canvas.contains("ФИНАЛ"), "\(canvas.text)")
        let selected = try #require(row(canvas, containing: "ФИНАЛ"))
        #expect(canvas.style(atRow: selected, col: 20) == .selected)
        // No line of the view ends cut without "…".
        for r in 1..<26 { #expect(TextWidth.width(of: canvas.line(r)) <= 80) }
    }

    // MARK: - 9. g/G, the marker, the flash, several open breaches

    @Test("g/G and Home/End go to the first and last line; ▼/▲ say there is more below or above")
    func ends() throws {
        let (_, _, store, clock) = try makeApp(rows: 24, cols: 80)
        for day in 1...12 {
            try store.addCheck("ZP-1", at: t(String(format: "2026-11-%02d 12:00", day + 6)), officer: "Ахметов Д.", method: .phone,
                               outcome: .compliant, note: "check \(day)", now: clock.now)
        }
        let app = MonitorApp(store: store, clock: { clock.now })
        let canvas = GridCanvas(rows: 24, cols: 80)
        open("ZP-1", in: app, on: canvas)
        #expect(canvas.contains("▼ more below"), "\(canvas.text)")
        #expect(!canvas.contains("▲ more above"))
        #expect(!canvas.contains("check 12"))
        app.press(.character("G"), on: canvas)
        #expect(canvas.contains("check 12"), "\(canvas.text)")
        #expect(canvas.contains("▲ more above"))
        #expect(!canvas.contains("▼ more below"))
        app.press(.character("g"), on: canvas)
        #expect(canvas.contains("Order           ZP-1"))
        #expect(!canvas.contains("▲ more above"))
        app.press(.end, on: canvas)
        #expect(canvas.contains("check 12"))
        app.press(.home, on: canvas)
        #expect(canvas.contains("Order           ZP-1"))
    }

    @Test("\"Saved: …\" clears on the next key")
    func flashClears() throws {
        let (app, canvas, _, _) = try makeApp()
        open("ZP-4", in: app, on: canvas)
        app.press(.character("s"), .control("s"), on: canvas)
        #expect(canvas.contains("Saved: order ZP-4 served."), "\(canvas.text)")
        app.press(.down, on: canvas)
        #expect(!canvas.contains("Saved:"), "\(canvas.text)")
    }

    @Test("x with one open breach opens its form; with two, a list to choose from, each with its date and description")
    func severalOpenBreaches() throws {
        let (app, canvas, store, clock) = try makeApp(rows: 24, cols: 80)
        open("ZP-3", in: app, on: canvas)
        let first = try #require(try store.detail(number: "ZP-3", asOf: clock.now, now: clock.now).history.breaches.first?.id)
        app.press(.character("x"), on: canvas)
        #expect(purpose(app) == .closeBreach(id: first, number: "ZP-3"))
        app.press(.escape, on: canvas)
        let second = try store.addBreach("ZP-3", at: t("2026-11-21 20:00"), description: "waited at the bus stop",
                                         reportedBy: "survivor", now: clock.now)
        app.reload()
        app.press(.character("x"), on: canvas)
        #expect(app.modal == nil)
        #expect(canvas.contains("several open breaches"), "\(canvas.text)")
        #expect(canvas.contains("20.11.2026 22:00") && canvas.contains("phoned her"))
        #expect(canvas.contains("21.11.2026 20:00") && canvas.contains("waited at the bus stop"))
        app.press(.down, .enter, on: canvas)
        #expect(purpose(app) == .closeBreach(id: try #require(second.id), number: "ZP-3"))
        // Esc on the list goes back to the order, nothing opened.
        app.press(.escape, .character("x"), .escape, on: canvas)
        #expect(app.modal == nil)
        #expect(canvas.contains("Order           ZP-3"))
    }

    // MARK: - 11. Add and correct

    @Test("a on Orders adds an order as `order add` does; the new order is shown with \"Saved\"")
    func addOrder() throws {
        let (app, canvas, store, clock) = try makeApp(rows: 24, cols: 80)
        app.press(.character("2"), .character("a"), on: canvas)
        #expect(purpose(app) == .addOrder)
        #expect(canvas.contains("Add an order"), "\(canvas.text)")
        fill(app, [AddOrderForm.number: "ZP-50", AddOrderForm.issued: "21.11.2026 10:00", AddOrderForm.respondent: "Олег Ким",
                   AddOrderForm.survivor: "Анна Ким", AddOrderForm.survivorPhone: "+7 700 000 0000",
                   AddOrderForm.restrictions: "не приближаться"])
        app.press(.control("s"), on: canvas)
        #expect(app.modal == nil)
        #expect(app.screen == .order("ZP-50"))
        #expect(canvas.contains("Saved: order ZP-50 added."), "\(canvas.text)")
        let order = try store.detail(number: "ZP-50", asOf: clock.now, now: clock.now).history.order
        #expect(order.termDays == 30 && order.checkIntervalDays == 7)
        #expect(order.survivor.phone == "+7 700 000 0000")
        #expect(order.served == nil)
    }

    @Test("a on Today opens the form too; a term out of range is refused beside it and nothing is written")
    func addOrderRefused() throws {
        let (app, canvas, store, clock) = try makeApp(rows: 24, cols: 80)
        app.press(.character("a"), on: canvas)
        #expect(purpose(app) == .addOrder)
        fill(app, [AddOrderForm.number: "ZP-51", AddOrderForm.termDays: "9999", AddOrderForm.respondent: "Олег Ким",
                   AddOrderForm.survivor: "Анна Ким"])
        app.press(.control("s"), on: canvas)
        let shown = try #require(form(app))
        #expect(shown.fields[AddOrderForm.termDays].error != nil, "\(canvas.text)")
        #expect(throws: (any Error).self) { try store.detail(number: "ZP-51", asOf: clock.now, now: clock.now) }
        // Not a number at all, and a number in use: beside their fields.
        fill(app, [AddOrderForm.termDays: "abc"])
        app.press(.control("s"), on: canvas)
        #expect(form(app)?.fields[AddOrderForm.termDays].error == "not a whole number of days")
        fill(app, [AddOrderForm.termDays: "", AddOrderForm.number: "ZP-1"])
        app.press(.control("s"), on: canvas)
        #expect(form(app)?.fields[AddOrderForm.number].error != nil, "\(canvas.text)")
    }

    @Test("a liaison's add form asks the survivor's name only, and says who enters the rest")
    func addOrderLiaison() throws {
        let (app, canvas, store, clock) = try app(as: .liaison, rows: 24, cols: 80)
        app.press(.character("2"), .character("a"), on: canvas)
        let shown = try #require(form(app))
        #expect(shown.fields.count == AddOrderForm.survivorPhone)
        fill(app, [AddOrderForm.number: "ZP-52", AddOrderForm.respondent: "Олег Ким", AddOrderForm.survivor: "Анна Ким"])
        app.press(.control("s"), on: canvas)
        #expect(app.screen == .order("ZP-52"), "\(canvas.text)")
        #expect(try store.detail(number: "ZP-52", asOf: clock.now, now: clock.now).history.order.survivor.name == "Анна Ким")
    }

    @Test("e corrects the details with a reason, as `order correct` does; without a reason or a change, nothing")
    func correct() throws {
        let (app, canvas, store, clock) = try makeApp(rows: 24, cols: 80)
        open("ZP-1", in: app, on: canvas)
        app.press(.character("e"), on: canvas)
        #expect(purpose(app) == .correct(number: "ZP-1"))
        let fields = CorrectForm.fields(app.context())
        let district = try #require(fields.firstIndex(of: .district))
        #expect(form(app)?.value(district) == "Медеуский")
        app.press(.control("s"), on: canvas)
        #expect(form(app)?.fields[fields.count].error == "required")
        fill(app, [fields.count: "typo in the file"])
        app.press(.control("s"), on: canvas)
        #expect(form(app)?.formError == "nothing was changed: edit a detail, then save")
        fill(app, [district: "Алмалинский"])
        app.press(.control("s"), on: canvas)
        #expect(app.modal == nil)
        #expect(canvas.contains("Saved: order ZP-1 corrected"), "\(canvas.text)")
        let detail = try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now)
        #expect(detail.history.order.district == "Алмалинский")
        #expect(detail.corrections.map(\.reason) == ["typo in the file"])
        #expect(canvas.contains("Алмалинский"))
    }

    @Test("the add and correct forms at 80×24 in every language: labels whole, no English, the last field reached by scrolling",
          arguments: Language.allCases)
    func formsInEveryLanguage(_ language: Language) throws {
        let words = Words(language)
        let (store, clock) = try SharedOrders.shared.get()
        let app = MonitorApp(store: store, clock: { clock.now }, words: words)
        let canvas = GridCanvas(rows: 24, cols: 80)
        app.press(.character("2"), .character("a"), on: canvas)
        func t(_ key: String) -> String { words.text("ui." + key) }
        #expect(canvas.contains(t("form.addOrder.title")), "\(canvas.text)")
        #expect(canvas.contains(t("field.number")) && canvas.contains(t("field.kind")))
        #expect(canvas.contains("▼"), "\(canvas.text)")
        if language != .en { #expect(englishWords(on: canvas).isEmpty, "\(englishWords(on: canvas))\n\(canvas.text)") }
        // Shift-Tab from the first field: the last one, the form scrolled to it.
        app.press(.backTab, on: canvas)
        #expect(canvas.contains("▸ " + t("field.survivorNotes")), "\(canvas.text)")
        #expect(canvas.contains("▲"))
        #expect(canvas.contains(words.text("ui.form.keys").components(separatedBy: " ").last ?? ""))
        app.press(.escape, on: canvas)
        app.openOrder("ZP-1")
        app.press(.character("e"), on: canvas)
        #expect(canvas.contains(words.text("ui.form.correct.title", ["number": "ZP-1"])), "\(canvas.text)")
        #expect(canvas.contains(t("field.reason")))
        if language != .en { #expect(englishWords(on: canvas).isEmpty, "\(englishWords(on: canvas))\n\(canvas.text)") }
    }
}
