import Foundation
import OrderModel
import Scheduler
import Testing

/// `Scheduler.expires` counts calendar days without a `Calendar` away from a change of the zone's offset: it must
/// give exactly what the calendar gives, everywhere (whole and fractional seconds, every kind of zone, across the
/// changes of offset themselves).
@Suite("Expiry without a Calendar")
struct ExpiryArithmeticTests {
    static let zones = ["Asia/Almaty", "Asia/Aqtobe", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
                        "Australia/Lord_Howe", "America/Santiago", "Pacific/Apia", "Europe/Moscow"]

    /// What the rules say (RULES.md 1): the same clock time `termDays` calendar days later.
    static func calendarExpiry(_ served: Date, _ termDays: Int, _ zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(byAdding: .day, value: termDays, to: served) ?? served
    }

    @Test("equal to Calendar's day addition", arguments: zones)
    func equalToCalendar(_ identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let scheduler = Scheduler(rules: try RuleSet.kazakhstan(), timeZone: zone)
        var generator = SeededGenerator(seed: 13)
        var instants: [Double] = []
        // Random instants 1990-2040, whole and fractional seconds.
        for _ in 0..<3000 {
            let seconds = Double(Int.random(in: 631_152_000...2_208_988_800, using: &generator))
            instants.append(seconds)
            instants.append(seconds + Double(Int.random(in: 1...999_999, using: &generator)) / 1_000_000)
        }
        // Every hour for two days either side of each change of offset from 2000 to 2030, and its last second.
        var at = Date(timeIntervalSince1970: 946_684_800)
        while let change = zone.nextDaylightSavingTimeTransition(after: at), change.timeIntervalSince1970 < 1_893_456_000 {
            for hour in -48...48 { instants.append(change.timeIntervalSince1970 + Double(hour) * 3600) }
            instants.append(change.timeIntervalSince1970 - 0.5)
            at = change
        }
        for seconds in instants {
            let served = Date(timeIntervalSince1970: seconds)
            for termDays in [1, 10, 30, 180, 365, Int.random(in: 1...400, using: &generator)] {
                let expected = Self.calendarExpiry(served, termDays, zone)
                let got = scheduler.expires(served: served, termDays: termDays)
                #expect(got == expected, "\(identifier): \(seconds) + \(termDays) days: \(got.timeIntervalSince1970) ≠ \(expected.timeIntervalSince1970)")
                if got != expected { return }
            }
        }
    }
}
