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
            resources: [.embedInCode("rules/kz.json"), .embedInCode("strings/en.json")]
        ),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "Terminal", dependencies: ["CNcurses"]),
        .target(name: "OrderModel", dependencies: ["QorgauResources"]),
        .target(name: "Scheduler", dependencies: ["OrderModel"]),
        .target(
            name: "OrderStore",
            dependencies: [
                "OrderModel", "Scheduler", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(name: "MonitorUI", dependencies: ["Terminal", "OrderStore", "Scheduler", "OrderModel"]),
        .executableTarget(
            name: "qorgau",
            dependencies: [
                "MonitorUI", "Terminal", "OrderModel", "Scheduler", "OrderStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The national-scale benchmark (Benchmarks/RESULTS.md): a program you run, never a test.
        .executableTarget(
            name: "qorgau-bench",
            dependencies: ["OrderStore", "Scheduler", "OrderModel", "MonitorUI", "Terminal"]
        ),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "CNcurses"]),
        .testTarget(name: "MonitorUITests", dependencies: ["MonitorUI", "Terminal", "OrderStore", "Scheduler", "OrderModel"]),
        .testTarget(name: "OrderModelTests", dependencies: ["OrderModel"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "OrderModel"]),
        .testTarget(name: "OrderStoreTests", dependencies: ["OrderStore", "Scheduler", "OrderModel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["qorgau", "OrderModel"]),
    ],
    swiftLanguageModes: [.v6]
)
