import Foundation
import Testing
import TestSupport

@Suite("The command line on a file with a damaged row")
struct DamagedRowsCLITests {
    /// Values written with `sqlite3` into BAD-1, its guard triggers dropped first, and the field named.
    static let damages: [(String, String)] = [
        ("UPDATE orders SET checkIntervalDays = 9223372036854775807 WHERE numberKey = 'bad-1'", "check-interval-days"),
        ("UPDATE orders SET served = 1e300 WHERE numberKey = 'bad-1'", "served"),
        ("UPDATE orders SET issued = 'garbage' WHERE numberKey = 'bad-1'", "issued"),
        ("UPDATE orders SET termDays = -30 WHERE numberKey = 'bad-1'", "term-days"),
        ("UPDATE checks SET at = 9e999 WHERE orderID = (SELECT id FROM orders WHERE numberKey = 'bad-1')", "check-time"),
    ]

    @Test("alerts, violations and the list print every good order, name the damaged one on stderr, and exit 3",
          arguments: damages.indices)
    func damagedRow(_ index: Int) throws {
        let (sql, field) = Self.damages[index]
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run("init", "--time-zone", "Asia/Almaty").status == 0)
        for number in ["OK-1", "BAD-1"] {
            #expect(try cli.run("order", "add", "--number", number, "--issued", "2026-11-01 10:00", "--served", "2026-11-01 15:00",
                                "--survivor", "Айгерим Нұрланқызы", "--respondent", "Респондент \(number)").status == 0)
            #expect(try cli.run("check", "add", number, "--at", "2026-11-05 11:00", "--officer", "Ахметов Д.",
                                "--outcome", "compliant").status == 0)
        }
        let triggers = "DROP TRIGGER orders_fixed; DROP TRIGGER orders_served_once; DROP TRIGGER checks_no_update;"
        _ = sqlite(cli.db, triggers + " " + sql + ";")

        for command in [["alerts"], ["violations"], ["order", "list", "--status", "all"]] {
            for format in ["table", "json", "csv"] {
                let result = try cli.run(command + ["--as-of", "2026-11-22", "--format", format])
                #expect(result.status == 3, "\(command) \(format): \(result.err)")
                #expect(result.out.contains("OK-1"), "\(command) \(format): \(result.out)")
                #expect(!result.out.contains("BAD-1"), "\(command) \(format): \(result.out)")
                let lines = result.err.split(separator: "\n")
                #expect(lines.count == 1, "\(command): \(result.err)")
                #expect(lines.first?.contains("order BAD-1 is damaged: field \(field)") == true, "\(command): \(result.err)")
                for crash in ["Fatal error", "Stack dump", "Backtrace", "#0 ", "Illegal instruction", "Trace/breakpoint"] {
                    #expect(!result.err.contains(crash) && !result.out.contains(crash))
                }
                if format == "json" {
                    #expect((try? JSONSerialization.jsonObject(with: Data(result.out.utf8))) != nil, "\(result.out)")
                }
            }
        }
        let show = try cli.run("order", "show", "BAD-1")
        #expect(show.status == 3)
        #expect(show.err.contains("order BAD-1 is damaged: field \(field)"), "\(show.err)")
        #expect(try cli.run("order", "show", "OK-1").status == 0)
        let refused = try cli.run("check", "add", "BAD-1", "--at", "2026-11-20 11:00", "--officer", "A", "--outcome", "compliant")
        #expect(refused.status != 0 && refused.err.contains("BAD-1 is damaged"), "\(refused.err)")
    }

    @Test("the screens open on a file with a damaged row, say which order they leave out, and record nothing against it")
    func screens() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.run("init", "--time-zone", "Asia/Almaty").status == 0)
        for number in ["OK-1", "BAD-1"] {
            // Served eight days ago: in effect, and overdue (so on Today), whenever the test runs.
            #expect(try cli.run("order", "add", "--number", number, "--issued", CLI.localTime(daysAgo: 8.2),
                                "--served", CLI.localTime(daysAgo: 8), "--survivor", "Айгерим Нұрланқызы",
                                "--respondent", "Респондент \(number)").status == 0)
        }
        _ = sqlite(cli.db, "DROP TRIGGER orders_fixed; UPDATE orders SET termDays = -30 WHERE numberKey = 'bad-1';")
        let tui = try Tmux(database: cli.db)
        defer { tui.kill() }
        #expect(tui.waitFor("OK-1"), "\(tui.screen())")
        #expect(tui.waitFor("1 order is damaged and left out: BAD-1 (term-days)"), "\(tui.screen())")
        tui.send("2")
        #expect(tui.waitFor("damaged and left out"), "\(tui.screen())")
        tui.send("3")
        tui.type("BAD-1")
        tui.send("Enter")
        // Check-in finds no order to record against, and the warning under it still names the damaged one.
        #expect(tui.waitFor("no order in effect at that time has that number"), "\(tui.screen())")
        #expect(tui.screen().contains("BAD-1 (term-days)"), "\(tui.screen())")
        #expect(!tui.screen().contains("Fatal error"))
        tui.send("C-c")
    }
}
