import Wording
import Foundation
@testable import MonitorUI
import OrderModel
import OrderStore
import Scheduler
import SQLiteStore
import Terminal
import Testing

/// Every screen the program draws, reached from a fresh app the way a person would.
enum Scene: String, CaseIterable, Sendable {
    case today, orders, checkIn, violations, order, orderLocked
    case breachForm, serveForm, revokeForm, closeBreachForm, periodForm, unlockForm
    case helpToday, helpOrders, helpCheckIn, helpViolations, helpOrder
    case lock, confirmQuit, tooSmall
    case checkInPicked, checkInSaved, confirmDiscard, confirmRevoke, confirmClose, longField
}

/// A screen drawn in one language, with what must show on it in full.
struct Rendered {
    let app: MonitorApp
    let canvas: GridCanvas
    /// Texts (titles, key hints, messages) every word of which must be on the screen.
    var whole: [String] = []
    /// Labels and column headers that must show unbroken, each on one line.
    var unbroken: [String] = []
    /// Whether the tab bar and the status line are part of this screen.
    var framed = true
}

/// The orders of `makeApp`, made once for every rendering: drawing a screen writes nothing that
/// another screen shows, and making a store (its key) takes most of a second.
final class SharedOrders: @unchecked Sendable {
    static let shared = SharedOrders()
    private let lock = NSLock()
    private var made: (OrderStore, TestClock)?

    func get() throws -> (OrderStore, TestClock) {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let (_, _, store, clock) = try makeApp(rows: 24, cols: 80)
        made = (store, clock)
        return (store, clock)
    }
}

/// Renders `scene` at 80×24 (the too-small message at 79×23) in `language`.
func render(_ scene: Scene, in language: Language) throws -> Rendered {
    let words = Words(language)
    let (store, clock) = try SharedOrders.shared.get()
    var app = MonitorApp(store: store, clock: { clock.now }, words: words)
    let canvas = GridCanvas(rows: 24, cols: 80)
    app.draw(on: canvas)
    func t(_ key: String, _ values: [String: String] = [:]) -> String { words.text("ui." + key, values) }
    func press(_ keys: Key...) { app.press(keys, on: canvas) }
    /// A session whose survivor data is locked: the order screen offers `u`.
    func lockedApp() throws -> MonitorApp {
        MonitorApp(store: try store.locked(), clock: { clock.now }, words: words)
    }
    func open(_ number: String) {
        app.openOrder(number)
        app.draw(on: canvas)
    }
    let formKeys = t("form.keys")
    var r = Rendered(app: app, canvas: canvas)
    func formLabels(_ keys: String...) -> [String] { keys.map { t("field." + $0) } }
    switch scene {
    case .today:
        r.whole = [t("today.title", ["day": "22.11.2026"])]
        r.unbroken = ["alert", "order", "when", "respondent", "reason"].map { t("col." + $0) }
            + [(AlertKind.breachOpen, 1), (.checkOverdue, 1), (.unserved, 1), (.checkDue, 2), (.expiring, 1)].map {
                t("alert.\($0.0.rawValue)") + " " + words.number($0.1)
            }
    case .orders:
        press(.character("2"))
        r.whole = [t("orders.filter", ["status": t("status.active"), "count": words.number(4), "sort": t("sort.number") + " ↑"]),
                   t("orders.searchHint")]
        r.unbroken = ["order", "status", "nextDue", "expires", "respondent", "survivor"].map { t("col." + $0) }
    case .checkIn:
        press(.character("3"))
        r.whole = [t("checkIn.title"), t("checkIn.hint"), formKeys]
        r.unbroken = formLabels("order", "time", "officer", "outcome", "method", "note")
            + CheckOutcome.allCases.map { t("outcome.\($0.rawValue)") } + CheckMethod.allCases.map { t("method.\($0.rawValue)") }
    case .violations:
        press(.character("4"))
        r.whole = [t("violations.title", ["period": t("period.month"), "from": "01.11.2026", "to": "22.11.2026",
                                          "missed": words.number(1), "breaches": words.number(1),
                                          "grouping": t("grouping.district")]),
                   t("violations.keys"),
                   t("violations.group", ["name": "Медеуский", "missed": words.number(1), "breaches": words.number(0)])]
        r.unbroken = ["day", "kind", "order", "officer", "reason"].map { t("col." + $0) }
    case .order:
        open("ZP-1")
        r.whole = [app.orderScreen?.keyHint(context: app.context()) ?? t("order.keys")]
        r.unbroken = ["number", "issued", "served", "term", "expires", "nextDue", "district", "survivor", "respondent"]
            .map { t("order." + $0) }
    case .orderLocked:
        app = try lockedApp()
        open("ZP-1")
        r.whole = [app.orderScreen?.keyHint(context: app.context()) ?? t("order.keysLocked")]
        r.unbroken = ["number", "issued", "served", "term", "expires", "nextDue", "district", "respondent"].map { t("order." + $0) }
    case .breachForm:
        open("ZP-1")
        press(.character("b"))
        r.whole = [t("form.breach.title", ["number": "ZP-1"]), formKeys]
        r.unbroken = formLabels("time", "description", "reportedBy")
    case .serveForm:
        open("ZP-4")
        press(.character("s"))
        r.whole = [t("form.serve.title", ["number": "ZP-4"]), formKeys]
        r.unbroken = formLabels("time")
    case .revokeForm:
        open("ZP-1")
        press(.character("r"))
        r.whole = [t("form.revoke.title", ["number": "ZP-1"]), formKeys]
        r.unbroken = formLabels("time", "reason")
    case .closeBreachForm:
        open("ZP-3")
        press(.character("x"))
        let id = try store.detail(number: "ZP-3", asOf: clock.now, now: clock.now).history.breaches.first?.id ?? 0
        r.whole = [t("form.close.title", ["id": String(id), "number": "ZP-3"]), formKeys]
        r.unbroken = formLabels("action", "time")
    case .periodForm:
        press(.character("4"), .character("c"))
        r.whole = [t("form.period.title"), formKeys]
        r.unbroken = formLabels("from", "to")
    case .unlockForm:
        app = try lockedApp()
        open("ZP-1")
        press(.character("u"))
        r.whole = [t("form.unlock.title"), formKeys]
        r.unbroken = formLabels("passphrase")
    case .helpToday, .helpOrders, .helpCheckIn, .helpViolations, .helpOrder:
        let name: String
        switch scene {
        case .helpOrders: press(.character("2")); name = "orders"
        case .helpCheckIn: press(.character("3")); name = "checkIn"
        case .helpViolations: press(.character("4")); name = "violations"
        case .helpOrder: open("ZP-1"); name = "order"
        default: name = "today"
        }
        // On Check-in the number field has the focus and takes "?": help opens from a choice.
        if scene == .helpCheckIn { app.checkIn.form.focus = CheckInScreen.outcome }
        press(.character("?"))
        r.whole = [t("help.title.\(name)"), t("help.close")]
            + (t("help.\(name)", HelpScreen.choiceLetters(words)) + "\n" + t("help.global")).split(separator: "\n").map(String.init)
    case .lock:
        app.lock()
        app.draw(on: canvas)
        r.whole = [t("lock.title"), t("lock.status", ["user": "liaison1"])]
        r.unbroken = formLabels("passphrase")
        r.framed = false
    case .confirmQuit:
        press(.character("3"))
        app.type("ZP", on: canvas)
        press(.tab, .tab, .tab, .character("q"))
        r.whole = [t("confirmQuit")]
    case .checkInPicked:
        press(.character("3"))
        app.type("ZP-1", on: canvas)
        r.whole = [t("checkIn.respondent", ["name": "Нұрсұлтан Әбілқайыров", "address": t("checkIn.noAddress")]),
                   t("checkIn.overdue", ["days": words.days(9), "due": "13.11.2026"]), formKeys]
    case .checkInSaved:
        press(.character("3"))
        _ = app.checkIn.finished(.serve(number: "ZP-1", at: clock.now), result: .success(""), context: app.context())
        app.draw(on: canvas)
        r.whole = [t("checkIn.savedHint"), formKeys]
    case .confirmDiscard:
        open("ZP-1")
        press(.character("b"), .enter)
        app.type("Стоял у подъезда", on: canvas)
        press(.escape)
        r.whole = [t("confirmDiscard")]
    case .confirmRevoke:
        open("ZP-1")
        press(.character("r"), .enter)
        app.type("Решение суда", on: canvas)
        press(.enter)
        r.whole = [t("confirm.revoke", ["number": "ZP-1", "at": "22.11.2026 09:00", "reason": "Решение суда"]), t("confirm.keys")]
    case .confirmClose:
        open("ZP-3")
        press(.character("x"))
        app.type("Составлен протокол", on: canvas)
        press(.enter, .enter)
        let id = try store.detail(number: "ZP-3", asOf: clock.now, now: clock.now).history.breaches.first?.id ?? 0
        r.whole = [t("confirm.close", ["id": String(id), "number": "ZP-3", "at": "22.11.2026 09:00", "action": "Составлен протокол"]),
                   t("confirm.keys")]
    case .longField:
        open("ZP-1")
        press(.character("b"), .enter)
        let long = "Стоял у подъезда с 21:00 до 23:30, звонил ей 14 раз и угрожал поджечь дверь"
        app.type(long, on: canvas)
        r.whole = [long, t("form.breach.title", ["number": "ZP-1"]), formKeys]
        r.unbroken = formLabels("time", "description", "reportedBy")
    case .tooSmall:
        canvas.resize(rows: 23, cols: 79)
        app.draw(on: canvas)
        r.whole = [t("tooSmall", ["cols": words.number(79), "rows": words.number(23)]), t("tooSmall.quit")]
        r.framed = false
    }
    return Rendered(app: app, canvas: canvas, whole: r.whole, unbroken: r.unbroken, framed: r.framed)
}

extension MonitorApp {
    func press(_ keys: [Key], on canvas: GridCanvas) {
        for key in keys { handle(key) }
        draw(on: canvas)
    }
}

/// Latin words that may show on a Russian or Kazakh screen: key names, the program's name, and
/// the fixture's own data (names, a login, the zone, the database).
let latinAllowed: Set<String> = [
    "Qorgau", "Tab", "Enter", "Esc", "Ctrl", "PgUp", "PgDn", "Home", "End", "Shift", "F12", "Backspace", "Delete",
    "liaison1", "Asia", "Almaty", "memory", "Timur", "Abenov", "Dana", "Abenova", "phoned", "her", "survivor",
    "shelter", "Abay", "street",
]

/// The Latin words (three letters or more) on the screen that are not allowed in `language`.
func englishWords(on canvas: GridCanvas) -> [String] {
    let word = /[A-Za-z][A-Za-z0-9]{2,}/
    return canvas.text.matches(of: word).map { String($0.output) }.filter { !latinAllowed.contains($0) }
}

@Suite("Every screen at 80×24 in English, Russian and Kazakh")
struct LanguageScreenTests {
    @Test("the tab bar, titles, counts, headers and key hints show whole", arguments: Language.allCases, Scene.allCases)
    func fits(_ language: Language, _ scene: Scene) throws {
        let r = try render(scene, in: language)
        let canvas = r.canvas
        let words = Words(language)
        let screen = "\(language.rawValue) \(scene.rawValue):\n\(canvas.text)"
        for text in r.whole {
            for word in text.split(whereSeparator: \.isWhitespace) {
                #expect(canvas.contains(String(word)), "“\(word)” of “\(text)” is not on the screen\n\(screen)")
            }
            // The last word above all: a hint cut at the edge loses its end.
            if let last = text.split(whereSeparator: \.isWhitespace).last {
                #expect(canvas.contains(String(last)), "\(screen)")
            }
        }
        for label in r.unbroken {
            #expect(canvas.contains(label), "“\(label)” is cut or missing\n\(screen)")
        }
        if r.framed {
            let bar = canvas.line(0)
            for tab in ["today", "orders", "checkIn", "violations"] {
                let short = words.catalog.has("ui.tab.\(tab).short") ? words.text("ui.tab.\(tab).short") : nil
                let full = words.text("ui.tab.\(tab)")
                #expect(bar.contains(full) || short.map(bar.contains) == true, "tab \(tab) is cut\n\(screen)")
            }
            #expect(bar.hasSuffix(words.text("ui.tab.help")), "the help hint is cut\n\(screen)")
            #expect(TextWidth.width(of: bar) <= 80)
            #expect(canvas.line(23).contains("22.11.2026 09:00"), "the status line lost the time of the figures\n\(screen)")
        }
        // Nothing cut with "…" but the free text of a table or a timeline.
        for row in 0..<canvas.size.rows {
            let line = canvas.line(row)
            guard line.hasSuffix("…") else { continue }
            let isTableCell = scene == .today || scene == .orders || scene == .violations || scene == .order
                || scene == .orderLocked
            #expect(isTableCell && row > 3, "line \(row) is cut: \(line)\n\(screen)")
        }
    }

    @Test("no English on the Russian and Kazakh screens", arguments: [Language.ru, .kk], Scene.allCases)
    func noEnglish(_ language: Language, _ scene: Scene) throws {
        let r = try render(scene, in: language)
        let english = englishWords(on: r.canvas)
        #expect(english.isEmpty, "English on the \(language.rawValue) screen: \(english)\n\(r.canvas.text)")
        for tab in ["Today", "Orders", "Check-in", "Violations"] {
            #expect(!r.canvas.contains(tab), "\(r.canvas.text)")
        }
    }

    @Test("the plural forms the screens count with exist in every language", arguments: Language.allCases)
    func pluralForms(_ language: Language) {
        let words = Words(language)
        for n in [1, 2, 5, 11, 21, 22, 25] {
            let matches = words.count("ui.checkIn.matches", n, ["list": "ZP-1"])
            #expect(matches.contains(words.number(n)) && matches.contains("ZP-1"), "\(matches)")
            #expect(!matches.hasPrefix("ui."), "\(matches)")
        }
    }

    @Test("check-in choices show the label of the language and keep the value; its first letter picks it",
          arguments: Language.allCases)
    func choicesInTheLanguage(_ language: Language) throws {
        let words = Words(language)
        let (app, canvas, store, clock) = try makeApp(rows: 24, cols: 80, words: words)
        app.press([.character("3")], on: canvas)
        app.type("ZP-1", on: canvas)
        app.press([.enter], on: canvas)  // the order is picked, the focus on the outcome
        #expect(app.checkIn.form.focus == CheckInScreen.outcome)
        for (field, options) in [(CheckInScreen.outcome, CheckOutcome.allCases.map(\.rawValue)),
                                 (CheckInScreen.method, CheckMethod.allCases.map(\.rawValue))] {
            app.checkIn.form.focus = field
            for value in options {
                let kind = field == CheckInScreen.outcome ? "outcome" : "method"
                let label = words.text("ui.\(kind).\(value)")
                let first = try #require(label.first)
                // Labels sharing a first letter take turns: at most one press each.
                let sharing = options.filter { words.text("ui.\(kind).\($0)").first?.lowercased() == first.lowercased() }.count
                for _ in 0..<sharing where app.checkIn.form.value(field) != value {
                    app.press([.character(Character(first.lowercased()))], on: canvas)
                }
                #expect(app.checkIn.form.value(field) == value, "\(language) \(label)")
                #expect(canvas.contains("[\(label)]"), "\(canvas.text)")
            }
        }
        // Not-located by phone, saved: the stored values are the raw ones.
        app.checkIn.form.set(CheckInScreen.outcome, CheckOutcome.notLocated.rawValue)
        app.checkIn.form.set(CheckInScreen.method, CheckMethod.phone.rawValue)
        app.press([.control("s")], on: canvas)
        let checks = try store.detail(number: "ZP-1", asOf: clock.now, now: clock.now).history.checks
        #expect(checks.last?.outcome == .notLocated)
        #expect(checks.last?.method == .phone)
        #expect(canvas.contains(words.text("ui.outcome.not-located")), "\(canvas.text)")
    }
}
