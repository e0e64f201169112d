import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MonitorUI
import OrderModel
import OrderStore
import PostgresStore
import Scheduler
import SQLiteStore

/// What a command runs with: the open store (a session of the person at the keyboard) and the
/// clock. The only place the program reads the clock, the account and the passphrase.
struct Context {
    let store: OrderStore
    let options: StoreOptions
    let now: Date

    var format: InstantFormat { InstantFormat(timeZone: store.timeZone) }

    static func open(_ options: StoreOptions, file: String = "qorgau.sqlite") throws -> Context {
        let now = Date()
        let store: OrderStore = switch try location(options, file: file) {
        case .file(let path): try SQLiteBackend.open(at: path, account: currentAccount(), now: now)
        case .server(let uri): try PostgresBackend.open(conninfo: uri)
        }
        return Context(store: store, options: options, now: now)
    }

    /// Where the records are: a file, or a PostgreSQL server (a `postgresql://` or `postgres://` URI).
    /// A URL of another scheme is refused, never made into a folder.
    static func location(_ options: StoreOptions, file: String = "qorgau.sqlite") throws -> StoreLocation {
        try StoreLocation(parsing: databasePath(options, file: file))
    }

    /// `--db`, else `QORGAU_DB`, else `$XDG_DATA_HOME/qorgau/qorgau.sqlite`, else `~/.local/share/qorgau/qorgau.sqlite`.
    static func databasePath(_ options: StoreOptions, file: String = "qorgau.sqlite") -> String {
        if let db = options.db, !db.isEmpty { return db }
        let env = ProcessInfo.processInfo.environment
        if file == "qorgau.sqlite", let db = env["QORGAU_DB"], !db.isEmpty { return db }
        return dataDirectory() + "/" + file
    }

    static func dataDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/qorgau" }
        return homeDirectory() + "/.local/share/qorgau"
    }

    static func homeDirectory() -> String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        if let pw = getpwuid(geteuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/tmp"
    }

    /// The operating-system account running the program: who every read and write is for.
    /// Never a typed name or an environment variable.
    static func currentAccount() -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid-\(geteuid())"
    }

    // MARK: - The passphrase

    /// The key file named by `--key-file`, else `QORGAU_KEY_FILE`, else `<database>.key` when it exists
    /// (for a file; a server has no "beside").
    static func keyFile(_ options: StoreOptions, database: String?) -> String? {
        if let file = options.keyFile, !file.isEmpty { return file }
        if let file = ProcessInfo.processInfo.environment["QORGAU_KEY_FILE"], !file.isEmpty { return file }
        guard let database else { return nil }
        let beside = database + ".key"
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }

    /// The passphrase in a key file, which must be readable by its owner only.
    static func readKeyFile(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw StoreError.keyFileUnreadable(path: path) }
        guard info.st_mode & 0o077 == 0 else { throw StoreError.keyFileUnsafe(path: path) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw StoreError.keyFileUnreadable(path: path) }
        let passphrase = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard !passphrase.isEmpty else { throw StoreError.keyFileUnreadable(path: path) }
        return passphrase
    }

    /// Asks on the terminal without echo; nil when there is no terminal.
    static func prompt(_ question: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        FileHandle.standardError.write(Data(question.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }

    /// This session with survivor data unlocked when the person may see it and a passphrase is
    /// at hand (key file, else asked on the terminal); otherwise the locked session.
    func unlocked() throws -> Context {
        guard store.user.role.may(.viewSurvivor) else { return self }
        let passphrase: String? = if let file = Context.keyFile(options, database: store.backend.isShared ? nil : store.path) {
            try Context.readKeyFile(file)
        } else {
            Context.prompt("Passphrase for survivor data (Enter to go on without): ").flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let passphrase else { return self }
        return Context(store: try store.unlocked(passphrase: passphrase), options: options, now: now)
    }

    /// Opens the terminal interface on this file until the person quits.
    func runScreens() throws {
        let session = try unlocked()
        do {
            try MonitorLoop.run(store: session.store, clock: { Date() }, lockAfter: Context.lockAfter())
        } catch {
            throw ScreenError(message: error.description + ": the screens need a terminal; the other commands work without one")
        }
    }

    /// Minutes of no key before the screens lock: `QORGAU_LOCK_MINUTES`, default 10.
    static func lockAfter() -> TimeInterval {
        let minutes = ProcessInfo.processInfo.environment["QORGAU_LOCK_MINUTES"].flatMap(Double.init) ?? 10
        return max(minutes, 0.1) * 60
    }

    /// Resolves a typed time in the database's zone.
    func instant(_ argument: TimeArgument) throws -> Date {
        try argument.value.instant(in: store.timeZone)
    }

    /// `--as-of` (a time, or a day meaning its 00:00), else now.
    func asOf(_ argument: TimeArgument?) throws -> Date {
        try argument.map(instant) ?? now
    }

    /// Widths need the user's locale; fall back to a UTF-8 one so that Cyrillic is measured right.
    static func prepareLocale() {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data(("qorgau: " + message.trimmingCharacters(in: .whitespacesAndNewlines) + "\n").utf8))
        exit(status)
    }

    /// A plain sentence for an error that is not one of ours, without survivor data or a stack trace.
    static func describe(_ error: Error) -> String {
        SQLiteBackend.plainMessage(for: error) ?? PostgresBackend.plainMessage(for: error) ?? "unexpected error: \(type(of: error))"
    }
}

/// Why the screens could not open.
struct ScreenError: UserFacingError {
    let message: String
}
