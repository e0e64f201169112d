import OrderModel
import Testing

@Suite("Alphabetical order of names")
struct NameOrderTests {
    /// One name for each letter of the Kazakh Cyrillic alphabet, in its order.
    static let byLetter = [
        "Аслан", "Әсел", "Бауыржан", "Вера", "Гүлнар", "Ғалым", "Дана", "Ерлан", "Ёлкин", "Жанна", "Зарина",
        "Ирина", "Йошкар", "Кайрат", "Қайрат", "Лаура", "Марат", "Нұрлан", "Ңазым", "Олжас", "Өмір", "Петр",
        "Роза", "Сая", "Тимур", "Ушаков", "Ұлан", "Үміт", "Фарида", "Хасен", "Һарун", "Цой", "Чингиз", "Шамиль",
        "Щукин", "Ъа", "Ыбырай", "Ілияс", "Ьа", "Эльвира", "Юлия", "Ясмин",
    ]

    @Test("a name for every letter sorts into the order of the alphabet")
    func alphabet() {
        #expect(Self.byLetter.count == 42)
        #expect(Self.byLetter.map { String($0.first!) }.joined() == NameOrder.alphabet)
        for seed: UInt64 in [1, 2, 3, 2026] {
            var generator = SeededGenerator(seed: seed)
            let shuffled = Self.byLetter.shuffled(using: &generator)
            #expect(NameOrder.sorted(shuffled) == Self.byLetter)
            #expect(shuffled.sorted(by: NameOrder.precedes) == Self.byLetter)
            #expect(shuffled.map { $0.lowercased() }.sorted(by: NameOrder.precedes) == Self.byLetter.map { $0.lowercased() })
            #expect(shuffled.sorted { NameOrder.sortKey($0) < NameOrder.sortKey($1) } == Self.byLetter)
        }
    }

    @Test("the first name comes before the second", arguments: [
        // Kazakh letters right after their Russian neighbours.
        ("Аяжан", "Әбілов"), ("Әсел", "Бауыржан"), ("Гусев", "Ғалым"), ("Ғалым", "Дана"), ("Кузнецов", "Қайрат"),
        ("Қайрат", "Лаура"), ("Нуров", "Ңазым"), ("Ңазым", "Олжас"), ("Оспанов", "Өмір"), ("Өмір", "Петр"),
        ("Усенов", "Ұлан"), ("Ұлан", "Үміт"), ("Үміт", "Фарида"), ("Хасенов", "Һарун"), ("Һарун", "Цой"),
        ("Ыбырай", "Ілияс"), ("Ілияс", "Ьа"), ("Ия", "Йошкар"),
        // Ё is a letter of its own between Е and Ж.
        ("Елена", "Ёлкин"), ("Ёлкин", "Жанна"), ("Ежов", "Ёлкин"),
        // Letter by letter, shorter first, space before letters.
        ("Иванов", "Иванова"), ("Иванов Петр", "Иванова Анна"), ("Ким", "Кимов"), ("Ан", "Анна"),
        // Case only after letters: then lowercase first.
        ("қайрат", "Қайрат"), ("айгерим", "Айдана"), ("Айгерим", "айдана"), ("ИВАНОВ", "Иванова"),
        // Digits first, Latin after Cyrillic (in the order of the Kazakh Latin alphabet).
        ("1-й участок", "Аслан"), ("12", "2"), ("Ясмин", "Aigerim"), ("Aigerim", "Zhanna"), ("Asel", "Äsel"),
        ("Äsel", "Bauyrzhan"), ("Ūlan", "Ümit"), ("Ümit", "Vera"), ("Sultan", "Şamil"), ("Şamil", "Tlek"),
        ("Eva", "Éva"), ("Éva", "Ewa"),
        // Invisible characters and decomposed letters do not move a name.
        ("Аслан", "Ә\u{200B}сел"), ("\u{FEFF}Аслан", "Әсел"), ("Ия", "И\u{0306}ошкар"), ("Е\u{0308}лкин", "Жанна"),
        ("Елена", "Е\u{0308}лкин"), ("  Аслан", "Әсел"),
    ] as [(String, String)])
    func before(_ first: String, _ second: String) {
        #expect(NameOrder.precedes(first, second))
        #expect(!NameOrder.precedes(second, first))
        #expect(NameOrder.sortKey(first) < NameOrder.sortKey(second))
    }

    @Test("the order is total: distinct texts are never tied")
    func total() {
        let names = ["Қайрат", "қайрат", "ҚАЙРАТ", "Каи\u{0306}рат", "Кайрат", "Қайрат\u{200B}", "Қайрат ", "Kairat",
                     "Ёлкин", "Е\u{0308}лкин", "Елкин", "", " ", "\u{200B}"]
        for a in names {
            #expect(!NameOrder.precedes(a, a))
            for b in names where Array(a.unicodeScalars) != Array(b.unicodeScalars) {
                #expect(NameOrder.precedes(a, b) != NameOrder.precedes(b, a), "\(a.debugDescription) \(b.debugDescription)")
                #expect(NameOrder.sortKey(a) != NameOrder.sortKey(b))
            }
        }
        let sorted = NameOrder.sorted(names)
        for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(NameOrder.sortKey(a) < NameOrder.sortKey(b)) }
        // Decomposed letters sort with their composed form, next to it.
        let i = sorted.firstIndex(of: "Ёлкин")!
        #expect(sorted[i + 1].unicodeScalars.elementsEqual("Е\u{0308}лкин".unicodeScalars)
            || sorted[i - 1].unicodeScalars.elementsEqual("Е\u{0308}лкин".unicodeScalars))
    }

    @Test("sorting records by name keeps records with the same name in their order")
    func records() {
        let records = [(1, "Марат"), (2, "Аслан"), (3, "Марат"), (4, "Әсел"), (5, "Аслан"), (6, "марат")]
        let sorted = NameOrder.sorted(records, by: \.1).map(\.0)
        #expect(sorted == [2, 5, 4, 6, 1, 3])
    }

    @Test("many names sort by precomputed keys")
    func many() {
        var generator = SeededGenerator(seed: 42)
        let names = (0 ..< 5_000).map { _ in
            (0 ..< 2).map { _ in Self.byLetter.randomElement(using: &generator)! }.joined(separator: " ")
        }
        let sorted = NameOrder.sorted(names)
        #expect(sorted.count == names.count)
        for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(!NameOrder.precedes(b, a)) }
    }
}
