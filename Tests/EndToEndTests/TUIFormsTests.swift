import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// What the screens' users hit (issue 11), tried as they would in tmux: nothing saved while the screen
/// cannot be seen, keys that are keys whatever the terminal type says, nothing typed lost, nothing
/// irreversible without asking, a late check accepted as on the command line.
@Suite("The screens' forms and keys, in a real terminal (tmux)", .serialized)
struct TUIFormsTests {
    /// Served 40 days ago: expired 10 days ago, never checked.
    static let expired = "ZP-400"

    func expectShown(_ text: String, on tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        let shown = tui.waitFor(text)
        #expect(shown, "waited for \"\(text)\"; the pane shows:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    /// Waits for a sentence that may be wrapped over several rows.
    func expectSaid(_ text: String, on tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        let said = tui.waitUntil { $0.screen().split(whereSeparator: \.isWhitespace).joined(separator: " ").contains(text) }
        #expect(said, "waited for \"\(text)\"; the pane shows:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    func expectGone(_ text: String, from tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        let gone = tui.waitForAbsence(of: text)
        #expect(gone, "\"\(text)\" is still shown:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    func start(_ f: TUIFixture, cols: Int = 100, rows: Int = 30, environment: [String: String] = [:]) throws -> Tmux {
        let tui = try Tmux(database: f.db, cols: cols, rows: rows, environment: environment)
        guard tui.waitFor("what needs action") else {
            let shown = tui.screen()
            tui.kill()
            throw TmuxError(message: "the Today screen never appeared; the pane shows:\n\(shown)")
        }
        return tui
    }

    /// From Today: the Orders list, Enter on its first row (ZP-118, the overdue order), its screen.
    func openFirstOrder(_ tui: Tmux) {
        tui.send("2")
        expectShown("Orders: active (3)", on: tui)
        tui.send("Enter")
        expectShown("Order           \(TUIFixture.overdue)", on: tui)
    }

    func checks(_ f: TUIFixture, _ number: String) throws -> [[String: Any]] {
        try f.json("order", "show", number)["checks"] as? [[String: Any]] ?? []
    }

    func breaches(_ f: TUIFixture, _ number: String) throws -> [[String: Any]] {
        try f.json("order", "show", number)["breaches"] as? [[String: Any]] ?? []
    }

    // MARK: - 1. Nothing done blind

    @Test("below 80×24 no key saves: a number typed, the window shrunk, Enter Enter and Ctrl-S, enlarged: nothing written")
    func tooSmallSavesNothing() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }

        tui.send("3")
        tui.type("118")
        expectShown("1 match: \(TUIFixture.overdue)", on: tui)
        tui.resize(cols: 70, rows: 20)
        expectShown("Enlarge the window", on: tui)
        tui.send("Enter")
        tui.send("Enter")
        tui.send("C-s")
        tui.type("1")
        Thread.sleep(forTimeInterval: 0.5)
        tui.resize(cols: 100, rows: 30)
        expectGone("Enlarge the window", from: tui)
        expectShown("Check-in: record a police check", on: tui)
        #expect(tui.row(containing: "Saved") == nil, "\(tui.screen())")
        #expect(tui.field("Order") == "118", "\(tui.screen())")
        #expect(try checks(f, TUIFixture.overdue).isEmpty)
    }

    // MARK: - 2. Keys whatever terminfo says

    @Test("Home, End, Delete, PgUp/PgDn and F-keys as tmux and other terminals send them; unknown sequences do nothing",
          arguments: ["xterm-256color", "vt100"])
    func keySequences(_ term: String) throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f, environment: ["TERM": term])
        defer { tui.kill() }

        // On Orders, every Home and End moves the selection and never switches to Today (1) or Violations (4).
        tui.send("2")
        expectShown("Orders: active (3)", on: tui)
        let homes = ["1b 5b 31 7e", "1b 5b 48", "1b 4f 48", "1b 5b 37 7e"]  // ESC[1~ ESC[H ESCOH ESC[7~
        let ends = ["1b 5b 34 7e", "1b 5b 46", "1b 4f 46", "1b 5b 38 7e"]  // ESC[4~ ESC[F ESCOF ESC[8~
        for (home, end) in zip(homes, ends) {
            tui.sendBytes(end)
            tui.send("Enter")
            expectShown("Order           \(TUIFixture.breached)", on: tui)
            tui.send("Escape")
            expectShown("Orders: active (3)", on: tui)
            tui.sendBytes(home)
            tui.send("Enter")
            expectShown("Order           \(TUIFixture.overdue)", on: tui)
            tui.send("Escape")
            expectShown("Orders: active (3)", on: tui)
        }
        // tmux's own names for them, as a person's keyboard sends them.
        tui.send("End", "Enter")
        expectShown("Order           \(TUIFixture.breached)", on: tui)
        tui.send("Escape", "PPage", "NPage", "Home", "Enter")
        expectShown("Order           \(TUIFixture.overdue)", on: tui)

        // End, Delete, PgUp/PgDn and F5-F11 in the breach form: the form stays, and so does the text.
        tui.send("b")
        expectShown("Record a breach of order \(TUIFixture.overdue)", on: tui)
        tui.send("Enter")
        tui.type("Стоял у подъезда")
        for sequence in ends + ["1b 5b 33 7e", "1b 5b 35 7e", "1b 5b 36 7e", "1b 5b 31 35 7e", "1b 5b 31 37 7e", "1b 5b 32 33 7e",
                                "1b 4f 74", "1b 5b 5b 45"] {
            tui.sendBytes(sequence)
        }
        tui.send("End", "DC")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(tui.row(containing: "Record a breach of order") != nil, "the form closed:\n\(tui.screen())")
        #expect(tui.field("What happened") == "Стоял у подъезда", "\(tui.screen())")
        tui.send("Escape")
        expectShown("Discard", on: tui)
        tui.send("y")
        expectShown("c check · b breach", on: tui)

        // Check-in, the number field empty: F12 as xterm sends it hides the screen, whatever TERM says.
        tui.send("3")
        expectShown("Check-in: record a police check", on: tui)
        tui.sendBytes("1b 5b 32 34 7e")  // ESC[24~
        #expect(tui.waitUntil { $0.screen().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }, "\(tui.screen())")
        tui.type("x")
        expectShown("Check-in: record a police check", on: tui)
        #expect(tui.field("Order") == "", "\(tui.screen())")

        // Sequences nobody defined: bracketed paste marks, a modified key ending in q. Nothing typed, nothing quit.
        for sequence in ["1b 5b 32 30 30 7e", "1b 5b 31 3b 35 71", "1b 5b 32 30 31 7e", "1b 4f 71"] {
            tui.sendBytes(sequence)
        }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(tui.field("Order") == "", "\(tui.screen())")
        tui.send("F1")
        expectShown("what needs action", on: tui)
        tui.sendBytes("1b 5b 39 39 3b 35 71")  // ESC[99;5q: once Esc, 9, 9, ;, 5 and q, which quit
        tui.sendBytes("1b 5b 34 3b 32 7e")  // ESC[4;2~, once Esc then 4: Violations
        Thread.sleep(forTimeInterval: 0.5)
        #expect(!tui.processEnded, "an unknown sequence quit:\n\(tui.screen())")
        #expect(tui.row(containing: "what needs action") != nil, "\(tui.screen())")
    }

    // MARK: - 3. A late check

    @Test("a check dated in the term of an expired order is saved from the screens, as the command line saves it")
    func lateCheckOnExpiredOrder() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        try f.addOrder(Self.expired, servedDaysAgo: 40, respondent: "Арман Жумабаев", district: "Медеуский")
        let tui = try start(f)
        defer { tui.kill() }

        tui.send("2", "f", "f")
        expectShown("Orders: expired (1)", on: tui)
        tui.send("Enter")
        expectShown("Order           \(Self.expired)", on: tui)
        tui.send("c")
        expectShown("Check-in: record a police check", on: tui)
        #expect(tui.field("Order") == Self.expired, "\(tui.screen())")
        expectShown("Арман Жумабаев", on: tui)
        tui.send("Up", "Up")
        expectShown("▸ Time", on: tui)
        tui.send("C-u")
        tui.type(f.time(daysAgo: 35, format: "dd.MM.yyyy HH:mm"))
        tui.send("C-s")
        expectShown("Saved: check", on: tui)
        #expect(tui.row(containing: "no active order") == nil, "\(tui.screen())")
        #expect(try checks(f, Self.expired).count == 1)

        // Enter after saving goes back to the order, which shows the check.
        tui.send("Enter")
        expectShown("Order           \(Self.expired)", on: tui)
        expectShown("check (visit): compliant", on: tui)

        // Typed with the time first, part of the number finds the expired order too.
        tui.send("3")
        expectShown("Check-in: record a police check", on: tui)
        tui.send("Down")
        tui.send("C-u")
        tui.type(f.time(daysAgo: 33, format: "dd.MM.yyyy HH:mm"))
        tui.send("Up")
        tui.type("400")
        expectShown("1 match: \(Self.expired)", on: tui)
        tui.send("Enter", "Enter")
        expectShown("Saved: check", on: tui)
        #expect(try checks(f, Self.expired).count == 2)
    }

    // MARK: - 4. Text fields

    @Test("a long description scrolls in its field with the cursor shown; arrows, Home/End, Ctrl-A/E, Backspace and Delete edit where the cursor is")
    func textFieldEditing() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f, cols: 80, rows: 24)
        defer { tui.kill() }

        tui.send("2")
        expectShown("Orders: active (3)", on: tui)
        tui.send("Enter")
        expectShown(TUIFixture.overdue, on: tui)
        tui.send("b")
        expectShown("Record a breach of order \(TUIFixture.overdue)", on: tui)
        tui.send("Enter")
        let text = "Стоял у подъезда с 21:00 до 23:30, звонил ей 14 раз и угрожал поджечь дверь"
        tui.type(text)
        // The end of what was typed is in the field, with the cursor after it.
        expectShown("поджечь дверь", on: tui)
        let row = tui.rows.firstIndex { $0.contains("What happened") } ?? -1
        var cursor = tui.cursor
        #expect(cursor.shown && cursor.row == row, "cursor \(cursor), field on row \(row)\n\(tui.screen())")
        // The whole value can be read.
        for word in text.split(separator: " ") {
            #expect(tui.screen().contains(word), "“\(word)” cannot be read:\n\(tui.screen())")
        }
        tui.send("Home")
        #expect(tui.waitUntil { $0.field("What happened")?.hasPrefix("Стоял у подъезда") == true }, "\(tui.screen())")
        tui.send("DC")  // deletes «С»: «тоял»
        tui.type("Ст")  // «Сттоял», the cursor after «Ст»
        tui.send("Left", "DC")  // the «т» after «С» goes: «Стоял» again
        tui.send("C-e")
        tui.type("!")
        tui.send("C-a")
        tui.type("«")
        tui.send("End", "Left", "Left", "BSpace")
        tui.type("Ь")
        cursor = tui.cursor
        #expect(cursor.shown && cursor.row == row, "cursor \(cursor)\n\(tui.screen())")
        tui.send("Enter", "Enter")
        expectShown("Saved: breach", on: tui)
        let expected = "«Стоял у подъезда с 21:00 до 23:30, звонил ей 14 раз и угрожал поджечь двеЬь!"
        let saved = try breaches(f, TUIFixture.overdue).first?["description"] as? String
        #expect(saved == expected, "\(saved ?? "nothing saved")")
    }

    // MARK: - 5. Input never lost without asking

    @Test("Esc on a form with typed input asks before discarding; Ctrl-C in a form opened from an order asks as q does")
    func escAndCtrlCAsk() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }

        openFirstOrder(tui)
        tui.send("b")
        expectShown("Record a breach of order \(TUIFixture.overdue)", on: tui)
        tui.send("Enter")
        tui.type("Стоял у подъезда")
        tui.send("Escape")
        expectShown("Discard what was typed?", on: tui)
        tui.send("n")
        expectGone("Discard what was typed?", from: tui)
        #expect(tui.field("What happened") == "Стоял у подъезда", "\(tui.screen())")

        tui.send("C-c")
        expectShown("The form has unsaved input. Quit and lose it?", on: tui)
        #expect(!tui.processEnded)
        tui.send("n")
        expectGone("unsaved input", from: tui)
        #expect(tui.field("What happened") == "Стоял у подъезда", "\(tui.screen())")

        tui.send("Escape")
        expectShown("Discard what was typed?", on: tui)
        tui.send("y")
        expectShown("c check · b breach", on: tui)
        #expect(tui.row(containing: "Record a breach") == nil)
        #expect(try breaches(f, TUIFixture.overdue).isEmpty)

        // A form with nothing typed closes at once; Ctrl-C there quits at once.
        tui.send("b")
        expectShown("Record a breach of order", on: tui)
        tui.send("Escape")
        expectShown("c check · b breach", on: tui)
        tui.send("b")
        expectShown("Record a breach of order", on: tui)
        tui.send("C-c")
        expectShown("[qorgau exited 0", on: tui)

        // Check-in with a number typed: Esc asks too.
        let again = try start(f)
        defer { again.kill() }
        again.send("3")
        again.type("118")
        expectShown("1 match", on: again)
        again.send("Escape")
        expectShown("Discard what was typed?", on: again)
        again.send("n")
        expectGone("Discard", from: again)
        #expect(again.field("Order") == "118")
        again.send("Escape")
        expectShown("Discard what was typed?", on: again)
        again.send("y")
        expectGone("Discard", from: again)
        #expect(again.field("Order") == "")
    }

    // MARK: - 6. Irreversible writes ask

    @Test("revoking and closing a breach show what will be written and ask; another key goes back to the form")
    func irreversibleWritesAsk() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }

        openFirstOrder(tui)
        tui.send("r")
        expectShown("Revoke order \(TUIFixture.overdue)", on: tui)
        tui.send("Enter")
        tui.type("Решение суда")
        tui.send("Enter")
        expectSaid("This cannot be undone", on: tui)
        expectShown("Решение суда", on: tui)
        #expect(try f.json("order", "show", TUIFixture.overdue)["revoked"] is NSNull)
        tui.send("n")
        expectGone("This cannot be undone", from: tui)
        #expect(tui.field("Reason") == "Решение суда", "\(tui.screen())")
        tui.send("C-s")
        expectSaid("This cannot be undone", on: tui)
        tui.send("y")
        expectShown("Saved: order \(TUIFixture.overdue) revoked", on: tui)
        #expect(try f.json("order", "show", TUIFixture.overdue)["revocationReason"] as? String == "Решение суда")

        // The open breach of ZP-311, closed from its order.
        tui.send("Escape")
        expectShown("Orders: active", on: tui)
        tui.send("1")
        expectShown("what needs action", on: tui)
        tui.send("Enter")  // the breach is first
        expectShown("Order           \(TUIFixture.breached)", on: tui)
        tui.send("x")
        expectShown("Close breach", on: tui)
        tui.type("Составлен протокол")
        tui.send("Enter", "Enter")
        expectSaid("This cannot be undone", on: tui)
        expectShown("Составлен протокол", on: tui)
        #expect(try breaches(f, TUIFixture.breached).first?["status"] as? String == "open")
        tui.send("y")
        expectShown("Saved: breach", on: tui)
        #expect(try breaches(f, TUIFixture.breached).first?["status"] as? String == "closed")
    }

    // MARK: - 13. Check-in shows what is about to be recorded

    @Test("Check-in shows the picked order's respondent, address and due status; 16:00 means today; Esc after saving goes back")
    func checkInShowsTheOrder() throws {
        let f = try TUIFixture()
        defer { f.remove() }
        try f.cli("order", "add", "--number", "ZP-777", "--issued", f.time(daysAgo: 10.1), "--served", f.time(daysAgo: 10),
                  "--survivor", "Айгерим Нұрланқызы", "--respondent", "Нұрсұлтан Әбілқайыров",
                  "--respondent-address", "ул. Абая 150, кв. 12", "--district", "Медеуский", "--officer", "Ахметов Д.")
        let tui = try start(f)
        defer { tui.kill() }

        tui.send("3")
        tui.type("777")
        tui.send("Enter")
        expectShown("Нұрсұлтан Әбілқайыров", on: tui)
        expectShown("ул. Абая 150, кв. 12", on: tui)
        expectShown("3 days overdue", on: tui)
        tui.send("Up", "Up", "C-u")
        tui.type("00:01")
        tui.send("C-s")
        expectShown("Saved: check", on: tui)
        let at = try checks(f, "ZP-777").first?["at"] as? String
        #expect(at?.hasPrefix(f.time(daysAgo: 0, format: "yyyy-MM-dd") + "T00:01") == true, "\(at ?? "no check")")
        tui.send("Escape")
        expectShown("what needs action", on: tui)
    }

    // MARK: - 10. A key file that cannot be read

    @Test("staff open a shared file whose key file is not theirs: the screens open, survivor data locked",
          .enabled(if: geteuid() == 0, "needs root to make accounts"))
    func staffWithoutTheKeyFile() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        _ = Accounts.shell("useradd", "-M", "-N", "-s", "/bin/sh", Accounts.staff)
        try f.cli("user", "add", Accounts.staff, "--role", "staff")
        // One file shared by the centre's accounts; its key file stays the supervisor's alone.
        chmod(f.folder.path, 0o777)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: f.db + suffix) {
            chmod(f.db + suffix, 0o666)
        }
        #expect(FileManager.default.fileExists(atPath: f.db + ".key"))
        let tui = try Tmux(database: f.db, account: Accounts.staff, home: f.folder.path)
        defer { tui.kill() }
        let opened = tui.waitFor("what needs action")
        #expect(opened, "the screens did not open:\n\(tui.screen())")
        expectShown("staff, survivor data locked", on: tui)
        expectShown(TUIFixture.overdueRespondent, on: tui)
        tui.send("2", "Enter")
        expectShown("Order           \(TUIFixture.overdue)", on: tui)
        #expect(!tui.screen().contains("Айгерим"), "\(tui.screen())")
        expectShown("[hidden]", on: tui)
    }
}
