import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The idle lock of the screens (issue 12, items 5 and 7), with the lock after 6 seconds
/// (`QORGAU_LOCK_MINUTES=0.1`): what opens it, what it shows, and what it drops.
@Suite("The idle lock, in a real terminal (tmux)", .serialized)
struct TUILockTests {
    static let quickLock = ["QORGAU_LOCK_MINUTES": "0.1"]

    func expectShown(_ text: String, on tui: Tmux, timeout: TimeInterval = 5, sourceLocation: SourceLocation = #_sourceLocation) {
        let shown = tui.waitFor(text, timeout: timeout)
        #expect(shown, "waited for \"\(text)\"; the pane shows:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    /// Waits for a sentence that may be wrapped over several rows.
    func expectSaid(_ text: String, on tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        let said = tui.waitUntil { $0.screen().split(whereSeparator: \.isWhitespace).joined(separator: " ").contains(text) }
        #expect(said, "waited for \"\(text)\"; the pane shows:\n\(tui.screen())", sourceLocation: sourceLocation)
    }

    /// Types `text` and checks, a moment later, that nothing of it (nor a dot or star a character) is on the pane.
    func typeUnseen(_ text: String, on tui: Tmux, sourceLocation: SourceLocation = #_sourceLocation) {
        tui.type(text)
        Thread.sleep(forTimeInterval: 0.5)
        let shown = tui.screen()
        for mark in [text, "•", "*"] {
            #expect(!shown.contains(mark), "\"\(mark)\" is shown while typing on the lock:\n\(shown)", sourceLocation: sourceLocation)
        }
    }

    @Test("a liaison chooses a PIN at the first start; the lock asks for it, shows nothing typed, refuses a wrong one, opens with it, and ends the program after 5 wrong ones",
          .enabled(if: geteuid() == 0, "needs root to make accounts"))
    func liaisonPin() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        _ = Accounts.shell("useradd", "-M", "-N", "-s", "/bin/sh", Accounts.liaison)
        try f.cli("user", "add", Accounts.liaison, "--role", "liaison", "--district", "Медеуский")
        chmod(f.folder.path, 0o777)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: f.db + suffix) {
            chmod(f.db + suffix, 0o666)
        }
        let config = f.folder.path + "/liaison-config"
        let pin = config + "/qorgau/pin"
        let tui = try Tmux(database: f.db, environment: Self.quickLock.merging(["XDG_CONFIG_HOME": config]) { $1 },
                           account: Accounts.liaison, home: f.folder.path)
        defer { tui.kill() }

        // The first start: a PIN, twice, before anything of the records shows.
        expectShown("Choose a PIN for the screen lock", on: tui)
        #expect(!tui.screen().contains(TUIFixture.overdue), "\(tui.screen())")
        typeUnseen("2468", on: tui)
        tui.send("Enter")
        typeUnseen("1357", on: tui)
        tui.send("Enter")
        expectShown("the two PINs differ", on: tui)
        tui.type("2468")
        tui.send("Enter")
        tui.type("2468")
        tui.send("Enter")
        expectShown("what needs action", on: tui)
        expectShown("PIN set", on: tui)
        var info = stat()
        #expect(lstat(pin, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_uid == getpwnam(Accounts.liaison)?.pointee.pw_uid)
        #expect(lstat(config + "/qorgau", &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(try !String(contentsOfFile: pin, encoding: .utf8).contains("2468"))

        // Idle: the lock asks for the PIN, not the account name, and shows nothing of the records.
        expectShown("locked · \(Accounts.liaison)", on: tui, timeout: 15)
        #expect(!tui.screen().contains(TUIFixture.overdue), "\(tui.screen())")
        #expect(!tui.screen().contains("Passphrase"), "\(tui.screen())")
        // The account name (shown in the status line: whose lock it is) no longer opens it.
        tui.type(Accounts.liaison)
        tui.send("Enter")
        expectShown("that does not unlock it: 4 tries left", on: tui)
        typeUnseen("2468", on: tui)
        tui.send("Enter")
        expectShown("what needs action", on: tui)
        expectShown(TUIFixture.overdue, on: tui)

        // Five wrong answers in a row: the program ends, the terminal restored, and says why.
        expectShown("locked · \(Accounts.liaison)", on: tui, timeout: 15)
        for left in (0..<5).reversed() {
            tui.type("000\(left)")
            tui.send("Enter")
            if left > 0 { expectShown(left == 1 ? "1 try left" : "\(left) tries left", on: tui) }
        }
        #expect(tui.waitUntil(timeout: 10) { $0.screen().contains("[qorgau exited") }, "\(tui.screen())")
        #expect(tui.screen().contains("tty: icanon echo]"), "\(tui.screen())")
        expectSaid("answered wrongly too many times in a row", on: tui)
    }

    @Test("with survivor data unlocked the lock asks for the passphrase, drops the survivor's details, and shows them again only after it")
    func passphraseLock() throws {
        let f = try TUIFixture.morning()
        defer { f.remove() }
        let passphrase = try String(contentsOfFile: f.db + ".key", encoding: .utf8)
            .split(separator: "\n").first.map(String.init) ?? ""
        let tui = try Tmux(database: f.db, environment: Self.quickLock)
        defer { tui.kill() }
        expectShown("what needs action", on: tui)
        tui.send("2", "Enter")
        expectShown("Order           \(TUIFixture.overdue)", on: tui)
        expectShown("Айгерим Нұрланқызы", on: tui)

        expectShown("Passphrase", on: tui, timeout: 15)
        expectShown("locked · ", on: tui)
        #expect(!tui.screen().contains("Айгерим"), "\(tui.screen())")
        #expect(!tui.screen().contains(TUIFixture.overdue), "\(tui.screen())")
        typeUnseen("not the passphrase", on: tui)
        tui.send("Enter")
        expectShown("that does not unlock it: 4 tries left", on: tui)
        typeUnseen(passphrase, on: tui)
        tui.send("Enter")
        // The order view was closed by the lock (back on Orders); opened again, the survivor is read again.
        #expect(tui.waitForAbsence(of: "Passphrase"), "\(tui.screen())")
        #expect(!tui.screen().contains("Айгерим"), "\(tui.screen())")
        tui.send("2", "Enter")
        expectShown("Order           \(TUIFixture.overdue)", on: tui)
        expectShown("Айгерим Нұрланқызы", on: tui)
        tui.send("C-c")
    }
}
