import Foundation
import OrderModel
import Scheduler
import Testing

// One table per rule of RULES.md. Unless a row says otherwise: Asia/Almaty, order ZP-1
// issued 01.11.2026 09:00, served 01.11.2026 15:00, term 30 days (expires 01.12.2026 15:00),
// check interval 7 days (first due date 08.11).

/// Counted checks all on time (due 08.11, 13.11... 20.11, 24.11) ending on 24.11: the next due
/// date is 01.12, the day the order ends at 15:00.
let onTimeTo24th = [ok("2026-11-06 10:00"), ok("2026-11-13 10:00"), ok("2026-11-17 10:00"), ok("2026-11-24 10:00")]

// MARK: - Rule 1: expiry at the same local clock time

struct ExpiryRow: Sendable, CustomTestStringConvertible {
    var name: String
    var zone: String
    var served: String
    var term: Int
    var expires: String
    /// Hours from service to expiry: 24 * term unless the clocks change in between.
    var hours: Int

    var testDescription: String { name }
}

@Suite("Rule 1: expiry")
struct ExpiryTests {
    static let rows: [ExpiryRow] = [
        ExpiryRow(name: "30 days, same clock time", zone: "Asia/Almaty", served: "2026-11-01 15:00", term: 30,
                  expires: "2026-12-01 15:00", hours: 720),
        ExpiryRow(name: "term 1", zone: "Asia/Almaty", served: "2026-11-01 15:00", term: 1,
                  expires: "2026-11-02 15:00", hours: 24),
        ExpiryRow(name: "across the end of a leap February", zone: "Asia/Almaty", served: "2028-02-10 09:30", term: 20,
                  expires: "2028-03-01 09:30", hours: 480),
        ExpiryRow(name: "across the new year, one minute before midnight", zone: "Asia/Almaty",
                  served: "2026-12-20 23:59", term: 30, expires: "2027-01-19 23:59", hours: 720),
        ExpiryRow(name: "UTC, served at midnight", zone: "UTC", served: "2026-11-01 00:00", term: 30,
                  expires: "2026-12-01 00:00", hours: 720),
        ExpiryRow(name: "Berlin, clocks go forward during the term: local time kept, 719 h", zone: "Europe/Berlin",
                  served: "2026-03-20 10:00", term: 30, expires: "2026-04-19 10:00", hours: 719),
        ExpiryRow(name: "Berlin, clocks go back during the term: local time kept, 721 h", zone: "Europe/Berlin",
                  served: "2026-10-10 15:00", term: 30, expires: "2026-11-09 15:00", hours: 721),
        ExpiryRow(name: "New York, clocks go back during the term", zone: "America/New_York",
                  served: "2026-10-20 23:30", term: 30, expires: "2026-11-19 23:30", hours: 721),
        ExpiryRow(name: "New York, term 1 over the spring change lasts 23 h", zone: "America/New_York",
                  served: "2026-03-07 12:00", term: 1, expires: "2026-03-08 12:00", hours: 23),
    ]

    @Test(arguments: rows)
    func expiresAtTheSameLocalClockTime(_ row: ExpiryRow) throws {
        let tz = Zone.named(row.zone)
        let s = scheduler(tz)
        let served = at(row.served, tz)
        let expected = at(row.expires, tz)
        let expires = s.expires(served: served, termDays: row.term)
        #expect(expires == expected)
        #expect(Int(expires.timeIntervalSince(served)) == row.hours * 3600)

        let order = makeOrder(issued: served, served: served, term: row.term, interval: 1)
        let timeline = s.timeline(of: OrderHistory(order: order), asOf: served)
        #expect(timeline.expires == expected)
        #expect(timeline.ends == expected)
        #expect(s.status(of: order, asOf: expected.addingTimeInterval(-1)) == .active)
        #expect(s.status(of: order, asOf: expected) == .expired)
    }
}

// MARK: - Rule 1: in effect

@Suite("Rule 1: in effect")
struct InEffectTests {
    static let rows: [Row] = [
        Row(name: "the served instant itself is in effect", asOf: "2026-11-01 15:00", status: .active),
        Row(name: "one second before service: not yet", asOf: "2026-11-01 14:59:59", status: .unserved),
        Row(name: "last second before expiry is in effect", asOf: "2026-12-01 14:59:59", status: .active),
        Row(name: "ends itself is not in effect", asOf: "2026-12-01 15:00", status: .expired),
        Row(name: "never served: not in effect, term not started", served: nil, asOf: "2026-12-20 10:00",
            status: .unserved, due: "-", missed: [], alerts: [unservedAlert()]),
        Row(name: "served later than the as-of instant: unserved as of it", served: "2026-11-03 10:00",
            asOf: "2026-11-02 10:00", status: .unserved, due: "-", missed: []),
        Row(name: "the revocation instant ends it", revoked: "2026-11-10 12:00", asOf: "2026-11-10 12:00",
            status: .revoked),
        Row(name: "one second before revocation: still in effect", revoked: "2026-11-10 12:00",
            asOf: "2026-11-10 11:59:59", status: .active),
        Row(name: "revoked before service", served: nil, revoked: "2026-11-01 12:00", asOf: "2026-11-01 13:00",
            status: .revoked),
        Row(name: "Berlin, clocks went back: in effect until 15:00 local", zone: "Europe/Berlin",
            issued: "2026-10-10 09:00", served: "2026-10-10 15:00", asOf: "2026-11-09 14:59", status: .active),
        Row(name: "Berlin, clocks went back: over at 15:00 local", zone: "Europe/Berlin",
            issued: "2026-10-10 09:00", served: "2026-10-10 15:00", asOf: "2026-11-09 15:00", status: .expired),
    ]

    @Test(arguments: rows)
    func inEffect(_ row: Row) { verify(row) }
}

// MARK: - Rules 2 to 4 and 10: due dates, enforcement, missed checks

@Suite("Rules 2-4, 10: due dates and missed checks")
struct DueDateTests {
    static let rows: [Row] = [
        Row(name: "anchor is the date of service: first due 08.11", asOf: "2026-11-05 12:00",
            due: "2026-11-08", missed: []),
        Row(name: "served late in the evening: that date is still the anchor", served: "2026-11-01 23:50",
            asOf: "2026-11-02 10:00", due: "2026-11-08", missed: []),
        Row(name: "a check on the service day keeps the anchor", checks: [ok("2026-11-01 16:00")],
            asOf: "2026-11-02 10:00", due: "2026-11-08", missed: []),
        Row(name: "a counted check moves the anchor", checks: [ok("2026-11-06 10:00")],
            asOf: "2026-11-07 10:00", due: "2026-11-13", missed: []),
        Row(name: "a check on the due date is on time (23:59)", checks: [ok("2026-11-08 23:59")],
            asOf: "2026-11-10 10:00", due: "2026-11-15", missed: []),
        Row(name: "a check the day after the due date is a missed check (00:00)", checks: [ok("2026-11-09 00:00")],
            asOf: "2026-11-10 10:00", due: "2026-11-16", missed: [Missed("2026-11-08", "2026-11-09", 1)]),
        Row(name: "due date not passed at 23:59:59 of it", asOf: "2026-11-08 23:59:59",
            due: "2026-11-08", missed: []),
        Row(name: "due date passed at the midnight ending it: open gap", asOf: "2026-11-09 00:00",
            due: "2026-11-08", missed: [Missed("2026-11-08", nil, 1)]),
        Row(name: "not-located does not move the due date", checks: [notLocated("2026-11-06 10:00")],
            asOf: "2026-11-07 10:00", due: "2026-11-08", missed: []),
        Row(name: "not-located does not end a gap", checks: [notLocated("2026-11-09 10:00")],
            asOf: "2026-11-10 10:00", due: "2026-11-08", missed: [Missed("2026-11-08", nil, 2)]),
        Row(name: "a breach outcome counts", checks: [breachCheck("2026-11-06 10:00")],
            asOf: "2026-11-07 10:00", due: "2026-11-13", missed: []),
        Row(name: "a breach outcome ends a gap", checks: [breachCheck("2026-11-10 10:00")],
            asOf: "2026-11-11 10:00", due: "2026-11-17", missed: [Missed("2026-11-08", "2026-11-10", 2)]),
        Row(name: "several attempts in one day: the counted ones count", checks: [
            ok("2026-11-06 09:00"), notLocated("2026-11-06 18:00"), ok("2026-11-06 20:00"),
        ], asOf: "2026-11-07 10:00", due: "2026-11-13", missed: []),
        Row(name: "stricter interval 3: on the due date, then a gap", interval: 3, checks: [ok("2026-11-04 10:00")],
            asOf: "2026-11-08 10:00", due: "2026-11-07", missed: [Missed("2026-11-07", nil, 1)]),
        Row(name: "interval 1: a check every day", interval: 1, checks: [ok("2026-11-02 10:00"), ok("2026-11-03 10:00")],
            asOf: "2026-11-05 10:00", due: "2026-11-04", missed: [Missed("2026-11-04", nil, 1)]),
        Row(name: "one gap is reported once, however long", checks: [ok("2026-11-25 10:00")],
            asOf: "2026-11-26 10:00", missed: [Missed("2026-11-08", "2026-11-25", 17)]),
        Row(name: "two gaps, two entries", checks: [ok("2026-11-10 10:00"), ok("2026-11-20 10:00")],
            asOf: "2026-11-21 10:00", due: "2026-11-27",
            missed: [Missed("2026-11-08", "2026-11-10", 2), Missed("2026-11-17", "2026-11-20", 3)]),
        Row(name: "open gap during the term: daysLate counts to the date of T", asOf: "2026-11-20 12:00",
            due: "2026-11-08", missed: [Missed("2026-11-08", nil, 12)]),
        Row(name: "a check after the as-of instant is not known yet", checks: [ok("2026-11-10 10:00")],
            asOf: "2026-11-10 09:00", due: "2026-11-08", missed: [Missed("2026-11-08", nil, 2)]),
        Row(name: "order ended with a gap open: daysLate counts to the date of ends", asOf: "2026-12-20 10:00",
            status: .expired, missed: [Missed("2026-11-08", nil, 23)]),
        Row(name: "missed checks stay in the history long after the end",
            checks: [ok("2026-11-06 10:00"), ok("2026-11-13 10:00")], asOf: "2027-06-01 10:00",
            status: .expired, missed: [Missed("2026-11-20", nil, 11)]),
        Row(name: "revoked with a gap open: daysLate counts to the revocation date", revoked: "2026-11-12 10:00",
            asOf: "2026-11-30 10:00", status: .revoked, missed: [Missed("2026-11-08", nil, 4)]),
        Row(name: "facts entered late: revoked 05.11, a check recorded 06.11 counts for nothing, no gap after the end",
            revoked: "2026-11-05 12:00", checks: [ok("2026-11-06 10:00")], asOf: "2026-11-30 10:00", status: .revoked,
            missed: []),
        Row(name: "facts entered late: revoked 12.11 after a missed 08.11; a check on 13.11 does not close that gap",
            revoked: "2026-11-12 10:00", checks: [ok("2026-11-13 10:00")], asOf: "2026-11-30 10:00", status: .revoked,
            missed: [Missed("2026-11-08", nil, 4)]),
        Row(name: "revoked on the due date: that due date is not enforced", revoked: "2026-11-08 10:00",
            asOf: "2026-11-20 10:00", status: .revoked, missed: []),
        Row(name: "revoked the morning after the due date: it was enforced", revoked: "2026-11-09 08:00",
            asOf: "2026-11-20 10:00", status: .revoked, missed: [Missed("2026-11-08", nil, 1)]),
        Row(name: "ends exactly at the midnight ending the due date: not enforced", served: "2026-11-01 00:00",
            term: 8, asOf: "2026-11-20 10:00", status: .expired, missed: []),
        Row(name: "ends one minute after that midnight: enforced", served: "2026-11-01 00:01", term: 8,
            asOf: "2026-11-20 10:00", status: .expired, missed: [Missed("2026-11-08", nil, 1)]),
        Row(name: "a due date on the day the order ends demands no check", checks: onTimeTo24th,
            asOf: "2026-12-05 10:00", status: .expired, missed: []),
        Row(name: "no enforced due date left in the last partial window", checks: onTimeTo24th,
            asOf: "2026-11-25 10:00", status: .active, due: "-", missed: []),
        Row(name: "special requirements: interval 30, two days late", kind: .specialRequirements, term: 180,
            interval: 30, checks: [ok("2026-12-03 10:00")], asOf: "2026-12-04 10:00",
            due: "2027-01-02", missed: [Missed("2026-12-01", "2026-12-03", 2)]),
    ]

    @Test(arguments: rows)
    func dueDatesAndMissedChecks(_ row: Row) { verify(row) }
}

// MARK: - Rule 4: enforcement

struct EnforcedRow: Sendable, CustomTestStringConvertible {
    var name: String
    var zone = "Asia/Almaty"
    var due: String
    var ends: String
    var enforced: Bool
    var testDescription: String { name }
}

@Suite("Rule 4: enforcement")
struct EnforcementTests {
    static let rows: [EnforcedRow] = [
        EnforcedRow(name: "worked example: 30.11 enforced, order ends 01.12 15:00", due: "2026-11-30",
                    ends: "2026-12-01 15:00", enforced: true),
        EnforcedRow(name: "worked example: 01.12 not enforced", due: "2026-12-01", ends: "2026-12-01 15:00",
                    enforced: false),
        EnforcedRow(name: "ends exactly at the midnight ending the due date", due: "2026-11-30",
                    ends: "2026-12-01 00:00", enforced: false),
        EnforcedRow(name: "ends one second after that midnight", due: "2026-11-30", ends: "2026-12-01 00:00:01",
                    enforced: true),
        EnforcedRow(name: "a due date after the end", due: "2026-12-05", ends: "2026-12-01 15:00", enforced: false),
        EnforcedRow(name: "Berlin: the night the clocks go forward, ends 03:30", zone: "Europe/Berlin",
                    due: "2026-03-28", ends: "2026-03-29 03:30", enforced: true),
        EnforcedRow(name: "Berlin: ends at the midnight before the clocks go forward", zone: "Europe/Berlin",
                    due: "2026-03-28", ends: "2026-03-29 00:00", enforced: false),
        EnforcedRow(name: "New York: the night the clocks go back, ends 00:30", zone: "America/New_York",
                    due: "2026-10-31", ends: "2026-11-01 00:30", enforced: true),
    ]

    @Test(arguments: rows)
    func enforced(_ row: EnforcedRow) {
        let tz = Zone.named(row.zone)
        #expect(scheduler(tz).isEnforced(day(row.due), ends: at(row.ends, tz)) == row.enforced)
    }
}

// MARK: - Rules 5 to 9: alerts of one order

@Suite("Rules 5-9: alerts")
struct AlertTests {
    static let rows: [Row] = [
        // check-due and check-overdue
        Row(name: "due in 2 days: no alert", asOf: "2026-11-06 23:59", alerts: []),
        Row(name: "due tomorrow: check-due", asOf: "2026-11-07 00:00", alerts: [dueSoon(1, due: "2026-11-08")]),
        Row(name: "due today: check-due", asOf: "2026-11-08 10:00", alerts: [dueSoon(0, due: "2026-11-08")]),
        Row(name: "due today, last second: still check-due", asOf: "2026-11-08 23:59:59",
            alerts: [dueSoon(0, due: "2026-11-08")]),
        Row(name: "the midnight after the due date: 1 day overdue", asOf: "2026-11-09 00:00",
            alerts: [overdue(1, due: "2026-11-08")]),
        Row(name: "overdue counts calendar days", asOf: "2026-11-12 23:59", alerts: [overdue(4, due: "2026-11-08")]),
        Row(name: "not-located does not stop the overdue alert", checks: [notLocated("2026-11-10 10:00")],
            asOf: "2026-11-10 12:00", alerts: [overdue(2, due: "2026-11-08")]),
        Row(name: "a check ends the overdue alert at once", checks: [ok("2026-11-10 10:00")],
            asOf: "2026-11-10 12:00", alerts: []),
        Row(name: "stricter interval 3: due tomorrow the day after service", interval: 3,
            asOf: "2026-11-03 08:00", alerts: [dueSoon(1, due: "2026-11-04")]),
        Row(name: "interval 1: due tomorrow right after service", interval: 1, asOf: "2026-11-01 16:00",
            alerts: [dueSoon(1, due: "2026-11-02")]),
        Row(name: "the unenforced due date of the last window gives no check-due", checks: onTimeTo24th,
            asOf: "2026-11-30 10:00", alerts: [expiring(1)]),
        Row(name: "nor check-overdue on its day", checks: onTimeTo24th, asOf: "2026-12-01 10:00",
            alerts: [expiring(0)]),
        // expiring
        Row(name: "4 days left: not expiring", checks: onTimeTo24th, asOf: "2026-11-27 23:59",
            alerts: []),
        Row(name: "3 days left: expiring", checks: onTimeTo24th, asOf: "2026-11-28 00:00",
            alerts: [expiring(3)]),
        Row(name: "last day before ends: expiring today", checks: onTimeTo24th,
            asOf: "2026-12-01 14:59", alerts: [expiring(0)]),
        Row(name: "at ends: nothing", checks: onTimeTo24th, asOf: "2026-12-01 15:00", alerts: []),
        Row(name: "expired with a gap open: no overdue alert", asOf: "2026-12-02 10:00", alerts: []),
        Row(name: "overdue and expiring together, overdue first", checks: [ok("2026-11-16 10:00")],
            asOf: "2026-11-28 00:00", alerts: [overdue(5, due: "2026-11-23"), expiring(3)]),
        Row(name: "check-due and expiring together", checks: [ok("2026-11-21 10:00")], asOf: "2026-11-27 10:00",
            alerts: [dueSoon(1, due: "2026-11-28")]),
        Row(name: "check-due and expiring together, next day", checks: [ok("2026-11-21 10:00")],
            asOf: "2026-11-28 10:00", alerts: [dueSoon(0, due: "2026-11-28"), expiring(3)]),
        Row(name: "revoked order: no alerts", revoked: "2026-11-12 10:00", asOf: "2026-11-20 10:00", alerts: []),
        // unserved
        Row(name: "unserved after exactly 24 h", served: nil, asOf: "2026-11-02 09:00", alerts: [unservedAlert()]),
        Row(name: "unserved after 23 h 59 min: no alert yet", served: nil, asOf: "2026-11-02 08:59", alerts: []),
        Row(name: "unserved: no check or expiry alert, however long", served: nil, asOf: "2026-11-30 09:00",
            alerts: [unservedAlert()]),
        Row(name: "served later than T: unserved as of T", served: "2026-11-03 10:00", asOf: "2026-11-02 10:00",
            alerts: [unservedAlert()]),
        Row(name: "revoked unserved order: no alert", served: nil, revoked: "2026-11-01 12:00",
            asOf: "2026-11-05 10:00", alerts: []),
        // open breaches
        Row(name: "open breach", breaches: [openBreach("2026-11-05 12:00")], asOf: "2026-11-06 10:00",
            alerts: [breachOpen()]),
        Row(name: "closed breach: no alert", breaches: [closedBreach("2026-11-05 12:00", "2026-11-05 18:00")],
            asOf: "2026-11-06 10:00", alerts: []),
        Row(name: "breach closed after T is still open as of T",
            breaches: [closedBreach("2026-11-05 12:00", "2026-11-07 10:00")], asOf: "2026-11-06 10:00",
            alerts: [breachOpen()]),
        Row(name: "breach after T is not known yet", breaches: [openBreach("2026-11-07 12:00")],
            asOf: "2026-11-06 10:00", alerts: []),
        Row(name: "a breach check and its breach record", checks: [breachCheck("2026-11-05 12:00")],
            breaches: [openBreach("2026-11-05 12:00")], asOf: "2026-11-06 10:00", alerts: [breachOpen()]),
        Row(name: "two open breaches, two alerts, before the overdue one",
            breaches: [openBreach("2026-11-03 12:00"), openBreach("2026-11-04 12:00")], asOf: "2026-11-10 10:00",
            alerts: [breachOpen(), breachOpen(), overdue(2, due: "2026-11-08")]),
        Row(name: "facts entered late: a breach recorded after the revocation's date still alerts while open",
            revoked: "2026-11-05 12:00", breaches: [openBreach("2026-11-07 12:00")], asOf: "2026-11-10 10:00",
            alerts: [breachOpen()]),
        Row(name: "an open breach on an expired order still alerts", checks: onTimeTo24th,
            breaches: [openBreach("2026-11-20 12:00")], asOf: "2026-12-10 10:00", alerts: [breachOpen()]),
    ]

    @Test(arguments: rows)
    func alertsOfOneOrder(_ row: Row) { verify(row) }

    @Test func unservedAlertIsExactlyAtTheGraceHours() {
        let s = scheduler()
        let issued = at("2026-11-01 09:00")
        let h = OrderHistory(order: makeOrder(issued: issued))
        #expect(s.alerts(for: [h], asOf: issued.addingTimeInterval(24 * 3600 - 1)).isEmpty)
        #expect(s.alerts(for: [h], asOf: issued.addingTimeInterval(24 * 3600)).map(\.kind) == [.unserved])
    }
}

// MARK: - Alert order on the daily screen

@Suite("Alert order")
struct AlertOrderTests {
    /// As of 20.11.2026 10:00, Almaty.
    static func histories() -> [OrderHistory] {
        func served(_ number: String, _ id: Int64, _ servedAt: String, checks: [CheckSpec] = [],
                    breaches: [String] = []) -> OrderHistory {
            let s = at(servedAt)
            let order = makeOrder(number, issued: s.addingTimeInterval(-3600), served: s, id: id)
            return OrderHistory(order: order,
                                checks: checks.map { makeCheck(at($0.at), $0.outcome, orderID: id) },
                                breaches: breaches.map { makeBreach(at($0), orderID: id, id: id) })
        }
        return [
            // expiring: expires 22.11 12:00 (2 days); last check 19.11, next due 26.11 (after the end).
            served("ZP-7", 7, "2026-10-23 12:00", checks: [ok("2026-11-19 10:00")]),
            // check-due today.
            served("ZP-6", 6, "2026-11-13 12:00"),
            // check-due tomorrow; ties with ZP-6 by kind, so by number: ZP-0 first.
            served("ZP-0", 8, "2026-11-14 12:00"),
            // unserved for 49 hours.
            OrderHistory(order: makeOrder("ZP-4", issued: at("2026-11-18 09:00"), id: 4)),
            // check-overdue 2 days (due 18.11), twice: ZP-1 before ZP-3.
            served("ZP-3", 3, "2026-11-11 12:00"),
            served("ZP-1", 1, "2026-11-11 12:00"),
            // check-overdue 7 days (due 13.11): before the 2-day ones despite its number.
            served("ZP-2", 2, "2026-11-01 15:00", checks: [ok("2026-11-06 10:00")]),
            // breach-open; its breach check moved the due date to 22.11 (no check alert).
            served("ZP-5", 5, "2026-11-10 12:00", checks: [breachCheck("2026-11-15 12:00")],
                   breaches: ["2026-11-15 12:00"]),
        ]
    }

    @Test func dailyScreenOrder() {
        let alerts = scheduler().alerts(for: Self.histories(), asOf: at("2026-11-20 10:00")).map(AlertFacts.init)
        #expect(alerts == [
            breachOpen("ZP-5"),
            overdue(7, due: "2026-11-13", "ZP-2"),
            overdue(2, due: "2026-11-18", "ZP-1"),
            overdue(2, due: "2026-11-18", "ZP-3"),
            unservedAlert("ZP-4"),
            dueSoon(1, due: "2026-11-21", "ZP-0"),
            dueSoon(0, due: "2026-11-20", "ZP-6"),
            expiring(2, "ZP-7"),
        ])
    }

    @Test func orderDoesNotDependOnInputOrder() {
        let s = scheduler()
        let t = at("2026-11-20 10:00")
        let forward = s.alerts(for: Self.histories(), asOf: t)
        let backward = s.alerts(for: Self.histories().reversed(), asOf: t)
        #expect(forward == backward)
    }
}

// MARK: - Rules 9, 10: the supervisor's violations list

struct ViolationRow: Sendable, CustomTestStringConvertible {
    var name: String
    var from: String
    var to: String
    var asOf: String
    var expected: [String]
    var testDescription: String { name }
}

@Suite("Violations list")
struct ViolationTests {
    /// ZP-1: the worked example (checks 06.11, 16.11, then none: a gap from 23.11) with a breach
    /// on 16.11 still open and one on 20.11 closed on 21.11.
    static func histories() -> [OrderHistory] {
        let zp1 = OrderHistory(
            order: makeOrder("ZP-1", issued: at("2026-11-01 09:00"), served: at("2026-11-01 15:00"), id: 1),
            checks: [makeCheck(at("2026-11-06 11:00"), orderID: 1), makeCheck(at("2026-11-16 11:00"), orderID: 1)],
            breaches: [makeBreach(at("2026-11-16 12:00"), orderID: 1, id: 1),
                       makeBreach(at("2026-11-20 12:00"), closed: at("2026-11-21 09:00"), orderID: 1, id: 2)])
        // ZP-0: checked 06.11 (due 13.11), 14.11 (1 day late), then on time 21.11 and 28.11.
        let zp0 = OrderHistory(
            order: makeOrder("ZP-0", issued: at("2026-11-01 09:00"), served: at("2026-11-01 15:00"), id: 2),
            checks: [makeCheck(at("2026-11-06 11:00"), orderID: 2), makeCheck(at("2026-11-14 11:00"), orderID: 2),
                     makeCheck(at("2026-11-21 11:00"), orderID: 2), makeCheck(at("2026-11-28 11:00"), orderID: 2)])
        return [zp1, zp0]
    }

    static let rows: [ViolationRow] = [
        ViolationRow(name: "the whole month after the end: by day, then number, missed checks first",
                     from: "2026-11-01", to: "2026-11-30", asOf: "2026-12-05 10:00", expected: [
                        "missed-check ZP-0 13.11 14.11 1", "missed-check ZP-1 13.11 16.11 3",
                        "breach ZP-1 16.11 open", "breach ZP-1 20.11 closed", "missed-check ZP-1 23.11 - 8",
                     ]),
        ViolationRow(name: "a period holds what its days hold", from: "2026-11-14", to: "2026-11-22",
                     asOf: "2026-12-05 10:00", expected: ["breach ZP-1 16.11 open", "breach ZP-1 20.11 closed"]),
        ViolationRow(name: "one day", from: "2026-11-13", to: "2026-11-13", asOf: "2026-12-05 10:00",
                     expected: ["missed-check ZP-0 13.11 14.11 1", "missed-check ZP-1 13.11 16.11 3"]),
        ViolationRow(name: "as known on 20.11 at 10:00: the later breach not yet, the closing not yet",
                     from: "2026-11-01", to: "2026-11-30", asOf: "2026-11-20 10:00", expected: [
                        "missed-check ZP-0 13.11 14.11 1", "missed-check ZP-1 13.11 16.11 3",
                        "breach ZP-1 16.11 open",
                     ]),
        ViolationRow(name: "as known on 21.11 at 08:00: the breach of 20.11 still open",
                     from: "2026-11-20", to: "2026-11-20", asOf: "2026-11-21 08:00",
                     expected: ["breach ZP-1 20.11 open"]),
        ViolationRow(name: "an open gap counts its days as of T", from: "2026-11-23", to: "2026-11-23",
                     asOf: "2026-11-26 10:00", expected: ["missed-check ZP-1 23.11 - 3"]),
    ]

    @Test(arguments: rows)
    func violationsOfAPeriod(_ row: ViolationRow) {
        let list = scheduler().violations(for: Self.histories(), from: day(row.from), to: day(row.to),
                                          asOf: at(row.asOf))
        let described = list.map { v -> String in
            switch v.kind {
            case .missedCheck:
                "missed-check \(v.orderNumber) \(v.day.short) \(v.checked?.short ?? "-") \(v.daysLate ?? -1)"
            case .breach:
                "breach \(v.orderNumber) \(v.day.short) \(v.isOpen == true ? "open" : "closed")"
            }
        }
        #expect(described == row.expected)
    }
}

// MARK: - Time zones

@Suite("Time zones")
struct TimeZoneTests {
    static let rows: [Row] = [
        Row(name: "New York: 23:30 local on the due date is on time (04:30 UTC the next day)",
            zone: "America/New_York", issued: "2026-10-28 09:00", served: "2026-10-28 15:00",
            checks: [ok("2026-11-04 23:30")], asOf: "2026-11-06 12:00", due: "2026-11-11", missed: []),
        Row(name: "New York: 00:30 local the day after the due date is late",
            zone: "America/New_York", issued: "2026-10-28 09:00", served: "2026-10-28 15:00",
            checks: [ok("2026-11-05 00:30")], asOf: "2026-11-06 12:00", due: "2026-11-12",
            missed: [Missed("2026-11-04", "2026-11-05", 1)]),
        Row(name: "Berlin: 23:30 local on the due date, the day the clocks go forward, is on time",
            zone: "Europe/Berlin", issued: "2026-03-22 09:00", served: "2026-03-22 12:00",
            checks: [ok("2026-03-29 23:30")], asOf: "2026-03-30 10:00", due: "2026-04-05", missed: []),
        Row(name: "Berlin: 00:30 local the day after (22:30 UTC on the due date) is late",
            zone: "Europe/Berlin", issued: "2026-03-22 09:00", served: "2026-03-22 12:00",
            checks: [ok("2026-03-30 00:30")], asOf: "2026-03-30 10:00", due: "2026-04-06",
            missed: [Missed("2026-03-29", "2026-03-30", 1)]),
        Row(name: "Almaty: 00:30 local the day after (19:30 UTC on the due date) is late",
            checks: [ok("2026-11-09 00:30")], asOf: "2026-11-10 10:00", due: "2026-11-16",
            missed: [Missed("2026-11-08", "2026-11-09", 1)]),
        Row(name: "UTC: 23:59 on the due date is on time", zone: "UTC", checks: [ok("2026-11-08 23:59")],
            asOf: "2026-11-10 10:00", due: "2026-11-15", missed: []),
        Row(name: "Berlin: overdue counted in local days across the clock change",
            zone: "Europe/Berlin", issued: "2026-10-20 09:00", served: "2026-10-20 12:00",
            asOf: "2026-10-29 00:00", alerts: [overdue(2, due: "2026-10-27")]),
    ]

    @Test(arguments: rows)
    func localDays(_ row: Row) { verify(row) }

    struct DayRow: Sendable, CustomTestStringConvertible {
        var zone: String
        var day: String
        var testDescription: String { zone }
    }

    /// 08.11.2026 23:30 UTC is a different date depending on the zone.
    @Test(arguments: [
        DayRow(zone: "Asia/Almaty", day: "2026-11-09"),
        DayRow(zone: "UTC", day: "2026-11-08"),
        DayRow(zone: "Europe/Berlin", day: "2026-11-09"),
        DayRow(zone: "America/New_York", day: "2026-11-08"),
    ])
    func dateOfAnInstantNearMidnight(_ row: DayRow) {
        let instant = at("2026-11-08 23:30Z")
        #expect(scheduler(Zone.named(row.zone)).day(instant) == day(row.day))
    }

    struct SameInstantsRow: Sendable, CustomTestStringConvertible {
        var zone: String
        var missed: [Missed]
        var testDescription: String { zone }
    }

    /// The same instants (served 01.11 10:00 UTC, checked 08.11 23:30 UTC): late where
    /// the check falls on 09.11 locally, on time where it falls on 08.11.
    @Test(arguments: [
        SameInstantsRow(zone: "UTC", missed: []),
        SameInstantsRow(zone: "America/New_York", missed: []),
        SameInstantsRow(zone: "Asia/Almaty", missed: [Missed("2026-11-08", "2026-11-09", 1)]),
        SameInstantsRow(zone: "Europe/Berlin", missed: [Missed("2026-11-08", "2026-11-09", 1)]),
    ])
    func sameHistoryDifferentZones(_ row: SameInstantsRow) {
        let served = at("2026-11-01 10:00Z")
        let order = makeOrder(issued: served, served: served)
        let h = OrderHistory(order: order, checks: [makeCheck(at("2026-11-08 23:30Z"))])
        let timeline = scheduler(Zone.named(row.zone)).timeline(of: h, asOf: at("2026-11-12 12:00Z"))
        #expect(timeline.missedChecks.map(Missed.init) == row.missed)
    }

    @Test func almatyIsUTCPlus5() {
        #expect(Zone.almaty.secondsFromGMT(for: at("2026-11-01 15:00")) == 5 * 3600)
    }
}

// MARK: - Text passes through

@Suite("Cyrillic and Kazakh text")
struct CyrillicTests {
    @Test func namesAndNumbersPassThrough() throws {
        let s = scheduler()
        let order = makeOrder("  ЗП-7 ", issued: at("2026-11-01 09:00"), served: at("2026-11-01 15:00"),
                              respondent: "Нұрсұлтан Әбілқайыров", survivor: "Айгүл Сәрсенова")
        let admitted = try s.admitNew(order, now: at("2026-11-01 16:00"))
        #expect(admitted.number == "ЗП-7")
        #expect(admitted.respondent.name == "Нұрсұлтан Әбілқайыров")
        #expect(admitted.survivor.name == "Айгүл Сәрсенова")
        #expect(Order.numberKey(" зп-7 ") == Order.numberKey("ЗП-7"))

        let h = OrderHistory(order: admitted)
        let alerts = s.alerts(for: [h], asOf: at("2026-11-10 10:00"))
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(alert.kind == .checkOverdue)
        #expect(alert.orderNumber == "ЗП-7")
        #expect(alert.respondent == "Нұрсұлтан Әбілқайыров")

        let violations = s.violations(for: [h], from: d2026("01.11"), to: d2026("30.11"), asOf: at("2026-11-10 10:00"))
        #expect(violations.map(\.orderNumber) == ["ЗП-7"])
        #expect(violations.first?.due == d2026("08.11"))
    }

    @Test func fortyCyrillicCharactersAreNotTooLong() throws {
        let number = String(repeating: "Қ", count: 40)
        let order = makeOrder(number, issued: at("2026-11-01 09:00"))
        #expect(try scheduler().admitNew(order, now: at("2026-11-01 10:00")).number == number)
    }
}

// MARK: - Refusals

struct RefusalRow: Sendable, CustomTestStringConvertible {
    var name: String
    var expected: Refusal
    var attempt: @Sendable (Scheduler) throws -> Void
    var testDescription: String { name }
}

struct AcceptedRow: Sendable, CustomTestStringConvertible {
    var name: String
    var attempt: @Sendable (Scheduler) throws -> Void
    var testDescription: String { name }
}

/// A served order: issued 01.11.2026 09:00, served 15:00, ends 01.12.2026 15:00 (Almaty).
private func servedOrder(term: Int = 30, revoked: String? = nil) -> Order {
    makeOrder(issued: at("2026-11-01 09:00"), served: at("2026-11-01 15:00"), term: term,
              revoked: revoked.map { at($0) })
}

private func unservedOrder() -> Order { makeOrder(issued: at("2026-11-01 09:00")) }

private let now = at("2026-12-10 12:00")

@Suite("Refusals")
struct RefusalTests {
    static let refused: [RefusalRow] = [
        RefusalRow(name: "check before service", expected: .beforeService(what: .checkTime)) {
            _ = try $0.admit(makeCheck(at("2026-11-01 14:59")), on: servedOrder(), now: now)
        },
        RefusalRow(name: "check after ends", expected: .afterEnd(what: .checkTime)) {
            _ = try $0.admit(makeCheck(at("2026-12-01 15:01")), on: servedOrder(), now: now)
        },
        RefusalRow(name: "check after the revocation", expected: .afterEnd(what: .checkTime)) {
            _ = try $0.admit(makeCheck(at("2026-11-10 12:01")), on: servedOrder(revoked: "2026-11-10 12:00"), now: now)
        },
        RefusalRow(name: "check more than 5 min ahead of now", expected: .inFuture(what: .checkTime)) {
            let now = at("2026-11-10 12:00")
            _ = try $0.admit(makeCheck(now.addingTimeInterval(5 * 60 + 1)), on: servedOrder(), now: now)
        },
        RefusalRow(name: "check on an unserved order", expected: .notServed(number: "ZP-1")) {
            _ = try $0.admit(makeCheck(at("2026-11-05 10:00")), on: unservedOrder(), now: now)
        },
        RefusalRow(name: "check with no officer", expected: .emptyText(field: .officer)) {
            var c = makeCheck(at("2026-11-05 10:00"))
            c.officer = " "
            _ = try $0.admit(c, on: servedOrder(), now: now)
        },
        RefusalRow(name: "breach before service", expected: .beforeService(what: .breachTime)) {
            _ = try $0.admit(makeBreach(at("2026-11-01 14:00")), on: servedOrder(), now: now)
        },
        RefusalRow(name: "breach after ends", expected: .afterEnd(what: .breachTime)) {
            _ = try $0.admit(makeBreach(at("2026-12-02 10:00")), on: servedOrder(), now: now)
        },
        RefusalRow(name: "breach in the future", expected: .inFuture(what: .breachTime)) {
            _ = try $0.admit(makeBreach(at("2026-11-20 10:00")), on: servedOrder(), now: at("2026-11-20 09:54"))
        },
        RefusalRow(name: "serving twice", expected: .alreadyServed(number: "ZP-1")) {
            try $0.admitService(at: at("2026-11-02 10:00"), of: servedOrder(), now: now)
        },
        RefusalRow(name: "serving a revoked order", expected: .revoked(number: "ZP-1")) {
            var o = unservedOrder()
            o.revoked = at("2026-11-01 10:00")
            try $0.admitService(at: at("2026-11-01 11:00"), of: o, now: now)
        },
        RefusalRow(name: "served before issued (service)", expected: .servedBeforeIssued) {
            try $0.admitService(at: at("2026-11-01 08:59"), of: unservedOrder(), now: now)
        },
        RefusalRow(name: "service in the future", expected: .inFuture(what: .serviceTime)) {
            try $0.admitService(at: at("2026-11-01 12:06"), of: unservedOrder(), now: at("2026-11-01 12:00"))
        },
        RefusalRow(name: "revoking twice", expected: .alreadyRevoked(number: "ZP-1")) {
            let h = OrderHistory(order: servedOrder(revoked: "2026-11-10 12:00"))
            _ = try $0.admitRevocation(at: at("2026-11-11 12:00"), reason: "again", of: h, now: now)
        },
        RefusalRow(name: "new order served before issued", expected: .servedBeforeIssued) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), served: at("2026-11-01 08:00")), now: now)
        },
        RefusalRow(name: "term 31 days",
                   expected: .termOutOfRange(kind: .protectiveOrder, value: 31, min: 1, max: 30)) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), term: 31), now: now)
        },
        RefusalRow(name: "term 0 days",
                   expected: .termOutOfRange(kind: .protectiveOrder, value: 0, min: 1, max: 30)) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), term: 0), now: now)
        },
        RefusalRow(name: "interval 8 days for a protective order",
                   expected: .intervalOutOfRange(kind: .protectiveOrder, value: 8, min: 1, max: 7)) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), interval: 8), now: now)
        },
        RefusalRow(name: "interval 0 days",
                   expected: .intervalOutOfRange(kind: .protectiveOrder, value: 0, min: 1, max: 7)) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), interval: 0), now: now)
        },
        RefusalRow(name: "name with a terminal escape", expected: .controlCharacters(field: .respondentName)) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), respondent: "Bad\u{1b}[2J"), now: now)
        },
        RefusalRow(name: "number with a right-to-left override", expected: .controlCharacters(field: .orderNumber)) {
            _ = try $0.admitNew(makeOrder("ZP-\u{202E}1", issued: at("2026-11-01 09:00")), now: now)
        },
        RefusalRow(name: "empty survivor's name", expected: .emptyText(field: .survivorName)) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), survivor: ""), now: now)
        },
        RefusalRow(name: "blank respondent's name", expected: .emptyText(field: .respondentName)) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), respondent: "   "), now: now)
        },
        RefusalRow(name: "empty number", expected: .emptyText(field: .orderNumber)) {
            _ = try $0.admitNew(makeOrder("", issued: at("2026-11-01 09:00")), now: now)
        },
        RefusalRow(name: "number of 41 characters", expected: .tooLong(field: .orderNumber, max: 40)) {
            _ = try $0.admitNew(makeOrder(String(repeating: "7", count: 41), issued: at("2026-11-01 09:00")), now: now)
        },
        RefusalRow(name: "name of 201 characters", expected: .tooLong(field: .respondentName, max: 200)) {
            let name = String(repeating: "Ә", count: 201)
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), respondent: name), now: now)
        },
        RefusalRow(name: "order issued in the future", expected: .inFuture(what: .issueTime)) {
            _ = try $0.admitNew(makeOrder(issued: at("2026-12-10 12:06")), now: now)
        },
        RefusalRow(name: "closing a closed breach", expected: .breachAlreadyClosed(7)) {
            let b = makeBreach(at("2026-11-05 10:00"), closed: at("2026-11-05 12:00"), id: 7)
            _ = try $0.admitClosing(b, at: at("2026-11-06 10:00"), action: "again", now: now)
        },
        RefusalRow(name: "closing a breach before it occurred", expected: .actionBeforeBreach(7)) {
            let b = makeBreach(at("2026-11-05 10:00"), id: 7)
            _ = try $0.admitClosing(b, at: at("2026-11-05 09:00"), action: "protocol", now: now)
        },
    ]

    @Test(arguments: refused)
    func isRefused(_ row: RefusalRow) {
        #expect(throws: row.expected) { try row.attempt(scheduler()) }
    }

    static let accepted: [AcceptedRow] = [
        AcceptedRow(name: "revocation dated before a recorded check (facts entered late)") {
            let h = OrderHistory(order: servedOrder(), checks: [makeCheck(at("2026-11-06 10:00"))])
            _ = try $0.admitRevocation(at: at("2026-11-05 12:00"), reason: "court", of: h, now: now)
        },
        AcceptedRow(name: "revocation dated before a recorded breach (facts entered late)") {
            let order = servedOrder()
            let h = OrderHistory(order: order, breaches: [Breach(orderID: 1, occurred: at("2026-11-07 20:00"),
                                                                 reported: at("2026-11-08 09:00"), reportedBy: "Айгүл",
                                                                 description: "звонил")])
            _ = try $0.admitRevocation(at: at("2026-11-05 12:00"), reason: "court", of: h, now: now)
        },
        AcceptedRow(name: "check at the served instant") {
            _ = try $0.admit(makeCheck(at("2026-11-01 15:00")), on: servedOrder(), now: now)
        },
        AcceptedRow(name: "check exactly 5 min ahead of now") {
            let now = at("2026-11-10 12:00")
            _ = try $0.admit(makeCheck(now.addingTimeInterval(5 * 60)), on: servedOrder(), now: now)
        },
        AcceptedRow(name: "check at ends itself (only after ends is refused)") {
            _ = try $0.admit(makeCheck(at("2026-12-01 15:00")), on: servedOrder(), now: now)
        },
        AcceptedRow(name: "not-located attempt on the last minute") {
            _ = try $0.admit(makeCheck(at("2026-12-01 14:59"), .notLocated), on: servedOrder(), now: now)
        },
        AcceptedRow(name: "service at the issue instant") {
            try $0.admitService(at: at("2026-11-01 09:00"), of: unservedOrder(), now: now)
        },
        AcceptedRow(name: "term 1 and interval 1") {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), term: 1, interval: 1), now: now)
        },
        AcceptedRow(name: "term 30 and interval 7") {
            _ = try $0.admitNew(makeOrder(issued: at("2026-11-01 09:00"), term: 30, interval: 7), now: now)
        },
        AcceptedRow(name: "special requirements, 180 days, every 30 days") {
            _ = try $0.admitNew(makeOrder(kind: .specialRequirements, issued: at("2026-11-01 09:00"), term: 180,
                                          interval: 30), now: now)
        },
        AcceptedRow(name: "number of 40 characters") {
            _ = try $0.admitNew(makeOrder(String(repeating: "7", count: 40), issued: at("2026-11-01 09:00")), now: now)
        },
        AcceptedRow(name: "closing an open breach") {
            _ = try $0.admitClosing(makeBreach(at("2026-11-05 10:00"), id: 7), at: at("2026-11-05 12:00"),
                                    action: "protocol", now: now)
        },
    ]

    @Test(arguments: accepted)
    func isAccepted(_ row: AcceptedRow) {
        #expect(throws: Never.self) { try row.attempt(scheduler()) }
    }
}
