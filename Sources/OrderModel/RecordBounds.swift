import Foundation

/// The bounds a value read back from a store must keep to be believed. What the program writes always
/// keeps them; a value outside them was written by someone else (`sqlite3` on the file, a restored dump
/// on a server), and its order is reported damaged instead of being computed with.
public enum RecordBounds {
    /// The earliest instant believed: 0001-01-01 00:00 UTC, less a day for any zone's offset. The
    /// program admits any day its parser reads (years 1 to 9999), so these are the bounds of what it can
    /// have written; well inside them, no day arithmetic overflows and `Calendar` is never asked the absurd.
    public static let earliest: Double = -62_135_596_800 - 86_400
    /// The first instant no longer believed: 10000-01-01 00:00 UTC, plus a day.
    public static let latest: Double = 253_402_300_800 + 86_400

    /// The instant of `seconds` since 1970, or nil when it is not finite or lies outside years 1–9999.
    public static func instant(_ seconds: Double) -> Date? {
        seconds.isFinite && seconds >= earliest && seconds < latest ? Date(timeIntervalSince1970: seconds) : nil
    }
}

extension Int {
    /// `value` truncated as `Int(_:)` does, but held within `Int`'s range (NaN is 0): a conversion that cannot trap.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.2e18 {
            self = Int.max
        } else if value <= -9.2e18 {
            self = Int.min
        } else {
            self = Int(value)
        }
    }
}
