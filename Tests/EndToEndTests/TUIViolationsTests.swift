import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The Violations screen as a supervisor uses it (issue 11, items 9 and 14), in a real terminal: last
/// week's list saved to a CSV file, and `x` on a breach closed already.
@Suite("The Violations screen in a real terminal (tmux)", .serialized)
struct TUIViolationsTests {
    static let missed = "ZP-501"
    static let breached = "ZP-502"

    /// Two orders whose violations fall in last week (Monday to Sunday before this one): ZP-501's first check
    /// (due on last week's Wednesday) never came; ZP-502 had its check on time, then a breach on last week's
    /// Friday, closed on Saturday. Two rows.
    static func lastWeek() throws -> (TUIFixture, from: String, to: String) {
        let f = try TUIFixture()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = f.zone
        // Days since Monday, 0 on a Monday.
        let sinceMonday = (calendar.component(.weekday, from: Date()) + 5) % 7
        let monday = Double(sinceMonday + 7)  // last week's Monday, in days ago
        try f.addOrder(missed, servedDaysAgo: monday - 2 + 7, respondent: "Ерлан Сейткали", district: "Медеуский")
        try f.addOrder(breached, servedDaysAgo: monday - 2 + 7, respondent: "Бауыржан Омаров", district: "Алмалинский")
        try f.cli("check", "add", breached, "--at", f.time(daysAgo: monday - 1), "--officer", "Ахметов Д.", "--outcome", "compliant")
        try f.cli("breach", "add", breached, "--at", f.time(daysAgo: monday - 4), "--description", "пришёл к дому")
        try f.cli("breach", "close", "1", "--action", "протокол составлен", "--at", f.time(daysAgo: monday - 5))
        return (f, f.time(daysAgo: monday, format: "yyyy-MM-dd"), f.time(daysAgo: monday - 6, format: "yyyy-MM-dd"))
    }

    func expectShown(_ text: String, on tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        let shown = tui.waitFor(text)
        #expect(shown, "waited for \"\(text)\"; the pane shows:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    @Test("as a supervisor at 80×24: last week, e saves the list as the command line's CSV; x on a closed breach says so")
    func lastWeekSavedAndClosedBreach() throws {
        let (f, from, to) = try Self.lastWeek()
        defer { f.remove() }
        let tui = try Tmux(database: f.db, cols: 80, rows: 24)
        defer { tui.kill() }
        expectShown("what needs action", on: tui)
        tui.send("4")
        expectShown("Violations, this", on: tui)
        tui.send("W")
        func dotted(_ iso: String) -> String { iso.split(separator: "-").reversed().joined(separator: ".") }
        expectShown("Violations, last week \(dotted(from))–\(dotted(to))", on: tui)
        expectShown(Self.missed, on: tui)
        expectShown(Self.breached, on: tui)

        // e: the form offers violations-FROM-TO.csv; saved instead into the fixture's folder.
        tui.send("e")
        expectShown("violations-\(from)-\(to).csv", on: tui)
        let path = f.folder.appendingPathComponent("v.csv").path
        tui.send("C-u")
        tui.type(path)
        tui.send("Enter")
        expectShown("Saved 2 rows to", on: tui)
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // The same header and rows as the command line's CSV of that week (the screen lists them by district).
        let cli = try f.cli("violations", "--from", from, "--to", to, "--format", "csv")
        let lines = saved.components(separatedBy: "\r\n"), expected = cli.components(separatedBy: "\r\n")
        #expect(lines.first == "DAY,KIND,ORDER,DISTRICT,OFFICER,REASON", "\(saved)")
        #expect(lines.first == expected.first)
        #expect(lines.sorted() == expected.sorted(), "saved:\n\(saved)\ncommand line:\n\(cli)")
        #expect(saved.contains(Self.missed) && saved.contains(Self.breached))
        let audit = try f.cli("audit", "log", "--format", "csv")
        #expect(audit.contains("export") && audit.contains("v.csv"), "\(audit)")

        // Again to the same file: asked first; n goes back to the form and the file stays as it was.
        tui.send("e")
        expectShown("violations-\(from)-\(to).csv", on: tui)
        tui.send("C-u")
        tui.type(path)
        tui.send("Enter")
        expectShown("exists already. Replace it?", on: tui)
        tui.send("n")
        expectShown("Save the list (2 rows)", on: tui)
        tui.send("Escape")
        Thread.sleep(forTimeInterval: 0.3)
        if tui.screen().contains("Discard what was typed?") { tui.send("y") }
        expectShown("Violations, last week", on: tui)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == saved)

        // The list by district: Алмалинский (ZP-502: its closed breach), then Медеуский. The cursor starts
        // on the first violation, never on a district's header; x on the closed breach says it is closed.
        let selected = tui.waitUntil { $0.screen().contains("▸ ") }
        #expect(selected, "\(tui.screen())")
        for _ in 0 ..< 3 where !tui.screen().contains("· breach · \(Self.breached)") {
            tui.send("Down")
            Thread.sleep(forTimeInterval: 0.2)
        }
        expectShown("· breach · \(Self.breached)", on: tui)
        tui.send("x")
        expectShown("of order \(Self.breached) is closed already", on: tui)
        #expect(!tui.screen().contains("Close breach"), "\(tui.screen())")
    }
}
