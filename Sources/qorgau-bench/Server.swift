// qorgau-bench --server URI: the in-process side of Benchmarks/compare-postgres.sh. Times, against a
// PostgreSQL server that already holds the records, what the whole-process comparison cannot take
// apart: the connection and session, the alerts (the server's candidate query and the scheduler
// apart), and the durable check-in itself (each a committed transaction: BEGIN, the order read, the
// server's add_check, COMMIT, which waits for the WAL flush when synchronous_commit is on).

import Wording
import Foundation
import OrderModel
import OrderStore
import PostgresStore
import Scheduler

@MainActor
func serverBench(_ options: Options, uri: String) {
    let now = options.now.map(Date.init(timeIntervalSince1970:)) ?? Date()
    let r = options.repetitions
    let keys = options.only ?? ["open", "alerts", "checkin"]
    var results: [Measurement] = []
    var facts: [String: String] = [:]
    func record(_ m: Measurement) {
        results.append(m)
        log(String(format: "  %-52@ median %@ (min %@, max %@, n=%d)", m.name as NSString, format(m.median), format(m.min),
                   format(m.max), m.samples.count))
    }
    var location = uri
    do {
        log("timing against the server, \(r) repetitions each, as of \(ISO8601DateFormatter().string(from: now))")
        if keys.contains("open") {
            record(Measurement(name: "connect + open the session", samples: try repeated(r) { _ in
                _ = try PostgresBackend.open(conninfo: uri)
            }))
        }
        let store = try PostgresBackend.open(conninfo: uri)
        location = store.path
        facts["user"] = "\(store.user.login) (\(store.user.role.rawValue))"
        if keys.contains("alerts") {
            var alerts: [Alert] = []
            record(Measurement(name: "today's alerts (server query + scheduler)", samples: try repeated(r) { _ in
                alerts = try store.alerts(asOf: now)
            }))
            facts["alerts"] = String(alerts.count)
            for kind in AlertKind.allCases { facts["alerts." + kind.rawValue] = String(alerts.filter { $0.kind == kind }.count) }
            var candidates: [OrderHistory] = []
            record(Measurement(name: "  of which: alert candidates (server, rows decoded)", samples: try repeated(r) { _ in
                candidates = try store.backend.alertCandidates(asOf: now)
            }))
            facts["alertCandidates"] = String(candidates.count)
            record(Measurement(name: "  of which: the scheduler over the candidates", samples: repeated(r) { _ in
                _ = store.scheduler.alerts(for: candidates, asOf: now)
            }))
        }
        var active: [OrderSummary] = []
        if keys.contains("list") {
            record(Measurement(name: "orders in effect (list)", samples: try repeated(r) { _ in
                active = try store.orders(status: .active, asOf: now)
            }))
        }
        if keys.contains("checkin") {
            if active.isEmpty { active = try store.orders(status: .active, asOf: now) }
            facts["ordersInEffect"] = String(active.count)
            let candidates = active.filter { ($0.order.served ?? now) < now.addingTimeInterval(-3600) }
            guard !candidates.isEmpty else { fail("no order in effect to check in") }
            let checkAt = now.addingTimeInterval(-60)
            record(Measurement(name: "check-in commit (durable, in process)", samples: try repeated(max(r, 15)) { i in
                let number = candidates[(i * 7919) % candidates.count].order.number
                try store.addCheck(number, at: checkAt, officer: "Бенч Б.", method: .visit, outcome: .compliant, note: "", now: now)
            }, target: 10))
        }
    } catch {
        fail(Words.english.message(PostgresBackend.problem(for: error) ?? error))
    }

    print("")
    print("Qorgau on \(location), in process; \(r) repetitions; alerts: \(facts["alerts"] ?? "?")")
    printTable(results)
    if let json = options.json {
        func number(_ x: Double) -> Any { x.isNaN ? NSNull() : (x * 1000).rounded() / 1000 }
        let document: [String: Any] = [
            "tool": "qorgau-bench --server",
            "date": ISO8601DateFormatter().string(from: Date()),
            "asOf": ISO8601DateFormatter().string(from: now),
            "server": location,
            "repetitions": r,
            "facts": facts,
            "results": results.map { m -> [String: Any] in
                var entry: [String: Any] = ["name": m.name, "medianMs": number(m.median), "minMs": number(m.min),
                                            "maxMs": number(m.max), "n": m.samples.count,
                                            "samplesMs": m.samples.map(number)]
                if let target = m.target {
                    entry["targetMs"] = target
                    entry["met"] = m.verdict == "met"
                }
                return entry
            },
        ]
        writeJSON(document, to: json)
    }
}
