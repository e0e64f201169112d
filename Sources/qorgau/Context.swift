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
import Terminal
import Wording

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
    static func currentAccount() -> String { OwnFile.currentAccount() }

    // MARK: - The passphrase

    /// The key file named by `--key-file`, else `QORGAU_KEY_FILE`, else `<database>.key` when it exists
    /// (for a file; a server has no "beside"). A `<database>.key` that is a symbolic link counts as there, even one
    /// that leads nowhere: `readKeyFile` then says why it is refused, rather than the passphrase being asked for.
    static func keyFile(_ options: StoreOptions, database: String?) -> String? {
        if let file = options.keyFile, !file.isEmpty { return file }
        if let file = ProcessInfo.processInfo.environment["QORGAU_KEY_FILE"], !file.isEmpty { return file }
        guard let database else { return nil }
        let beside = database + ".key"
        return exists(beside) ? beside : nil
    }

    /// Whether anything is at `path`, a symbolic link itself included (`lstat`, not following it).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The largest key file read: a passphrase is one line.
    static let keyFileLimit = 64 * 1024

    /// The passphrase in a key file (its first line), which must be the account's own (`OwnFile`): a regular file,
    /// not a symbolic link, owned by the account running the program and readable by it alone.
    static func readKeyFile(_ path: String) throws -> String {
        let bytes: [UInt8]
        do {
            bytes = try OwnFile.read(path, limit: keyFileLimit)
        } catch {
            throw keyFileRefused(path, error)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw StoreError.keyFileUnreadable(path: path) }
        let passphrase = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard !passphrase.isEmpty else { throw StoreError.keyFileUnreadable(path: path) }
        return passphrase
    }

    /// Why the key file at `path` may not be used, as the store's fact about key files.
    static func keyFileRefused(_ path: String, _ problem: OwnFile.Problem) -> StoreError {
        switch problem {
        case .missing, .unreadable: .keyFileUnreadable(path: path)
        case .symlink: .keyFileSymlink(path: path)
        case .notAFile: .keyFileNotAFile(path: path)
        case let .ownedByOther(owner, account): .keyFileOwnedByOther(path: path, owner: owner, account: account)
        case .readableByAll(let mode): .keyFileReadableByAll(path: path, mode: mode)
        case .readableByGroup(let mode): .keyFileReadableByGroup(path: path, mode: mode)
        case .unsafe: .keyFileUnsafe(path: path)
        }
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
            Context.prompt(say("prompt.passphrase")).flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let passphrase else { return self }
        return Context(store: try store.unlocked(passphrase: passphrase), options: options, now: now)
    }

    /// Opens the terminal interface on this file until the person quits. The key file beside a shared file
    /// may be another account's: when it cannot be used (and none was named), the screens open with survivor
    /// data locked, as they do for a liaison, and say why; `u` on an order unlocks with the passphrase.
    func runScreens() throws {
        var session = self
        var lockedBecause: String?
        do {
            session = try unlocked()
        } catch where Context.keyFile(options, database: nil) == nil {
            lockedBecause = Context.describe(error)
        }
        let pinFile = try session.lockPinFile()
        let ended: String?
        do {
            ended = try MonitorLoop.run(store: session.store, clock: { Date() }, words: processWords, lockAfter: Context.lockAfter(),
                                        lockedBecause: lockedBecause, pinFile: pinFile, pageSize: Context.screenPageSize())
        } catch {
            throw Said(say("screens.needTerminal", ["reason": Context.reason(error)]))
        }
        if let ended { throw Said(ended) }
    }

    /// Orders the Orders screen reads at a time: `QORGAU_PAGE_SIZE` (tests page a small file), else nil (the screen's own).
    static func screenPageSize() -> Int? {
        ProcessInfo.processInfo.environment["QORGAU_PAGE_SIZE"].flatMap { Int($0) }.map { max($0, 1) }
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

    /// Any error a command meets, in this run's words, without survivor data or a stack trace: the
    /// engines' own errors (SQLite, libpq) are first made into the store's facts.
    static func describe(_ error: Error) -> String {
        processWords.message(SQLiteBackend.problem(for: error) ?? PostgresBackend.problem(for: error) ?? error)
    }

    /// Why the terminal could not be opened, in this run's words.
    static func reason(_ error: TerminalError) -> String {
        switch error {
        case .inputNotATerminal: say("terminal.inputNotATerminal")
        case .outputNotATerminal: say("terminal.outputNotATerminal")
        case .terminalTypeNotSet: say("terminal.typeNotSet")
        case .unknownTerminalType(let name): say("terminal.unknownType", ["name": name])
        }
    }
}

/// A refusal the command line words itself (a passphrase that does not do, a broken audit trail, no
/// terminal for the screens): already in this run's language.
struct Said: UserFacingError {
    let message: String

    init(_ message: String) { self.message = message }
}
