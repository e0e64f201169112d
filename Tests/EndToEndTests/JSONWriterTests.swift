import Foundation
import OrderModel
@testable import qorgau
import Scheduler
import Testing

/// `alerts` and `violations` write their JSON as they go (`JSONWriter`) instead of building `JSON` values and
/// rendering them: the text must be exactly what the values rendered, and it must read back as what was written.
@Suite("JSON written as it goes")
struct JSONWriterTests {
    /// Text a record may hold, or an attacker may have written into the file.
    static let hostile: [String] = [
        "", "plain", "Сапаров Ерлан", "Сәпенов Құрманғазы", "quote \" and backslash \\ and slash /",
        "tab\tnew\nline\rcarriage", "\u{0}nul \u{1}\u{1F}\u{7F}", "C1 \u{80}\u{85}\u{9F}", "line sep \u{2028} para \u{2029}",
        "bidi \u{202E}evil\u{202C} \u{200E}\u{200F} \u{2066}x\u{2069} \u{061C}", "zero\u{200B}width \u{FEFF}bom",
        "emoji 👩‍👧 🇰🇿", "tag \u{E0001}\u{E0041} then sep \u{2028}", "\u{E007F}", "ends with backslash \\",
        "\u{2028}", "mixed Ә \u{1} \u{E0020} \"", String(repeating: "я", count: 5000),
    ]

    /// What the writer writes, and what the same values as `JSON` render to, for a document of every hostile string.
    static func both() -> (written: String, rendered: String) {
        var w = JSONWriter()
        w.beginObject()
        w.key("strings")
        w.beginArray()
        for s in hostile { w.string(s) }
        w.endArray()
        w.key("objects")
        w.beginArray()
        for (i, s) in hostile.enumerated() {
            w.beginObject()
            w.string(s, s)
            w.int("n", i - 3)
            w.optional("none", nil as String?)
            w.optional("some", i as Int?)
            w.key("empty")
            w.beginArray()
            w.endArray()
            w.key("nothing")
            w.beginObject()
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        let tree = JSON.object([
            ("strings", .array(hostile.map(JSON.string))),
            ("objects", .array(hostile.enumerated().map { i, s in
                .object([(s, .string(s)), ("n", .int(i - 3)), ("none", .optional(nil as String?)), ("some", .optional(i as Int?)),
                         ("empty", .array([])), ("nothing", .object([]))])
            })),
        ])
        return (String(decoding: w.bytes, as: UTF8.self), tree.rendered())
    }

    @Test("the writer's text is the rendered values' text, byte for byte")
    func sameAsRendered() {
        let (written, rendered) = Self.both()
        #expect(written == rendered)
    }

    @Test("every hostile string reads back as itself (JSONSerialization and JSONDecoder), escaped where it must be")
    func roundTrip() throws {
        let (written, _) = Self.both()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any])
        #expect(parsed["strings"] as? [String] == Self.hostile)
        let objects = try #require(parsed["objects"] as? [[String: Any]])
        for (i, s) in Self.hostile.enumerated() {
            #expect(objects[i][s] as? String == s)
            #expect(objects[i]["n"] as? Int == i - 3)
            #expect(objects[i]["none"] is NSNull)
        }
        struct Document: Decodable { var strings: [String] }
        #expect(try JSONDecoder().decode(Document.self, from: Data(written.utf8)).strings == Self.hostile)
        // Nothing invisible or reordering reaches the terminal raw once a string needs escaping at all.
        for s in Self.hostile where !JSON.isPlain(s) {
            #expect(!JSON.quote(s).unicodeScalars.contains { TextRule.isForbidden($0) && $0 != "\n" }, "\(s.debugDescription)")
        }
    }

    /// The alerts as `JSON` values, as `alerts --format json` built them before it wrote as it goes.
    static func oldJSON(_ alerts: [Alert], asOf: Date, timeZone: TimeZone, _ f: InstantFormat) -> JSON {
        JSON.object([
            ("asOf", .string(f.iso(asOf))), ("timeZone", .string(timeZone.identifier)),
            ("alerts", .array(alerts.map { a in
                var pairs: [(String, JSON)] = [
                    ("kind", .string(a.kind.rawValue)), ("severity", .string(a.severity.rawValue)),
                    ("order", .string(a.orderNumber)), ("reason", .string(processWords.reason(a, format: f))),
                ]
                switch a.kind {
                case .checkOverdue: pairs += [("due", .optional(a.due?.iso)), ("daysOverdue", .optional(a.daysOverdue))]
                case .checkDue: pairs += [("due", .optional(a.due?.iso)), ("daysLeft", .optional(a.daysLeft))]
                case .expiring: pairs += [("expires", .optional(a.expires.map(f.iso))), ("daysLeft", .optional(a.daysLeft))]
                case .unserved: pairs += [("issued", .optional(a.issued.map(f.iso)))]
                case .breachOpen:
                    pairs += [("breach", .optional(a.breachID.map(Int.init))), ("occurred", .optional(a.occurred.map(f.iso)))]
                }
                pairs += [("district", .string(a.district)), ("officer", .string(a.officer)), ("respondent", .string(a.respondent))]
                return .object(pairs)
            })),
        ])
    }

    /// The violations as `JSON` values, as `violations --format json` built them before.
    static func oldJSON(_ list: [Violation], from: LocalDay, to: LocalDay, asOf: Date, timeZone: TimeZone, _ f: InstantFormat) -> JSON {
        JSON.object([
            ("asOf", .string(f.iso(asOf))), ("timeZone", .string(timeZone.identifier)),
            ("from", .string(from.iso)), ("to", .string(to.iso)),
            ("violations", .array(list.map { v in
                var pairs: [(String, JSON)] = [("kind", .string(v.kind.rawValue)), ("order", .string(v.orderNumber))]
                switch v.kind {
                case .missedCheck:
                    pairs += [("due", .optional(v.due?.iso)), ("checked", .optional(v.checked?.iso)), ("daysLate", .optional(v.daysLate))]
                case .breach:
                    pairs += [("breach", .optional(v.breachID.map(Int.init))), ("occurred", .optional(v.occurred.map(f.iso))),
                              ("status", .string(v.isOpen == true ? "open" : "closed"))]
                }
                pairs += [("district", .string(v.district)), ("officer", .string(v.officer)), ("reason", .string(processWords.reason(v)))]
                return .object(pairs)
            })),
        ])
    }

    static let zone = TimeZone(identifier: "Asia/Almaty") ?? TimeZone(secondsFromGMT: 5 * 3600) ?? .current

    /// One order as the scheduler sees it, its text hostile.
    static func order(_ i: Int, _ text: String) -> Order {
        Order(id: Int64(i), number: "ZP-\(i) \(text)", kind: .protectiveOrder, issued: Date(timeIntervalSince1970: 1_793_000_000),
              served: Date(timeIntervalSince1970: 1_793_003_600.5), termDays: 30, checkIntervalDays: 7, district: "Алмалы \(text)",
              officer: "Ахметов \(text)", restrictions: "", survivor: Survivor(name: "А. Б.", phone: "", contact: "", notes: ""),
              respondent: Respondent(name: "Сапаров \(text)", birthDate: nil, address: "", phone: ""), revoked: nil, revocationReason: nil)
    }

    @Test("alerts and violations: the same text as the JSON values they were built from, on every kind and hostile text")
    func alertsAndViolations() throws {
        let scheduler = Scheduler(rules: try RuleSet.kazakhstan(), timeZone: Self.zone)
        let f = InstantFormat(timeZone: Self.zone)
        var histories: [OrderHistory] = []
        for (i, text) in Self.hostile.enumerated() {
            var order = Self.order(i, text)
            if i % 4 == 1 { order.served = nil }
            let check = Check(orderID: Int64(i), at: Date(timeIntervalSince1970: 1_793_600_000 + Double(i) * 3_600), officer: text,
                              outcome: .compliant)
            let breach = Breach(id: Int64(i), orderID: Int64(i), occurred: Date(timeIntervalSince1970: 1_794_000_000),
                                reported: Date(timeIntervalSince1970: 1_794_000_100), reportedBy: "shelter \(text)", description: text,
                                checkID: nil, closed: i % 2 == 0 ? nil : Date(timeIntervalSince1970: 1_794_100_000), action: nil)
            histories.append(OrderHistory(order: order, checks: i % 3 == 0 ? [] : [check], breaches: i % 5 == 0 ? [] : [breach]))
        }
        for days in [0.0, 20, 26, 29, 40] {
            let asOf = Date(timeIntervalSince1970: 1_793_010_000 + days * 86_400)
            let alerts = scheduler.alerts(for: histories, asOf: asOf)
            let written = String(decoding: Qorgau.Alerts.json(alerts, asOf: asOf, timeZone: Self.zone, f).bytes, as: UTF8.self)
            #expect(written == Self.oldJSON(alerts, asOf: asOf, timeZone: Self.zone, f).rendered())
            let from = LocalDay(year: 2026, month: 10, day: 1) ?? LocalDay(ordinal: 0), to = f.day(asOf)
            let list = scheduler.violations(for: histories, from: from, to: to, asOf: asOf)
            let violations = Qorgau.Violations.json(list, from: from, to: to, asOf: asOf, timeZone: Self.zone, f)
            #expect(String(decoding: violations.bytes, as: UTF8.self)
                    == Self.oldJSON(list, from: from, to: to, asOf: asOf, timeZone: Self.zone, f).rendered())
            if days == 40 { #expect(!alerts.isEmpty && !list.isEmpty) }
        }
    }
}
