import ArgumentParser
import Foundation
import OrderModel
import OrderStore
import PostgresStore
import SQLiteStore

extension Qorgau {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a consistent copy of the database while others write (supervisors). Never overwrites a file.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Where the copy goes (a new file).") var file: String

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.backup(to: file, now: context.now)
            print("backed up \(context.store.path) to \(file); its passphrase is the database's")
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a backup in place of the database, after checking it (a supervisor of the copy).",
            discussion: """
                The copy must be a whole Qorgau file of this version or an earlier one, with its audit trail intact.
                An existing database is never deleted: with --force it is moved aside to <db>.before-restore-<time>.
                """)
        @OptionGroup var options: StoreOptions
        @Argument(help: "The backup to restore.") var file: String
        @Flag(help: "Replace an existing database (it is kept beside, renamed).") var force = false

        mutating func run() throws {
            guard case .file(let target) = try Context.location(options) else {
                throw StoreError.serverTool(command: "pg_restore into a new database, as the database administrator (README: Backups of a server)")
            }
            let aside = try OrderStore.restore(from: file, to: target, account: Context.currentAccount(), force: force, now: Date())
            print("restored \(file) to \(target)" + (aside.map { "; the previous file is now \($0)" } ?? ""))
        }
    }

    struct ExportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Every order, check, breach, correction, user and audit entry, losslessly (supervisors). Survivor data stays sealed.")
        @OptionGroup var options: StoreOptions
        @Option(help: "json (the only format: lossless).") var format: Format = .json
        @Option(help: ArgumentHelp("Write to this new file instead of standard output.", valueName: "path")) var output: String?

        func validate() throws {
            if format != .json { throw ValidationError("export is JSON only: it must round-trip every record") }
        }

        mutating func run() throws {
            let context = try Context.open(options)
            let data = try context.store.export(now: context.now)
            if let output {
                try Init.writePrivate(String(decoding: data, as: UTF8.self) + "\n", to: output)
            } else {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }
        }
    }

    struct ImportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Make a new database from an export (a supervisor of the export). Never into an existing file.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The export file.") var file: String

        mutating func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw StoreError.missing(path: file) }
            let location = try Context.location(options)
            let store: OrderStore = switch location {
            case .file(let target): try OrderStore.importFile(data, to: target, account: Context.currentAccount(), now: Date())
            case .server(let uri): try PostgresBackend.importExport(data, conninfo: uri, now: Date())
            }
            print("imported \(file) into \(location.display): \(try store.counts().orders) orders")
        }
    }
}
