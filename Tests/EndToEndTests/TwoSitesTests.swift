import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Two sites on one PostgreSQL database: the screens of each show what the other writes, within about
/// two seconds (the screens LISTEN for the server's notice of a write).
@Suite("Two sites on one server, in real terminals (tmux)", .serialized)
struct TwoSitesTests {
    static let number = "ZP-118"
    static let liaison = "qe2e_tls_liaison"
    static let password = "tls-Pa55word-\(UUID().uuidString.prefix(6))"

    func must(_ cli: CLI, _ args: String...) throws {
        let result = try cli.run(args)
        guard result.status == 0 else {
            throw TmuxError(message: "qorgau \(args.joined(separator: " ")) on \(cli.backend): \(result.err)")
        }
    }

    /// Opens the screens on Today; a liaison (no passphrase) first chooses the lock's PIN, kept in `config`.
    func startToday(_ uri: String, config: String, environment: [String: String] = [:]) throws -> Tmux {
        let tui = try Tmux(database: uri, cols: 120, rows: 30,
                           environment: environment.merging(["XDG_CONFIG_HOME": config]) { $1 })
        _ = tui.waitUntil(timeout: 10) { $0.screen().contains("what needs action") || $0.screen().contains("PIN again") }
        if tui.screen().contains("PIN again") {
            for _ in 0..<2 {
                tui.type("2468")
                tui.send("Enter")
            }
        }
        guard tui.waitFor("what needs action", timeout: 10) else {
            let shown = tui.screen()
            tui.kill()
            throw TmuxError(message: "the Today screen never appeared; the pane shows:\n\(shown)")
        }
        return tui
    }

    /// Polls both panes every 100 ms for up to 2.5 s after a write; each must show `text` by then.
    func expectBothShow(_ text: String, _ tuis: [(String, Tmux)], after what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let deadline = Date().addingTimeInterval(2.5)
        var pending = tuis
        while !pending.isEmpty {
            pending.removeAll { $0.1.screen().contains(text) }
            if pending.isEmpty || Date() > deadline { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        for (site, tui) in pending {
            Issue.record("the \(site) screen did not show \"\(text)\" within 2.5 s of \(what); it shows:\n\(tui.screen())",
                         sourceLocation: sourceLocation)
        }
    }

    @Test("a check written over TLS and a breach written over the socket appear on both sites' Today screens")
    func twoSites() throws {
        let cluster = try PGCluster.sharedTLS()
        let database = try cluster.createDatabase(owner: CLI.account)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-sites-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("root.key").path
        try Data("correct horse battery\n".utf8).write(to: URL(fileURLWithPath: key))
        chmod(key, 0o600)

        // The office: the supervisor over the socket (peer). The field site: a liaison over TLS with a password.
        let office = CLI(server: cluster.uri(database: database, user: CLI.account), database: database, keyFile: key, cluster: cluster)
        let tlsURI = cluster.tlsURI(database: database, user: Self.liaison, password: Self.password)
        let field = CLI(server: tlsURI, database: database, keyFile: nil, cluster: cluster)
        try must(office, "init", "--time-zone", "Asia/Almaty")
        try must(office, "user", "add", Self.liaison, "--role", "liaison", "--district", "Медеуский")
        try cluster.createRole(Self.liaison, password: Self.password)   // the role qorgau made, now with a password
        try must(office, "order", "add", "--number", Self.number, "--issued", CLI.localTime(daysAgo: 10 + 1.0 / 24),
                 "--served", CLI.localTime(daysAgo: 10), "--survivor", "Айгерим Нұрланқызы", "--respondent", "Нұрсұлтан Әбілқайыров",
                 "--district", "Медеуский", "--officer", "Ахметов Д.")
        let reached = try field.run("alerts")
        #expect(reached.status == 0, "the liaison over TLS: \(reached.err)")

        let officeTUI = try startToday(office.db, config: folder.appendingPathComponent("office").path,
                                       environment: ["QORGAU_KEY_FILE": key])
        defer { officeTUI.kill() }
        let fieldTUI = try startToday(tlsURI, config: folder.appendingPathComponent("field").path)
        defer { fieldTUI.kill() }
        let both = [("office (socket)", officeTUI), ("field (TLS)", fieldTUI)]
        expectBothShow("! OVERDUE 1", both, after: "start")
        #expect(!fieldTUI.screen().contains(Self.password), "the password is on the screen:\n\(fieldTUI.screen())")

        // The field site records the visit from its command line: the overdue alert goes on both screens.
        let check = try field.run(["check", "add", Self.number, "--at", CLI.localTime(daysAgo: 1.0 / 24), "--officer", "Омаров Р.",
                                   "--outcome", "compliant"])
        #expect(check.status == 0, "\(check.err)")
        expectBothShow("! OVERDUE 0", both, after: "a check written over TLS")

        // The office records a breach from its command line: both screens show it.
        let breach = try office.run(["breach", "add", Self.number, "--at", CLI.localTime(daysAgo: 1.0 / 48),
                                     "--description", "пришёл к дому"])
        #expect(breach.status == 0, "\(breach.err)")
        expectBothShow("!! BREACH 1", both, after: "a breach written over the socket")
        #expect(!officeTUI.processEnded && !fieldTUI.processEnded)
    }
}
