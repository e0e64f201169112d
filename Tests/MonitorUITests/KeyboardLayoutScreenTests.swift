import Wording
import Foundation
@testable import MonitorUI
import OrderModel
import Terminal
import Testing

/// Command keys typed with the keyboard left in Russian or Kazakh: the letter on the same key.
@Suite("Command keys on a Cyrillic keyboard layout")
struct KeyboardLayoutScreenTests {
    @Test("«й» quits like q: at once without input, after asking when a form has some; «н» (y) confirms")
    func quit() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press([.character("й")], on: canvas)
        #expect(app.wantsQuit)

        let (busy, busyCanvas, _, _) = try makeApp()
        busy.press([.character("3")], on: busyCanvas)
        busy.type("ZP", on: busyCanvas)
        busy.press([.tab, .tab, .tab, .character("й")], on: busyCanvas)  // on the outcome: a choice
        #expect(busyCanvas.contains("unsaved input"))
        #expect(!busy.wantsQuit)
        busy.press([.character("т")], on: busyCanvas)  // any other key goes back
        #expect(!busy.wantsQuit)
        busy.press([.character("Й"), .character("н")], on: busyCanvas)  // Й is not q; н is y
        #expect(!busy.wantsQuit)
        busy.press([.character("й"), .character("н")], on: busyCanvas)
        #expect(busy.wantsQuit)
    }

    @Test("the language's own yes answers the question too: «д» in Russian, «и» in Kazakh",
          arguments: [(Language.ru, Character("д")), (.kk, "и"), (.en, "y")])
    func yesInTheLanguage(_ language: Language, _ yes: Character) throws {
        let (app, canvas, _, _) = try makeApp(words: Words(language))
        app.press([.character("3")], on: canvas)
        app.type("ZP", on: canvas)
        app.press([.tab, .tab, .tab, .character("q")], on: canvas)
        #expect(!app.wantsQuit)
        app.press([.character(yes)], on: canvas)
        #expect(app.wantsQuit)
    }

    @Test("Cyrillic typed into a field stays Cyrillic: the check-in number, the search, a form")
    func fieldsTakeWhatIsTyped() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press([.character("3")], on: canvas)
        app.type("йыф", on: canvas)
        #expect(app.checkIn.form.value(CheckInScreen.order) == "йыф")
        #expect(!app.wantsQuit)

        app.press([.function(2), .character("/")], on: canvas)
        app.type("ыва", on: canvas)
        #expect(app.orders.query == "ыва")
        #expect(app.orders.sort == .number)
        app.press([.escape], on: canvas)

        app.openOrder("ZP-1")
        app.press([.character("и")], on: canvas)  // b: the breach form
        app.press([.tab], on: canvas)
        app.type("Стоял у подъезда", on: canvas)
        guard case .form(let form, .breach) = app.modal else {
            Issue.record("no breach form:\n\(canvas.text)")
            return
        }
        #expect(form.value(1) == "Стоял у подъезда")
    }

    @Test("Orders: «ы» sorts like s, «Ы» reverses like S, «а» filters like f, «о»/«л» move like j/k")
    func orders() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press([.character("2")], on: canvas)
        app.press([.character("ы")], on: canvas)
        #expect(app.orders.sort == .district)
        app.press([.character("Ы")], on: canvas)
        #expect(app.orders.descending)
        app.press([.character("о"), .character("о")], on: canvas)
        #expect(app.orders.cursor.selected == 2)
        app.press([.character("л")], on: canvas)
        #expect(app.orders.cursor.selected == 1)
        app.press([.character("а")], on: canvas)
        #expect(app.orders.status == .unserved)
        #expect(canvas.contains("Orders: unserved (1)"))
    }

    @Test("the order: «с» checks, «и» a breach, «ы» serves, «к» revokes, «ч» closes the breach")
    func order() throws {
        let (app, canvas, _, _) = try makeApp()
        for (key, purpose) in [("и", FormPurpose.breach(number: "ZP-3")), ("ы", .serve(number: "ZP-3")),
                               ("к", .revoke(number: "ZP-3"))] as [(Character, FormPurpose)] {
            app.openOrder("ZP-3")
            app.press([.character(key)], on: canvas)
            guard case .form(_, let opened) = app.modal else {
                Issue.record("\(key) opened no form:\n\(canvas.text)")
                continue
            }
            #expect(opened == purpose)
            app.press([.escape, .escape], on: canvas)
        }
        app.openOrder("ZP-3")
        app.press([.character("ч")], on: canvas)
        guard case .form(_, .closeBreach(_, "ZP-3")) = app.modal else {
            Issue.record("ч opened no close-breach form:\n\(canvas.text)")
            return
        }
        app.press([.escape], on: canvas)
        app.press([.character("с")], on: canvas)
        #expect(app.screen == .checkIn)
        #expect(app.checkIn.form.value(CheckInScreen.order) == "ZP-3")
    }

    @Test("Violations: «в» groups like d, «ц» «ь» «д» pick the period like w m l, «с» asks for one like c")
    func violations() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press([.character("4"), .character("в")], on: canvas)
        #expect(app.violations.grouping == .officer)
        app.press([.character("ц")], on: canvas)
        #expect(app.violations.period == .thisWeek)
        app.press([.character("д")], on: canvas)
        #expect(app.violations.period == .lastMonth)
        app.press([.character("ь")], on: canvas)
        #expect(app.violations.period == .thisMonth)
        app.press([.character("с")], on: canvas)
        guard case .form(_, .period) = app.modal else {
            Issue.record("с opened no period form:\n\(canvas.text)")
            return
        }
    }

    @Test("the Kazakh layout's digit row still opens the tabs: ә 2, і 3, ң 4; F1 and Tab as ever")
    func kazakhDigitRow() throws {
        let (app, canvas, _, _) = try makeApp(words: Words(.kk))
        app.press([.character("ә")], on: canvas)
        #expect(app.screen == .orders)
        app.press([.character("ң")], on: canvas)
        #expect(app.screen == .violations)
        app.press([.character("і")], on: canvas)
        #expect(app.screen == .checkIn)
        // In the number field «ә» is a letter typed, not a tab.
        app.press([.character("ә")], on: canvas)
        #expect(app.screen == .checkIn)
        #expect(app.checkIn.form.value(CheckInScreen.order) == "ә")
        app.press([.function(1)], on: canvas)
        #expect(app.screen == .today)
        app.press([.tab], on: canvas)
        #expect(app.screen == .orders)
    }

    @Test("on a check-in choice the app's keys in Cyrillic keep their meaning when no label starts with them")
    func choiceLeavesAppKeys() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press([.character("3")], on: canvas)
        app.checkIn.form.focus = CheckInScreen.outcome
        app.press([.character("ң")], on: canvas)  // 4
        #expect(app.screen == .violations)
    }
}

@Suite("Choices picked by the first letter of their label")
struct ChoicePickTests {
    let russian = [Form.Choice(value: "visit", label: "визит"), Form.Choice(value: "phone", label: "по телефону"),
                   Form.Choice(value: "summons", label: "вызов")]
    let english = [Form.Choice(value: "compliant", label: "compliant"), Form.Choice(value: "breach", label: "breach"),
                   Form.Choice(value: "not-located", label: "not located")]

    @Test("labels sharing a first letter take turns; another letter jumps; a letter of no label is left to the app",
          arguments: [
            ("в", 0, 2), ("в", 2, 0), ("в", 1, 0), ("В", 0, 2), ("п", 0, 1), ("п", 1, 1),
            // the key of «п» with the keyboard in Latin, the key of «в» likewise
            ("g", 0, 1), ("d", 0, 2),
            ("й", 0, nil), ("x", 0, nil), ("2", 0, nil),
          ] as [(Character, Int, Int?)])
    func russianLabels(_ typed: Character, _ current: Int, _ expected: Int?) {
        #expect(Form.pick(typed, in: russian, current: current) == expected)
    }

    @Test("English labels answer their letter on any layout: c, or «с» on the same key", arguments: [
        ("c", 1, 0), ("с", 1, 0), ("b", 0, 1), ("и", 0, 1), ("n", 0, 2), ("т", 0, 2), ("q", 0, nil), ("й", 0, nil),
    ] as [(Character, Int, Int?)])
    func englishLabels(_ typed: Character, _ current: Int, _ expected: Int?) {
        #expect(Form.pick(typed, in: english, current: current) == expected)
    }
}
