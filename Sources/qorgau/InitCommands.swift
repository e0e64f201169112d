import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OrderModel
import OrderStore
import PostgresStore
import SQLiteStore
import Wording

extension Qorgau {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: say("init.abstract"), discussion: say("init.discussion"))

        @OptionGroup var options: StoreOptions

        @Option(help: .cli("init.timeZone", valueName: "name")) var timeZone: String?

        @Flag(help: .cli("init.demo")) var demo = false

        mutating func run() throws {
            let location = try Context.location(options)
            let zone = try Init.zone(named: timeZone)
            let now = Date()
            let store: OrderStore
            let note: String?
            let wroteKey: String?
            switch location {
            case .file(let path):
                if FileManager.default.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
                let passphrase: String
                (passphrase, note, wroteKey) = try Init.newPassphrase(options, database: path)
                store = try SQLiteBackend.create(at: path, timeZone: zone, rules: RuleSet.kazakhstan(),
                                                 account: Context.currentAccount(), passphrase: passphrase, now: now)
            case .server(let uri):
                let passphrase: String
                (passphrase, note, wroteKey) = try Init.newPassphrase(options, database: nil)
                store = try PostgresBackend.install(conninfo: uri, timeZone: zone, rules: RuleSet.kazakhstan(), passphrase: passphrase,
                                                    now: now)
            }
            let path = location.display
            if demo { try store.fillDemo(now: now) }
            let counts = try store.counts()
            let values = ["path": path, "zone": zone.identifier, "rules": store.rules.id, "revision": String(store.rules.revision),
                          "login": store.user.login]
            print(demo ? say("init.doneWithDemo", values.merging(["orders": sayCount("init.demoOrders", counts.orders)]) { a, _ in a })
                       : say("init.done", values))
            if let note { print(note) }
            // Said apart from the result, on stderr: a script that keeps only the output still shows the person
            // that a key now sits beside the database, and that it belongs elsewhere.
            if let wroteKey {
                FileHandle.standardError.write(Data(("qorgau: " + say("init.keyWrittenWarning", ["path": wroteKey]) + "\n").utf8))
            }
        }

        static func zone(named name: String?) throws -> TimeZone {
            guard let name else { return TimeZone.current }
            guard let zone = TimeZone(identifier: name) else { throw StoreError.unknownTimeZone(name) }
            return zone
        }

        /// The passphrase of a new file, what to tell the person about it, and the key file written for it beside
        /// the database, if one was (no key file given, no terminal to ask on).
        static func newPassphrase(_ options: StoreOptions, database: String?) throws -> (String, String?, String?) {
            if let file = options.keyFile ?? ProcessInfo.processInfo.environment["QORGAU_KEY_FILE"], !file.isEmpty {
                return (try Context.readKeyFile(file), nil, nil)
            }
            if let first = Context.prompt(say("prompt.newPassphrase")) {
                guard first.count >= 8 else { throw Said(say("passphrase.tooShort")) }
                guard Context.prompt(say("prompt.again")) == first else { throw Said(say("passphrase.differ")) }
                return (first, nil, nil)
            }
            guard let database else { throw Said(say("passphrase.none")) }
            let keyPath = database + ".key"
            if Context.exists(keyPath) {
                return (try Context.readKeyFile(keyPath), say("init.keyReused", ["path": keyPath]), nil)
            }
            let passphrase = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            try writePrivate(passphrase + "\n", to: keyPath)
            return (passphrase, say("init.keyWritten", ["path": keyPath]), keyPath)
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
            commandName: "demo", abstract: say("demo.abstract"), discussion: say("demo.discussion"))

        @OptionGroup var options: StoreOptions

        mutating func run() throws {
            guard case .file(let path) = try Context.location(options, file: "demo.sqlite") else {
                throw StoreError.fileOnly(command: "demo")
            }
            if !FileManager.default.fileExists(atPath: path) {
                // A demonstration needs no secret: its passphrase sits beside it, and its people are invented.
                let keyPath = path + ".key"
                if !Context.exists(keyPath) { try Init.writePrivate("demo-passphrase\n", to: keyPath) }
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
            commandName: "rekey", abstract: say("rekey.abstract"))

        @OptionGroup var options: StoreOptions
        @Option(help: .cli("rekey.newKeyFile", valueName: "path")) var newKeyFile: String?

        mutating func run() throws {
            let context = try Context.open(options).unlocked()
            guard context.store.isUnlocked else { throw StoreError.locked }
            let newPassphrase: String
            if let newKeyFile {
                newPassphrase = try Context.readKeyFile(newKeyFile)
            } else {
                guard let first = Context.prompt(say("prompt.rekey")), first.count >= 8,
                      Context.prompt(say("prompt.again")) == first else {
                    throw Said(say("passphrase.rekeyRefused"))
                }
                newPassphrase = first
            }
            try context.store.rekey(newPassphrase: newPassphrase, now: context.now)
            print(say("rekey.done"))
        }
    }

    /// Brings a server's records to this version's schema; a file needs no command (it is brought up to date when opened).
    struct Upgrade: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upgrade", abstract: say("upgrade.abstract"), discussion: say("upgrade.discussion"))

        @OptionGroup var options: StoreOptions

        mutating func run() throws {
            guard case .server(let uri) = try Context.location(options) else { throw StoreError.serverOnly(command: "upgrade") }
            let location = ["location": StoreLocation.withoutPassword(uri)]
            print(try PostgresBackend.upgrade(conninfo: uri) ? say("upgrade.done", location) : say("upgrade.current", location))
        }
    }
}
