import Testing
@testable import Terminal

@Suite struct TextWidthTests {
    @Test(arguments: [
        ("", 0), ("abc", 3), ("Нұрсұлтан", 9), ("ҚӨҮҰҒӘІҢҺ", 9), ("қөүұғәіңһ", 9),
        ("王", 2), ("王王", 4), ("日本語abc", 9), ("e\u{301}", 1), ("Ὀδυσσεύς", 8),
        ("😀", 2), ("\u{1B}[2J", 4), ("a\tb", 3), ("\u{202E}", 1), ("\u{0}", 1),
    ])
    func width(text: String, expected: Int) {
        #expect(TextWidth.width(of: text) == expected)
    }

    @Test(arguments: ["plain", "\u{1B}[31mred", "x\u{202E}y", "\u{85}\u{7F}", "Қ\r\n王"])
    func widthMatchesWhatIsShown(text: String) {
        #expect(TextWidth.width(of: text) == TextWidth.width(of: SafeText.display(text)))
    }

    @Test(arguments: [
        ("abc", 3, "abc"), ("abcd", 3, "ab…"), ("abcd", 1, "…"), ("abcd", 0, ""), ("abcd", -4, ""),
        ("王王王", 4, "王…"), ("王王王", 5, "王王…"), ("王王王", 6, "王王王"), ("王", 1, "…"),
        ("Нұрсұлтан", 5, "Нұрс…"), ("e\u{301}e\u{301}e", 2, "e\u{301}…"),
    ])
    func truncate(text: String, width: Int, expected: String) {
        #expect(TextWidth.truncate(text, toWidth: width) == expected)
    }

    @Test(arguments: ["", "a", "Нұрсұлтан Әбдіқадыр", "王王王王王", "a王b王c", "😀x😀", "e\u{301}\u{302}王"],
          Array(-1...12))
    func truncateAndPadStayWithinWidthAndKeepWholeCharacters(text: String, width: Int) {
        let cut = TextWidth.truncate(text, toWidth: width)
        #expect(TextWidth.width(of: cut) <= max(width, 0))
        let kept = cut.hasSuffix("…") && cut != text ? String(cut.unicodeScalars.dropLast()) : cut
        #expect(text.unicodeScalars.starts(with: kept.unicodeScalars))
        #expect(TextWidth.width(of: TextWidth.pad(text, toWidth: width)) == max(width, 0))
    }

    @Test func padFillsWithSpaces() {
        #expect(TextWidth.pad("王", toWidth: 5) == "王   ")
        #expect(TextWidth.pad("Қ", toWidth: 3) == "Қ  ")
        #expect(TextWidth.pad("王王", toWidth: 3) == "王…")
        #expect(TextWidth.pad("王王王", toWidth: 4) == "王… ")
    }
}

@Suite struct SafeTextTests {
    @Test(arguments: [
        ("\u{1B}[2J", "␛[2J"), ("a\u{202E}b", "a�b"), ("\u{0}", "␀"), ("a\tb", "a␉b"),
        ("\r\n", "␍␊"), ("\u{85}x\u{9F}", "�x�"), ("\u{7F}", "␡"), ("\u{2066}x\u{2069}", "�x�"),
        ("\u{200E}\u{200F}\u{61C}", "���"), ("\u{202A}\u{202B}\u{202C}\u{202D}", "����"),
    ])
    func replacesControls(text: String, expected: String) {
        #expect(SafeText.display(text) == expected)
    }

    @Test(arguments: ["Нұрсұлтан", "Қ Ө Ү Ұ Ғ Ә І Ң Һ", "王王", "«Қорғау» — 2024…", "e\u{301}", "😀", ""])
    func passesSafeTextThrough(text: String) {
        #expect(SafeText.display(text) == text)
    }

    @Test func nothingUnsafeSurvives() {
        let everything = String(String.UnicodeScalarView((0...0x2100).compactMap(Unicode.Scalar.init)))
        let unsafe = SafeText.display(everything).unicodeScalars.filter {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x200E, 0x200F, 0x61C].contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
        #expect(unsafe.isEmpty)
    }
}
