import ArgumentParser
import Foundation
import OrderModel
import OrderStore

extension Qorgau {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new database (mode 0600) with its time zone and the shipped rule set.")

        @OptionGroup var options: StoreOptions

        @Option(help: ArgumentHelp("IANA time zone of the day arithmetic (default: the system's).", valueName: "name"))
        var timeZone: String?

        @Flag(help: "Fill the new database with a realistic demonstration set, relative to today.")
        var demo = false

        mutating func run() throws {
            let path = Context.databasePath(options)
            let zone = try Init.zone(named: timeZone)
            let store = try OrderStore.create(at: path, timeZone: zone, rules: RuleSet.kazakhstan(),
                                              by: Context.currentActor(), now: Date())
            if demo { try store.fillDemo(by: Context.currentActor(), now: Date()) }
            let counts = try store.counts()
            print("created \(path) (time zone \(zone.identifier), rules \(store.rules.id) \(store.rules.revision))"
                  + (demo ? ": \(counts.orders) demonstration orders" : ""))
        }

        static func zone(named name: String?) throws -> TimeZone {
            guard let name else { return TimeZone.current }
            guard let zone = TimeZone(identifier: name) else { throw StoreError.unknownTimeZone(name) }
            return zone
        }
    }

    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show Qorgau on a demonstration database, creating it when none exists.",
            discussion: "The demonstration file is --db PATH, else $XDG_DATA_HOME/qorgau/demo.sqlite: never your real database.")

        @OptionGroup var options: StoreOptions

        mutating func run() throws {
            let path = Context.databasePath(options, file: "demo.sqlite")
            if !FileManager.default.fileExists(atPath: path) {
                let store = try OrderStore.create(at: path, timeZone: Init.zone(named: "Asia/Almaty"),
                                                  rules: RuleSet.kazakhstan(), by: Context.currentActor(), now: Date())
                try store.fillDemo(by: Context.currentActor(), now: Date())
            }
            try Context(store: OrderStore.open(at: path), actor: Context.currentActor(), now: Date()).runScreens()
        }
    }
}
