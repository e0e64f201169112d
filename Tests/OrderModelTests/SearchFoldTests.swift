import OrderModel
import Testing

@Suite("Search folding")
struct SearchFoldTests {
    @Test("queries find names in either script, any case and the usual romanisations", arguments: [
        // The examples of the brief.
        ("kairat", "Қайрат"), ("qaırat", "Қайрат"), ("Kayrat", "Қайрат"), ("КАЙРАТ", "Қайрат"), ("кайрат", "Қайрат"),
        ("zhumabaev", "Жұмабаев"), ("jumabaev", "Жұмабаев"),
        ("abilkaiyrov", "Әбілқайыров"), ("әбілқайыров", "Әбілқайыров"), ("абилкайыров", "Әбілқайыров"),
        ("нурланкызы", "Нұрланқызы"),
        ("ерлан", "Ерлан"), ("ерлан", "Ёрлан"), ("ёрлан", "Ерлан"), ("Ёрлан", "Ёрлан"),
        // Kazakh Latin (2021) and Kazakh letters.
        ("Qairat", "Қайрат"), ("Nūrlanqyzy", "Нұрланқызы"), ("Şyñğys", "Шынғыс"), ("Shyngys", "Шынғыс"),
        ("Aqbota", "Ақбота"), ("Akbota", "Ақбота"), ("Äsel", "Әсел"), ("Assel", "Әсел"), ("Asel", "Асель"),
        ("Aigül", "Айгүл"), ("Aygul", "Айгүл"), ("Gülnar", "Гүлнар"), ("Nursultan", "Нұрсұлтан"),
        ("Janar", "Жанар"), ("Ğabit", "Ғабит"), ("Ömir", "Өмір"), ("Ümit", "Үміт"), ("Çiñgiz", "Чингиз"),
        ("Hasenov", "Һасенов"), ("Hasenov", "Хасенов"), ("Khassenov", "Хасенов"), ("Qūdaibergen", "Құдайберген"),
        // Russian romanisation.
        ("Tsoy", "Цой"), ("Tsoi", "Цой"), ("Chingiz", "Чингиз"), ("Shcherbakov", "Щербаков"), ("Zhanna", "Жанна"),
        ("Yuliya", "Юлия"), ("Yulia", "Юлия"), ("Iuliia", "Юлия"), ("Julia", "Юлия"),
        ("Mariya", "Мария"), ("Maria", "Мария"), ("Mariyam", "Мариям"),
        ("Natalya", "Наталья"), ("Natalia", "Наталья"), ("Natal'ya", "Наталья"), ("Ilyas", "Ильяс"), ("Il’yas", "Ильяс"),
        ("Vasiliev", "Васильев"), ("Vasilyev", "Васильев"), ("Vasilev", "Васильев"),
        ("Fyodor", "Фёдор"), ("Fedor", "Фёдор"), ("Fyodor", "Федор"), ("Yerlan", "Ерлан"), ("Yelena", "Елена"),
        ("Sergeyev", "Сергеев"), ("Zhumabayev", "Жұмабаев"),
        ("Lyudmila", "Людмила"), ("Liudmila", "Людмила"), ("Ludmila", "Людмила"),
        ("Alexey", "Алексей"), ("Aleksei", "Алексей"), ("Dmitriy", "Дмитрий"), ("Dmitry", "Дмитрий"), ("Dmitrij", "Дмитрий"),
        ("Victor", "Виктор"), ("Cvetkov", "Цветков"),
        // Cyrillic queries find Latin spellings.
        ("Қайрат", "Kairat"), ("Қайрат", "Qaırat"), ("кайрат", "KAYRAT"), ("Жұмабаев", "Jumabaev"),
        ("Жумабаев", "Zhumabayev"), ("Әбілқайыров", "Abilkaiyrov"), ("Нұрланқызы", "Nurlankyzy"),
        ("Шынғыс", "Şyñğys"), ("Цой", "Tsoy"), ("Щербаков", "Shcherbakov"), ("Хасенов", "Hasenov"),
        ("Юлия", "Yuliya"), ("Людмила", "Ludmila"), ("Наталья", "Natalia"), ("Васильев", "Vasiliev"),
        ("Фёдор", "Fyodor"), ("Федор", "Fyodor"), ("Ерлан", "Yerlan"), ("Виктор", "Victor"), ("Дмитрий", "Dmitrij"),
        // Parts of names, and a query typed half-way.
        ("қай", "Қайрат"), ("rat", "Қайрат"), ("Жұма", "Zhumabaev"), ("z", "Жанар"), ("zh", "Жанар"),
        ("s", "Шамиль"), ("Ch", "Чингиз"), ("Ser", "Сергей"), ("Sergey", "Sergeyevich"), ("Сергей", "Sergey"),
        // Case, combining marks, invisible characters, white space.
        ("ҚАЙРАТ", "қайрат"), ("қайрат", "ҚАЙРАТ"), ("кайрат", "Каи\u{0306}рат"), ("Каи\u{0306}рат", "Қайрат"),
        ("Ёрлан", "Е\u{0308}рлан"), ("Е\u{0308}рлан", "Ерлан"), ("Şyñğys", "S\u{0327}yn\u{0303}g\u{0306}ys"),
        ("Қай\u{200B}рат", "Қайрат"), ("Қайрат", "Қай\u{00AD}рат"), ("\u{FEFF}kairat", "Қайрат"),
        ("  Қайрат\t", "Қайрат"), ("ＫＡＩＲＡＴ", "Қайрат"),
        // Several words: each somewhere, in any order.
        ("айгерим нурланкызы", "Нұрланқызы Айгерим Сапаровна"), ("aigerim  sapar", "Нұрланқызы Айгерим Сапаровна"),
        ("Сапаровна айгерим", "Nurlanqyzy Aigerim Saparovna"),
        // Order numbers stay plain.
        ("zp-12", "ZP-12/2026"), ("12/20", "ZP-12/2026"), ("ZP-12/2026", "ZP-12/2026"), ("зп-12", "ZP-12/2026"),
        ("ZP–12", "ZP-12/2026"), ("sh-1", "SH-12/2026"), ("h-12", "SH-12/2026"), ("/2026", "CH-7/2026"),
    ] as [(String, String)])
    func finds(_ query: String, _ name: String) {
        #expect(SearchFold.matches(query, in: [name]))
    }

    @Test("queries do not find other names", arguments: [
        ("марат", "Қайрат"), ("kairat", "Марат"), ("zhumabaev", "Жумагулов"), ("ерлан", "Арлан"),
        ("Али", "Алексей"), ("Ким", "Кем"), ("Чингиз", "Khingiz"), ("Шамиль", "Samil"), ("Zanna", "Жанна"),
        ("Жанна", "Zanna"), ("Хан", "Шан"), ("Цой", "Чой"), ("Ирина", "Арина"), ("nurlan", "Нұрсұлтан"),
        ("айгерим марат", "Нұрланқызы Айгерим"), ("zp-13", "ZP-12/2026"), ("12/21", "ZP-12/2026"),
        ("2026 zp-13", "ZP-12/2026"), ("k", "Марат"),
    ] as [(String, String)])
    func missesOthers(_ query: String, _ name: String) {
        #expect(!SearchFold.matches(query, in: [name]))
    }

    @Test("every word must match some field, not necessarily the same one")
    func fields() {
        let fields = ["ZP-12/2026", "Нұрланқызы Айгерим", "Алматы, Бостандық ауданы"]
        #expect(SearchFold.matches("zp-12 aigerim", in: fields))
        #expect(SearchFold.matches("бостандык 2026 нурланкызы", in: fields))
        #expect(!SearchFold.matches("zp-12 марат", in: fields))
        #expect(!SearchFold.matches("aigerim", in: []))
    }

    @Test("the skeleton", arguments: [
        ("Қайрат", "kairat"), ("Qaırat", "kairat"), ("Kayrat", "kairat"), ("Жұмабаев", "zhumabaev"),
        ("Jumabaev", "zhumabaev"), ("Әбілқайыров", "abilkairov"), ("Щербаков", "shcherbakov"),
        ("Хасенов", "khasenov"), ("Hasenov", "khasenov"), ("Ёрлан", "erlan"), ("Yerlan", "erlan"), ("Цой", "tsoi"),
        ("Чингиз", "chingiz"), ("Ильяс", "ilias"), ("  ZP-12/2026 ", "zp-12/2026"), ("Нұрланқызы  Айгерим", "nurlankizi aigerim"),
        ("Қай\u{200B}рат\u{FEFF}", "kairat"), ("", ""), ("\u{00AD} \u{200B}", ""),
    ] as [(String, String)])
    func skeleton(_ text: String, _ expected: String) {
        #expect(SearchFold.fold(text) == expected)
    }

    @Test("a query with nothing to search for matches everything, and knows it is empty", arguments: [
        "", "   ", "\u{200B}", "\u{FEFF} \u{00AD}",
    ])
    func emptyQuery(_ query: String) {
        #expect(SearchQuery(query).isEmpty)
        #expect(SearchFold.matches(query, in: ["Қайрат"]))
        #expect(!SearchQuery("kairat").isEmpty)
    }

    @Test("folding once and matching many agrees with folding each time")
    func precomputed() {
        var generator = SeededGenerator(seed: 2026)
        let parts = ["Қайрат", "Жұмабаев", "Әбілқайыров", "Нұрланқызы", "Айгерим", "Ерлан", "Ёрлан", "Марат",
                     "Kairat", "Zhumabaev", "Fyodor", "Васильев", "Людмила", "Şyñğys", "ZP-12/2026"]
        let names = (0 ..< 2_000).map { _ in
            (0 ..< 3).map { _ in parts.randomElement(using: &generator)! }.joined(separator: " ")
        }
        let folded = names.map(FoldedText.init)
        for query in ["kairat", "ерлан", "jumabaev марат", "zp-12", "лудмила", "vasiliev", "fedor", "qwerty"] {
            let search = SearchQuery(query)
            let once = folded.indices.filter { search.matches(folded[$0]) }
            let each = names.indices.filter { SearchFold.matches(query, in: [names[$0]]) }
            #expect(once == each, "\(query)")
            #expect(once.count == names.count(where: { SearchFold.matches(query, in: [$0]) }))
        }
        #expect(SearchQuery("qwerty").matches(folded[0]) == false)
        #expect(SearchQuery("kairat марат").matches([FoldedText("Қайрат"), FoldedText("Марат")]))
    }
}
