import Testing
@testable import Wording

/// CLDR's plural rules, checked on every number 0–200 against the forms a Russian or Kazakh
/// reader expects.
@Suite struct PluralTests {
    @Test(arguments: [
        (1, PluralCategory.one), (2, .few), (3, .few), (4, .few), (5, .many), (0, .many), (10, .many), (11, .many),
        (12, .many), (14, .many), (15, .many), (20, .many), (21, .one), (22, .few), (25, .many), (101, .one),
        (111, .many), (112, .many), (122, .few), (200, .many),
    ])
    func russian(n: Int, expected: PluralCategory) {
        #expect(Language.ru.plural(n) == expected)
    }

    @Test func russianEveryNumberTo200() {
        for n in 0...200 {
            let lastTwo = n % 100, last = n % 10
            let expected: PluralCategory = (11...14).contains(lastTwo) ? .many
                : last == 1 ? .one : (2...4).contains(last) ? .few : .many
            #expect(Language.ru.plural(n) == expected, "n = \(n)")
        }
    }

    @Test func englishAndKazakhEveryNumberTo200() {
        for n in 0...200 {
            #expect(Language.en.plural(n) == (n == 1 ? .one : .other), "n = \(n)")
            #expect(Language.kk.plural(n) == (n == 1 ? .one : .other), "n = \(n)")
        }
    }

    @Test(arguments: [
        (Language.ru, 1, "1 день"), (.ru, 2, "2 дня"), (.ru, 5, "5 дней"), (.ru, 11, "11 дней"), (.ru, 21, "21 день"),
        (.ru, 101, "101 день"), (.kk, 1, "1 күн"), (.kk, 5, "5 күн"), (.kk, 21, "21 күн"), (.en, 1, "1 day"), (.en, 2, "2 days"),
    ])
    func days(language: Language, n: Int, expected: String) {
        #expect(Words(language).days(n) == expected)
    }
}
