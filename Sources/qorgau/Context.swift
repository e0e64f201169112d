import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import MonitorUI
import OrderModel
import OrderStore
import Scheduler

/// What a command runs with: the open store, the person at the keyboard, and the clock.
/// The only place the program reads the clock and the account.
struct Context {
    let store: OrderStore
    let actor: Actor
    let now: Date

    var format: InstantFormat { InstantFormat(timeZone: store.timeZone) }

    static func open(_ options: StoreOptions) throws -> Context {
        try Context(store: OrderStore.open(at: databasePath(options)), actor: currentActor(), now: Date())
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

    /// The operating-system account running the program: who every write is recorded as.
    static func currentActor() -> Actor {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return Actor(account: String(cString: name)) }
        return Actor(account: "uid-\(geteuid())")
    }

    /// Opens the terminal interface on this file until the person quits.
    func runScreens() throws {
        do {
            try MonitorLoop.run(store: store, user: actor, clock: { Date() })
        } catch {
            throw ScreenError(message: error.description + ": the screens need a terminal; the other commands work without one")
        }
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
        if let e = error as? DatabaseError {
            switch e.resultCode {
            case .SQLITE_FULL: return "the disk is full: nothing was written"
            case .SQLITE_READONLY: return "the database cannot be written (read-only file or folder): nothing was written"
            case .SQLITE_BUSY, .SQLITE_LOCKED: return "the database is busy in another program: try again"
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: return "the database is damaged: restore it from a backup"
            case .SQLITE_CONSTRAINT: return "refused by the database: \(e.message ?? "a constraint failed"); nothing was written"
            default: return "database error \(e.resultCode.rawValue): nothing was written"
            }
        }
        return "unexpected error: \(type(of: error))"
    }
}

/// Why the screens could not open.
struct ScreenError: UserFacingError {
    let message: String
}
