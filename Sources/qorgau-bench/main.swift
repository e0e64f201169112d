// qorgau-bench: builds a deterministic national-scale file and times, in this process, what a
// morning at national scale asks of Qorgau. A program you run, never a test: see Benchmarks/RESULTS.md.
//
//   swift run --scratch-path .build-bench -c release qorgau-bench [--orders N] [--repetitions R] [--json PATH]
//
// The file is kept (default $TMPDIR/qorgau-bench/orders-N.sqlite, with its passphrase beside it in
// .key) and reused by a later run with the same spec on the same day; writes are timed on a copy.
//
// With --server URI it times, in this process, the same reads and the durable check-in against a
// PostgreSQL server already holding the records (Benchmarks/compare-postgres.sh makes one).

import Wording
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MonitorUI
import OrderModel
import OrderStore
import PostgresStore
import SQLiteStore
import Scheduler
import Terminal

// MARK: - Options

struct Options {
    var orders = 1_000_000
    var inEffect = 7_000
    var repetitions = 7
    var json: String?
    var db: String?
    var fresh = false
    var buildOnly = false
    var jobs = 2
    var seed: UInt64 = 2026
    var survivorSearch: Bool?
    var listKeys = 30
    var rows = 30
    var cols = 100
    /// Only these measurements (by key: open alerts violations list unlock checkin screen refresh scroll search survivor).
    var only: Set<String>?
    /// A PostgreSQL server holding the records (a libpq URI): time against it instead of the file.
    var server: String?
    /// The instant to measure at (seconds since 1970), instead of the clock: with --server, the instant
    /// the whole-process commands are given with --as-of.
    var now: Double?

    static let usage = """
        usage: qorgau-bench [--orders N] [--in-effect K] [--repetitions R] [--json PATH] [--db PATH]
                            [--fresh] [--build-only] [--jobs J] [--seed S] [--survivor-search yes|no]
                            [--list-keys N] [--size ROWSxCOLS] [--only KEY,KEY...]
               qorgau-bench --server URI [--now SECONDS] [--repetitions R] [--json PATH] [--only KEY,KEY...]

          --orders N          orders in the file (default 1000000); about 4 checks each, one in 20 with a breach
          --in-effect K       about this many orders in effect today (default 7000: Kazakhstan's ~80,000 a year)
          --repetitions R     timed repetitions of each measurement; the median is reported (default 7)
          --json PATH         also write the results as JSON
          --db PATH           the file (default $TMPDIR/qorgau-bench/orders-N.sqlite); reused when it holds
                              the same spec loaded today, else made anew
          --fresh             always make the file anew
          --build-only        make (or reuse) the file and stop: for Benchmarks/compare.sh
          --jobs J            threads that generate and seal orders (default 2)
          --survivor-search   time the survivor-name search, which opens every sealed record
                              (default: yes up to 100000 orders)
          --list-keys N       scrolling keys timed per kind (default 30)
          --size ROWSxCOLS    the in-memory screen (default 30x100)
          --only KEYS         only these measurements, for profiling (valgrind --tool=callgrind):
                              open, alerts, violations, list, unlock, checkin, screen, refresh, scroll, search,
                              survivor
          --server URI        time against a PostgreSQL server already holding the records (postgresql://...,
                              as `qorgau --db`), in this process: open (connect + session), alerts (and its
                              server query and scheduler apart), list, checkin (durable: each a committed
                              transaction; WRITES check-ins into that database); default: open,alerts,checkin
          --now SECONDS       measure as of this instant (seconds since 1970) instead of the clock
        """

    static func parse(_ arguments: [String]) -> Options {
        var o = Options()
        var args = arguments.makeIterator()
        func value(_ name: String) -> String {
            guard let v = args.next() else { fail("\(name) needs a value\n\n\(usage)", status: 2) }
            return v
        }
        func int(_ name: String) -> Int {
            let text = value(name).replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")
            guard let n = Int(text), n >= 0 else { fail("\(name): not a number\n\n\(usage)", status: 2) }
            return n
        }
        while let arg = args.next() {
            switch arg {
            case "--orders": o.orders = int(arg)
            case "--in-effect": o.inEffect = int(arg)
            case "--repetitions": o.repetitions = max(1, int(arg))
            case "--json": o.json = value(arg)
            case "--db": o.db = value(arg)
            case "--fresh": o.fresh = true
            case "--build-only": o.buildOnly = true
            case "--jobs": o.jobs = max(1, int(arg))
            case "--seed": o.seed = UInt64(int(arg))
            case "--survivor-search": o.survivorSearch = ["yes", "true", "1"].contains(value(arg))
            case "--list-keys": o.listKeys = max(1, int(arg))
            case "--size":
                let parts = value(arg).split(separator: "x").compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 24, parts[1] >= 80 else { fail("--size: ROWSxCOLS, at least 24x80", status: 2) }
                (o.rows, o.cols) = (parts[0], parts[1])
            case "--only": o.only = Set(value(arg).split(separator: ",").map(String.init))
            case "--server": o.server = value(arg)
            case "--now":
                guard let seconds = Double(value(arg)) else { fail("--now: seconds since 1970\n\n\(usage)", status: 2) }
                o.now = seconds
            case "-h", "--help":
                print(usage)
                exit(0)
            default: fail("unknown argument \(arg)\n\n\(usage)", status: 2)
            }
        }
        if o.orders < 1 { fail("--orders must be at least 1", status: 2) }
        return o
    }
}

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("qorgau-bench: \(message)\n".utf8))
    exit(status)
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}

/// The operating-system account, as `qorgau` itself finds it, so that the CLI opens the same file.
func currentAccount() -> String {
    if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
    return "uid-\(geteuid())"
}

// MARK: - Timing

func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Milliseconds `body` took.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = nanos()
    try body()
    return Double(nanos() - start) / 1e6
}

struct Measurement {
    var name: String
    var samples: [Double]
    /// The target, in ms, and which statistic it applies to.
    var target: Double?
    var targetOn: Statistic = .median
    var note = ""

    enum Statistic: String { case median, max }

    var sorted: [Double] { samples.sorted() }
    var median: Double {
        let s = sorted
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var min: Double { sorted.first ?? .nan }
    var max: Double { sorted.last ?? .nan }
    var verdict: String {
        guard let target else { return "" }
        return (targetOn == .median ? median : max) <= target ? "met" : "MISSED"
    }
    var targetText: String {
        guard let target else { return "" }
        return (targetOn == .max ? "each " : "") + "≤ " + format(target)
    }
}

func format(_ ms: Double) -> String {
    if ms.isNaN { return "-" }
    if ms >= 1000 { return String(format: "%.2f s", ms / 1000) }
    if ms >= 100 { return String(format: "%.0f ms", ms) }
    if ms >= 10 { return String(format: "%.1f ms", ms) }
    return String(format: "%.2f ms", ms)
}

func repeated(_ n: Int, _ body: (Int) throws -> Void) rethrows -> [Double] {
    var samples: [Double] = []
    for i in 0..<n { samples.append(try timed { try body(i) }) }
    return samples
}

/// Peak resident memory of this process so far, in MiB.
func peakMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

// MARK: - The file

let almaty = TimeZone(identifier: "Asia/Almaty") ?? TimeZone(secondsFromGMT: 5 * 3600)!
let passphrase = "qorgau-bench-passphrase"

func defaultPath(_ orders: Int) -> String {
    let tmp = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    return "\(tmp)/qorgau-bench/orders-\(orders).sqlite"
}

func removeFile(_ path: String) {
    for suffix in ["", "-wal", "-shm", "-journal", ".key"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// A fresh copy of the file at `path` + `suffix`, for a measurement that writes (the file itself stays as made).
func writableCopy(of path: String, _ suffix: String) throws -> String {
    let copy = path + suffix
    removeFile(copy)
    try FileManager.default.copyItem(atPath: path, toPath: copy)
    return copy
}

/// Opens the file when it already holds this spec, loaded today; else makes it anew. Only a file a
/// bulk load made is ever replaced: any other file at `path` is refused, never deleted.
func prepareFile(_ options: Options, path: String, account: String, now: Date) throws -> (BulkSummary, reused: Bool) {
    let today = LocalDay(now, in: almaty).iso
    if FileManager.default.fileExists(atPath: path) {
        guard let store = try? OrderStore.open(at: path, account: account, now: now),
              let record = try? store.bulkLoadRecord() else {
            fail("\(path) exists and was not made by qorgau-bench (or its load never finished): choose another --db, or delete it")
        }
        if !options.fresh, record.orders == options.orders, record.inEffectTarget == options.inEffect,
           record.seed == options.seed, record.loadedDay == today {
            return (record, true)
        }
    }
    removeFile(path)
    let store = try OrderStore.create(at: path, timeZone: almaty, rules: RuleSet.kazakhstan(), account: account,
                                      passphrase: passphrase, now: now)
    // The passphrase beside the file, as `qorgau` looks for it (<db>.key, mode 0600).
    let fd = open(path + ".key", O_CREAT | O_TRUNC | O_WRONLY, 0o600)
    if fd >= 0 {
        let bytes = Array((passphrase + "\n").utf8)
        _ = write(fd, bytes, bytes.count)
        close(fd)
    }
    log("making \(path): \(options.orders) orders, about \(options.inEffect) in effect, \(options.jobs) threads")
    var lastReport = nanos()
    let summary = try store.bulkLoad(BulkSpec(orders: options.orders, inEffect: options.inEffect, seed: options.seed,
                                              jobs: options.jobs), now: now) { done in
        if nanos() - lastReport > 5_000_000_000 || done == options.orders {
            lastReport = nanos()
            log("  \(done) orders written")
        }
    }
    return (summary, false)
}

// MARK: - The screens, driven with keys

/// Handles one key and redraws, as the terminal loop does: the time a person waits for a key.
func press(_ app: MonitorApp, _ canvas: GridCanvas, _ key: Key) -> Double {
    timed {
        app.handle(key)
        app.draw(on: canvas)
    }
}

func keys(_ text: String) -> [Key] { text.map { Key.character($0) } }

// MARK: - Main

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
setlocale(LC_ALL, "")
if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
let account = currentAccount()
if let uri = options.server {
    serverBench(options, uri: uri)
    exit(0)
}
let path = options.db ?? defaultPath(options.orders)
let loadNow = Date()
let (summary, reused): (BulkSummary, Bool)
do {
    (summary, reused) = try prepareFile(options, path: path, account: account, now: loadNow)
} catch {
    fail(Words.english.message(SQLiteBackend.problem(for: error) ?? error))
}
let fileMiB = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
log(String(format: "%@ %@: %d orders (%d in effect, %d unserved, %d revoked), %d checks, %d breaches (%d open); %.0f MiB; made in %.1f s",
           reused ? "reusing" : "made", path, summary.orders, summary.inEffect, summary.unserved, summary.revoked,
           summary.checks, summary.breaches, summary.openBreaches, fileMiB, summary.seconds))
if options.buildOnly {
    print(path)
    exit(0)
}

let r = options.repetitions
let now = options.now.map(Date.init(timeIntervalSince1970:)) ?? Date()
let today = LocalDay(now, in: almaty)
var results: [Measurement] = []
var facts: [String: String] = [:]

@MainActor func record(_ m: Measurement) {
    results.append(m)
    log(String(format: "  %-44@ median %@ (min %@, max %@, n=%d)", m.name as NSString, format(m.median), format(m.min),
               format(m.max), m.samples.count))
}

func wanted(_ key: String) -> Bool { options.only.map { $0.contains(key) } ?? true }

do {
    log("timing, \(r) repetitions each")
    // Opening: the file, its meta, the migrations check and the user.
    if wanted("open") {
        record(Measurement(name: "open the store", samples: try repeated(r) { _ in
            _ = try OrderStore.open(at: path, account: account, now: now)
        }))
    }
    let store = try OrderStore.open(at: path, account: account, now: now)

    if wanted("alerts") {
        var alerts: [Alert] = []
        record(Measurement(name: "today's alerts", samples: try repeated(r) { _ in alerts = try store.alerts(asOf: now) }))
        facts["alerts"] = String(alerts.count)
        for kind in AlertKind.allCases { facts["alerts." + kind.rawValue] = String(alerts.filter { $0.kind == kind }.count) }
    }

    // This month so far (the screen's default) and the whole of last month (a supervisor's report).
    if wanted("violations") {
        let first = LocalDay(year: today.year, month: today.month, day: 1) ?? today
        let lastMonthEnd = first - 1
        let lastMonthStart = LocalDay(year: lastMonthEnd.year, month: lastMonthEnd.month, day: 1) ?? lastMonthEnd
        var violations: [Violation] = []
        record(Measurement(name: "violations, last month (\(lastMonthStart.iso)..\(lastMonthEnd.iso))", samples: try repeated(r) { _ in
            violations = try store.violations(from: lastMonthStart, to: lastMonthEnd, asOf: now)
        }, target: 500))
        facts["violations.lastMonth"] = String(violations.count)
        record(Measurement(name: "violations, this month (\(first.iso)..\(today.iso))", samples: try repeated(r) { _ in
            violations = try store.violations(from: first, to: today, asOf: now)
        }))
        facts["violations.thisMonth"] = String(violations.count)
    }

    var active: [OrderSummary] = []
    if wanted("list") {
        record(Measurement(name: "orders in effect (list)", samples: try repeated(r) { _ in
            active = try store.orders(status: .active, asOf: now)
        }))
    } else if wanted("checkin") || wanted("refresh") {
        active = try store.orders(status: .active, asOf: now)
    }
    facts["ordersInEffect"] = String(active.count)

    if wanted("unlock") {
        record(Measurement(name: "unlock survivor data (scrypt)", samples: try repeated(r) { _ in
            _ = try store.unlocked(passphrase: passphrase)
        }))
    }

    // A durable check-in (synchronous = FULL, WAL), each on another order in effect, on a copy of
    // the file so that the file itself stays as made.
    if wanted("checkin") {
        let copy = try writableCopy(of: path, ".write-copy.sqlite")
        defer { removeFile(copy) }
        let writer = try OrderStore.open(at: copy, account: account, now: now)
        let candidates = active.filter { ($0.order.served ?? now) < now.addingTimeInterval(-3600) }
        guard !candidates.isEmpty else { fail("no order in effect to check in") }
        let checkAt = now.addingTimeInterval(-60)
        record(Measurement(name: "check-in commit (durable)", samples: try repeated(max(r, 15)) { i in
            let number = candidates[(i * 7919) % candidates.count].order.number
            try writer.addCheck(number, at: checkAt, officer: "Бенч Б.", method: .visit, outcome: .compliant, note: "", now: now)
        }, target: 10))
    }

    // The first screen: open, compute every screen's figures, draw Today on the in-memory grid.
    let canvas = GridCanvas(rows: options.rows, cols: options.cols)
    var screen: MonitorApp?
    if wanted("screen") {
        record(Measurement(name: "first screen (open + figures + draw)", samples: try repeated(r) { _ in
            let s = try OrderStore.open(at: path, account: account, now: now)
            let a = MonitorApp(store: s, clock: { now })
            a.draw(on: canvas)
            screen = a
        }, target: 300))
        guard let app = screen, canvas.contains("!! BREACH") || canvas.contains("! OVERDUE") else {
            fail("the first screen shows no alerts:\n\(canvas.text)")
        }
        var reloads: [Double] = []
        for _ in 0..<r { reloads.append(timed { app.reload(); app.draw(on: canvas) }) }
        record(Measurement(name: "screen refresh (all figures + draw)", samples: reloads))
    }
    // Another terminal records one check-in while Today, Orders and Violations are open (on a copy of the file):
    // what the open screens then read, whole (as before: every screen's figures) and as refreshed (the order written).
    if wanted("refresh") {
        let copy = try writableCopy(of: path, ".refresh-copy.sqlite")
        defer { removeFile(copy) }
        let writer = try OrderStore.open(at: copy, account: account, now: now)
        let viewer = try OrderStore.open(at: copy, account: account, now: now)
        let app = MonitorApp(store: viewer, clock: { now })
        for key in ["2", "4", "1"] { _ = press(app, canvas, .character(Character(key))) }
        let candidates = active.filter { ($0.order.served ?? now) < now.addingTimeInterval(-3600) }
        guard !candidates.isEmpty else { fail("no order in effect to check in") }
        let checkAt = now.addingTimeInterval(-60)
        func checkIn(_ i: Int) throws {
            let number = candidates[(i * 7919) % candidates.count].order.number
            try writer.addCheck(number, at: checkAt, officer: "Бенч Б.", method: .visit, outcome: .compliant, note: "", now: now)
        }
        var whole: [Double] = [], partial: [Double] = []
        for i in 0..<max(r, 15) {
            try checkIn(2 * i)
            whole.append(timed { _ = try? viewer.changeMark(); app.reload(); app.draw(on: canvas) })
            try checkIn(2 * i + 1)
            partial.append(timed { app.tick(); app.draw(on: canvas) })
        }
        guard canvas.contains("!! BREACH") || canvas.contains("! OVERDUE") else { fail("the refreshed screen shows no alerts:\n\(canvas.text)") }
        record(Measurement(name: "after a check-in: every screen read again (before)", samples: whole))
        record(Measurement(name: "after a check-in: the order refreshed (after)", samples: partial))
    }
    if wanted("scroll") || wanted("search") {
        let app = screen ?? MonitorApp(store: store, clock: { now })
        app.draw(on: canvas)
        // Today's list: scrolling through the alerts.
        if wanted("scroll") {
            var todayKeys: [Double] = []
            for _ in 0..<options.listKeys { todayKeys.append(press(app, canvas, .down)) }
            for _ in 0..<options.listKeys { todayKeys.append(press(app, canvas, .pageDown)) }
            todayKeys.append(press(app, canvas, .end))
            todayKeys.append(press(app, canvas, .home))
            record(Measurement(name: "Today: scroll the alerts, per key", samples: todayKeys, target: 30, targetOn: .max))
        }
        // Orders: the default list (in effect), searching a respondent as typed.
        _ = press(app, canvas, .character("2"))
        let name = "Сапаров"
        if wanted("search") {
            var searchKeys: [Double] = []
            for _ in 0..<r {
                _ = press(app, canvas, .character("/"))
                for key in keys(name) { searchKeys.append(press(app, canvas, key)) }
                _ = press(app, canvas, .escape)
            }
            record(Measurement(name: "Orders (in effect): search a name, per key", samples: searchKeys, target: 30, targetOn: .max))
        }
        // Every order: f cycles in effect -> unserved -> expired -> revoked -> all; each reloads.
        var filterKeys: [Double] = []
        for _ in 0..<4 { filterKeys.append(press(app, canvas, .character("f"))) }
        guard canvas.contains(Words.english.number(summary.orders)) else { fail("the list of all orders is not on screen:\n\(canvas.text)") }
        if wanted("scroll") {
            record(Measurement(name: "Orders: filter to all \(summary.orders) (f, reload)", samples: [filterKeys[3]]))
            record(Measurement(name: "Orders: filter to expired (f, reload)", samples: [filterKeys[1]]))
            var scrollKeys: [Double] = []
            for _ in 0..<options.listKeys { scrollKeys.append(press(app, canvas, .down)) }
            for _ in 0..<options.listKeys { scrollKeys.append(press(app, canvas, .pageDown)) }
            scrollKeys.append(press(app, canvas, .end))
            for _ in 0..<options.listKeys { scrollKeys.append(press(app, canvas, .up)) }
            for _ in 0..<options.listKeys { scrollKeys.append(press(app, canvas, .pageUp)) }
            scrollKeys.append(press(app, canvas, .home))
            record(Measurement(name: "Orders (all \(summary.orders)): scroll, per key", samples: scrollKeys, target: 30, targetOn: .max))
        }
        if wanted("search") {
            var allSearch: [Double] = []
            _ = press(app, canvas, .character("/"))
            for key in keys(name) { allSearch.append(press(app, canvas, key)) }
            _ = press(app, canvas, .escape)
            record(Measurement(name: "Orders (all \(summary.orders)): search a name, per key", samples: allSearch))
        }
        facts["peakMiB.afterScreens"] = String(format: "%.0f", peakMiB())
    }

    // A survivor's name is sealed: finding one opens every record.
    if wanted("survivor"), options.survivorSearch ?? (summary.orders <= 100_000) {
        let unlocked = try store.unlocked(passphrase: passphrase)
        var found = 0
        record(Measurement(name: "survivor-name search (opens every record)", samples: try repeated(1) { _ in
            found = try unlocked.ordersWithSurvivorMatching("Айгерим Нұрланқызы", now: now).count
        }))
        facts["survivorMatches"] = String(found)
    }
} catch {
    fail(Words.english.message(SQLiteBackend.problem(for: error) ?? error))
}

// MARK: - Report

print("")
print(String(format: "Qorgau at %d orders (%d in effect), %d checks, %d breaches; file %.0f MiB; %d repetitions; %@",
             summary.orders, summary.inEffect, summary.checks, summary.breaches, fileMiB, r,
             "alerts: " + (facts["alerts"] ?? "?")))
printTable(results)
print(String(format: "peak memory of this process: %.0f MiB", peakMiB()))

if let json = options.json {
    func number(_ x: Double) -> Any { x.isNaN ? NSNull() : (x * 1000).rounded() / 1000 }
    let document: [String: Any] = [
        "tool": "qorgau-bench",
        "date": ISO8601DateFormatter().string(from: now),
        "file": path,
        "fileMiB": (fileMiB * 10).rounded() / 10,
        "reused": reused,
        "repetitions": r,
        "machine": ["cores": ProcessInfo.processInfo.activeProcessorCount,
                    "memoryGiB": Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824],
        "data": ["orders": summary.orders, "inEffect": summary.inEffect, "inEffectTarget": summary.inEffectTarget,
                 "checks": summary.checks, "breaches": summary.breaches, "openBreaches": summary.openBreaches,
                 "unserved": summary.unserved, "revoked": summary.revoked,
                 "specialRequirements": summary.specialRequirements, "seed": summary.seed,
                 "loadedDay": summary.loadedDay, "loadSeconds": summary.seconds],
        "facts": facts,
        "peakMiB": (peakMiB() * 10).rounded() / 10,
        "results": results.map { m -> [String: Any] in
            var entry: [String: Any] = ["name": m.name, "medianMs": number(m.median), "minMs": number(m.min),
                                        "maxMs": number(m.max), "n": m.samples.count]
            if let target = m.target {
                entry["targetMs"] = target
                entry["targetOn"] = m.targetOn.rawValue
                entry["met"] = m.verdict == "met"
            }
            return entry
        },
    ]
    writeJSON(document, to: json)
}

/// The measurements as an aligned table: median, min, max, samples, target and verdict.
func printTable(_ results: [Measurement]) {
    let nameWidth = max(results.map { $0.name.count }.max() ?? 10, 10)
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    print(pad("measurement", nameWidth) + "  " + lpad("median", 9) + "  " + lpad("min", 9) + "  " + lpad("max", 9) + "  "
          + lpad("n", 4) + "  " + pad("target", 12) + "  verdict")
    for m in results {
        print(pad(m.name, nameWidth) + "  " + lpad(format(m.median), 9) + "  " + lpad(format(m.min), 9) + "  "
              + lpad(format(m.max), 9) + "  " + lpad(String(m.samples.count), 4) + "  " + pad(m.targetText, 12) + "  " + m.verdict)
    }
}

/// Writes a result document, or stops with a clear message.
func writeJSON(_ document: [String: Any], to json: String) {
    do {
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: json))
        log("wrote \(json)")
    } catch {
        fail("cannot write \(json): \(error)")
    }
}
