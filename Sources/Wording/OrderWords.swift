import Foundation
import OrderModel
import OrderStore
import Scheduler

/// An order's timeline in words: the screen and `order show` list the same entries.
public enum Timeline {
    public enum Emphasis: Sendable { case normal, ok, notice, warning, critical }

    /// Service, checks, breaches and their closing, revocation and corrections, oldest first.
    public static func entries(of detail: OrderDetail, words: Words) -> [(at: Date, text: String, emphasis: Emphasis)] {
        let o = detail.history.order
        func text(_ key: String, _ values: [String: String] = [:]) -> String { words.text(key, values) }
        var events: [(at: Date, text: String, emphasis: Emphasis)] = []
        // Entries dated after the order ended (a revocation learnt late, RULES.md "Facts entered late").
        func marked(_ at: Date, _ text: String) -> String {
            guard let ends = detail.timeline.ends, at > ends else { return text }
            return text + " · " + words.text("ui.event.afterEnd")
        }
        if let s = o.served { events.append((s, text("ui.event.served"), .normal)) }
        for c in detail.history.checks {
            events.append((c.at, marked(c.at, text("ui.event.check", ["method": text("ui.method.\(c.method.rawValue)"), "outcome": text("ui.outcome.\(c.outcome.rawValue)"),
                                                      "officer": c.officer]) + (c.note.isEmpty ? "" : ": " + c.note)),
                           c.outcome == .compliant ? .normal : .warning))
        }
        for b in detail.history.breaches {
            events.append((b.occurred, marked(b.occurred, text("ui.event.breach", ["id": String(b.id ?? 0), "by": b.reportedBy])
                                                       + ": " + b.description),
                           b.isOpen ? .critical : .warning))
            if let closed = b.closed {
                events.append((closed, text("ui.event.closed", ["id": String(b.id ?? 0)]) + ": " + (b.action ?? ""), .normal))
            }
        }
        if let r = o.revoked { events.append((r, text("ui.event.revoked") + ": " + (o.revocationReason ?? ""), .warning)) }
        for c in detail.corrections {
            events.append((c.at, text("ui.event.corrected", ["field": words.field(c.field.subject), "value": c.value, "by": c.account,
                                                          "reason": c.reason]), .normal))
        }
        return events.sorted { $0.at < $1.at }
    }
}

/// An order's terms and parties in words, label by label: the screen and `order show` list the
/// same fields. A nil label stands for a blank line between groups.
public enum OrderFields {
    public static func lines(of detail: OrderDetail, words: Words, format f: InstantFormat)
        -> [(label: String?, value: String, emphasis: Timeline.Emphasis)] {
        let o = detail.history.order, t = detail.timeline
        func text(_ key: String, _ values: [String: String] = [:]) -> String { words.text(key, values) }
        var lines: [(label: String?, value: String, emphasis: Timeline.Emphasis)] = []
        func field(_ key: String, _ value: String?, _ emphasis: Timeline.Emphasis = .normal) {
            guard let value, !value.isEmpty else { return }
            lines.append((text("ui.order.\(key)"), value, emphasis))
        }
        field("number", "\(o.number)  ·  \(text("ui.kind.\(o.kind.rawValue)"))  ·  \(text("ui.status.\(t.status.rawValue)"))",
              t.status == .active ? .ok : .warning)
        field("issued", f.human(o.issued) + (o.officer.isEmpty ? "" : "  ·  " + o.officer))
        field("served", o.served.map(f.human) ?? text("ui.order.notServed"), o.served == nil ? .warning : .normal)
        field("term", text("ui.order.termValue", ["days": words.days(o.termDays), "interval": words.days(o.checkIntervalDays)]))
        field("expires", t.expires.map(f.human))
        field("revoked", o.revoked.map { f.human($0) + "  ·  " + (o.revocationReason ?? "") }, .warning)
        field("nextDue", t.status == .active ? t.nextDue?.dotted : nil, .notice)
        field("district", o.district)
        field("restrictions", o.restrictions)
        lines.append((nil, "", .normal))
        field("survivor", o.survivor.name)
        field("phone", o.survivor.phone)
        field("contact", o.survivor.contact)
        field("notes", o.survivor.notes)
        field("respondent", o.respondent.name + (o.respondent.birthDate.map { " (\($0.dotted))" } ?? ""))
        field("address", o.respondent.address)
        field("phone", o.respondent.phone)
        lines.append((nil, "", .normal))
        return lines
    }
}
