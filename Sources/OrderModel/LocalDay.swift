import Foundation

/// A calendar date in the database's time zone: never a `Date` at midnight.
///
/// Stored as the number of days since 1970-01-01 (proleptic Gregorian), so that
/// day arithmetic is integer arithmetic and needs no `Calendar`.
public struct LocalDay: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01.
    public let ordinal: Int

    /// The days a `LocalDay` can be: about 2.7 million years either side of 1970. Arithmetic saturates at
    /// its ends, so that a value read from a damaged record (a term of `Int.max` days) cannot trap.
    public static let ordinals = -1_000_000_000...1_000_000_000

    public init(ordinal: Int) { self.ordinal = min(max(ordinal, LocalDay.ordinals.lowerBound), LocalDay.ordinals.upperBound) }

    /// A valid date, or nil (31.02, month 13, year 0 and years past 9999 are not dates here).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDay.daysIn(month: month, year: year)).contains(day) else { return nil }
        ordinal = LocalDay.daysFromCivil(year: year, month: month, day: day)
    }

    /// The local calendar date of `instant` in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let seconds = instant.timeIntervalSince1970
        let offset = seconds.isFinite && abs(seconds) < 1e15 ? timeZone.secondsFromGMT(for: instant) : 0
        self.init(ordinal: Int(saturating: ((seconds + Double(offset)) / 86_400).rounded(.down)))
    }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    public var components: (year: Int, month: Int, day: Int) { LocalDay.civil(fromDays: ordinal) }

    public static func < (a: LocalDay, b: LocalDay) -> Bool { a.ordinal < b.ordinal }
    public static func + (day: LocalDay, days: Int) -> LocalDay { LocalDay(ordinal: saturating(day.ordinal, plus: days)) }
    public static func - (day: LocalDay, days: Int) -> LocalDay {
        LocalDay(ordinal: saturating(day.ordinal, plus: days == .min ? .max : -days))
    }
    /// Whole calendar days from `b` to `a` (both within `ordinals`, so this never overflows).
    public static func - (a: LocalDay, b: LocalDay) -> Int { a.ordinal - b.ordinal }

    private static func saturating(_ a: Int, plus b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `2026-11-01`: the form used in files, JSON and CSV.
    public var iso: String {
        let c = components
        return LocalDay.pad(c.year, 4) + "-" + LocalDay.pad(c.month, 2) + "-" + LocalDay.pad(c.day, 2)
    }

    /// `01.11.2026`: the form people in Kazakhstan write.
    public var dotted: String {
        let c = components
        return LocalDay.pad(c.day, 2) + "." + LocalDay.pad(c.month, 2) + "." + LocalDay.pad(c.year, 4)
    }

    /// `01.11`: the short form used in reasons.
    public var short: String {
        let c = components
        return LocalDay.pad(c.day, 2) + "." + LocalDay.pad(c.month, 2)
    }

    /// Parses `2026-11-01` or `01.11.2026`; nil for anything else.
    public init?(parsing text: String) {
        if let day = LocalDay.isoFast(text) {
            self = day
            return
        }
        let t = text.trimmingCharacters(in: .whitespaces)
        let iso = t.split(separator: "-", omittingEmptySubsequences: false)
        let dotted = t.split(separator: ".", omittingEmptySubsequences: false)
        let parts: [Substring]
        let order: (y: Int, m: Int, d: Int)
        if iso.count == 3, iso[0].count == 4 {
            parts = iso; order = (0, 1, 2)
        } else if dotted.count == 3, dotted[2].count == 4 {
            parts = dotted; order = (2, 1, 0)
        } else {
            return nil
        }
        guard parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[order.y]), let m = Int(parts[order.m]), let d = Int(parts[order.d])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The first instant of this day in `timeZone` (local midnight, or the first
    /// existing instant where a clock change skips midnight).
    public func start(in timeZone: TimeZone) -> Date {
        let approx = Double(ordinal) * 86_400
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: approx))
        let guess = Date(timeIntervalSince1970: approx - Double(offset))
        if timeZone.secondsFromGMT(for: guess.addingTimeInterval(-43_200)) == offset,
           timeZone.secondsFromGMT(for: guess.addingTimeInterval(43_200)) == offset {
            return guess
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = components
        let noon = calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day, hour: 12))
            ?? Date(timeIntervalSince1970: Double(ordinal) * 86_400)
        return calendar.startOfDay(for: noon)
    }

    /// `2026-11-01` exactly, from its bytes: what the file stores, read without Foundation.
    static func isoFast(_ text: String) -> LocalDay? {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == 45, u[7] == 45 else { return nil }
        var n = [Int]()
        for i in [0, 1, 2, 3, 5, 6, 8, 9] {
            guard u[i] >= 48, u[i] <= 57 else { return nil }
            n.append(Int(u[i] - 48))
        }
        return LocalDay(year: n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3], month: n[4] * 10 + n[5], day: n[6] * 10 + n[7])
    }

    /// `n` in decimal with leading zeros to `width` digits (non-negative `n`).
    public static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension LocalDay: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = LocalDay(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

extension LocalDay: CustomStringConvertible {
    public var description: String { iso }
}
