import Foundation
import Testing

/// A database in its own temporary folder, filled with the command line, with times relative to
/// the real clock so that the screens show the same alerts whenever the suite runs.
struct TUIFixture {
    let folder: URL
    let db: String
    let zone: TimeZone

    /// Served 10 days ago, never checked: due 7 days after service, so 3 days overdue.
    static let overdue = "ZP-118"
    /// Served 28 days ago, checked yesterday: 2 days left of its 30.
    static let expiring = "ZP-205"
    /// Served 2 days ago, a breach an hour ago with no action.
    static let breached = "ZP-311"
    static let overdueRespondent = "Нұрсұлтан Әбілқайыров"
    static let expiringRespondent = "Ерлан Сейткали"
    static let breachedRespondent = "Бауыржан Омаров"

    init() throws {
        // Short, so that the whole path fits in the status line of a 100-column pane.
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("qtui-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = folder.appendingPathComponent("q.sqlite").path
        guard let zone = TimeZone(identifier: "Asia/Almaty") else { throw TmuxError(message: "no Asia/Almaty zone") }
        self.zone = zone
        try cli("init", "--time-zone", "Asia/Almaty")
    }

    /// The three alerts of a morning: an open breach, an overdue check, an order about to expire.
    static func morning() throws -> TUIFixture {
        let f = try TUIFixture()
        try f.addOrder(overdue, servedDaysAgo: 10, respondent: overdueRespondent, district: "Медеуский")
        try f.addOrder(expiring, servedDaysAgo: 28, respondent: expiringRespondent, district: "Алмалинский")
        try f.cli("check", "add", expiring, "--at", f.time(daysAgo: 1), "--officer", "Ахметов Д.", "--outcome", "compliant")
        try f.addOrder(breached, servedDaysAgo: 2, respondent: breachedRespondent, district: "Ауэзовский")
        try f.cli("breach", "add", breached, "--at", f.time(daysAgo: 1.0 / 24), "--description", "пришёл к дому")
        return f
    }

    func addOrder(_ number: String, servedDaysAgo days: Double, respondent: String, district: String) throws {
        try cli("order", "add", "--number", number, "--issued", time(daysAgo: days + 1.0 / 24),
                "--served", time(daysAgo: days), "--survivor", "Айгерим Нұрланқызы", "--respondent", respondent,
                "--district", district, "--officer", "Ахметов Д.")
    }

    /// A local time in the file's zone, as the command line takes it.
    func time(daysAgo days: Double, format: String = "yyyy-MM-dd HH:mm") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter.string(from: Date().addingTimeInterval(-days * 86_400))
    }

    @discardableResult
    func run(_ args: [String], stdin: FileHandle? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = Tmux.binary
        process.arguments = args + ["--db", db]
        var env = ProcessInfo.processInfo.environment
        env["QORGAU_DB"] = nil
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin { process.standardInput = stdin }
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// A command that must succeed while preparing the file.
    @discardableResult
    func cli(_ args: String...) throws -> String {
        try cli(args)
    }

    @discardableResult
    func cli(_ args: [String]) throws -> String {
        let result = try run(args)
        guard result.status == 0 else { throw TmuxError(message: "qorgau \(args.joined(separator: " ")): \(result.err)") }
        return result.out
    }

    func json(_ args: String...) throws -> [String: Any] {
        let out = try cli(args + ["--format", "json"])
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

extension Tmux {
    /// The value shown beside a form field's label ("Order", "Time", "What happened"), focused or not.
    func field(_ label: String) -> String? {
        for row in rows {
            let text = row.hasPrefix("▸ ") ? String(row.dropFirst(2)) : row.hasPrefix("  ") ? String(row.dropFirst(2)) : row
            if text.hasPrefix(label) {
                return String(text.dropFirst(label.count)).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The row that shows `text`, if any.
    func row(containing text: String) -> String? {
        rows.first { $0.contains(text) }
    }
}

@Suite("The screens, in a real terminal (tmux)", .serialized)
struct TUITests {
    /// Waits for `text` on the pane; on failure the message shows what the pane showed instead.
    func expectShown(_ text: String, on tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        let shown = tui.waitFor(text)
        #expect(shown, "waited for \"\(text)\"; the pane shows:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    func expectGone(_ text: String, from tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        let gone = tui.waitForAbsence(of: text)
        #expect(gone, "\"\(text)\" is still shown:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    /// Starts the screens on the file and waits for the first frame of Today.
    func start(_ f: TUIFixture, cols: Int = 100, rows: Int = 30, environment: [String: String] = [:]) throws -> Tmux {
        let tui = try Tmux(database: f.db, cols: cols, rows: rows, environment: environment)
        guard tui.waitFor("what needs action") else {
            let shown = tui.screen()
            tui.kill()
            throw TmuxError(message: "the Today screen never appeared; the pane shows:\n\(shown)")
        }
        return tui
    }

    @Test("Today: the morning's alerts, most urgent first, with the database in the status line")
    func morningAlerts() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }

        expectShown("!! BREACH 1   ! OVERDUE 1   ? UNSERVED 0   • DUE 0   ~ EXPIRING 1", on: tui)
        let rows = tui.rows
        let breach = rows.firstIndex { $0.contains(TUIFixture.breached) }
        let overdue = rows.firstIndex { $0.contains(TUIFixture.overdue) }
        let expiring = rows.firstIndex { $0.contains(TUIFixture.expiring) }
        let screen = tui.screen()
        guard let breach, let overdue, let expiring else {
            Issue.record("an order is missing from Today:\n\(screen)")
            return
        }
        #expect(breach < overdue && overdue < expiring, "\(screen)")
        #expect(rows[breach].hasPrefix(" !! BREACH"), "\(screen)")
        #expect(rows[breach].contains(TUIFixture.breachedRespondent))
        #expect(rows[overdue].hasPrefix(" ! OVERDUE"), "\(screen)")
        #expect(rows[overdue].contains(TUIFixture.overdueRespondent))
        #expect(rows[expiring].hasPrefix(" ~ EXPIRING"), "\(screen)")
        #expect(rows[expiring].contains(TUIFixture.expiringRespondent))
        #expect(rows.count == 30)
        #expect(rows.last?.contains(f.db) == true, "status line: \(rows.last ?? "")")
        // On a colour terminal the tags are in colour too (the control for the NO_COLOR test).
        let attributes = tui.screenWithAttributes()
        #expect(!Self.colourCodes(in: attributes).isEmpty, "\(attributes.prefix(400).debugDescription)")
    }

    @Test("Check-in: part of the number, Enter, Enter saves a visit and the overdue alert goes")
    func checkInClearsOverdue() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }
        expectShown("! OVERDUE 1", on: tui)

        tui.send("3")
        expectShown("Check-in: record a police check", on: tui)
        tui.type("118")
        expectShown("1 match: \(TUIFixture.overdue)", on: tui)
        tui.send("Enter")
        expectShown("▸ Outcome", on: tui)
        #expect(tui.field("Order") == TUIFixture.overdue)
        tui.send("Enter")
        expectShown("Saved: check", on: tui)
        #expect(!tui.processEnded, "the program ended on saving the check:\n\(tui.screen())")

        // F1, not 1: after saving, the blank form's number field has the focus and takes digits.
        tui.send("F1")
        let onToday = tui.waitFor("what needs action")
        #expect(onToday, "F1 should open Today from Check-in; the pane shows:\n\(tui.screen())")
        if !onToday {
            // Still on Check-in: Tab on the blank form goes to Violations, and 1 from there to Today.
            tui.send("Tab", "1")
        }
        expectShown("! OVERDUE 0", on: tui)
        #expect(tui.row(containing: TUIFixture.overdue) == nil, "\(tui.screen())")
        #expect(tui.row(containing: TUIFixture.breached)?.hasPrefix(" !! BREACH") == true)

        let alerts = try f.json("alerts")["alerts"] as? [[String: Any]] ?? []
        #expect(!alerts.contains { $0["order"] as? String == TUIFixture.overdue })
        let checks = try f.json("order", "show", TUIFixture.overdue)["checks"] as? [[String: Any]] ?? []
        #expect(checks.count == 1)
        #expect(checks.first?["outcome"] as? String == "compliant")
        #expect(checks.first?["method"] as? String == "visit")
    }

    @Test("Orders: a Cyrillic search in another case lists only the matching order")
    func cyrillicSearch() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }

        tui.send("2")
        expectShown("Orders: active (3)", on: tui)
        tui.send("/")
        tui.type("нұрсұлтан")
        tui.send("Enter")
        expectShown("Orders: active (1)", on: tui)
        expectShown("/ нұрсұлтан", on: tui)
        #expect(tui.row(containing: TUIFixture.overdue)?.contains(TUIFixture.overdueRespondent) == true, "\(tui.screen())")
        #expect(tui.row(containing: TUIFixture.expiring) == nil)
        #expect(tui.row(containing: TUIFixture.breached) == nil)
    }

    /// True once the pane is `rows` high with the status line (the database path) on its last row
    /// and the tab bar's right end at the new width.
    func redrawn(_ tui: Tmux, cols: Int, rows: Int) -> Bool {
        let shown = tui.rows
        return shown.count == rows && shown.last?.contains(tui.database) == true
            && shown.first?.hasSuffix("? help  q quit") == true && shown.first?.count == cols - 1
    }

    @Test("Resizing redraws at the new size, warns below 80×24, and keeps typed input")
    func resize() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }
        #expect(redrawn(tui, cols: 100, rows: 30), "\(tui.screen())")

        tui.resize(cols: 120, rows: 40)
        #expect(tui.waitUntil { redrawn($0, cols: 120, rows: 40) }, "\(tui.screen())")
        #expect(tui.row(containing: TUIFixture.overdue)?.contains("! OVERDUE") == true)

        tui.resize(cols: 70, rows: 20)
        expectShown("Enlarge the window to at least 80×24 (it is 70×20 now).", on: tui)
        #expect(tui.row(containing: TUIFixture.overdue) == nil)

        tui.resize(cols: 100, rows: 30)
        #expect(tui.waitUntil { redrawn($0, cols: 100, rows: 30) }, "\(tui.screen())")
        expectShown("!! BREACH 1   ! OVERDUE 1", on: tui)
        #expect(tui.row(containing: "Enlarge") == nil)

        // In the middle of a check-in, with part of a number typed.
        tui.send("3")
        tui.type("118")
        expectShown("1 match: \(TUIFixture.overdue)", on: tui)
        tui.resize(cols: 120, rows: 40)
        #expect(tui.waitUntil { redrawn($0, cols: 120, rows: 40) }, "\(tui.screen())")
        #expect(tui.field("Order") == "118", "\(tui.screen())")
        tui.resize(cols: 70, rows: 20)
        expectShown("Enlarge the window", on: tui)
        tui.resize(cols: 100, rows: 30)
        #expect(tui.waitUntil { redrawn($0, cols: 100, rows: 30) }, "\(tui.screen())")
        #expect(tui.field("Order") == "118", "\(tui.screen())")
        expectShown("1 match: \(TUIFixture.overdue)", on: tui)
    }

    /// Nothing of the orders anywhere on the pane: every row blank.
    func blank(_ tui: Tmux) -> Bool {
        tui.screen().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    @Test("Quick-hide: F12 or Ctrl-B blanks the pane, any key brings it back", arguments: ["F12", "C-b"])
    func quickHide(_ key: String) throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }
        expectShown(TUIFixture.overdueRespondent, on: tui)

        tui.send(key)
        #expect(tui.waitUntil(blank), "not blank after \(key):\n\(tui.screen())")
        let hidden = tui.screen()
        #expect(!hidden.contains(TUIFixture.overdue) && !hidden.contains("Нұрсұлтан") && !hidden.contains("Qorgau"))
        tui.type("x")
        expectShown(TUIFixture.overdueRespondent, on: tui)
        expectShown("! OVERDUE 1", on: tui)

        // In a form: hidden and back, with what was typed kept and the waking key not typed.
        tui.send("3")
        tui.type("118")
        expectShown("1 match: \(TUIFixture.overdue)", on: tui)
        tui.send(key)
        #expect(tui.waitUntil(blank), "not blank after \(key):\n\(tui.screen())")
        tui.type("a")
        expectShown("Check-in: record a police check", on: tui)
        #expect(tui.field("Order") == "118", "\(tui.screen())")
    }

    @Test("A breach dated before service: the form shows the refusal and nothing is written")
    func breachRefusedInForm() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }

        tui.send("2")
        expectShown("Orders: active (3)", on: tui)
        tui.send("Enter")  // the first order by number: the overdue one
        expectShown("c check · b breach", on: tui)
        expectShown("Order           \(TUIFixture.overdue)", on: tui)
        tui.send("b")
        expectShown("Record a breach of order \(TUIFixture.overdue)", on: tui)
        tui.send("C-u")
        tui.type(f.time(daysAgo: 11, format: "dd.MM.yyyy HH:mm"))
        tui.send("Enter")
        tui.type("Стоял у подъезда")
        tui.send("Enter", "Enter")
        expectShown("before the order was served", on: tui)
        #expect(tui.row(containing: "Record a breach of order") != nil, "the form closed:\n\(tui.screen())")
        #expect(tui.row(containing: "Стоял у подъезда") != nil, "the description was lost:\n\(tui.screen())")
        #expect(tui.row(containing: "Saved") == nil)

        let breaches = try f.json("order", "show", TUIFixture.overdue)["breaches"] as? [[String: Any]] ?? []
        #expect(breaches.isEmpty)
        let alerts = try f.json("alerts")["alerts"] as? [[String: Any]] ?? []
        #expect(alerts.filter { $0["kind"] as? String == "breach-open" }.map { $0["order"] as? String } == [TUIFixture.breached])
    }

    @Test("q ends the program and gives the terminal back")
    func quit() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }
        #expect(tui.info("#{alternate_on}") == "1")

        tui.send("q")
        // The shell after it prints on the main screen, in cooked mode with echo, the cursor shown.
        expectShown("[qorgau exited 0; tty: icanon echo]", on: tui)
        #expect(tui.info("#{alternate_on}") == "0")
        #expect(tui.info("#{cursor_flag}") == "1")
        #expect(tui.row(containing: "1 Today") == nil, "\(tui.screen())")
        #expect(tui.waitUntil { $0.processEnded }, "the pane is still running:\n\(tui.screen())")
    }

    @Test("q with unsaved input in the check-in form asks first")
    func quitAsksWithUnsavedInput() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }

        tui.send("3")
        tui.type("118")
        tui.send("Enter")
        expectShown("▸ Outcome", on: tui)
        tui.send("q")
        expectShown("The form has unsaved input. Quit and lose it?", on: tui)
        #expect(!tui.processEnded)

        tui.send("n")  // any other key goes back, the input kept
        expectGone("unsaved input", from: tui)
        expectShown("▸ Outcome", on: tui)
        #expect(tui.field("Order") == TUIFixture.overdue)
        #expect(!tui.processEnded)

        tui.send("q")
        expectShown("Quit and lose it?", on: tui)
        tui.send("y")
        expectShown("[qorgau exited 0; tty: icanon echo]", on: tui)
        #expect(tui.info("#{alternate_on}") == "0")
        #expect(tui.waitUntil { $0.processEnded }, "the pane is still running:\n\(tui.screen())")
        let checks = try f.json("order", "show", TUIFixture.overdue)["checks"] as? [[String: Any]] ?? []
        #expect(checks.isEmpty)
    }

    @Test("NO_COLOR=1 on a vt100: the alerts still read by their words, in no colour")
    func monochrome() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f, environment: ["NO_COLOR": "1", "TERM": "vt100"])
        defer { tui.kill() }

        expectShown("!! BREACH 1   ! OVERDUE 1   ? UNSERVED 0   • DUE 0   ~ EXPIRING 1", on: tui)
        #expect(tui.row(containing: TUIFixture.breached)?.hasPrefix(" !! BREACH") == true, "\(tui.screen())")
        #expect(tui.row(containing: TUIFixture.overdue)?.hasPrefix(" ! OVERDUE") == true)
        #expect(tui.row(containing: TUIFixture.expiring)?.hasPrefix(" ~ EXPIRING") == true)
        #expect(tui.row(containing: TUIFixture.overdue)?.contains(TUIFixture.overdueRespondent) == true)
        let colours = Self.colourCodes(in: tui.screenWithAttributes())
        #expect(colours.isEmpty, "colour codes drawn under NO_COLOR: \(colours)")
    }

    /// The SGR parameters that set a foreground or background colour (39 and 49, the defaults, are not).
    static func colourCodes(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "\u{1b}[") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(where: { !"0123456789;".contains($0) }) else { break }
            if rest[end] == "m" {
                for p in rest[..<end].split(separator: ";") {
                    if let n = Int(p), (30...38).contains(n) || (40...48).contains(n) || (90...107).contains(n) {
                        found.append(String(p))
                    }
                }
            }
            rest = rest[end...]
        }
        return found
    }

    @Test("Standard input not a terminal: exit 1, one line saying so, no stack trace")
    func notATerminal() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let result = try f.run([], stdin: FileHandle.nullDevice)
        #expect(result.status == 1)
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1, "\(result.err)")
        #expect(result.err.hasPrefix("qorgau: "))
        #expect(result.err.contains("terminal"))
        #expect(!result.err.contains("crashed") && !result.err.contains("Backtrace") && !result.err.contains("Fatal"))
        #expect(result.out.isEmpty)
    }
}
