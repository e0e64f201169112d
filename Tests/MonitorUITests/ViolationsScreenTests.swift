import Foundation
@testable import MonitorUI
import OrderModel
import OrderStore
import Scheduler
import Terminal
import Testing
import Wording

/// The Violations screen (issue 11, items 8, 9, 12, 14), drawn into a grid over `makeApp`'s orders as of
/// Sunday 22.11.2026 09:00: this month, Абайский has ZP-3's open breach (20.11), Медеуский ZP-1's missed
/// check (due 13.11). The list reads: Абайский, ZP-3, Медеуский, ZP-1.
@Suite("The Violations screen")
struct ViolationsScreenTests {
    func violations(rows: Int = 24, cols: Int = 80, words: Words = .english) throws -> (MonitorApp, GridCanvas, OrderStore) {
        let (app, canvas, store, _) = try makeApp(rows: rows, cols: cols, words: words)
        app.press(.character("4"), on: canvas)
        return (app, canvas, store)
    }

    /// The screen's text with its line breaks and runs of blanks as single spaces: a wrapped sentence reads whole.
    func flat(_ canvas: GridCanvas) -> String {
        canvas.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    func selectedNumber(_ app: MonitorApp) -> String? { app.violations.selected?.orderNumber }

    // MARK: - Item 8: nothing cut at 80 columns

    @Test("at 80×24 the header, the key hints and the status line keep every count and word", arguments: Language.allCases)
    func header(_ language: Language) throws {
        let words = Words(language)
        let (app, canvas, _) = try violations(words: words)
        func t(_ key: String, _ values: [String: String] = [:]) -> String { words.text("ui." + key, values) }
        let title = t("violations.title", ["period": t("period.month"), "from": "01.11.2026", "to": "22.11.2026",
                                           "missed": words.number(1), "breaches": words.number(1),
                                           "grouping": t("grouping.district")])
        for (mode, keys) in [("list", "violations.keys"), ("summary", "violations.keysSummary")] {
            // Wrapped between its " · " parts, each part whole.
            let text = flat(canvas)
            for part in (title + Wrap.separator + t(keys)).components(separatedBy: Wrap.separator) {
                #expect(text.contains(part), "\(mode): “\(part)” is cut\n\(canvas.text)")
            }
            let status = canvas.line(23)
            #expect(status.contains("liaison1") && status.contains("22.11.2026 09:00"), "\(status)")
            app.press(.character("t"), on: canvas)
        }
    }

    @Test("the selected violation is shown in full under the list, with its position; a long district is cut only in the table")
    func fullText() throws {
        let (app, canvas, store, _) = try makeApp(rows: 24, cols: 80)
        let district = "Алатауский район города Алматы, участковый пункт полиции № 12 на улице Рыскулова"
        try store.addOrder(Order(number: "ZP-9", issued: t("2026-10-25 10:00"), served: t("2026-10-26 10:00"), termDays: 30,
                                 checkIntervalDays: 7, district: district, officer: "Сейткали Б.",
                                 survivor: Survivor(name: "Асель"), respondent: Respondent(name: "Ерлан")),
                           now: t("2026-11-22 09:00"))
        app.reload()
        app.press(.character("4"), .character("d"), on: canvas)  // by officer: the district is a table cell
        app.press(.end, on: canvas)
        #expect(selectedNumber(app) == "ZP-9")
        let text = flat(canvas)
        #expect(text.contains("▸ "), "\(canvas.text)")
        #expect(text.contains(district), "the district is cut:\n\(canvas.text)")
        let missed = app.violations.shown.count
        #expect(canvas.contains("row \(missed) of \(missed)"), "\(canvas.text)")
    }

    // MARK: - Item 9: the cursor on violations only

    @Test("the cursor never rests on a group's header: ↑↓, Home, End, PgUp, PgDn, g, G")
    func cursorSkipsHeaders() throws {
        let (app, canvas, _) = try violations()
        #expect(app.violations.rows.count == 4)
        #expect(app.violations.cursor.selected == 1 && selectedNumber(app) == "ZP-3")
        app.press(.down, on: canvas)
        #expect(app.violations.cursor.selected == 3 && selectedNumber(app) == "ZP-1")
        app.press(.up, on: canvas)
        #expect(app.violations.cursor.selected == 1)
        app.press(.up, on: canvas)
        #expect(app.violations.cursor.selected == 1, "up from the first violation stays on it")
        for (key, expected) in [(Key.end, 3), (.home, 1), (.pageDown, 3), (.pageUp, 1), (.character("G"), 3), (.character("g"), 1)] {
            app.press(key, on: canvas)
            #expect(app.violations.cursor.selected == expected, "\(key)")
            #expect(app.violations.selected != nil, "\(key) left the cursor on a header")
        }
        // Drawn: the selected row is a violation's.
        let selectedRow = try #require(row(canvas, containing: "ZP-3"))
        #expect(canvas.style(atRow: selectedRow, col: 2) == .selected)
        let header = try #require(row(canvas, containing: "Абайский · missed checks"))
        #expect(canvas.style(atRow: header, col: 2) != .selected)
    }

    @Test("changing the period, the grouping or the search returns to the top")
    func periodToTop() throws {
        let (app, canvas, _) = try violations()
        for key in [Key.character("w"), .character("W"), .character("m"), .character("l"), .character("d")] {
            app.press(.character("m"), .end, on: canvas)
            #expect(app.violations.cursor.selected == 3)
            app.press(key, on: canvas)
            #expect(app.violations.cursor.top == 0, "\(key)")
            #expect(app.violations.rows.isEmpty || app.violations.cursor.selected == 1, "\(key): \(app.violations.cursor)")
        }
        // A custom period, typed into its form.
        app.press(.character("d"), .character("m"), .end, .character("c"), on: canvas)
        #expect(app.violations.cursor.selected == 3)
        app.press(.enter, .enter, on: canvas)
        #expect(app.violations.period == .custom(from: LocalDay(year: 2026, month: 11, day: 1)!, to: LocalDay(year: 2026, month: 11, day: 22)!))
        #expect(app.violations.cursor.selected == 1)
    }

    @Test("x on a closed breach says it is closed and opens no form; on an open one it opens the close form")
    func closedBreach() throws {
        let (app, canvas, store) = try violations()
        app.press(.character("x"), on: canvas)
        guard case .form(_, .closeBreach(_, let number)) = app.modal else {
            Issue.record("x on the open breach opened no form:\n\(canvas.text)")
            return
        }
        #expect(number == "ZP-3")
        app.press(.escape, on: canvas)
        #expect(app.modal == nil)
        let id = try #require(app.violations.selected?.breachID)
        try store.closeBreach(id, action: "protocol drawn up", at: t("2026-11-21 10:00"), now: t("2026-11-22 09:00"))
        app.reload()
        app.press(.character("x"), on: canvas)
        #expect(app.modal == nil, "a form opened for a closed breach")
        #expect(flat(canvas).contains("Breach #\(id) of order ZP-3 is closed already"), "\(canvas.text)")
        // On a missed check, as before.
        app.press(.down, .character("x"), on: canvas)
        #expect(app.modal == nil)
        #expect(canvas.contains("x closes an open breach"))
    }

    // MARK: - Item 14: last week, the summary, the CSV

    @Test("last week is Monday to Sunday of the week before; this week from Monday", arguments: [
        // today, last week, this week
        ("2026-11-22", "2026-11-09", "2026-11-15", "2026-11-16"),  // a Sunday
        ("2026-11-23", "2026-11-16", "2026-11-22", "2026-11-23"),  // a Monday
        ("2026-11-25", "2026-11-16", "2026-11-22", "2026-11-23"),  // a Wednesday
        ("2027-01-03", "2026-12-21", "2026-12-27", "2026-12-28"),  // a Sunday, the week over New Year
        ("2027-01-04", "2026-12-28", "2027-01-03", "2027-01-04"),  // a Monday after New Year
        ("2024-03-04", "2024-02-26", "2024-03-03", "2024-03-04"),  // a Monday after 29 February
    ])
    func lastWeek(_ today: String, _ from: String, _ to: String, _ monday: String) throws {
        let days = [today, from, to, monday].compactMap { LocalDay(parsing: $0) }
        try #require(days.count == 4)
        let last = ViolationsScreen.range(.lastWeek, today: days[0])
        #expect(last.0 == days[1] && last.1 == days[2])
        let this = ViolationsScreen.range(.thisWeek, today: days[0])
        #expect(this.0 == days[3] && this.1 == days[0])
    }

    @Test("W shows last week: ZP-1's check due Friday 13.11")
    func lastWeekShown() throws {
        let (app, canvas, _) = try violations()
        app.press(.character("W"), on: canvas)
        #expect(app.violations.period == .lastWeek)
        #expect(canvas.contains("Violations, last week 09.11.2026–15.11.2026"), "\(canvas.text)")
        #expect(app.violations.shown.map(\.orderNumber) == ["ZP-1"])
    }

    @Test("t shows a table of counts per group, most first; t again the list; Enter on a group shows its list")
    func summary() throws {
        let (app, canvas, store, _) = try makeApp(rows: 24, cols: 80)
        // Медеуский: ZP-1's missed check and a breach; Абайский: ZP-3's breach.
        try store.addBreach("ZP-1", at: t("2026-11-21 20:00"), description: "came to the door", reportedBy: "survivor",
                            now: t("2026-11-22 09:00"))
        app.reload()
        app.press(.character("4"), .character("t"), on: canvas)
        #expect(app.violations.showsSummary)
        #expect(app.violations.summary == [.init(name: "Медеуский", missed: 1, breaches: 1), .init(name: "Абайский", missed: 0, breaches: 1)])
        for header in ["DISTRICT", "MISSED CHECKS", "BREACHES", "TOTAL"] {
            #expect(canvas.contains(header), "\(canvas.text)")
        }
        let first = try #require(row(canvas, containing: "Медеуский"))
        let second = try #require(row(canvas, containing: "Абайский"))
        #expect(first < second)
        #expect(canvas.line(first).split(separator: " ").suffix(3) == ["1", "1", "2"], "\(canvas.line(first))")
        #expect(!canvas.contains("ZP-1"))
        app.press(.enter, on: canvas)
        #expect(!app.violations.showsSummary)
        #expect(selectedNumber(app) == "ZP-1")
        app.press(.character("t"), .character("d"), on: canvas)
        #expect(app.violations.summary == [.init(name: "Ахметов Д.", missed: 1, breaches: 2)])
        #expect(canvas.contains("OFFICER"))
        app.press(.character("t"), on: canvas)
        #expect(!app.violations.showsSummary)
    }

    @Test("/ searches number, respondent, officer and district; n N move; Esc clears; the position counts violations")
    func search() throws {
        let (app, canvas, _) = try violations()
        #expect(canvas.contains("row 1 of 2"))
        app.press(.character("/"), on: canvas)
        app.type("timur", on: canvas)
        #expect(app.violations.shown.map(\.orderNumber) == ["ZP-3"])
        app.press(.enter, on: canvas)
        #expect(canvas.contains("/ timur"))
        #expect(canvas.contains("row 1 of 1"), "\(canvas.text)")
        app.press(.escape, on: canvas)
        #expect(app.violations.shown.count == 2)
        #expect(app.screen == .violations)
        app.press(.character("/"), on: canvas)
        app.type("медеу", on: canvas)
        #expect(app.violations.shown.map(\.orderNumber) == ["ZP-1"])
        app.press(.escape, on: canvas)
        // n and N go from violation to violation, over the headers, wrapping.
        app.press(.character("/"), on: canvas)
        app.type("ахметов", on: canvas)
        app.press(.enter, on: canvas)
        #expect(selectedNumber(app) == "ZP-3")
        app.press(.character("n"), on: canvas)
        #expect(selectedNumber(app) == "ZP-1")
        #expect(canvas.contains("row 2 of 2"))
        app.press(.character("n"), on: canvas)
        #expect(selectedNumber(app) == "ZP-3")
        app.press(.character("N"), on: canvas)
        #expect(selectedNumber(app) == "ZP-1")
        app.press(.character("/"), on: canvas)
        app.type("nobody", on: canvas)
        #expect(canvas.contains("No violation matches the search"), "\(canvas.text)")
    }

    @Test("e saves the list shown as the command line's CSV, mode 0600, audited; an existing file is replaced only when confirmed")
    func export() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-violations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (app, canvas, store) = try violations()
        app.press(.character("e"), on: canvas)
        guard case .form(var form, .saveReport(let report)) = app.modal else {
            Issue.record("e opened no form:\n\(canvas.text)")
            return
        }
        #expect(form.value(0) == "violations-2026-11-01-2026-11-22.csv")
        #expect(canvas.contains("Save the list (2 rows) to a CSV file"))
        let expected = CSV.render(headers: Words.english.violationsTable(app.violations.shown).headers,
                                  rows: Words.english.violationsTable(app.violations.shown).rows)
        #expect(report.csv == expected)
        #expect(expected.hasPrefix("DAY,KIND,ORDER,DISTRICT,OFFICER,REASON\r\n2026-11-20,breach,ZP-3,Абайский,Ахметов Д.,"), "\(expected)")
        let path = folder + "/out.csv"
        form.set(0, path)
        app.modal = .form(form, .saveReport(report))
        app.press(.enter, on: canvas)
        #expect(app.modal == nil, "\(canvas.text)")
        #expect(canvas.contains("Saved 2 rows to /"), "\(canvas.text)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.csv"], "a temporary file was left")
        let audit = try store.auditEntries(now: t("2026-11-22 09:00")).filter { $0.action == "export" }
        #expect(audit.count == 1 && audit.first?.detail.contains("out.csv") == true, "\(audit)")

        // Again: the file exists; any key but y goes back to the form, y replaces it.
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        app.press(.character("e"), on: canvas)
        guard case .form(var again, let purpose) = app.modal else { return }
        again.set(0, path)
        app.modal = .form(again, purpose)
        app.press(.enter, on: canvas)
        #expect(flat(canvas).contains("exists already. Replace it?"), "\(canvas.text)")
        app.press(.character("n"), on: canvas)
        guard case .form(let back, _)? = app.modal else {
            Issue.record("no form after declining:\n\(canvas.text)")
            return
        }
        #expect(back.value(0) == path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        app.press(.enter, .character("y"), on: canvas)
        #expect(app.modal == nil, "\(canvas.text)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.csv"])

        // A folder that does not exist: said beside the form, which stays open; nothing is left.
        app.press(.character("e"), on: canvas)
        guard case .form(var bad, let badPurpose) = app.modal else { return }
        bad.set(0, folder + "/missing/out.csv")
        app.modal = .form(bad, badPurpose)
        app.press(.enter, on: canvas)
        guard case .form(let refused, _)? = app.modal else {
            Issue.record("the form closed on a failure:\n\(canvas.text)")
            return
        }
        #expect(refused.formError?.contains("cannot create") == true, "\(String(describing: refused.formError))")
    }

    @Test("a liaison is not offered e or x; e says who may and opens no form; the store refuses the export too")
    func liaisonMayNotSave() throws {
        let (_, _, store, clock) = try makeApp(rows: 24, cols: 80)
        try store.addUser("liaison2", role: .liaison, district: "", now: clock.now)
        let liaison = try store.session(for: "liaison2", now: clock.now)
        let app = MonitorApp(store: liaison, clock: { clock.now })
        let canvas = GridCanvas(rows: 24, cols: 80)
        app.press(.character("4"), on: canvas)
        // The key line offers neither saving nor closing a breach to a liaison; a supervisor's offers both.
        #expect(!canvas.contains("e save CSV") && !canvas.contains("x close breach"), "\(canvas.text)")
        let (_, supervisor, _) = try violations()
        #expect(supervisor.contains("e save CSV") && supervisor.contains("x close breach"), "\(supervisor.text)")
        app.press(.character("e"), on: canvas)
        #expect(app.modal == nil, "\(canvas.text)")
        #expect(canvas.contains("Only a supervisor may"), "\(canvas.text)")
        #expect(throws: StoreError.self) { try liaison.recordReportExport(to: "v.csv", now: clock.now) }
        #expect(try store.auditEntries(now: clock.now).allSatisfy { $0.action != "export" })
    }

    @Test("the CSV file has the columns and words of `violations --format csv` in the screen's language", arguments: Language.allCases)
    func csvWords(_ language: Language) throws {
        let words = Words(language)
        let (app, canvas, _) = try violations(words: words)
        app.press(.character("e"), on: canvas)
        guard case .form(_, .saveReport(let report)) = app.modal else {
            Issue.record("e opened no form:\n\(canvas.text)")
            return
        }
        #expect(report.headers == ["day", "kind", "order", "district", "officer", "reason"].map { words.text("cli.col." + $0) })
        #expect(report.rows.map { $0[1] } == [words.text("cli.kind.breach"), words.text("cli.kind.missed-check")])
        #expect(report.rows.map { $0[0] } == ["2026-11-20", "2026-11-13"])
    }

    @Test("CSV cells: a formula is defused, commas and quotes are quoted, lines end in CRLF")
    func csvCells() {
        #expect(CSV.render(headers: ["A", "B"], rows: [["=1+2", "a, \"b\""], ["-5", "x"]])
            == "A,B\r\n'=1+2,\"a, \"\"b\"\"\"\r\n-5,x\r\n")
    }
}
