import Foundation
import Testing
import TestSupport

/// The command line in Russian and Kazakh: the language chosen by `--lang`, `QORGAU_LANG` or the locale,
/// on both backends, with the worked example of RULES.md. Words are checked against the catalogs
/// (`Resources/strings/{ru,kk}.*.json`); JSON keeps its English keys and values, only `reason` is worded.
@Suite("The command line in three languages")
struct LanguageTests {
    /// What a run in one language must say, and what it must not.
    struct Expected: Sendable {
        /// In `alerts` as of 28.11.2026 (one overdue check, one order expiring): the summary, a column, a kind, a reason.
        let alerts: [String]
        /// The overdue check's reason, as JSON gives it.
        let reason: String
        /// In `qorgau --help` (the root command's abstract).
        let help: String
        /// In `qorgau order add --help` (an option's help).
        let addHelp: String
        /// On stderr when serving an unknown order ZP-404.
        let refusal: String
        /// In `order show ZP-1` as of 22.11.2026: the timeline's title, the missed check.
        let show: [String]
        /// In `order list --status all`: a column and the count.
        let list: [String]
    }

    static let english = Expected(
        alerts: ["Alerts as of", "REASON", "check-overdue", "5 days overdue"], reason: "5 days overdue",
        help: "Monitor police protective orders", addHelp: "The order's number, unique",
        refusal: "no order numbered ZP-404", show: ["Timeline", "Missed checks", "3 days late"], list: ["RESPONDENT", "1 order"])

    static let expected: [String: Expected] = [
        "ru": Expected(
            alerts: ["Сигналы на", "ПРИЧИНА", "проверка просрочена: 1", "истекает: 1", "просрочено на 5 дней"],
            reason: "просрочено на 5 дней",
            help: "Контроль защитных предписаний полиции", addHelp: "Номер предписания, уникальный",
            refusal: "нет предписания с номером ZP-404",
            show: ["Хронология", "Пропущенные проверки", "с опозданием на 3 дня"], list: ["НАРУШИТЕЛЬ", "1 предписание"]),
        "kk": Expected(
            alerts: ["бойынша дабылдар", "СЕБЕБІ", "тексеру кешікті: 1", "5 күн кешікті"],
            reason: "5 күн кешікті",
            help: "Полицияның қорғау нұсқамаларын бақылау", addHelp: "Нұсқаманың бірегей нөмірі",
            refusal: "ZP-404 нөмірлі нұсқама жоқ",
            show: ["Оқиғалар", "Өткізіп алынған тексерулер", "3 күн кешікті"], list: ["ҚҰҚЫҚ БҰЗУШЫ", "1 нұсқама"]),
    ]

    /// How the language is chosen: what is typed, the environment, and the language that must win.
    struct Choice: Sendable, CustomStringConvertible {
        let description: String
        let args: [String]
        let environment: [String: String]
        let language: String
    }

    static let choices: [Choice] = [
        Choice(description: "--lang ru", args: ["--lang", "ru"], environment: [:], language: "ru"),
        Choice(description: "--lang kk", args: ["--lang", "kk"], environment: [:], language: "kk"),
        Choice(description: "--lang=kk", args: ["--lang=kk"], environment: [:], language: "kk"),
        Choice(description: "LANG=ru_RU.UTF-8", args: [], environment: ["LANG": "ru_RU.UTF-8"], language: "ru"),
        Choice(description: "LANG=kk_KZ.UTF-8", args: [], environment: ["LANG": "kk_KZ.UTF-8"], language: "kk"),
        // C names no language: the next variable decides.
        Choice(description: "LC_ALL=C LANG=ru_RU.UTF-8", args: [], environment: ["LC_ALL": "C", "LANG": "ru_RU.UTF-8"], language: "ru"),
        Choice(description: "LANG=C.UTF-8 LANGUAGE=kk:ru", args: [], environment: ["LANG": "C.UTF-8", "LANGUAGE": "kk:ru"], language: "kk"),
        Choice(description: "QORGAU_LANG=kk over LANG=ru_RU.UTF-8", args: [],
               environment: ["QORGAU_LANG": "kk", "LANG": "ru_RU.UTF-8"], language: "kk"),
        Choice(description: "--lang ru over QORGAU_LANG=kk", args: ["--lang", "ru"], environment: ["QORGAU_LANG": "kk"], language: "ru"),
        Choice(description: "--lang en over QORGAU_LANG=ru and LANG=kk_KZ.UTF-8", args: ["--lang", "en"],
               environment: ["QORGAU_LANG": "ru", "LANG": "kk_KZ.UTF-8"], language: "en"),
    ]

    /// English words that must not show once another language is chosen (ArgumentParser's own
    /// "USAGE:", "OPTIONS:" and "Error:" are its, and stay English).
    static let englishOnly = ["Alerts as of", "REASON", "RESPONDENT", "check-overdue", "overdue", "Monitor police", "The order's number",
                              "no order numbered", "Timeline", "Missed checks", " days late", " order\n"]

    @Test("alerts, help, a refusal, an order and JSON, in the chosen language", arguments: Backend.allCases, choices.indices)
    func chosen(_ backend: Backend, _ index: Int) throws {
        let choice = Self.choices[index]
        let expected = Self.expected[choice.language] ?? Self.english
        let cli = try CLITests().workedExample(backend)
        defer { cli.remove() }
        func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
            try cli.run(args + choice.args, environment: choice.environment)
        }
        let what = "\(backend), \(choice)"

        let alerts = try run(["alerts", "--as-of", "2026-11-28"])
        #expect(alerts.status == 0, "\(what): \(alerts.err)")
        for word in expected.alerts { #expect(alerts.out.contains(word), "\(what): «\(word)» not in\n\(alerts.out)") }

        let help = try run(["--help"])
        #expect(help.status == 0, "\(what): \(help.err)")
        #expect(help.out.contains(expected.help), "\(what):\n\(help.out)")
        #expect(help.out.contains("--lang"), "\(what):\n\(help.out)")
        let addHelp = try run(["order", "add", "--help"])
        #expect(addHelp.status == 0, "\(what): \(addHelp.err)")
        #expect(addHelp.out.contains(expected.addHelp), "\(what):\n\(addHelp.out)")

        let before = try cli.state()
        let refused = try run(["order", "serve", "ZP-404", "--at", "2026-11-02 10:00"])
        #expect(refused.status == 1, "\(what): \(refused.err)")
        #expect(refused.out.isEmpty, "\(what): \(refused.out)")
        #expect(refused.err.hasPrefix("qorgau: ") && refused.err.split(separator: "\n").count == 1, "\(what): \(refused.err)")
        #expect(refused.err.contains(expected.refusal), "\(what): \(refused.err)")
        #expect(try cli.state() == before, "\(what): a refusal wrote something")

        let show = try run(["order", "show", "ZP-1", "--as-of", "2026-11-22 09:00"])
        #expect(show.status == 0, "\(what): \(show.err)")
        for word in expected.show { #expect(show.out.contains(word), "\(what): «\(word)» not in\n\(show.out)") }
        let list = try run(["order", "list", "--status", "all", "--as-of", "2026-11-22 09:00"])
        #expect(list.status == 0, "\(what): \(list.err)")
        for word in expected.list { #expect(list.out.contains(word), "\(what): «\(word)» not in\n\(list.out)") }

        if choice.language != "en" {
            for text in [alerts.out, help.out, addHelp.out, refused.err, show.out, list.out] {
                for word in Self.englishOnly { #expect(!text.contains(word), "\(what): English «\(word)» in\n\(text)") }
            }
        }

        // JSON is an interface: English keys and values; only the reason is in words.
        let json = try run(["alerts", "--as-of", "2026-11-28", "--format", "json"])
        #expect(json.status == 0, "\(what): \(json.err)")
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any] ?? [:]
        #expect(object["asOf"] as? String == "2026-11-28T00:00:00+05:00", "\(what)")
        let list28 = object["alerts"] as? [[String: Any]] ?? []
        #expect(list28.map { $0["kind"] as? String } == ["check-overdue", "expiring"], "\(what): \(json.out)")
        #expect(list28.first?["severity"] as? String == "high" || list28.first?["severity"] as? String == "critical", "\(what)")
        #expect(list28.first?["daysOverdue"] as? Int == 5, "\(what)")
        #expect((list28.first?["reason"] as? String)?.contains(expected.reason) == true, "\(what): \(json.out)")
        #expect(Set(list28.first?.keys.map { $0 } ?? []) == ["kind", "severity", "order", "reason", "due", "daysOverdue", "district",
                                                            "officer", "respondent"], "\(what)")

        // English, however chosen, is what the commands have always printed.
        if choice.language == "en" {
            let plain = try cli.run(["alerts", "--as-of", "2026-11-28"])
            #expect(alerts.out == plain.out, "\(what):\n\(alerts.out)\n---\n\(plain.out)")
            #expect(json.out == (try cli.run(["alerts", "--as-of", "2026-11-28", "--format", "json"])).out, "\(what)")
        }
    }

    @Test("CSV: headers and values in the chosen language, dates as ISO")
    func csv() throws {
        let cli = try CLITests().workedExample()
        defer { cli.remove() }
        let csv = try cli.run(["violations", "--from", "2026-11-01", "--to", "2026-11-22", "--as-of", "2026-11-22 09:00", "--format", "csv",
                               "--lang", "ru"])
        #expect(csv.status == 0, "\(csv.err)")
        let lines = csv.out.components(separatedBy: "\r\n")
        #expect(lines.first == "ДАТА,ВИД,ПРЕДПИСАНИЕ,РАЙОН,СОТРУДНИК,ПРИЧИНА", "\(csv.out)")
        #expect(lines.count > 1 && lines[1].hasPrefix("2026-11-13,пропущенная проверка,ZP-1,"), "\(csv.out)")
        let english = try cli.run(["violations", "--from", "2026-11-01", "--to", "2026-11-22", "--as-of", "2026-11-22 09:00", "--format", "csv"])
        #expect(english.out.hasPrefix("DAY,KIND,ORDER,DISTRICT,OFFICER,REASON\r\n2026-11-13,missed-check,ZP-1,"), "\(english.out)")
    }

    @Test("an unknown language: exit 2, one line saying which languages there are, nothing written",
          arguments: [(["--lang", "xx"], [String: String](), "--lang xx"), (["--lang=fr"], [:], "--lang fr"),
                      ([], ["QORGAU_LANG": "de"], "QORGAU_LANG de"), (["--lang", "xx", "--help"], [:], "--lang xx")])
    func unknown(_ args: [String], _ environment: [String: String], _ named: String) throws {
        let cli = try CLITests().workedExample()
        defer { cli.remove() }
        let before = try cli.state()
        let result = try cli.run(["order", "add", "--number", "ZP-9", "--issued", "2026-11-01 10:00", "--survivor", "A", "--respondent", "B"]
                                 + args, environment: environment)
        #expect(result.status == 2, "\(args) \(environment): \(result.err)")
        #expect(result.out.isEmpty, "\(result.out)")
        #expect(result.err.hasPrefix("qorgau: ") && result.err.split(separator: "\n").count == 1, "\(result.err)")
        #expect(result.err.contains(named) && result.err.contains("kk (қазақша)"), "\(result.err)")
        #expect(try cli.state() == before)
    }

    @Test("an unknown --lang is refused in the locale's language")
    func unknownInLocale() throws {
        let cli = try CLITests().workedExample()
        defer { cli.remove() }
        let result = try cli.run(["alerts", "--lang", "xx"], environment: ["LANG": "ru_RU.UTF-8"])
        #expect(result.status == 2, "\(result.err)")
        #expect(result.err.contains("языки Qorgau"), "\(result.err)")
    }

    @Test("usage errors still exit 2 in another language; our own checks speak it")
    func usage() throws {
        let cli = try CLITests().workedExample()
        defer { cli.remove() }
        for args in CLITests.usageErrors {
            #expect(try cli.run(args + ["--lang", "kk"]).status == 2, "\(args)")
        }
        let period = try cli.run(["violations", "--from", "2026-11-10", "--to", "2026-11-01", "--lang", "ru"])
        #expect(period.status == 2)
        #expect(period.err.contains("--from 2026-11-10 позже, чем --to 2026-11-01"), "\(period.err)")
    }

    /// The keys of `en.cli.json` and the keys the command line names (`say("…")`, `sayCount("…")`,
    /// `.cli("…")`, `Table(columns: […])`, and the values tables word: kinds, severities, statuses).
    @Test("every key the command line names is in en.cli.json, and every key there is named")
    func catalogKeys() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let catalog = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("Resources/strings/en.cli.json")))
            as? [String: String] ?? [:]
        var named: Set<String> = []
        // The command line's tables, and the one it shares with the screens (Wording's `violationColumns`).
        let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources/qorgau").path)
            .filter { $0.hasSuffix(".swift") }.map { "Sources/qorgau/" + $0 } + ["Sources/Wording/ViolationsTable.swift"]
        for file in files {
            let source = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for match in source.matches(of: #/(?:say|\.cli)\("([a-zA-Z][a-zA-Z0-9.\-]*)"/#) where !match.output.1.hasSuffix(".") {
                named.insert("cli." + match.output.1)
            }
            for match in source.matches(of: #/sayCount\("([a-zA-Z][a-zA-Z0-9.\-]*)"/#) { named.insert("cli." + match.output.1 + ".other") }
            for match in source.matches(of: #/\? "(state\.[a-z]+)" : "(state\.[a-z]+)"/#) {
                named.formUnion(["cli." + match.output.1, "cli." + match.output.2])
            }
            for match in source.matches(of: #/(?:Table\(\s*columns: |violationColumns = )\[([^\]]*)\]/#) {
                for column in match.output.1.matches(of: #/"([a-zA-Z]+)"/#) { named.insert("cli.col." + column.output.1) }
            }
        }
        let worded = ["breach-open", "check-overdue", "unserved", "check-due", "expiring", "missed-check", "breach"].map { "cli.kind." + $0 }
            + ["critical", "high", "medium"].map { "cli.severity." + $0 }
            + ["unserved", "active", "expired", "revoked"].map { "cli.status." + $0 }
        named.formUnion(worded)
        let present = Set(catalog.keys.map { $0.hasSuffix(".one") ? String($0.dropLast(4)) + ".other" : $0 })
        #expect(named.subtracting(present).isEmpty, "named, not in en.cli.json: \(named.subtracting(present).sorted())")
        #expect(present.subtracting(named).isEmpty, "in en.cli.json, never named: \(present.subtracting(named).sorted())")
        #expect(catalog.keys.allSatisfy { $0.hasPrefix("cli.") })
        // English tables show the values JSON gives.
        for key in worded { #expect(catalog[key] == String(key.split(separator: ".").last ?? ""), "\(key)") }
    }

    @Test("the screens and the command groups take --lang too")
    func everyCommand() throws {
        let cli = try CLITests().workedExample()
        defer { cli.remove() }
        // No terminal: the screens cannot open, and say so in the chosen language.
        let screens = try cli.run(["--lang", "kk"])
        #expect(screens.status == 1, "\(screens.err)")
        #expect(screens.err.contains("экрандарға терминал қажет"), "\(screens.err)")
        for group in ["order", "check", "breach", "user", "audit"] {
            let help = try cli.run([group, "--lang", "ru", "--help"])
            #expect(help.status == 0, "\(group): \(help.err)")
            #expect(help.out.contains("--lang"), "\(group): \(help.out)")
        }
        let verified = try cli.run(["audit", "verify", "--lang", "ru"])
        #expect(verified.status == 0, "\(verified.err)")
        #expect(verified.out.hasPrefix("журнал аудита цел: "), "\(verified.out)")
    }
}
