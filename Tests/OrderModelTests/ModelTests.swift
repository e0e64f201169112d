import Foundation
import OrderModel
import Testing

let almaty = TimeZone(identifier: "Asia/Almaty")!
let berlin = TimeZone(identifier: "Europe/Berlin")!

@Suite("Calendar days")
struct LocalDayTests {
    @Test("parsing both written forms, refusing non-dates", arguments: [
        ("2026-11-01", "2026-11-01"), ("01.11.2026", "2026-11-01"), (" 29.02.2028 ", "2028-02-29"),
        ("29.02.2026", nil), ("2026-13-01", nil), ("2026-11-31", nil), ("0000-01-01", nil), ("1.11.26", nil),
        ("2026/11/01", nil), ("", nil), ("２０２６-11-01", nil), ("9999-12-31", "9999-12-31"),
    ] as [(String, String?)])
    func parse(_ text: String, _ expected: String?) {
        #expect(LocalDay(parsing: text)?.iso == expected)
    }

    @Test("arithmetic is whole days, across months, years and leap days")
    func arithmetic() throws {
        let d = try #require(LocalDay(parsing: "2028-02-27"))
        #expect((d + 3).iso == "2028-03-01")
        #expect((d - 58).iso == "2027-12-31")
        let dec = try #require(LocalDay(parsing: "2026-12-01")), nov = try #require(LocalDay(parsing: "2026-11-01"))
        #expect(dec - nov == 30)
        #expect(LocalDay(ordinal: 0).iso == "1970-01-01")
        #expect(d.dotted == "27.02.2028")
        #expect(d.short == "27.02")
    }

    @Test("the date of an instant depends on the zone")
    func zones() {
        let instant = Date(timeIntervalSince1970: 1_795_374_000)  // 2026-11-22 19:00 UTC
        #expect(LocalDay(instant, in: TimeZone(identifier: "UTC")!).iso == "2026-11-22")
        #expect(LocalDay(instant, in: almaty).iso == "2026-11-23")
        #expect(LocalDay(instant, in: TimeZone(identifier: "America/New_York")!).iso == "2026-11-22")
    }

    @Test("the start of a day is its local midnight")
    func start() throws {
        let day = try #require(LocalDay(parsing: "2026-11-23"))
        #expect(day.start(in: almaty) == Date(timeIntervalSince1970: 1_795_374_000))
    }
}

@Suite("Typed times")
struct LocalDateTimeTests {
    @Test("the forms people type, in the database's zone", arguments: [
        ("2026-11-01T15:00", "2026-11-01T10:00:00Z"), ("2026-11-01 15:00", "2026-11-01T10:00:00Z"),
        ("01.11.2026 15:00", "2026-11-01T10:00:00Z"), ("01.11.2026 15:00:30", "2026-11-01T10:00:30Z"),
        ("2026-11-01", "2026-10-31T19:00:00Z"), ("2026-11-01T15:00Z", "2026-11-01T15:00:00Z"),
        ("2026-11-01T15:00+05:00", "2026-11-01T10:00:00Z"), ("2026-11-01 15:00 +0300", "2026-11-01T12:00:00Z"),
        ("2026-11-01T15:00-04", "2026-11-01T19:00:00Z"),
    ])
    func parse(_ text: String, _ utc: String) throws {
        let typed = try #require(LocalDateTime(parsing: text))
        let expected = try #require(ISO8601DateFormatter().date(from: utc))
        #expect(try typed.instant(in: almaty) == expected)
    }

    @Test("what is not a time", arguments: ["", "yesterday", "2026-11-01 25:00", "2026-11-01 15:60", "2026-11-01 15",
                                            "2026-11-01 15:00+99:00", "2026-11-01+05:00", "15:00", "2026-11-01 5:00"])
    func reject(_ text: String) {
        #expect(LocalDateTime(parsing: text) == nil)
    }

    @Test("a time the clocks skip is refused; a repeated one means the first")
    func daylightSaving() throws {
        #expect(throws: Refusal.self) { try LocalDateTime(parsing: "2026-03-29 02:30")!.instant(in: berlin) }
        let repeated = try #require(LocalDateTime(parsing: "2026-10-25 02:30")).instant(in: berlin)
        #expect(repeated == ISO8601DateFormatter().date(from: "2026-10-25T00:30:00Z"))
    }
}

@Suite("Validation of typed fields")
struct ValidationTests {
    let rules = try! RuleSet.kazakhstan()

    func order(number: String = "ZP-1", survivor: String = "Айгерим", term: Int = 30, interval: Int = 7,
               kind: OrderKind = .protectiveOrder) -> Order {
        Order(number: number, kind: kind, issued: Date(timeIntervalSince1970: 0), termDays: term, checkIntervalDays: interval,
              survivor: Survivor(name: survivor), respondent: Respondent(name: "Ерлан"))
    }

    @Test("the shipped rule set is RULES.md's")
    func shipped() {
        let po = rules.kind(.protectiveOrder)
        #expect([po.termDays.min, po.termDays.max, po.termDays.default] as [Int] == [1, 30, 30])
        #expect([po.checkIntervalDays.min, po.checkIntervalDays.max, po.checkIntervalDays.default] as [Int] == [1, 7, 7])
        #expect(rules.kind(.specialRequirements).termDays.min == 90)
        #expect(rules.horizons.dueSoonDays == 1)
        #expect(rules.horizons.expiringDays == 3)
        #expect(rules.horizons.unservedGraceHours == 24)
        #expect(rules.horizons.futureToleranceMinutes == 5)
    }

    @Test("refused fields", arguments: [
        (Order?.none, "ZP-1", "", 30, 7, Refusal.emptyText(field: .survivorName)),
        (nil, "", "A", 30, 7, .emptyText(field: .orderNumber)),
        (nil, String(repeating: "9", count: 41), "A", 30, 7, .tooLong(field: .orderNumber, max: 40)),
        (nil, "ZP-1", "A\u{7}", 30, 7, .controlCharacters(field: .survivorName)),
        (nil, "ZP-1", "A\u{202e}", 30, 7, .controlCharacters(field: .survivorName)),
        (nil, "ZP\u{9b}1", "A", 30, 7, .controlCharacters(field: .orderNumber)),
        (nil, "ZP-1", "Айге\u{200B}рим", 30, 7, .invisibleCharacters(field: .survivorName)),
        (nil, "\u{FEFF}ZP-1", "A", 30, 7, .invisibleCharacters(field: .orderNumber)),
        (nil, "ZP-1", "A\u{2028}B", 30, 7, .invisibleCharacters(field: .survivorName)),
        (nil, "ZP-1", "A\u{2029}", 30, 7, .invisibleCharacters(field: .survivorName)),
        (nil, "ZP-1\u{E0041}", "A", 30, 7, .invisibleCharacters(field: .orderNumber)),
        (nil, "ZP-1", "A\u{E007F}", 30, 7, .invisibleCharacters(field: .survivorName)),
        (nil, "ZP-1", "A", 0, 7, .termOutOfRange(kind: .protectiveOrder, value: 0, min: 1, max: 30)),
        (nil, "ZP-1", "A", 31, 7, .termOutOfRange(kind: .protectiveOrder, value: 31, min: 1, max: 30)),
        (nil, "ZP-1", "A", 30, 8, .intervalOutOfRange(kind: .protectiveOrder, value: 8, min: 1, max: 7)),
        (nil, "ZP-1", "A", 30, 0, .intervalOutOfRange(kind: .protectiveOrder, value: 0, min: 1, max: 7)),
    ] as [(Order?, String, String, Int, Int, Refusal)])
    func refused(_: Order?, number: String, survivor: String, term: Int, interval: Int, expected: Refusal) {
        #expect(throws: expected) { try order(number: number, survivor: survivor, term: term, interval: interval).validated(rules: rules) }
    }

    @Test("accepted fields are trimmed; Cyrillic and Kazakh letters pass")
    func accepted() throws {
        let o = try order(number: "  ЗП-7 ", survivor: " Әсел Қайратқызы ", term: 1, interval: 1).validated(rules: rules)
        #expect(o.number == "ЗП-7")
        #expect(o.survivor.name == "Әсел Қайратқызы")
        #expect(Order.numberKey(" зп-7") == Order.numberKey("ЗП-7 "))
        _ = try order(term: 366, interval: 31, kind: .specialRequirements).validated(rules: rules)
    }
}
