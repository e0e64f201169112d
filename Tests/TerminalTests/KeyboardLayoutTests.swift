import Testing
@testable import Terminal

@Suite("Command keys on the Russian and Kazakh keyboard layouts")
struct KeyboardLayoutTests {
    @Test("a Cyrillic letter means the US character on the same key, at the same shift level", arguments: [
        // Russian ЙЦУКЕН, top row
        ("й", "q"), ("ц", "w"), ("у", "e"), ("к", "r"), ("е", "t"), ("н", "y"), ("г", "u"), ("ш", "i"), ("щ", "o"),
        ("з", "p"), ("х", "["), ("ъ", "]"),
        // home row
        ("ф", "a"), ("ы", "s"), ("в", "d"), ("а", "f"), ("п", "g"), ("р", "h"), ("о", "j"), ("л", "k"), ("д", "l"),
        ("ж", ";"), ("э", "'"),
        // bottom row, and ё on the grave key
        ("я", "z"), ("ч", "x"), ("с", "c"), ("м", "v"), ("и", "b"), ("т", "n"), ("ь", "m"), ("б", ","), ("ю", "."),
        ("ё", "`"),
        // Shift stays Shift
        ("Й", "Q"), ("Ы", "S"), ("П", "G"), ("Ч", "X"), ("С", "C"), ("Х", "{"), ("Ж", ":"), ("Э", "\""), ("Б", "<"),
        ("Ю", ">"), ("Ё", "~"),
        // Kazakh letters on the digit row of the kz layout
        ("ә", "2"), ("і", "3"), ("ң", "4"), ("ғ", "5"), ("ү", "8"), ("ұ", "9"), ("қ", "0"), ("ө", "-"), ("һ", "="),
        ("Ә", "@"), ("І", "#"), ("Ң", "$"), ("Ғ", "%"), ("Ү", "*"), ("Ұ", "("), ("Қ", ")"), ("Ө", "_"), ("Һ", "+"),
        // Everything else is itself
        ("q", "q"), ("S", "S"), ("1", "1"), ("?", "?"), ("/", "/"), (" ", " "), ("王", "王"), ("ї", "ї"), ("é", "é"),
    ] as [(Character, Character)])
    func latin(_ typed: Character, _ expected: Character) {
        #expect(KeyboardLayout.latin(typed) == expected)
    }

    @Test("every letter of both layouts has a key, and no two share one")
    func complete() {
        let russian = Array("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
        let kazakh = Array("әіңғүұқөһ")
        let capitals = (russian + kazakh).map { Character($0.uppercased()) }
        for letter in russian + kazakh + capitals {
            #expect(KeyboardLayout.latin(letter) != letter, "\(letter) has no key")
            #expect(KeyboardLayout.latin(letter).isASCII, "\(letter)")
        }
        let targets = (russian + kazakh).map(KeyboardLayout.latin)
        #expect(Set(targets).count == targets.count, "two letters on one key")
    }

    @Test("only characters are translated: special keys, Ctrl and function keys pass as they are", arguments: [
        (Key.character("й"), Key.character("q")), (.character("Ы"), .character("S")), (.character("ә"), .character("2")),
        (.character("q"), .character("q")), (.enter, .enter), (.escape, .escape), (.tab, .tab), (.function(1), .function(1)),
        (.control("c"), .control("c")), (.up, .up), (.resize, .resize),
    ] as [(Key, Key)])
    func command(_ key: Key, _ expected: Key) {
        #expect(KeyboardLayout.command(key) == expected)
    }

    @Test("two characters are one key when they are the same letter on some layout, whatever the case", arguments: [
        ("п", "g", true), ("П", "g", true), ("с", "c", true), ("c", "С", true), ("в", "d", true), ("a", "A", true),
        ("ә", "ә", true), ("Ә", "ә", true), ("3", "3", true),
        ("і", "3", false), ("қ", "0", false), ("a", "b", false), ("п", "р", false), ("с", "s", false),
    ] as [(Character, Character, Bool)])
    func sameKey(_ a: Character, _ b: Character, _ expected: Bool) {
        #expect(KeyboardLayout.sameKey(a, b) == expected)
        #expect(KeyboardLayout.sameKey(b, a) == expected)
    }
}
