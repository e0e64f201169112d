import Foundation
import OrderModel
import OrderStore
import Scheduler
import Testing
@testable import Wording

/// The three catalogs say the same things: every key of one is in the others, with the same
/// placeholders, and every counted phrase has the plural forms its language needs.
@Suite struct CatalogTests {
    /// "days.many" -> ("days", .many); "ui.title" -> nil.
    static func pluralParts(_ key: String) -> (base: String, category: PluralCategory)? {
        guard let dot = key.lastIndex(of: "."), let category = PluralCategory(rawValue: String(key[key.index(after: dot)...]))
        else { return nil }
        return (String(key[..<dot]), category)
    }

    /// Plain keys, and counted phrases by their base key with the categories spelled.
    static func shape(_ catalog: Catalog) -> (plain: Set<String>, counted: [String: Set<PluralCategory>]) {
        var plain: Set<String> = [], counted: [String: Set<PluralCategory>] = [:]
        for key in catalog.entries.keys {
            if let (base, category) = pluralParts(key) { counted[base, default: []].insert(category) } else { plain.insert(key) }
        }
        return (plain, counted)
    }

    @Test(arguments: [Language.ru, .kk])
    func sameKeysAsEnglish(language: Language) {
        let english = Self.shape(.english), other = Self.shape(.shipped(language))
        for key in english.plain.subtracting(other.plain).sorted() { Issue.record("\(language): missing \(key)") }
        for key in other.plain.subtracting(english.plain).sorted() { Issue.record("\(language): \(key) is not in English") }
        for base in Set(english.counted.keys).symmetricDifference(other.counted.keys).sorted() {
            Issue.record("\(language): counted phrase \(base) is in one catalog only")
        }
    }

    @Test(arguments: Language.allCases)
    func countedPhrasesHaveEveryFormTheLanguageNeeds(language: Language) {
        for (base, categories) in Self.shape(.shipped(language)).counted {
            #expect(categories.isSuperset(of: language.integerCategories), "\(language): \(base) has \(categories)")
        }
    }

    @Test(arguments: [Language.ru, .kk])
    func samePlaceholdersAsEnglish(language: Language) {
        let english = Catalog.english.entries, other = Catalog.shipped(language).entries
        func base(_ key: String) -> String { Self.pluralParts(key)?.base ?? key }
        var englishNames: [String: Set<String>] = [:]
        for (key, template) in english { englishNames[base(key), default: []].formUnion(Catalog.placeholders(template)) }
        for (key, template) in other {
            guard let expected = englishNames[base(key)] else { continue }
            // A counted form may leave out {n} ("one day" spelled as a word); nothing else may differ.
            let names = Catalog.placeholders(template)
            #expect(names.subtracting(["n"]) == expected.subtracting(["n"]), "\(language): \(key) has \(names), English \(expected)")
        }
    }

    @Test(arguments: Language.allCases)
    func noEmptyTemplate(language: Language) {
        for (key, template) in Catalog.shipped(language).entries {
            #expect(!template.trimmingCharacters(in: .whitespaces).isEmpty, "\(language): \(key) is empty")
        }
    }

    /// Every key the code names (`text("…")`, `count("…")`) is in the English catalog.
    @Test func everyKeyTheCodeNamesExists() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources").standardized
        let pattern = try Regex(#"(?:text|count)\("([a-zA-Z][a-zA-Z0-9.\-]*)""#)
        var missing: [String] = []
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        // The modules that speak; the stores' `.text(…)` are SQL values, not words.
        for file in files where file.pathExtension == "swift"
            && ["/Wording/", "/MonitorUI/", "/qorgau/"].contains(where: file.path.contains) {
            let source = try String(contentsOf: file, encoding: .utf8)
            let prefix = file.path.contains("/MonitorUI/") ? "ui." : ""
            for match in source.matches(of: pattern) {
                guard let key = match.output[1].substring.map(String.init), !key.hasSuffix(".") else { continue }
                let full = key.hasPrefix("ui.") || key.hasPrefix("cli.") ? key : prefix + key
                if !Catalog.english.has(full) && !Catalog.english.has(full + ".other") { missing.append("\(file.lastPathComponent): \(full)") }
            }
        }
        #expect(missing.isEmpty, "\(missing)")
    }
}

/// The wording of facts: every refusal, store problem and alert reads as a sentence in every
/// language, never as a bare key.
@Suite struct FactWordingTests {
    static let refusals: [Refusal] = [
        .duplicateNumber("ZP-1"), .unknownOrder("ZP-1"), .unknownBreach(3), .servedBeforeIssued,
        .termOutOfRange(kind: .protectiveOrder, value: 31, min: 1, max: 30),
        .intervalOutOfRange(kind: .specialRequirements, value: 8, min: 1, max: 7), .unknownKind("x"),
        .inFuture(what: .checkTime), .beforeService(what: .breachTime), .beforeIssue(what: .revocationTime),
        .afterEnd(what: .checkTime), .notServed(number: "ZP-1"), .emptyText(field: .survivorName),
        .tooLong(field: .officer, max: 120), .controlCharacters(field: .respondentName), .invisibleCharacters(field: .district), .alreadyRevoked(number: "ZP-1"),
        .alreadyServed(number: "ZP-1"), .revoked(number: "ZP-1"), .breachAlreadyClosed(2), .actionBeforeBreach(2),
        .nonexistentLocalTime(text: "29.03.2026 02:30", timeZone: "Europe/Berlin"),
        .invalidDate("31.02"),
    ]

    static let problems: [StoreError] = [
        .missing(path: "/f"), .alreadyExists(path: "/f"), .notQorgau(path: "/f"), .newerVersion(path: "/f"), .unknownTimeZone("X"),
        .cannotCreate(path: "/f", reason: "No space"), .folderCannotBeMade(path: "/f"), .cannotOpen(path: "/f", reason: "r"),
        .damaged(path: "/f", reason: .noRuleSet), .damaged(path: "/f", reason: .reported("bad page")), .wrongPassphrase,
        .keyUnusable, .sealedValueDamaged, .keyFileUnsafe(path: "/k"), .keyFileUnreadable(path: "/k"), .notAUser(account: "a"),
        .disabledUser(account: "a"), .notAllowed(account: "a", role: .liaison, action: .revoke),
        .notSupervisorOfCopy(account: "a", isExport: true), .notSupervisorOfCopy(account: "a", isExport: false),
        .unknownUser("a"), .userExists("a"), .locked, .lastSupervisor, .unknownGroup("g"), .wouldOverwrite(path: "/f"),
        .notAnExport, .unknownScheme("http://x"), .cannotConnect(location: "db", reason: "r"), .clientLibraryMissing(library: "libpq.so.5", reason: "r"),
        .refusedByServer("m"),
        .forbiddenByServer("m"), .serverError("m"), .databaseNotEmpty(location: "db"), .notInstalled(location: "db"),
        .serverTool(command: "pg_dump"), .fileOnly(command: "backup"), .serverOnly(command: "upgrade"),
        .serverRole(.installAsSuperuser), .serverRole(.installWithoutCreateRole), .serverRole(.upgradeNotOwner), .storage(.diskFull), .storage(.busy),
        .storage(.constraint("")), .storage(.other(code: 1)),
    ]

    /// A bare key ("refusal.x", "field.y") left in a sentence means a missing entry.
    static func leftKeys(_ text: String) -> Bool {
        text.contains(where: { $0 == "{" || $0 == "}" })
            || ["refusal.", "store.", "field.", "role.", "permission.", "kind.", "damage.", "storage.", "audit.", "days.", "when."]
                .contains { text.contains($0) }
    }

    @Test(arguments: Language.allCases)
    func everyRefusalIsASentence(language: Language) {
        let words = Words(language)
        for refusal in Self.refusals {
            let text = words.message(refusal)
            #expect(!Self.leftKeys(text), "\(language): \(refusal) -> \(text)")
        }
        for field in Field.allCases { #expect(!Self.leftKeys(words.field(field)), "\(language): \(field)") }
        for permission in Permission.allCases { #expect(!Self.leftKeys(words.permission(permission)), "\(language): \(permission)") }
    }

    @Test(arguments: Language.allCases)
    func everyStoreProblemIsASentence(language: Language) {
        let words = Words(language)
        for problem in Self.problems {
            let text = words.message(problem)
            #expect(!Self.leftKeys(text), "\(language): \(problem) -> \(text)")
        }
        for finding in [AuditFinding.intact(entries: 21, head: "ab"), .changed(id: 2), .removed(afterID: 2), .inserted(id: 2), .truncated(afterID: 2)] {
            #expect(!Self.leftKeys(words.finding(finding)), "\(language): \(finding)")
        }
    }

    @Test("placeholders are filled; unknown names, stray and nested braces stay as written", arguments: [
        ("просрочено на {days}", ["days": "5 дней"], "просрочено на 5 дней"),
        ("{a} и {b}, {a}", ["a": "Қ", "b": "Ә"], "Қ и Ә, Қ"),
        ("{unknown} {days}", ["days": "1"], "{unknown} 1"),
        ("{a{b}", ["b": "x"], "{ax"),
        ("no close {days", ["days": "1"], "no close {days"),
        ("{}{days}}", ["days": "2"], "{}2}"),
        ("{days}", [:], "{days}"),
        ("{a}{b}", ["a": "{b}", "b": "Ұ"], "{b}Ұ"),
        ("🇰🇿 {a} — {b} ", ["a": "👩🏽‍⚕️", "b": "é"], "🇰🇿 👩🏽‍⚕️ — é "),
        ("}{a}{", ["a": ""], "}{"),
        ("{ a}{a }{a}", ["a": "1", " a": "2"], "2{a }1"),
    ])
    func fill(_ template: String, _ values: [String: String], _ expected: String) {
        #expect(Catalog.fill(template, values) == expected)
    }

    @Test func englishSentencesStayAsTheyWere() {
        let words = Words.english
        #expect(words.message(Refusal.emptyText(field: .survivorName)) == "the survivor's name is empty")
        #expect(words.message(Refusal.termOutOfRange(kind: .protectiveOrder, value: 31, min: 1, max: 30))
                == "a protective order lasts 1 to 30 days, not 31")
        #expect(words.message(Refusal.tooLong(field: .orderNumber, max: 40)) == "the order number is longer than 40 characters")
        #expect(words.message(StoreError.notAllowed(account: "aigul", role: .liaison, action: .revoke))
                == "aigul (liaison) may not revoke orders: ask a supervisor")
        #expect(words.message(StoreError.notAllowed(account: "dana", role: .staff, action: .recordCheck))
                == "dana (staff) may not record checks: ask a liaison or a supervisor")
    }

    @Test func russianRefusalsAndCounts() {
        let words = Words(.ru)
        #expect(words.message(Refusal.emptyText(field: .survivorName)).contains("пострадав"))
        #expect(words.days(21) == "21 день")
        #expect(words.when(inDays: 5).contains("5 дней"))
        #expect(words.number(12345) == "12\u{00A0}345")
    }

    @Test(arguments: [
        (Language.en, 1, "1 day"), (.en, 2, "2 days"), (.ru, 1, "1 день"), (.ru, 2, "2 дня"), (.ru, 5, "5 дней"),
        (.ru, 11, "11 дней"), (.ru, 21, "21 день"), (.kk, 1, "1 күн"), (.kk, 2, "2 күн"),
        (.kk, 5, "5 күн"), (.kk, 11, "11 күн"), (.kk, 21, "21 күн"),
    ])
    func overdueAlertCountsDays(language: Language, n: Int, expected: String) throws {
        let alert = try #require(Self.overdueAlert(daysOverdue: n))
        #expect(alert.daysOverdue == n)
        #expect(Words(language).reason(alert, format: InstantFormat(timeZone: TimeZone(identifier: "Asia/Almaty")!)).contains(expected))
    }

    static func overdueAlert(daysOverdue: Int) -> Alert? {
        let zone = TimeZone(identifier: "Asia/Almaty")!
        guard let first = LocalDay(year: 2026, month: 10, day: 1) else { return nil }
        let served = first.start(in: zone).addingTimeInterval(12 * 3600)
        let order = Order(number: "ZP-1", kind: .protectiveOrder, issued: served, served: served, termDays: 30,
                          checkIntervalDays: 7, district: "Алмалы", officer: "Серік",
                          survivor: Survivor(name: "А"), respondent: Respondent(name: "Қайрат"))
        guard let rules = try? RuleSet.kazakhstan() else { return nil }
        let scheduler = Scheduler(rules: rules, timeZone: zone)
        let asOf = served.addingTimeInterval(Double(7 + daysOverdue) * 86_400)
        return scheduler.alerts(for: [OrderHistory(order: order)], asOf: asOf).first { $0.kind == .checkOverdue }
    }
}

@Suite struct LanguageChoiceTests {
    @Test(arguments: [
        (String?.none, [String: String](), Language.en),
        ("ru", [:], .ru), ("kk", ["QORGAU_LANG": "ru"], .kk), (nil, ["QORGAU_LANG": "kk", "LANG": "ru_RU.UTF-8"], .kk),
        (nil, ["LANG": "ru_RU.UTF-8"], .ru), (nil, ["LANG": "kk_KZ.UTF-8"], .kk), (nil, ["LC_ALL": "C", "LANG": "kk_KZ.UTF-8"], .kk),
        (nil, ["LC_ALL": "ru_RU.UTF-8", "LANG": "kk_KZ.UTF-8"], .ru), (nil, ["LC_MESSAGES": "kk_KZ", "LANG": "ru_RU"], .kk),
        (nil, ["LANGUAGE": "de:kk:ru"], .kk), (nil, ["LANG": "de_DE.UTF-8"], .en), (nil, ["LANG": "C.UTF-8"], .en),
        (nil, ["LANG": "en_GB.UTF-8", "LANGUAGE": "ru"], .en),
    ])
    func resolves(option: String?, environment: [String: String], expected: Language) throws {
        #expect(try Language.resolve(option: option, environment: environment) == expected)
    }

    @Test func anUnknownExplicitChoiceIsRefused() {
        #expect(throws: UnknownLanguage(text: "de", source: "--lang")) { try Language.resolve(option: "de", environment: [:]) }
        #expect(throws: UnknownLanguage(text: "xx", source: "QORGAU_LANG")) {
            try Language.resolve(option: nil, environment: ["QORGAU_LANG": "xx"])
        }
    }
}
