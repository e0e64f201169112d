import ArgumentParser
import Foundation
import OrderModel
import OrderStore
import PostgresStore
import SQLiteStore
import Wording

extension Qorgau {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup", abstract: say("backup.abstract"))
        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("backup.file")) var file: String

        mutating func run() throws {
            let context = try Context.open(options)
            try context.store.backup(to: file, now: context.now)
            print(say("backup.done", ["db": context.store.path, "file": file]))
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore", abstract: say("restore.abstract"), discussion: say("restore.discussion"))
        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("restore.file")) var file: String
        @Flag(help: .cli("restore.force")) var force = false

        mutating func run() throws {
            guard case .file(let target) = try Context.location(options) else {
                throw StoreError.serverTool(command: say("restore.serverTool"))
            }
            let aside = try OrderStore.restore(from: file, to: target, account: Context.currentAccount(), force: force, now: Date())
            print(aside.map { say("restore.doneAside", ["file": file, "target": target, "aside": $0]) }
                  ?? say("restore.done", ["file": file, "target": target]))
        }
    }

    struct ExportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: say("export.abstract"))
        @OptionGroup var options: StoreOptions
        @Option(help: .cli("export.format")) var format: Format = .json
        @Option(help: .cli("export.output", valueName: "path")) var output: String?

        func validate() throws {
            if format != .json { throw ValidationError(say("export.jsonOnly")) }
        }

        mutating func run() throws {
            let context = try Context.open(options)
            // A file is written (0600, never over another) and audited by the store itself, failures too.
            if let output {
                try context.store.export(to: output, now: context.now)
            } else {
                FileHandle.standardOutput.write(try context.store.export(now: context.now) + Data("\n".utf8))
            }
        }
    }

    struct ImportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: say("import.abstract"))
        @OptionGroup var options: StoreOptions
        @Argument(help: .cli("import.file")) var file: String

        mutating func run() throws {
            guard FileManager.default.fileExists(atPath: file) else { throw StoreError.missing(path: file) }
            let location = try Context.location(options)
            let store: OrderStore = switch location {
            case .file(let target): try OrderStore.importFile(file, to: target, account: Context.currentAccount(), now: Date())
            case .server(let uri): try PostgresBackend.importExport(file, conninfo: uri, now: Date())
            }
            print(say("import.done", ["file": file, "db": location.display, "orders": sayCount("orders", try store.counts().orders)]))
        }
    }
}
