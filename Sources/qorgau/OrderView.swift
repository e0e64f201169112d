import Wording
import Foundation
import MonitorUI
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// `order show`: one order, its parties, terms and timeline.
enum OrderView {
    static func json(_ d: OrderDetail, context: Context) -> JSON {
        let o = d.history.order, t = d.timeline, f = context.format
        return .object([
            ("number", .string(o.number)), ("kind", .string(o.kind.rawValue)), ("status", .string(t.status.rawValue)),
            ("issued", .string(f.iso(o.issued))), ("served", .optional(o.served.map(f.iso))),
            ("termDays", .int(o.termDays)), ("checkIntervalDays", .int(o.checkIntervalDays)),
            ("expires", .optional(t.expires.map(f.iso))), ("ends", .optional(t.ends.map(f.iso))),
            ("nextDue", .optional(t.status == .active ? t.nextDue?.iso : nil)),
            ("district", .string(o.district)), ("officer", .string(o.officer)), ("restrictions", .string(o.restrictions)),
            ("survivor", .object([("name", .string(o.survivor.name)), ("phone", .string(o.survivor.phone)),
                                  ("contact", .string(o.survivor.contact)), ("notes", .string(o.survivor.notes))])),
            ("respondent", .object([("name", .string(o.respondent.name)),
                                    ("birthDate", .optional(o.respondent.birthDate?.iso)),
                                    ("address", .string(o.respondent.address)), ("phone", .string(o.respondent.phone))])),
            ("revoked", .optional(o.revoked.map(f.iso))), ("revocationReason", .optional(o.revocationReason)),
            ("checks", .array(d.history.checks.map { c in
                .object([("id", .optional(c.id.map(Int.init))), ("at", .string(f.iso(c.at))), ("officer", .string(c.officer)),
                         ("method", .string(c.method.rawValue)), ("outcome", .string(c.outcome.rawValue)),
                         ("note", .string(c.note))])
            })),
            ("breaches", .array(d.history.breaches.map { b in
                .object([("id", .optional(b.id.map(Int.init))), ("occurred", .string(f.iso(b.occurred))),
                         ("reported", .string(f.iso(b.reported))), ("reportedBy", .string(b.reportedBy)),
                         ("description", .string(b.description)), ("status", .string(b.isOpen ? "open" : "closed")),
                         ("closed", .optional(b.closed.map(f.iso))), ("action", .optional(b.action))])
            })),
            ("missedChecks", .array(t.missedChecks.map { m in
                .object([("due", .string(m.due.iso)), ("checked", .optional(m.checked?.iso)), ("daysLate", .int(m.daysLate))])
            })),
            ("corrections", .array(d.corrections.map { c in
                .object([("at", .string(f.iso(c.at))), ("account", .string(c.account)), ("field", .string(c.field.rawValue)),
                         ("value", .string(c.value)), ("reason", .string(c.reason))])
            })),
            ("history", .array(d.entries.map { e in
                .object([("at", .string(f.iso(e.at))), ("account", .string(e.account)), ("action", .string(e.action))])
            })),
        ])
    }

    /// The fields, the timeline and the missed checks, in this run's words. Labels are padded to
    /// the widest (16 columns at least, as English has always been shown).
    static func text(_ d: OrderDetail, context: Context) -> String {
        let t = d.timeline, f = context.format
        let fields = OrderFields.lines(of: d, words: processWords, format: f)
        let width = max(16, (fields.compactMap { $0.label.map(TextWidth.width(of:)) }.max() ?? 0) + 2)
        var lines = fields.map { line in
            line.label.map { TextWidth.pad($0, toWidth: width) + SafeText.display(line.value) } ?? ""
        }
        lines.append(processWords.text("ui.order.timeline"))
        for entry in Timeline.entries(of: d, words: processWords) {
            lines.append("  " + f.human(entry.at) + "  " + SafeText.display(entry.text))
        }
        if !t.missedChecks.isEmpty {
            lines.append("")
            lines.append(say("show.missedChecks"))
            for m in t.missedChecks {
                let values = ["due": m.due.dotted, "days": processWords.days(m.daysLate)]
                lines.append("  " + (m.checked.map { say("show.missed.checked", values.merging(["checked": $0.dotted]) { a, _ in a }) }
                                      ?? say("show.missed.open", values)))
            }
        }
        return lines.joined(separator: "\n")
    }
}
