import Foundation

/// A date and time as a person types it: `2026-11-01T15:00`, `2026-11-01 15:00`,
/// `01.11.2026 15:00` (seconds optional), or a bare day (`2026-11-01`, `01.11.2026`,
/// meaning 00:00), optionally followed by an explicit offset (`Z`, `+05:00`, `+0500`, `+05`).
///
/// It is only syntax: turning it into an instant needs the database's time zone.
public struct LocalDateTime: Hashable, Sendable {
    public var day: LocalDay
    public var secondsOfDay: Int
    /// Seconds east of UTC when the text named an offset; nil means "local time".
    public var offsetSeconds: Int?
    /// True when the text named only a day.
    public var isDayOnly: Bool

    public init(day: LocalDay, secondsOfDay: Int = 0, offsetSeconds: Int? = nil, isDayOnly: Bool = false) {
        self.day = day
        self.secondsOfDay = secondsOfDay
        self.offsetSeconds = offsetSeconds
        self.isDayOnly = isDayOnly
    }

    /// Parses the forms above; nil for anything else.
    public init?(parsing raw: String) {
        var text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 40 else { return nil }
        var offset: Int?
        if text.hasSuffix("Z") || text.hasSuffix("z") {
            offset = 0
            text.removeLast()
        } else if let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }),
                  text[text.index(after: sign)...].allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":") }),
                  text[..<sign].contains(":") || text[..<sign].contains("T") || text[..<sign].contains(" ") {
            // An offset only follows a time, so "2026-11-01" keeps its dashes.
            let digits = text[text.index(after: sign)...].filter { $0 != ":" }
            guard [2, 4].contains(digits.count), let value = Int(digits) else { return nil }
            let hours = digits.count == 2 ? value : value / 100
            let minutes = digits.count == 2 ? 0 : value % 100
            guard hours <= 14, minutes < 60 else { return nil }
            offset = (text[sign] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
            text = String(text[..<sign])
        }
        text = text.trimmingCharacters(in: .whitespaces)
        let separators = text.firstIndex(where: { $0 == "T" || $0 == " " })
        let dayText = separators.map { String(text[..<$0]) } ?? text
        guard let day = LocalDay(parsing: dayText) else { return nil }
        guard let sep = separators else {
            guard offset == nil else { return nil }
            self.init(day: day, isDayOnly: true)
            return
        }
        let clock = text[text.index(after: sep)...].trimmingCharacters(in: .whitespaces)
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count),
              parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60
        else { return nil }
        let s = parts.count == 3 ? (Int(parts[2]) ?? 60) : 0
        guard s < 60 else { return nil }
        self.init(day: day, secondsOfDay: h * 3600 + m * 60 + s, offsetSeconds: offset)
    }

    /// The instant this names in `timeZone` (an explicit offset wins). A local time
    /// that a clock change skips is refused; one it repeats means its first occurrence.
    public func instant(in timeZone: TimeZone) throws(Refusal) -> Date {
        let naive = Double(day.ordinal) * 86_400 + Double(secondsOfDay)
        if let offsetSeconds { return Date(timeIntervalSince1970: naive - Double(offsetSeconds)) }
        let offsets = Set([-86_400.0, 0, 86_400].map {
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: naive + $0))
        })
        let matches = offsets
            .map { Date(timeIntervalSince1970: naive - Double($0)) }
            .filter { timeZone.secondsFromGMT(for: $0) == Int(naive - $0.timeIntervalSince1970) }
        guard let first = matches.min() else {
            throw .nonexistentLocalTime(text: description, timeZone: timeZone.identifier)
        }
        return first
    }
}

extension LocalDateTime: CustomStringConvertible {
    public var description: String {
        let h = secondsOfDay / 3600, m = secondsOfDay / 60 % 60, s = secondsOfDay % 60
        let clock = s == 0 ? String(format: "%02d:%02d", h, m) : String(format: "%02d:%02d:%02d", h, m, s)
        return isDayOnly ? day.iso : "\(day.iso) \(clock)"
    }
}

/// Formats instants the way the CLI and the screens show them.
public struct InstantFormat: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public func day(_ instant: Date) -> LocalDay { LocalDay(instant, in: timeZone) }

    /// `2026-11-01T15:00:00+05:00`: ISO 8601 with the zone's offset at that instant.
    public func iso(_ instant: Date) -> String {
        let offset = timeZone.secondsFromGMT(for: instant)
        let local = Int(saturating: (instant.timeIntervalSince1970 + Double(offset)).rounded(.down))
        let day = LocalDay(ordinal: Int(saturating: (Double(local) / 86_400).rounded(.down)))
        let secs = day.ordinal == Int(saturating: (Double(local) / 86_400).rounded(.down)) ? local - day.ordinal * 86_400 : 0
        let sign = offset < 0 ? "-" : "+"
        let abs = Swift.abs(offset)
        return day.iso + "T" + LocalDay.pad(secs / 3600, 2) + ":" + LocalDay.pad(secs / 60 % 60, 2) + ":"
            + LocalDay.pad(secs % 60, 2) + sign + LocalDay.pad(abs / 3600, 2) + ":" + LocalDay.pad(abs / 60 % 60, 2)
    }

    /// `01.11.2026 15:00`: the form people read.
    public func human(_ instant: Date) -> String {
        let offset = timeZone.secondsFromGMT(for: instant)
        let local = Int(saturating: (instant.timeIntervalSince1970 + Double(offset)).rounded(.down))
        let day = LocalDay(ordinal: Int(saturating: (Double(local) / 86_400).rounded(.down)))
        let secs = day.ordinal == Int(saturating: (Double(local) / 86_400).rounded(.down)) ? local - day.ordinal * 86_400 : 0
        return day.dotted + " " + LocalDay.pad(secs / 3600, 2) + ":" + LocalDay.pad(secs / 60 % 60, 2)
    }
}
