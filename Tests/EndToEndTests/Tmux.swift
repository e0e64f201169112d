import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `qorgau` running in a detached tmux session on its own server (socket), driven with
/// keys and read back as the text of the pane. Call `kill()` when done (in a `defer`).
struct Tmux {
    let socket = "qorgau-tui-\(UUID().uuidString.prefix(8))"
    let database: String

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qorgau")
    }

    /// Starts `qorgau --db database` in a `cols`×`rows` pane. When the program ends, the shell prints
    /// "[qorgau exited N; tty: ...]" and the pane stays (remain-on-exit) for `processEnded` to see.
    /// `account`: run it as that operating-system account (`runuser`, which needs root), with `HOME` set to `home`.
    init(database: String, cols: Int = 100, rows: Int = 30, environment: [String: String] = [:], account: String? = nil,
         home: String? = nil) throws {
        self.database = database
        var environment = environment
        if let home { environment["HOME"] = home }
        let env = ["TERM": "xterm-256color", "LANG": "C.UTF-8"].merging(environment) { $1 }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let runAs = account.map { "runuser -u \(Self.quote($0)) -- " } ?? ""
        // After the program: its status and the terminal's line modes, e.g. "[qorgau exited 0; tty: icanon echo]",
        // then a second on the main screen before the pane dies (tmux may drop a dead pane's last output).
        // -u: the test runner's environment has NO_COLOR=1; only the environment given here applies.
        let command = "env -u NO_COLOR -u QORGAU_DB -u QORGAU_KEY_FILE \(env) \(runAs)\(Self.quote(Self.binary.path)) --db \(Self.quote(database)); s=$?; "
            + "printf '[qorgau exited %d; tty:%s]\\n' $s \"$(stty -a | tr ' ;' '\\n\\n' | grep -x -E -e '-?(icanon|echo)' | tr '\\n' ' ' | sed 's/^/ /; s/ $//')\"; "
            + "sleep 1; exit $s"
        let started = tmux(["-f", "/dev/null", "new-session", "-d", "-x", "\(cols)", "-y", "\(rows)", command,
                            ";", "set-option", "-g", "remain-on-exit", "on"])
        guard started.status == 0 else { throw TmuxError(message: "tmux new-session: \(started.out)") }
    }

    /// Special keys by tmux name: "Enter", "Escape", "Tab", "F12", "C-b", "C-u".
    func send(_ keys: String...) {
        for key in keys { tmux(["send-keys", key]) }
    }

    /// Raw bytes, as a terminal sends them for a key whatever tmux would send: "1b 5b 31 7e" is ESC [ 1 ~.
    func sendBytes(_ hex: String) {
        tmux(["send-keys", "-H"] + hex.split(separator: " ").map(String.init))
    }

    /// Literal text, as typed.
    func type(_ text: String) {
        tmux(["send-keys", "-l", text])
    }

    /// The visible pane, one string per row (trailing blanks trimmed by tmux).
    func screen() -> String {
        tmux(["capture-pane", "-p"]).out
    }

    /// The pane with its attributes and colours as escape sequences.
    func screenWithAttributes() -> String {
        tmux(["capture-pane", "-p", "-e"]).out
    }

    /// Where the terminal's cursor is (column, row) and whether it is shown.
    var cursor: (col: Int, row: Int, shown: Bool) {
        let parts = info("#{cursor_x} #{cursor_y} #{cursor_flag}").split(separator: " ").compactMap { Int($0) }
        guard parts.count == 3 else { return (-1, -1, false) }
        return (parts[0], parts[1], parts[2] == 1)
    }

    var rows: [String] {
        var lines = screen().components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// A tmux format about the pane, e.g. "#{pane_dead}".
    func info(_ format: String) -> String {
        tmux(["display-message", "-p", format]).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True once the pane's process (the shell around qorgau) ended. Its status is in the printed line:
    /// tmux 3.3's #{pane_dead_status} is sometimes left empty.
    var processEnded: Bool { info("#{pane_dead}") == "1" }

    func resize(cols: Int, rows: Int) {
        tmux(["resize-window", "-x", "\(cols)", "-y", "\(rows)"])
    }

    /// Polls the pane every 100 ms until `condition` holds; false after `timeout` seconds.
    @discardableResult
    func waitUntil(timeout: TimeInterval = 5, _ condition: (Tmux) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if condition(self) { return true }
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 5) -> Bool {
        waitUntil(timeout: timeout) { $0.screen().contains(text) }
    }

    @discardableResult
    func waitForAbsence(of text: String, timeout: TimeInterval = 5) -> Bool {
        waitUntil(timeout: timeout) { !$0.screen().contains(text) }
    }

    /// Ends the tmux server and everything in it, and removes its socket (tmux leaves it behind).
    func kill() {
        let path = info("#{socket_path}")
        tmux(["kill-server"])
        if path.hasPrefix("/") && path.hasSuffix("/" + socket) { unlink(path) }
    }

    /// Runs the tmux client. Spawned directly, not with Foundation's Process: the test runner's
    /// threads block SIGTERM, SIGHUP, SIGWINCH and more, and a child inherits that mask (a qorgau
    /// started so would never see a resize); and the server keeps a pipe open, so output goes to a file.
    @discardableResult
    private func tmux(_ arguments: [String]) -> (status: Int32, out: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["TMUX"] = nil
        env["NO_COLOR"] = nil
        let argv = (["tmux", "-u", "-L", socket] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawnp(&pid, "tmux", &actions, &attributes, argv, envp) == 0 else { return (-1, "tmux did not start") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let out = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : -1, out)
    }

    private static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
