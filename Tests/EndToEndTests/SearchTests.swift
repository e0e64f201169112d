import Foundation
import Testing
import TestSupport

/// `order list --search` finds names the way people type them (without Kazakh letters, in Latin),
/// and `--sort respondent` follows the Kazakh/Russian alphabet, on both backends.
@Suite("Search and sort the way people type")
struct SearchTests {
    static let respondents = [
        ("ZP-1", "Қайрат Серікұлы"), ("ZP-2", "Жұмабаев Ерлан"), ("ZP-3", "Әбілқайыров Нұрсұлтан"),
        ("ZP-4", "Абенов Марат"), ("ZP-5", "Ғалымов Олжас"), ("ZP-6", "Гусев Пётр"), ("ZP-7", "Ёлкин Игорь"),
        ("ZP-8", "Елисеев Иван"), ("ZP-9", "Іргебаев Асқар"), ("ZP-10", "Ыбыраев Талғат"),
    ]

    static func filled(_ backend: Backend) throws -> CLI {
        let cli = try CLI(backend)
        #expect(try cli.run("init", "--time-zone", "Asia/Almaty").status == 0)
        for (number, respondent) in respondents {
            let added = try cli.run("order", "add", "--number", number, "--issued", "01.11.2026 10:00", "--served", "2026-11-01T15:00",
                                    "--survivor", "Айгерим Нұрланқызы", "--respondent", respondent,
                                    "--district", "Медеуский", "--officer", "Ахметов Д.")
            #expect(added.status == 0, "\(added.err)")
        }
        return cli
    }

    static func numbers(_ cli: CLI, _ args: String...) throws -> [String] {
        let list = try cli.json(["order", "list", "--status", "all", "--as-of", "2026-11-05 12:00"] + args)
        return (list["orders"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
    }

    @Test("typed without Kazakh letters, in Latin, in any case", arguments: Backend.allCases)
    func search(_ backend: Backend) throws {
        let cli = try Self.filled(backend)
        defer { cli.remove() }
        for (query, expected) in [
            ("кайрат", ["ZP-1"]), ("kairat", ["ZP-1"]), ("qaırat", ["ZP-1"]), ("KAYRAT", ["ZP-1"]),
            ("zhumabaev", ["ZP-2"]), ("жумабаев", ["ZP-2"]), ("абилкайыров", ["ZP-3"]), ("abilkaiyrov", ["ZP-3"]),
            ("галымов", ["ZP-5"]), ("елкин", ["ZP-7"]), ("ахметов", Self.respondents.map(\.0)), ("марат", ["ZP-4"]),
        ] {
            #expect(Set(try Self.numbers(cli, "--search", query)) == Set(expected), "\(backend): \(query)")
        }
    }

    @Test("sorted by respondent in the Kazakh/Russian alphabet", arguments: Backend.allCases)
    func sort(_ backend: Backend) throws {
        let cli = try Self.filled(backend)
        defer { cli.remove() }
        #expect(try Self.numbers(cli, "--sort", "respondent")
                == ["ZP-4", "ZP-3", "ZP-6", "ZP-5", "ZP-8", "ZP-7", "ZP-2", "ZP-1", "ZP-10", "ZP-9"])
    }
}
