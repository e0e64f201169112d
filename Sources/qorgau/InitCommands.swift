import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OrderModel
import OrderStore
import PostgresStore
import SQLiteStore

extension Qorgau {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new database with its time zone, the shipped rule set and a passphrase; you become its first supervisor.",
            discussion: """
                The passphrase locks survivor data. It comes from --key-file (or $QORGAU_KEY_FILE); else it is asked
                twice on the terminal; else (no terminal, a file only) a random one is written to <db>.key, mode 0600:
                keep that file apart from the database and its backups.
                With --db postgresql://… the records are installed into an empty PostgreSQL database; run it as a role
                with CREATEROLE that is not a superuser: it becomes the first supervisor.
                """)

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp("IANA time zone of the day arithmetic (default: the system's).", valueName: "name"))
        var timeZone: String?

        @Flag(help: "Fill the new database with a realistic demonstration set, relative to today.")
        var demo = false

        mutating func run() throws {
            let location = try Context.location(options)
            let zone = try Init.zone(named: timeZone)
            let now = Date()
            let store: OrderStore
            let note: String?
            switch location {
            case .file(let path):
                if FileManager.default.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
                let passphrase: String
                (passphrase, note) = try Init.newPassphrase(options, database: path)
                store = try SQLiteBackend.create(at: path, timeZone: zone, rules: RuleSet.kazakhstan(),
                                                 account: Context.currentAccount(), passphrase: passphrase, now: now)
            case .server(let uri):
                let passphrase: String
                (passphrase, note) = try Init.newPassphrase(options, database: nil)
                store = try PostgresBackend.install(conninfo: uri, timeZone: zone, rules: RuleSet.kazakhstan(), passphrase: passphrase,
                                                    now: now)
            }
            let path = location.display
            if demo { try store.fillDemo(now: now) }
            let counts = try store.counts()
            print("created \(path) (time zone \(zone.identifier), rules \(store.rules.id) \(store.rules.revision)); "
                  + "\(store.user.login) is its supervisor" + (demo ? "; \(counts.orders) demonstration orders" : ""))
            if let note { print(note) }
        }

        static func zone(named name: String?) throws -> TimeZone {
            guard let name else { return TimeZone.current }
            guard let zone = TimeZone(identifier: name) else { throw StoreError.unknownTimeZone(name) }
            return zone
        }

        /// The passphrase of a new file, and what to tell the person about it.
        static func newPassphrase(_ options: StoreOptions, database: String?) throws -> (String, String?) {
            if let file = options.keyFile ?? ProcessInfo.processInfo.environment["QORGAU_KEY_FILE"], !file.isEmpty {
                return (try Context.readKeyFile(file), nil)
            }
            if let first = Context.prompt("New passphrase for survivor data (at least 8 characters): ") {
                guard first.count >= 8 else { throw PassphraseError(message: "the passphrase is shorter than 8 characters: nothing was created") }
                guard Context.prompt("The same again: ") == first else {
                    throw PassphraseError(message: "the two passphrases differ: nothing was created")
                }
                return (first, nil)
            }
            guard let database else {
                throw PassphraseError(message: "no passphrase: give --key-file FILE (mode 0600), or run on a terminal; nothing was created")
            }
            let keyPath = database + ".key"
            if FileManager.default.fileExists(atPath: keyPath) {
                return (try Context.readKeyFile(keyPath), "the passphrase of survivor data is the one in \(keyPath)")
            }
            let passphrase = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            try writePrivate(passphrase + "\n", to: keyPath)
            return (passphrase, "the passphrase of survivor data is in \(keyPath) (mode 0600): keep it apart from the database and its backups")
        }

        /// Writes a new file readable by its owner only; never overwrites one.
        static func writePrivate(_ text: String, to path: String) throws {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            guard fd >= 0 else { throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
            defer { Glibc.close(fd) }
            let bytes = Array(text.utf8)
            guard Glibc.write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
                throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show Qorgau on a demonstration database, creating it when none exists.",
            discussion: "The demonstration file is --db PATH, else $XDG_DATA_HOME/qorgau/demo.sqlite: never your real database.")

        @OptionGroup var options: StoreOptions

        mutating func run() throws {
            guard case .file(let path) = try Context.location(options, file: "demo.sqlite") else {
                throw StoreError.fileOnly(command: "demo")
            }
            if !FileManager.default.fileExists(atPath: path) {
                // A demonstration needs no secret: its passphrase sits beside it, and its people are invented.
                let keyPath = path + ".key"
                if !FileManager.default.fileExists(atPath: keyPath) { try Init.writePrivate("demo-passphrase\n", to: keyPath) }
                let store = try SQLiteBackend.create(at: path, timeZone: Init.zone(named: "Asia/Almaty"), rules: RuleSet.kazakhstan(),
                                                  account: Context.currentAccount(), passphrase: Context.readKeyFile(keyPath),
                                                  now: Date())
                try store.fillDemo(now: Date())
            }
            var demoOptions = options
            demoOptions.db = path
            try Context.open(demoOptions).runScreens()
        }
    }

    struct Rekey: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the passphrase of survivor data (supervisors). No record is rewritten.")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp("A file (mode 0600) holding the new passphrase (default: asked twice).", valueName: "path"))
        var newKeyFile: String?

        mutating func run() throws {
            let context = try Context.open(options).unlocked()
            guard context.store.isUnlocked else { throw StoreError.locked }
            let newPassphrase: String
            if let newKeyFile {
                newPassphrase = try Context.readKeyFile(newKeyFile)
            } else {
                guard let first = Context.prompt("New passphrase (at least 8 characters): "), first.count >= 8,
                      Context.prompt("The same again: ") == first else {
                    throw PassphraseError(message: "no new passphrase (or the two differ, or it is shorter than 8 characters): nothing changed")
                }
                newPassphrase = first
            }
            try context.store.rekey(newPassphrase: newPassphrase, now: context.now)
            print("the passphrase is changed; the old one no longer opens survivor data")
        }
    }
}

struct PassphraseError: UserFacingError {
    let message: String
}
