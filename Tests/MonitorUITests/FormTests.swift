import Wording
import Foundation
@testable import MonitorUI
import OrderModel
import OrderStore
import Scheduler
import Terminal
import Testing

/// The screen's text as one line, wrapped lines joined: for sentences that may wrap.
func flat(_ canvas: GridCanvas) -> String {
    canvas.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}

@Suite("A line of typed text with a cursor")
struct LineEditTests {
    func edited(_ text: String, _ keys: [Key]) -> LineEdit {
        var edit = LineEdit(text)
        for key in keys { _ = edit.apply(key) }
        return edit
    }

    @Test("arrows, Home/End and Ctrl-A/Ctrl-E move; characters go in at the cursor")
    func moves() {
        #expect(edited("abc", [.left, .character("x")]).text == "abxc")
        #expect(edited("abc", [.home, .character("x")]).text == "xabc")
        #expect(edited("abc", [.control("a"), .right, .character("x")]).text == "axbc")
        #expect(edited("abc", [.home, .control("e"), .character("x")]).text == "abcx")
        #expect(edited("abc", [.home, .end, .character("x")]).text == "abcx")
        #expect(edited("abc", [.left, .left, .left, .left, .character("x")]).text == "xabc")
        #expect(edited("abc", [.right, .character("x")]).text == "abcx")
        #expect(edited("", [.character("Қ"), .character("王"), .left, .character("a")]).text == "Қa王")
    }

    @Test("Backspace deletes before the cursor, Delete at it, Ctrl-U everything, Ctrl-K to the end")
    func deletes() {
        #expect(edited("abc", [.left, .backspace]).text == "ac")
        #expect(edited("abc", [.left, .delete]).text == "ab")
        #expect(edited("abc", [.home, .backspace]).text == "abc")
        #expect(edited("abc", [.delete]).text == "abc")
        #expect(edited("abc", [.home, .delete, .delete]).text == "c")
        #expect(edited("abc", [.control("u")]).text == "")
        #expect(edited("abcd", [.left, .left, .control("k")]).text == "ab")
        var edit = LineEdit("abc")
        #expect(edit.apply(.left) == .moved)
        #expect(edit.apply(.backspace) == .changed)
        #expect(edit.apply(.pageDown) == nil)
    }

    @Test("a box shows the part of the text around the cursor, with … where there is more", arguments: [
        // text, cursor, width → shown, cursor column
        ("short", 5, 10, "short", 5),
        ("abcdefghijklmnop", 16, 10, "…ijklmnop", 9),
        ("abcdefghijklmnop", 0, 10, "abcdefghi…", 0),
        ("abcdefghijklmnop", 3, 10, "abcdefghi…", 3),
        ("abcdefghijklmnop", 12, 10, "…efghijkl…", 9),
        ("王王王王王王王王", 8, 10, "…王王王王", 9),
    ] as [(String, Int, Int, String, Int)])
    func window(_ text: String, _ cursor: Int, _ width: Int, _ shown: String, _ column: Int) {
        let window = LineEdit.window(text, cursor: cursor, width: width)
        #expect(window.text == shown)
        #expect(window.cursorColumn == column)
        #expect(TextWidth.width(of: window.text) <= width)
        #expect(window.cursorColumn < width)
    }
}

@Suite("Forms: typed text kept, seen and asked about")
struct FormScreenTests {
    /// The breach form of ZP-1, its description field focused.
    func breachForm() throws -> (MonitorApp, GridCanvas, OrderStore, TestClock) {
        let (app, canvas, store, clock) = try makeApp(rows: 24, cols: 80)
        app.openOrder("ZP-1")
        app.press(.character("b"), .enter, on: canvas)
        return (app, canvas, store, clock)
    }

    @Test("a description longer than its box scrolls, shows the cursor, and can be read whole under it")
    func longText() throws {
        let (app, canvas, store, clock) = try breachForm()
        let text = "Стоял у подъезда с 21:00 до 23:30, звонил ей 14 раз и угрожал поджечь дверь"
        app.type(text, on: canvas)
        let field = try #require(row(canvas, containing: "What happened"))
        #expect(canvas.line(field).contains("поджечь дверь"), "\(canvas.text)")
        #expect(canvas.cursor?.row == field)
        for word in text.split(separator: " ") { #expect(canvas.contains(String(word)), "\(word)\n\(canvas.text)") }
        app.press(.home, on: canvas)
        #expect(canvas.line(field).contains("Стоял у подъезда"))
        #expect(canvas.cursor?.row == field)
        app.press(.delete, .right, .right, .right, .right, .backspace, on: canvas)
        app.type("Х", on: canvas)
        app.press(.control("e"), on: canvas)
        app.type("!", on: canvas)
        app.press(.enter, .enter, on: canvas)
        #expect(canvas.contains("Saved: breach"), "\(canvas.text)")
        let saved = try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.breaches.last?.description
        #expect(saved == "тояХ у подъезда с 21:00 до 23:30, звонил ей 14 раз и угрожал поджечь дверь!")
    }

    @Test("Esc on a form with typed input asks; another key goes back with it kept, y discards it")
    func escAsks() throws {
        let (app, canvas, store, clock) = try breachForm()
        app.type("Стоял у подъезда", on: canvas)
        app.press(.escape, on: canvas)
        #expect(canvas.contains("Discard what was typed?"), "\(canvas.text)")
        app.press(.character("n"), on: canvas)
        guard case .form(let form, .breach) = app.modal else {
            Issue.record("the form is gone:\n\(canvas.text)")
            return
        }
        #expect(form.value(1) == "Стоял у подъезда")
        app.press(.escape, .character("y"), on: canvas)
        #expect(app.modal == nil)
        #expect(app.screen == .order("ZP-1"))
        #expect(try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.breaches.isEmpty)
        // Nothing typed: Esc closes at once.
        app.press(.character("b"), .escape, on: canvas)
        #expect(app.modal == nil)
    }

    @Test("Ctrl-C in a form opened from an order asks as q does, and keeps the form on any other key")
    func ctrlCAsks() throws {
        let (app, canvas, _, _) = try breachForm()
        app.type("Стоял у подъезда", on: canvas)
        app.press(.control("c"), on: canvas)
        #expect(canvas.contains("unsaved input"), "\(canvas.text)")
        #expect(!app.wantsQuit)
        app.press(.character("n"), on: canvas)
        guard case .form(let form, .breach) = app.modal else {
            Issue.record("the form is gone:\n\(canvas.text)")
            return
        }
        #expect(form.value(1) == "Стоял у подъезда")
        app.press(.control("c"), .character("y"), on: canvas)
        #expect(app.wantsQuit)
        let (fresh, freshCanvas, _, _) = try breachForm()
        fresh.press(.control("c"), on: freshCanvas)
        #expect(fresh.wantsQuit)
    }

    @Test("Esc on the check-in with a number typed asks first")
    func checkInEscAsks() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("3"), on: canvas)
        app.type("ZP-1", on: canvas)
        app.press(.escape, on: canvas)
        #expect(canvas.contains("Discard what was typed?"))
        app.press(.character("x"), on: canvas)
        #expect(app.checkIn.form.value(CheckInScreen.order) == "ZP-1")
        app.press(.escape, .character("y"), on: canvas)
        #expect(app.checkIn.form.value(CheckInScreen.order) == "")
        #expect(app.screen == .checkIn)
        // With nothing typed, Esc goes back where the check-in was opened from.
        app.press(.escape, on: canvas)
        #expect(app.screen == .today)
    }

    @Test("revoking shows what will be written and asks; another key goes back to the form, y writes")
    func revokeAsks() throws {
        let (app, canvas, store, clock) = try makeApp()
        app.openOrder("ZP-1")
        app.press(.character("r"), .enter, on: canvas)
        app.type("court decision", on: canvas)
        app.press(.enter, on: canvas)
        #expect(flat(canvas).contains("Revoke order ZP-1 as of 22.11.2026 09:00, reason: “court decision”. This cannot be undone."),
                "\(canvas.text)")
        #expect(try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.order.revoked == nil)
        app.press(.character("n"), on: canvas)
        guard case .form(let form, .revoke) = app.modal else {
            Issue.record("the form is gone:\n\(canvas.text)")
            return
        }
        #expect(form.value(1) == "court decision")
        app.press(.control("s"), .character("y"), on: canvas)
        #expect(canvas.contains("Saved: order ZP-1 revoked."), "\(canvas.text)")
        #expect(try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.order.revocationReason == "court decision")
    }

    @Test("a revocation or a closing without its reason or action is not asked about: the field says it is required")
    func requiredBeforeAsking() throws {
        let (app, canvas, _, _) = try makeApp()
        app.openOrder("ZP-1")
        app.press(.character("r"), .enter, .enter, on: canvas)
        guard case .form(let form, .revoke) = app.modal else {
            Issue.record("no revoke form:\n\(canvas.text)")
            return
        }
        #expect(form.fields[1].error == "required", "\(canvas.text)")
        app.press(.escape, on: canvas)
        app.openOrder("ZP-3")
        app.press(.character("x"), .control("s"), on: canvas)
        guard case .form(let close, .closeBreach) = app.modal else {
            Issue.record("no close form:\n\(canvas.text)")
            return
        }
        #expect(close.fields[0].error == "required", "\(canvas.text)")
    }

    @Test("a refused revocation comes back to the form with the refusal beside its field")
    func revokeRefused() throws {
        let (app, canvas, store, clock) = try makeApp()
        app.openOrder("ZP-1")
        app.press(.character("r"), .control("u"), on: canvas)
        app.type("30.10.2026 10:00", on: canvas)
        app.press(.enter, on: canvas)
        app.type("x", on: canvas)
        app.press(.enter, .character("y"), on: canvas)
        guard case .form(let form, .revoke) = app.modal else {
            Issue.record("the form is gone:\n\(canvas.text)")
            return
        }
        #expect(form.fields[0].error != nil, "\(canvas.text)")
        #expect(try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.order.revoked == nil)
    }
}

@Suite("Nothing done blind")
struct TooSmallTests {
    @Test("below 80×24 no key saves or changes anything; q still quits", arguments: [(20, 70), (23, 80), (24, 79)])
    func noKeySaves(_ size: (Int, Int)) throws {
        let (app, canvas, store, clock) = try makeApp()
        app.press(.character("3"), on: canvas)
        app.type("ZP-1", on: canvas)
        canvas.resize(rows: size.0, cols: size.1)
        app.press(.resize, on: canvas)
        app.press(.enter, .enter, .control("s"), .character("1"), .tab, .escape, on: canvas)
        app.type("abc", on: canvas)
        canvas.resize(rows: 24, cols: 80)
        app.press(.resize, on: canvas)
        #expect(app.screen == .checkIn)
        #expect(app.checkIn.form.value(CheckInScreen.order) == "ZP-1")
        #expect(!canvas.contains("Saved"))
        #expect(try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.checks.count == 1)
        // q quits, asking first, and the question shows even in the small window.
        canvas.resize(rows: size.0, cols: size.1)
        app.press(.resize, on: canvas)
        app.press(.character("q"), on: canvas)
        #expect(canvas.contains("Quit and lose it?"), "\(canvas.text)")
        app.press(.character("y"), on: canvas)
        #expect(app.wantsQuit)
    }

    @Test("a form over an order stays as it was through a too small window")
    func modalFormUntouched() throws {
        let (app, canvas, store, clock) = try makeApp()
        app.openOrder("ZP-1")
        app.press(.character("b"), .enter, on: canvas)
        app.type("seen", on: canvas)
        canvas.resize(rows: 20, cols: 70)
        app.press(.resize, on: canvas)
        app.press(.enter, .enter, .escape, .character("y"), on: canvas)
        canvas.resize(rows: 30, cols: 100)
        app.press(.resize, on: canvas)
        guard case .form(let form, .breach) = app.modal else {
            Issue.record("the form is gone:\n\(canvas.text)")
            return
        }
        #expect(form.value(1) == "seen")
        #expect(try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.breaches.isEmpty)
    }
}

@Suite("Check-in: what is about to be recorded, and late checks")
struct CheckInTests {
    /// ZP-9 served 01.10.2026 12:00, so expired on 31.10; ZP-8 revoked on 15.11 after service on 05.11.
    func appWithEndedOrders() throws -> (MonitorApp, GridCanvas, OrderStore, TestClock) {
        let (app, canvas, store, clock) = try makeApp()
        try store.addOrder(Order(number: "ZP-9", issued: t("2026-10-01 10:00"), served: t("2026-10-01 12:00"), termDays: 30,
                                 checkIntervalDays: 7, district: "Есиль", survivor: Survivor(name: "Асель Бекова"),
                                 respondent: Respondent(name: "Ерлан Беков", address: "ул. Сатпаева 5")), now: clock.now)
        try store.addOrder(Order(number: "ZP-8", issued: t("2026-11-05 10:00"), served: t("2026-11-05 12:00"), termDays: 30,
                                 checkIntervalDays: 7, survivor: Survivor(name: "A"), respondent: Respondent(name: "B")),
                           now: clock.now)
        try store.revoke("ZP-8", at: t("2026-11-15 12:00"), reason: "court", now: clock.now)
        app.reload()
        return (app, canvas, store, clock)
    }

    func checks(_ store: OrderStore, _ number: String, _ clock: TestClock) throws -> [Check] {
        try store.detail(number: number, asOf: clock.now, now: clock.now).history.checks
    }

    @Test("a check dated in an expired or revoked order's term is saved, as on the command line")
    func lateCheck() throws {
        let (app, canvas, store, clock) = try appWithEndedOrders()
        for (number, time) in [("ZP-9", "20.10.2026 10:00"), ("ZP-8", "14.11.2026 10:00")] {
            app.press(.character("3"), on: canvas)
            app.type(number, on: canvas)
            app.press(.tab, .control("u"), on: canvas)
            app.type(time, on: canvas)
            app.press(.control("s"), on: canvas)
            #expect(canvas.contains("Saved: check"), "\(number)\n\(canvas.text)")
            #expect(try checks(store, number, clock).count == 1)
            app.press(.escape, on: canvas)
        }
        // After its end the store refuses it, beside the time.
        app.press(.character("3"), on: canvas)
        app.type("ZP-9", on: canvas)
        app.press(.tab, .control("u"), on: canvas)
        app.type("01.11.2026 10:00", on: canvas)
        app.press(.control("s"), on: canvas)
        let timeRow = try #require(row(canvas, containing: "01.11.2026 10:00"))
        #expect(canvas.line(timeRow).contains("✗"), "\(canvas.text)")
        #expect(try checks(store, "ZP-9", clock).count == 1)
    }

    @Test("with a past time typed first, part of the number finds the orders in effect then")
    func partialNumberAtTypedTime() throws {
        let (app, canvas, _, _) = try appWithEndedOrders()
        app.press(.character("3"), on: canvas)
        app.type("-9", on: canvas)
        #expect(!canvas.contains("1 match: ZP-9"))
        app.press(.control("u"), .tab, .control("u"), on: canvas)
        app.type("20.10.2026 10:00", on: canvas)
        app.press(.backTab, on: canvas)
        app.type("-9", on: canvas)
        #expect(canvas.contains("1 match: ZP-9"), "\(canvas.text)")
        app.press(.enter, on: canvas)
        #expect(app.checkIn.form.value(CheckInScreen.order) == "ZP-9")
        #expect(canvas.contains("expired 31.10.2026 12:00"), "\(canvas.text)")
    }

    @Test("the picked order shows its respondent, address and where its checks stand", arguments: [
        ("ZP-1", "! check 9 days overdue (due 13.11.2026)"),
        ("ZP-5", "next check due 23.11.2026 (tomorrow)"),
        ("ZP-9", "expired 31.10.2026 12:00: a check dated up to then is accepted"),
        ("ZP-8", "revoked 15.11.2026 12:00"),
        ("ZP-4", "not served yet"),
    ])
    func pickedOrder(_ number: String, _ standing: String) throws {
        let (app, canvas, store, clock) = try appWithEndedOrders()
        app.press(.character("3"), on: canvas)
        app.type(number, on: canvas)
        let order = try store.detail(number: number, asOf: clock.now, now: clock.now).history.order
        let address = order.respondent.address.isEmpty ? "no address recorded" : order.respondent.address
        #expect(canvas.contains("\(order.respondent.name) · \(address)"), "\(canvas.text)")
        #expect(canvas.contains(standing), "\(canvas.text)")
    }

    @Test("a time typed as 16:00 means today at 16:00")
    func timeOfDayIsToday() throws {
        let (app, canvas, store, clock) = try makeApp()
        app.press(.character("3"), on: canvas)
        app.type("ZP-1", on: canvas)
        app.press(.tab, .control("u"), on: canvas)
        app.type("8:30", on: canvas)
        app.press(.control("s"), on: canvas)
        #expect(canvas.contains("Saved: check"), "\(canvas.text)")
        #expect(try checks(store, "ZP-1", clock).last?.at == t("2026-11-22 08:30"))
        #expect(try TypedTime.instant("16:00", timeZone: almaty, today: LocalDay(year: 2026, month: 11, day: 22)!)
                == t("2026-11-22 16:00"))
        #expect(try TypedTime.instant("22.11.2026 16:00", timeZone: almaty, today: LocalDay(year: 2026, month: 1, day: 1)!)
                == t("2026-11-22 16:00"))
        #expect(try TypedTime.instant("16", timeZone: almaty, today: LocalDay(year: 2026, month: 11, day: 22)!) == nil)
        #expect(try TypedTime.instant("25:00", timeZone: almaty, today: LocalDay(year: 2026, month: 11, day: 22)!) == nil)
    }

    @Test("after saving, Enter (or Esc) goes back where the check-in was started: the order, or Today")
    func backAfterSaving() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.down, .enter, on: canvas)  // ZP-1 from Today
        #expect(app.screen == .order("ZP-1"))
        app.press(.character("c"), .enter, on: canvas)
        #expect(canvas.contains("Saved: check"), "\(canvas.text)")
        #expect(canvas.contains("Enter or Esc goes back"))
        app.press(.enter, on: canvas)
        #expect(app.screen == .order("ZP-1"))
        #expect(canvas.contains("Saved: check"))
        app.press(.escape, on: canvas)
        #expect(app.screen == .today)
        app.press(.character("3"), on: canvas)
        app.type("ZP-5", on: canvas)
        app.press(.enter, .enter, .escape, on: canvas)
        #expect(app.screen == .today)
    }
}
