import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// Everything about one order: terms, parties, service, next check, and its timeline.
/// `c` records a check, `b` a breach, `s` service, `r` a revocation.
struct OrderScreen {
    var number: String
    var detail: OrderDetail
    var scroll = 0

    mutating func handle(_ key: Key, app: MonitorApp) -> Command? {
        switch key {
        case .character("c"): return .startCheckIn(number)
        case .character("b"): return .openForm(.breach(number: number))
        case .character("s"): return .openForm(.serve(number: number))
        case .character("r"): return .openForm(.revoke(number: number))
        case .character("u") where app.store.user.role.may(.viewSurvivor) && !app.store.isUnlocked:
            return .openForm(.unlock)
        case .character("x"):
            if let open = detail.history.breaches.last(where: \.isOpen), let id = open.id {
                return .openForm(.closeBreach(id: id, number: number))
            }
            return .flash(app.text("order.noOpenBreach"), .warning)
        case .down, .character("j"): scroll += 1
        case .up, .character("k"): scroll = max(scroll - 1, 0)
        case .pageDown: scroll += 10
        case .pageUp: scroll = max(scroll - 10, 0)
        case .home, .character("g"): scroll = 0
        default: break
        }
        return nil
    }

    /// The lines of the screen: fields, then the timeline, newest last.
    func lines(app: MonitorApp) -> [(String, Style)] {
        let t = detail.timeline, f = app.formats
        func style(_ emphasis: Timeline.Emphasis) -> Style {
            switch emphasis {
            case .normal: .normal
            case .warning: .warning
            case .critical: .critical
            case .ok: .ok
            case .notice: .notice
            }
        }
        var lines: [(String, Style)] = OrderFields.lines(of: detail, catalog: app.catalog, format: f).map {
            $0.label == nil ? ("", .normal) : (TextWidth.pad($0.label ?? "", toWidth: 16) + $0.value, style($0.emphasis))
        }
        lines.append((app.text("order.timeline"), .header))
        for entry in Timeline.entries(of: detail, catalog: app.catalog) {
            lines.append(("  " + f.human(entry.at) + "  " + entry.text, style(entry.emphasis)))
        }
        for m in t.missedChecks {
            lines.append(("  " + app.text("event.missed", ["due": m.due.dotted, "days": app.catalog.days(m.daysLate)]), .warning))
        }
        return lines
    }

    func draw(on canvas: Canvas, in body: Rect, app: MonitorApp) {
        let all = lines(app: app)
        let height = body.rows - 2
        let top = min(scroll, max(all.count - height, 0))
        for (i, line) in all.dropFirst(top).prefix(height).enumerated() {
            canvas.put(line.0, row: body.top + i, col: 1, style: line.1, width: body.cols - 2)
        }
        let keys = app.store.user.role.may(.viewSurvivor) && !app.store.isUnlocked ? "order.keysLocked" : "order.keys"
        canvas.put(app.text(keys), row: body.top + body.rows - 1, col: 1, style: .dim, width: body.cols - 2)
    }
}

/// An order's timeline in words: the screen and `order show` list the same entries.
public enum Timeline {
    public enum Emphasis: Sendable { case normal, ok, notice, warning, critical }

    /// Service, checks, breaches and their closing, revocation and corrections, oldest first.
    public static func entries(of detail: OrderDetail, catalog: Catalog) -> [(at: Date, text: String, emphasis: Emphasis)] {
        let o = detail.history.order
        func text(_ key: String, _ values: [String: String] = [:]) -> String { catalog.text("ui." + key, values) }
        var events: [(at: Date, text: String, emphasis: Emphasis)] = []
        if let s = o.served { events.append((s, text("event.served"), .normal)) }
        for c in detail.history.checks {
            events.append((c.at, text("event.check", ["method": c.method.rawValue, "outcome": c.outcome.rawValue,
                                                      "officer": c.officer]) + (c.note.isEmpty ? "" : ": " + c.note),
                           c.outcome == .compliant ? .normal : .warning))
        }
        for b in detail.history.breaches {
            events.append((b.occurred, text("event.breach", ["id": String(b.id ?? 0), "by": b.reportedBy]) + ": " + b.description,
                           b.isOpen ? .critical : .warning))
            if let closed = b.closed {
                events.append((closed, text("event.closed", ["id": String(b.id ?? 0)]) + ": " + (b.action ?? ""), .normal))
            }
        }
        if let r = o.revoked { events.append((r, text("event.revoked") + ": " + (o.revocationReason ?? ""), .warning)) }
        for c in detail.corrections {
            events.append((c.at, text("event.corrected", ["field": c.field.rawValue, "value": c.value, "by": c.account,
                                                          "reason": c.reason]), .normal))
        }
        return events.sorted { $0.at < $1.at }
    }
}

/// An order's terms and parties in words, label by label: the screen and `order show` list the
/// same fields. A nil label stands for a blank line between groups.
public enum OrderFields {
    public static func lines(of detail: OrderDetail, catalog: Catalog, format f: InstantFormat)
        -> [(label: String?, value: String, emphasis: Timeline.Emphasis)] {
        let o = detail.history.order, t = detail.timeline
        func text(_ key: String, _ values: [String: String] = [:]) -> String { catalog.text("ui." + key, values) }
        var lines: [(label: String?, value: String, emphasis: Timeline.Emphasis)] = []
        func field(_ key: String, _ value: String?, _ emphasis: Timeline.Emphasis = .normal) {
            guard let value, !value.isEmpty else { return }
            lines.append((text("order.\(key)"), value, emphasis))
        }
        field("number", "\(o.number)  ·  \(text("kind.\(o.kind.rawValue)"))  ·  \(text("status.\(t.status.rawValue)"))",
              t.status == .active ? .ok : .warning)
        field("issued", f.human(o.issued) + (o.officer.isEmpty ? "" : "  ·  " + o.officer))
        field("served", o.served.map(f.human) ?? text("order.notServed"), o.served == nil ? .warning : .normal)
        field("term", text("order.termValue", ["days": String(o.termDays), "interval": String(o.checkIntervalDays)]))
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
