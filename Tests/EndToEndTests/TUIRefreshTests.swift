import Foundation
import Testing

/// The open screens follow another terminal's writes (a second process on the same file), within the usual second.
@Suite("A live refresh in a real terminal (tmux)", .serialized)
struct TUIRefreshTests {
    @Test("Today: a check-in recorded by a second process clears the overdue alert; an order added by it appears unserved")
    func anotherProcessWrites() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let ui = TUITests()
        let tui = try ui.start(f)
        defer { tui.kill() }
        ui.expectShown("!! BREACH 1   ! OVERDUE 1   ? UNSERVED 0   • DUE 0   ~ EXPIRING 1", on: tui)
        #expect(tui.row(containing: TUIFixture.overdue) != nil, "\(tui.screen())")

        try f.cli("check", "add", TUIFixture.overdue, "--at", f.time(daysAgo: 0.01), "--officer", "Ахметов Д.", "--outcome", "compliant")
        ui.expectShown("!! BREACH 1   ! OVERDUE 0   ? UNSERVED 0   • DUE 0   ~ EXPIRING 1", on: tui)
        ui.expectGone(TUIFixture.overdue, from: tui)
        #expect(tui.row(containing: TUIFixture.breached) != nil, "the other alerts stay:\n\(tui.screen())")
        #expect(tui.row(containing: TUIFixture.expiring) != nil, "the other alerts stay:\n\(tui.screen())")

        try f.cli("order", "add", "--number", "ZP-777", "--issued", f.time(daysAgo: 2), "--survivor", "Айгерим Нұрланқызы",
                  "--respondent", "Refresh Person", "--district", "Есиль", "--officer", "Ахметов Д.")
        ui.expectShown("? UNSERVED 1", on: tui)
        ui.expectShown("ZP-777", on: tui)
    }
}
