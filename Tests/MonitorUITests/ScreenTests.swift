import Wording
import Foundation
@testable import MonitorUI
import OrderModel
import OrderStore
import SQLiteStore
import Scheduler
import Terminal
import Testing

let almaty = TimeZone(identifier: "Asia/Almaty")!

func t(_ text: String) -> Date { try! LocalDateTime(parsing: text)!.instant(in: almaty) }

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    var now: Date
    init(_ now: Date) { self.now = now }
}

/// An app over an in-memory store, as of 22.11.2026 09:00 in Almaty:
/// ZP-1 overdue (served 01.11, checked 06.11, due 13.11), ZP-2 expiring 24.11 with a check due,
/// ZP-3 with an open breach, ZP-4 unserved for two days, ZP-5 (a wide, CJK respondent name) due tomorrow.
func makeApp(rows: Int = 30, cols: Int = 100, lockAfter: TimeInterval = 600, words: Words = .english) throws
    -> (MonitorApp, GridCanvas, OrderStore, TestClock) {
    let store = try OrderStore.inMemory(timeZone: almaty, rules: RuleSet.kazakhstan(), account: "liaison1")
    let clock = TestClock(t("2026-11-22 09:00"))
    func add(_ number: String, served: String?, respondent: String, survivor: String, district: String) throws {
        try store.addOrder(Order(number: number, issued: t("2026-10-25 10:00"), served: served.map(t), termDays: 30,
                                 checkIntervalDays: 7, district: district, officer: "Ахметов Д.",
                                 survivor: Survivor(name: survivor, phone: "+7 701 555 0101", contact: "shelter on Abay street"),
                                 respondent: Respondent(name: respondent)), now: clock.now)
    }
    try add("ZP-1", served: "2026-11-01 15:00", respondent: "Нұрсұлтан Әбілқайыров", survivor: "Айгерим Нұрланқызы", district: "Медеуский")
    try add("ZP-2", served: "2026-10-25 15:00", respondent: "Сергей Иванов", survivor: "Мария Иванова", district: "Есиль")
    try add("ZP-3", served: "2026-11-18 12:00", respondent: "Timur Abenov", survivor: "Dana Abenova", district: "Абайский")
    try store.addOrder(Order(number: "ZP-4", issued: t("2026-11-20 09:00"), termDays: 30, checkIntervalDays: 7,
                             district: "Есиль", survivor: Survivor(name: "Ольга Ким"), respondent: Respondent(name: "Виктор Ким")),
                       now: clock.now)
    try add("ZP-5", served: "2026-11-16 10:00", respondent: "王小明", survivor: "Li Na", district: "Медеуский")
    try store.addCheck("ZP-1", at: t("2026-11-06 11:00"), officer: "A", method: .visit, outcome: .compliant, note: "", now: clock.now)
    for day in ["2026-10-31", "2026-11-06", "2026-11-12", "2026-11-16"] {
        try store.addCheck("ZP-2", at: t(day + " 11:00"), officer: "A", method: .visit, outcome: .compliant, note: "", now: clock.now)
    }
    try store.addBreach("ZP-3", at: t("2026-11-20 22:00"), description: "phoned her", reportedBy: "survivor", now: clock.now)
    let app = MonitorApp(store: store, clock: { clock.now }, words: words, lockAfter: lockAfter)
    let canvas = GridCanvas(rows: rows, cols: cols)
    app.draw(on: canvas)
    return (app, canvas, store, clock)
}

extension MonitorApp {
    /// Types each character as a key, then redraws.
    func type(_ text: String, on canvas: GridCanvas) {
        for c in text { handle(.character(c)) }
        draw(on: canvas)
    }

    func press(_ keys: Key..., on canvas: GridCanvas) {
        for key in keys { handle(key) }
        draw(on: canvas)
    }
}

/// The row of the grid that contains `fragment`, or nil.
func row(_ canvas: GridCanvas, containing fragment: String) -> Int? {
    (0..<canvas.size.rows).first { canvas.line($0).contains(fragment) }
}

@Suite("Screens drawn into a grid")
struct ScreenTests {
    @Test("Today: counts per kind, then the alerts most urgent first, in words as well as colour")
    func today() throws {
        let (_, canvas, _, _) = try makeApp()
        #expect(canvas.contains("!! BREACH 1   ! OVERDUE 1   ? UNSERVED 1   • DUE 2   ~ EXPIRING 1"))
        let order = ["!! BREACH    ZP-3           2 days open", "! OVERDUE    ZP-1           9 days late",
                     "? UNSERVED   ZP-4           48 hours", "• DUE        ZP-2           tomorrow",
                     "• DUE        ZP-5           tomorrow", "~ EXPIRING   ZP-2           in 2 days"].map { row(canvas, containing: $0) }
        #expect(order.allSatisfy { $0 != nil }, "\(canvas.text)")
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        let overdue = try #require(row(canvas, containing: "ZP-1"))
        #expect(canvas.line(overdue).contains("Нұрсұлтан Әбілқайыров"))
        #expect(canvas.line(overdue).contains("no check since 06.11"))
        #expect(canvas.line(canvas.size.rows - 1).contains("liaison1"))
        #expect(canvas.line(canvas.size.rows - 1).contains("Asia/Almaty"))
        #expect(canvas.style(atRow: overdue, col: 1) == .selected || canvas.style(atRow: overdue, col: 1) == .warning)
    }

    @Test("wide characters keep the columns aligned")
    func alignment() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("2"), on: canvas)
        let cyrillic = try #require(row(canvas, containing: "ZP-1"))
        let cjk = try #require(row(canvas, containing: "ZP-5"))
        // The survivor's initials start in the same terminal column on both rows.
        func column(of text: String, in line: String) -> Int? {
            guard let range = line.range(of: text) else { return nil }
            return TextWidth.width(of: String(line[..<range.lowerBound]))
        }
        #expect(column(of: "А. Н.", in: canvas.line(cyrillic)) == column(of: "L. N.", in: canvas.line(cjk)))
        #expect(canvas.line(cjk).contains("王小明"))
    }

    @Test("Enter on an alert opens its order; Esc comes back")
    func openOrder() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.down, .enter, on: canvas)
        #expect(app.screen == .order("ZP-1"))
        #expect(canvas.contains("Айгерим Нұрланқызы"))
        #expect(canvas.contains("check (visit): compliant"))
        #expect(canvas.contains("missed check: due 13.11.2026, 9 days late"))
        app.press(.escape, on: canvas)
        #expect(app.screen == .today)
    }

    @Test("Orders: incremental search in Cyrillic, any case; the status filter cycles")
    func search() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("2"), .character("/"), on: canvas)
        app.type("НҰРСҰЛ", on: canvas)
        #expect(canvas.contains("ZP-1"))
        #expect(!canvas.contains("ZP-2"))
        app.press(.escape, on: canvas)
        #expect(canvas.contains("ZP-2"))
        #expect(!canvas.contains("ZP-4"))
        app.press(.character("f"), on: canvas)
        #expect(canvas.contains("Orders: unserved (1)"))
        #expect(canvas.contains("ZP-4"))
    }

    @Test("Orders: typed without Kazakh letters or in Latin, the search finds the order people mean",
          arguments: [("нурсултан", "ZP-1"), ("nursultan", "ZP-1"), ("abilkaiyrov", "ZP-1"), ("АБИЛКАИЫРОВ", "ZP-1"),
                      ("sergei", "ZP-2"), ("тимур", "ZP-3"), ("ahmetov ivanov", "ZP-2")])
    func foldedSearch(query: String, expected: String) throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("2"), .character("f"), .character("f"), .character("f"), .character("f"), on: canvas)
        app.press(.character("/"), on: canvas)
        app.type(query, on: canvas)
        for number in ["ZP-1", "ZP-2", "ZP-3", "ZP-4", "ZP-5"] {
            #expect(canvas.contains(number + " ") == (number == expected), "\(query): \(number)")
        }
    }

    @Test("Orders sorted by respondent follow the Kazakh/Russian alphabet")
    func sortByRespondent() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("2"), .character("f"), .character("f"), .character("f"), .character("f"), on: canvas)
        while !canvas.text.contains(Words.english.text("ui.sort.respondent")) { app.press(.character("s"), on: canvas) }
        // Виктор Ким < Нұрсұлтан Әбілқайыров < Сергей Иванов, Cyrillic before Latin, then CJK last.
        let rows = canvas.text.split(separator: "\n").map(String.init)
        let order = ["ZP-4", "ZP-1", "ZP-2", "ZP-3"].map { n in rows.firstIndex { $0.contains(n + " ") } ?? -1 }
        #expect(order == order.sorted() && !order.contains(-1), "\(canvas.text)")
    }

    @Test("Check-in: the number, Enter, Enter saves a compliant visit now and the overdue alert goes")
    func checkIn() throws {
        let (app, canvas, store, _) = try makeApp()
        app.press(.character("3"), on: canvas)
        app.type("p-1", on: canvas)
        #expect(canvas.contains("1 match: ZP-1"))
        app.press(.enter, .enter, on: canvas)
        #expect(canvas.contains("Saved: check"), "\(canvas.text)")
        let checks = try store.detail(number: "ZP-1", asOf: t("2026-11-22 09:00"), now: t("2026-11-22 09:00")).history.checks
        #expect(checks.count == 2)
        #expect(checks.last?.officer == "liaison1")
        #expect(checks.last?.outcome == .compliant)
        app.press(.character("1"), on: canvas)
        #expect(!canvas.contains("! OVERDUE    ZP-1"))
    }

    @Test("Check-in: a refusal shows beside the field and nothing is written")
    func checkInRefused() throws {
        let (app, canvas, store, _) = try makeApp()
        app.press(.character("3"), on: canvas)
        app.type("ZP-1", on: canvas)
        app.press(.tab, .control("u"), on: canvas)
        app.type("30.10.2026 10:00", on: canvas)
        app.press(.control("s"), on: canvas)
        let timeRow = try #require(row(canvas, containing: "30.10.2026 10:00"))
        #expect(canvas.line(timeRow).contains("✗ the check time is before the order was served"))
        #expect(try store.detail(number: "ZP-1", asOf: t("2026-11-22 09:00"), now: t("2026-11-22 09:00")).history.checks.count == 1)
        app.press(.control("u"), on: canvas)
        app.type("yesterday", on: canvas)
        app.press(.control("s"), on: canvas)
        #expect(canvas.contains("✗ not a time"))
    }

    @Test("q asks first when a form has unsaved input, and quits at once otherwise")
    func quit() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("3"), on: canvas)
        app.type("ZP", on: canvas)
        app.press(.enter, on: canvas)  // several match: the focus stays, the input is unsaved
        app.press(.tab, .tab, .tab, .character("q"), on: canvas)
        #expect(canvas.contains("unsaved input"))
        #expect(!app.wantsQuit)
        app.press(.character("n"), on: canvas)
        #expect(!app.wantsQuit)
        app.press(.character("q"), .character("y"), on: canvas)
        #expect(app.wantsQuit)
        let (fresh, freshCanvas, _, _) = try makeApp()
        fresh.press(.character("q"), on: freshCanvas)
        #expect(fresh.wantsQuit)
    }

    @Test("the quick-hide key blanks everything at once; any key brings it back", arguments: [Key.function(12), .control("b")])
    func quickHide(_ key: Key) throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(key, on: canvas)
        #expect(canvas.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        app.press(.character("x"), on: canvas)
        #expect(canvas.contains("ZP-1"))
        #expect(app.screen == .today)
    }

    @Test("below 80x24 a clear message replaces the screen, and a resize redraws", arguments: [(23, 80), (24, 79), (10, 40)])
    func tooSmall(_ size: (Int, Int)) throws {
        let (app, canvas, _, _) = try makeApp()
        canvas.resize(rows: size.0, cols: size.1)
        app.draw(on: canvas)
        #expect(canvas.contains("Enlarge the window") || size.1 < 40)
        #expect(!canvas.contains("ZP-1"))
        canvas.resize(rows: 24, cols: 80)
        app.draw(on: canvas)
        #expect(canvas.contains("ZP-1"))
        #expect(canvas.line(23).contains("liaison1"))
    }

    @Test("a resize in the middle of a form keeps what was typed")
    func resizeInForm() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("3"), on: canvas)
        app.type("ZP-", on: canvas)
        canvas.resize(rows: 40, cols: 120)
        app.press(.resize, on: canvas)
        #expect(canvas.contains("ZP-"))
        #expect(app.screen == .checkIn)
    }

    @Test("help describes the current screen")
    func help() throws {
        let (app, canvas, _, _) = try makeApp()
        app.press(.character("4"), .character("?"), on: canvas)
        #expect(canvas.contains("Violations: missed checks and breaches for a period"))
        #expect(canvas.contains("F12, Ctrl-B"))
        app.press(.character("z"), on: canvas)
        #expect(!canvas.contains("F12, Ctrl-B"))
    }

    @Test("Violations: grouped by district with counts, then by officer; a breach closes here")
    func violations() throws {
        let (app, canvas, store, _) = try makeApp()
        app.press(.character("4"), on: canvas)
        #expect(canvas.contains("Медеуский · missed checks: 1 · breaches: 0"))
        #expect(canvas.contains("Абайский · missed checks: 0 · breaches: 1"))
        #expect(!canvas.contains("Есиль"))
        app.press(.character("d"), on: canvas)
        #expect(canvas.contains("Ахметов Д. · missed checks: 1 · breaches: 1"))
        // Select the breach row and close it with the action taken.
        let breachRow = try #require(row(canvas, containing: "!! breach"))
        let first = try #require(row(canvas, containing: "Ахметов Д. ·"))
        for _ in 0..<(breachRow - first) { app.handle(.down) }
        app.press(.character("x"), on: canvas)
        #expect(canvas.contains("Close breach"))
        app.type("protocol drawn up", on: canvas)
        app.press(.enter, .enter, on: canvas)
        // What will be written, asked about first: it cannot be undone.
        #expect(flat(canvas).contains("action taken: “protocol drawn up”. This cannot be undone."), "\(canvas.text)")
        #expect(try store.alerts(asOf: t("2026-11-22 09:00")).contains { $0.kind == .breachOpen })
        app.press(.character("y"), on: canvas)
        #expect(canvas.contains("Saved: breach"), "\(canvas.text)")
        #expect(try store.alerts(asOf: t("2026-11-22 09:00")).allSatisfy { $0.kind != .breachOpen })
    }

    @Test("another terminal's write shows on the next tick; midnight rolls the figures over")
    func liveData() throws {
        let (app, canvas, store, clock) = try makeApp(lockAfter: 86_400)
        try store.addCheck("ZP-1", at: t("2026-11-22 08:00"), officer: "B", method: .phone, outcome: .compliant, note: "",
                           now: clock.now)
        app.tick()
        app.draw(on: canvas)
        #expect(!canvas.contains("! OVERDUE    ZP-1"))
        clock.now = t("2026-11-23 00:00:30")
        app.tick()
        app.draw(on: canvas)
        #expect(canvas.contains("Today, 23.11.2026"))
    }
}

@Suite("The string catalog")
struct CatalogTests {
    /// Every `text("…")` key the screens use exists in Resources/strings/en.json.
    @Test("every key the screens use is in the catalog")
    func keysExist() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/MonitorUI").standardized
        let files = try FileManager.default.contentsOfDirectory(at: sources, includingPropertiesForKeys: nil)
        let pattern = try Regex(#"text\("([a-zA-Z.\-]+)""#)
        var keys = Set<String>()
        for file in files where file.pathExtension == "swift" {
            let source = try String(contentsOf: file, encoding: .utf8)
            for match in source.matches(of: pattern) {
                if let key = match.output[1].substring { keys.insert(String(key)) }
            }
        }
        #expect(keys.count > 40)
        for key in keys where !key.hasPrefix("ui.") {
            #expect(Catalog.english.has("ui." + key), "missing ui.\(key)")
        }
    }
}

@Suite("Confidentiality on screen")
struct ConfidentialityScreenTests {
    @Test("after the idle time the screen locks, drops survivor data, and the passphrase brings it back")
    func idleLock() throws {
        let (app, canvas, _, clock) = try makeApp()
        app.press(.down, .enter, on: canvas)
        #expect(canvas.contains("Айгерим Нұрланқызы"))
        clock.now = clock.now.addingTimeInterval(601)
        app.tick()
        app.draw(on: canvas)
        #expect(app.isLocked)
        #expect(!canvas.contains("Айгерим"))
        #expect(!canvas.contains("ZP-1"))
        app.type("wrong", on: canvas)
        app.press(.enter, on: canvas)
        #expect(canvas.contains("does not unlock"))
        #expect(app.isLocked)
        app.type("test", on: canvas)
        app.press(.enter, on: canvas)
        #expect(!app.isLocked)
        #expect(canvas.contains("ZP-1"))
    }

    @Test("search by the survivor's name works for staff with the passphrase, and never for a liaison")
    func survivorSearch() throws {
        let (app, canvas, store, clock) = try makeApp()
        app.press(.character("2"), .character("/"), on: canvas)
        app.type("мария", on: canvas)
        #expect(canvas.contains("ZP-2"))
        #expect(!canvas.contains("ZP-1"))
        try store.addUser("police7", role: .liaison, district: "", now: clock.now)
        let liaison = MonitorApp(store: try store.session(for: "police7", now: clock.now), clock: { clock.now })
        let other = GridCanvas(rows: 30, cols: 100)
        liaison.press(.character("2"), .character("/"), on: other)
        liaison.type("мария", on: other)
        #expect(!other.contains("ZP-2"))
        #expect(other.contains("No order matches."))
    }

    @Test("a liaison sees initials and [hidden], never the survivor's contact details")
    func liaison() throws {
        let (_, _, store, clock) = try makeApp()
        try store.addUser("police7", role: .liaison, district: "Медеуский", now: clock.now)
        let app = MonitorApp(store: try store.session(for: "police7", now: clock.now), clock: { clock.now })
        let canvas = GridCanvas(rows: 30, cols: 100)
        app.press(.character("2"), on: canvas)
        #expect(canvas.contains("А. Н."))
        app.press(.enter, on: canvas)
        #expect(app.screen == .order("ZP-1"))
        #expect(!canvas.contains("Айгерим"))
        #expect(!canvas.contains("+7 701"))
        #expect(canvas.contains("[hidden]"))
        #expect(canvas.contains("liaison"))
    }
}
