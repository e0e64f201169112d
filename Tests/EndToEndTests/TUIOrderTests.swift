import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The order view and the order forms as their users found them (issue 11, items 7, 9 and 11), in tmux:
/// a liaison is told who may revoke and nothing opens; a supervisor adds an order with `a`, is refused a bad
/// term in the form, corrects an order with `e`, and picks which of two open breaches to close.
@Suite("The order view and the add/correct forms, in a real terminal (tmux)", .serialized)
struct TUIOrderTests {
    func expectShown(_ text: String, on tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        let shown = tui.waitFor(text)
        #expect(shown, "waited for \"\(text)\"; the pane shows:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    func start(_ f: TUIFixture, account: String? = nil) throws -> Tmux {
        // The account's own PIN file, in the test's folder (the account has no home directory).
        let tui = try Tmux(database: f.db, environment: account.map { ["XDG_CONFIG_HOME": f.folder.path + "/config-" + $0] } ?? [:],
                           account: account, home: account == nil ? nil : f.folder.path)
        // A role without the passphrase chooses a PIN for the screen lock at its first start.
        if account != nil, tui.waitUntil({ $0.screen().contains("what needs action") || $0.screen().contains("Choose a PIN") }),
           tui.screen().contains("Choose a PIN") {
            tui.type("4821")
            tui.send("Enter")
            tui.type("4821")
            tui.send("Enter")
        }
        guard tui.waitFor("what needs action") else {
            let shown = tui.screen()
            tui.kill()
            throw TmuxError(message: "the Today screen never appeared; the pane shows:\n\(shown)")
        }
        return tui
    }

    /// From Today: Orders, End (the last order by number: ZP-311, the one with a breach) or the first, its screen.
    func openOrder(_ tui: Tmux, last: Bool) {
        tui.send("2")
        expectShown("Orders: active (3)", on: tui)
        if last { tui.send("End") }
        tui.send("Enter")
        expectShown("Order           \(last ? TUIFixture.breached : TUIFixture.overdue)", on: tui)
    }

    func order(_ f: TUIFixture, _ number: String) throws -> [String: Any] {
        try f.json("order", "show", number)
    }

    @Test("a liaison pressing r on an order is told who may revoke, and no form opens",
          .enabled(if: geteuid() == 0, "needs root to make accounts"))
    func liaisonRevoke() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        _ = Accounts.shell("useradd", "-M", "-N", "-s", "/bin/sh", Accounts.liaison)
        try f.cli("user", "add", Accounts.liaison, "--role", "liaison")
        chmod(f.folder.path, 0o777)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: f.db + suffix) {
            chmod(f.db + suffix, 0o666)
        }
        let tui = try start(f, account: Accounts.liaison)
        defer { tui.kill() }
        openOrder(tui, last: true)
        #expect(tui.row(containing: "r revoke") == nil, "\(tui.screen())")
        #expect(tui.row(containing: "x close breach") == nil, "\(tui.screen())")
        tui.send("r")
        expectShown("Only a supervisor may revoke orders.", on: tui)
        #expect(tui.row(containing: "Revoke order") == nil, "\(tui.screen())")
        tui.send("x")
        expectShown("Only a supervisor may close breaches.", on: tui)
        #expect(tui.row(containing: "Close breach") == nil, "\(tui.screen())")
        #expect(try order(f, TUIFixture.breached)["revoked"] is NSNull)
    }

    /// Types into the add form, field by field (Tab between them), from the number.
    func fillAddForm(_ tui: Tmux, number: String, term: String) {
        tui.type(number)
        tui.send("Tab", "Tab", "Tab", "Tab")  // kind, issued (now), served (blank), term
        tui.type(term)
        tui.send("Tab", "Tab")  // interval (blank), respondent
        tui.type("Олег Ким")
        for _ in 0..<7 { tui.send("Tab") }  // born, address, phone, district, officer, restrictions, survivor
        tui.type("Анна Ким")
    }

    @Test("a on Orders adds an order, shown with Saved, as `order show` reads it; a bad term is refused in the form")
    func addOrder() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }
        tui.send("2")
        expectShown("Orders: active (3)", on: tui)
        tui.send("a")
        expectShown("Add an order", on: tui)
        fillAddForm(tui, number: "ZP-901", term: "9999")
        tui.send("C-s")
        expectShown("not 9999", on: tui)
        #expect(tui.row(containing: "Add an order") != nil, "the form closed:\n\(tui.screen())")
        #expect(try f.run(["order", "show", "ZP-901"]).status != 0, "a refused order was written")

        // The term corrected (blank: the kind's default), the same form saves.
        for _ in 0..<9 { tui.send("BTab") }  // back from the survivor to the term
        tui.send("C-u", "C-s")
        expectShown("Saved: order ZP-901 added.", on: tui)
        expectShown("Order           ZP-901", on: tui)
        let added = try order(f, "ZP-901")
        #expect(added["termDays"] as? Int == 30)
        #expect((added["respondent"] as? [String: Any])?["name"] as? String == "Олег Ким")
        #expect((added["survivor"] as? [String: Any])?["name"] as? String == "Анна Ким")
        // The next key clears the line.
        tui.send("j")
        #expect(tui.waitForAbsence(of: "Saved:"), "\(tui.screen())")
    }

    @Test("e corrects an order's district with a reason; `order show` and the audit trail have it")
    func correct() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let tui = try start(f)
        defer { tui.kill() }
        openOrder(tui, last: false)
        tui.send("e")
        expectShown("Correct the details of order \(TUIFixture.overdue)", on: tui)
        #expect(tui.field("District") == "Медеуский", "\(tui.screen())")
        tui.send("C-u")
        tui.type("Бостандыкский")
        tui.send("C-s")
        expectShown("required", on: tui)
        for _ in 0..<20 where !(tui.row(containing: "▸ Reason") != nil) { tui.send("Tab") }
        tui.type("район указан с ошибкой")
        tui.send("C-s")
        expectShown("Saved: order \(TUIFixture.overdue) corrected", on: tui)
        expectShown("Бостандыкский", on: tui)
        let shown = try order(f, TUIFixture.overdue)
        #expect(shown["district"] as? String == "Бостандыкский")
        let corrections = shown["corrections"] as? [[String: Any]] ?? []
        #expect(corrections.count == 1)
        #expect(corrections.first?["reason"] as? String == "район указан с ошибкой")
        let audit = try f.cli("audit", "log")
        #expect(audit.contains("correct"), "\(audit)")
    }

    @Test("x on an order with two open breaches lists both; the second one picked is the one closed")
    func chooseBreach() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        try f.cli("breach", "add", TUIFixture.breached, "--at", f.time(daysAgo: 0.5 / 24), "--description", "ждал у остановки")
        let tui = try start(f)
        defer { tui.kill() }
        openOrder(tui, last: true)
        tui.send("x")
        expectShown("several open breaches", on: tui)
        expectShown("пришёл к дому", on: tui)
        expectShown("ждал у остановки", on: tui)
        tui.send("Down", "Enter")
        expectShown("Close breach #", on: tui)
        tui.type("Составлен протокол")
        tui.send("Enter", "Enter")
        expectShown("cannot be undone", on: tui)
        tui.send("y")
        expectShown("Saved: breach #", on: tui)
        let breaches = try order(f, TUIFixture.breached)["breaches"] as? [[String: Any]] ?? []
        #expect(breaches.map { $0["status"] as? String } == ["open", "closed"], "\(breaches)")
        #expect(breaches.last?["description"] as? String == "ждал у остановки")
        #expect(breaches.last?["action"] as? String == "Составлен протокол")
    }
}
