// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Qorgau",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "qorgau", targets: ["qorgau"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // The shipped rule sets and UI strings, embedded in the binary so that a
        // copied executable never runs without its rules.
        .target(
            name: "QorgauResources",
            path: "Resources",
            exclude: ["README.md"],
            resources: [.embedInCode("rules/kz.json")] + ["en", "ru", "kk"].flatMap { language in
                ["facts", "screens", "cli"].map { Resource.embedInCode("strings/\(language).\($0).json") }
            }
        ),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .target(name: "Terminal", dependencies: ["CNcurses"]),
        .target(name: "OrderModel", dependencies: ["QorgauResources"]),
        .target(name: "Scheduler", dependencies: ["OrderModel"]),
        // The store port and what every backend shares: roles, admission, sealing, audit hashing.
        .target(
            name: "OrderStore",
            dependencies: [
                "OrderModel", "Scheduler",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The port over one SQLite file: the embedded default for one person.
        .target(
            name: "SQLiteStore",
            dependencies: ["OrderStore", "OrderModel", "Scheduler", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The port over a PostgreSQL server, through libpq: the server enforces who may do what.
        .target(
            name: "PostgresStore",
            dependencies: ["OrderStore", "OrderModel", "Scheduler", "CLibPQ"],
            resources: [.embedInCode("schema.sql")]
        ),
        // Throw-away PostgreSQL clusters and the two backends, for the tests only.
        .target(name: "TestSupport", dependencies: ["OrderStore", "SQLiteStore", "PostgresStore", "OrderModel"],
                path: "Tests/Support"),
        // Facts -> words: the catalogs (en, ru, kk), CLDR plural rules, dates and numbers in the
        // chosen language; used by the screens and the command line alike.
        .target(name: "Wording", dependencies: ["OrderStore", "Scheduler", "OrderModel", "QorgauResources"]),
        .target(name: "MonitorUI", dependencies: ["Terminal", "Wording", "OrderStore", "Scheduler", "OrderModel"]),
        .executableTarget(
            name: "qorgau",
            dependencies: [
                "MonitorUI", "Terminal", "Wording", "OrderModel", "Scheduler", "OrderStore", "SQLiteStore", "PostgresStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The national-scale benchmark (Benchmarks/RESULTS.md): a program you run, never a test.
        .executableTarget(
            name: "qorgau-bench",
            dependencies: ["OrderStore", "SQLiteStore", "PostgresStore", "Scheduler", "OrderModel", "MonitorUI", "Terminal", "Wording"]
        ),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "CNcurses"]),
        .testTarget(name: "MonitorUITests", dependencies: ["MonitorUI", "Wording", "Terminal", "OrderStore", "SQLiteStore", "Scheduler", "OrderModel"]),
        .testTarget(name: "OrderModelTests", dependencies: ["OrderModel"]),
        .testTarget(name: "WordingTests", dependencies: ["Wording", "OrderStore", "Scheduler", "OrderModel", "QorgauResources"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "OrderModel"]),
        .testTarget(name: "OrderStoreTests", dependencies: ["OrderStore", "SQLiteStore", "PostgresStore", "TestSupport", "Scheduler", "OrderModel", "Wording",
                                                       .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PostgresStoreTests", dependencies: ["PostgresStore", "OrderStore", "TestSupport", "CLibPQ", "OrderModel", "Scheduler"]),
        .testTarget(name: "EndToEndTests", dependencies: ["qorgau", "OrderModel", "PostgresStore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
