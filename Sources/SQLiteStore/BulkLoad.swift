import Foundation
import GRDB
import OrderModel
import OrderStore
import Scheduler

/// What a bulk load makes: a national-scale file, the same for the same spec and day.
///
/// Orders are issued at a steady rate over a span that ends at the load's `now`, so that about
/// `inEffect` of them are in effect at `now` whatever the total: a larger `orders` means a longer
/// history, not more work this morning (that is what the benchmark shows).
public struct BulkSpec: Sendable, Hashable, Codable {
    /// Orders to write, exactly.
    public var orders: Int
    /// About this many orders in effect at the load's `now` (fewer when `orders` is smaller).
    public var inEffect: Int
    /// One order in this many gets a breach (about 50,000 of 1,000,000).
    public var breachEvery: Int
    public var seed: UInt64
    /// Threads that generate, admit and seal orders (the inserts are one thread, one transaction).
    public var jobs: Int

    public init(orders: Int = 1_000_000, inEffect: Int = 7_000, breachEvery: Int = 20, seed: UInt64 = 2026,
                jobs: Int = 2) {
        self.orders = orders
        self.inEffect = inEffect
        self.breachEvery = breachEvery
        self.seed = seed
        self.jobs = jobs
    }
}

/// What a bulk load wrote, as recorded in its audit entry ("bulk.load").
public struct BulkSummary: Sendable, Hashable, Codable {
    public var orders = 0
    public var checks = 0
    public var breaches = 0
    /// Breaches still open at `now`.
    public var openBreaches = 0
    /// Orders in effect at `now` (served, not yet ended).
    public var inEffect = 0
    public var unserved = 0
    public var revoked = 0
    public var specialRequirements = 0
    /// The spec's identity, so a later run knows what the file holds.
    public var seed: UInt64 = 0
    public var inEffectTarget = 0
    public var breachEvery = 0
    /// The load's `now` (seconds since 1970) and its day in the file's zone.
    public var loadedAt: Double = 0
    public var loadedDay = ""
    /// Wall-clock seconds the load took.
    public var seconds: Double = 0

    var detail: [String: String] {
        ["generator": "bulk-v1", "orders": String(orders), "checks": String(checks), "breaches": String(breaches),
         "openBreaches": String(openBreaches), "inEffect": String(inEffect), "unserved": String(unserved),
         "revoked": String(revoked), "specialRequirements": String(specialRequirements), "seed": String(seed),
         "inEffectTarget": String(inEffectTarget), "breachEvery": String(breachEvery),
         "loadedAt": String(format: "%.3f", loadedAt), "loadedDay": loadedDay, "seconds": String(format: "%.1f", seconds)]
    }

    init() {}

    init?(detail json: String) {
        guard let d = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)), d["generator"] == "bulk-v1" else {
            return nil
        }
        func int(_ k: String) -> Int { d[k].flatMap { Int($0) } ?? 0 }
        orders = int("orders"); checks = int("checks"); breaches = int("breaches"); openBreaches = int("openBreaches")
        inEffect = int("inEffect"); unserved = int("unserved"); revoked = int("revoked")
        specialRequirements = int("specialRequirements"); inEffectTarget = int("inEffectTarget")
        breachEvery = int("breachEvery"); seed = d["seed"].flatMap { UInt64($0) } ?? 0
        loadedAt = d["loadedAt"].flatMap { Double($0) } ?? 0
        loadedDay = d["loadedDay"] ?? ""
        seconds = d["seconds"].flatMap { Double($0) } ?? 0
    }
}

extension OrderStore {
    /// Fills an empty file with `spec.orders` orders, their checks and breaches, as of `now`, in one
    /// transaction with one audit entry ("bulk.load"). Every record passes the scheduler's admission
    /// rules, as typed input would; survivor data is sealed to the file's key, each order's own
    /// (bound to its number); the derived columns are the scheduler's timeline, as `refreshDerived`
    /// writes them. Supervisors only; refuses a file that already holds orders.
    ///
    /// For speed the load writes with a rollback journal and no syncing, then puts the file back in
    /// WAL mode with `synchronous = FULL` and syncs it once: a load that fails leaves a file to delete,
    /// never a half-loaded one that looks whole (the transaction is all or nothing).
    @discardableResult
    public func bulkLoad(_ spec: BulkSpec, now: Date, progress: ((Int) -> Void)? = nil) throws -> BulkSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        guard let writer = sqlite?.writer else { throw StoreError.fileOnly(command: "bulk load") }
        try require(.revoke, now: now)
        let (empty, mode) = try writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") == 0,
             try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "wal")
        }
        guard empty else { throw BulkLoadError.notEmpty }
        let onDisk = mode.lowercased() == "wal"
        try writer.writeWithoutTransaction { db in
            if onDisk { _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -524288")
        }
        defer {
            try? writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA synchronous = FULL")
                if onDisk { _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
            }
        }
        var summary = BulkSummary()
        summary.seed = spec.seed
        summary.inEffectTarget = spec.inEffect
        summary.breachEvery = spec.breachEvery
        summary.loadedAt = now.timeIntervalSince1970
        summary.loadedDay = LocalDay(now, in: timeZone).iso
        let generator = BulkGenerator(spec: spec, scheduler: scheduler, vault: vault, now: now)
        try writer.write { db in
            let inserter = try BulkInserter(db: db, login: user.login, now: now)
            let chunk = 4096
            var start = 0
            while start < spec.orders {
                let end = min(start + chunk, spec.orders)
                for order in try generator.generate(start..<end) {
                    try inserter.insert(order, into: &summary)
                }
                start = end
                progress?(end)
            }
            summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            try History.append(db, account: user.login, now: now, action: "bulk.load", entity: "database", entityID: nil,
                               detail: summary.detail)
        }
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return summary
    }

    /// What the last bulk load recorded in the audit trail, or nil when the file never had one.
    public func bulkLoadRecord() throws -> BulkSummary? {
        guard let writer = sqlite?.writer else { return nil }
        return try writer.read { db in
            try String.fetchOne(db, sql: "SELECT detail FROM history WHERE action = 'bulk.load' ORDER BY id DESC LIMIT 1")
        }.flatMap(BulkSummary.init(detail:))
    }
}

public enum BulkLoadError: UserFacingError, Equatable {
    case notEmpty
    case generated(String)

    public var message: String {
        switch self {
        case .notEmpty: "a bulk load needs a file with no orders: create a new one"
        case .generated(let why): "the bulk generator made a record the rules refuse (\(why)): nothing was written"
        }
    }
}

/// One generated order with everything recorded about it, ready to insert.
struct BulkOrder {
    var index: Int
    var order: Order
    var key: String
    var sealedSurvivor: Data
    var initials: String
    var checks: [Check]
    /// Each breach with the index (in `checks`) of the check that found it.
    var breaches: [(breach: Breach, checkIndex: Int?)]
    var timeline: OrderTimeline
    var lastCounted: Date?
    var inEffect: Bool
    /// The list's columns (`ListIndex`): folded text, sort keys, and her name's keyed tokens (nil: locked).
    var searchText = ""
    var sortKeys: [Data] = []
    var survivorTokens: Set<Int64>?
}

/// Makes orders from their index alone (each has its own seeded generator), so that any number
/// of threads give the same file.
struct BulkGenerator: Sendable {
    let spec: BulkSpec
    let scheduler: Scheduler
    let vault: Vault
    let now: Date
    let nowT: Double
    /// Seconds between two issues: the national rate that keeps about `inEffect` orders in effect.
    let spacing: Double
    /// The key of the index of survivors' names (nil when the vault is locked: orders left unindexed).
    let nameTokens: (@Sendable (String) -> Set<Int64>)?

    /// An order is in effect for about 32 days on average (30-day orders, a few 180-day special
    /// requirements, some revoked early).
    static let meanDaysInEffect = 32.0

    init(spec: BulkSpec, scheduler: Scheduler, vault: Vault, now: Date) {
        self.spec = spec
        self.scheduler = scheduler
        self.vault = vault
        self.now = now
        nowT = now.timeIntervalSince1970
        spacing = 86_400 * Self.meanDaysInEffect / Double(max(spec.inEffect, 1))
        nameTokens = BlindIndex.tokenizer(vault)
    }

    func generate(_ range: Range<Int>) throws -> [BulkOrder] {
        let jobs = max(1, min(spec.jobs, range.count / 256 + 1))
        let parts = (0..<jobs).map { k in
            range.lowerBound + range.count * k / jobs ..< range.lowerBound + range.count * (k + 1) / jobs
        }
        let results = UnsafeMutableBufferPointer<Result<[BulkOrder], Error>>.allocate(capacity: jobs)
        results.initialize(repeating: .success([]))
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let box = UnsafeSendable(results)
        DispatchQueue.concurrentPerform(iterations: jobs) { k in
            var days = DayStarts(timeZone: scheduler.timeZone)
            let encoder = JSONEncoder()
            box.value[k] = Result { try parts[k].map { try order($0, days: &days, encoder: encoder) } }
        }
        return try results.flatMap { try $0.get() }
    }

    // MARK: - One order

    func order(_ i: Int, days: inout DayStarts, encoder: JSONEncoder) throws -> BulkOrder {
        var rng = BulkRandom(seed: spec.seed &+ UInt64(i + 1) &* 0xD1B5_4A32_D192_ED03)
        func roll(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
        func between(_ a: Double, _ b: Double) -> Double { a + Double.random(in: 0..<1, using: &rng) * max(b - a, 0) }
        let special = i % 50 == 7
        let kind: OrderKind = special ? .specialRequirements : .protectiveOrder
        let interval = special ? 30 : (i % 40 == 9 ? 5 : 7)
        let termDays = special ? 180 : 30
        let issuedT = min(nowT - Double(spec.orders - i) * spacing + between(0, spacing), nowT - 900)
        let issued = Date(timeIntervalSince1970: issuedT.rounded())
        let district = roll(Self.districts.count)
        let officer = Self.officer(district: district, roll(12))
        let survivorName = Self.femaleNames[roll(Self.femaleNames.count)] + " " + Self.femaleSurnames[roll(Self.femaleSurnames.count)]
        let survivor = Survivor(
            name: survivorName,
            phone: String(format: "+7 70%d %03d %04d", roll(10), roll(1000), roll(10_000)),
            contact: roll(4) == 0 ? "crisis centre shelter" : "home address on file")
        let respondent = Respondent(
            name: Self.maleNames[roll(Self.maleNames.count)] + " " + Self.maleSurnames[roll(Self.maleSurnames.count)],
            birthDate: LocalDay(year: 1960 + roll(45), month: 1 + roll(12), day: 1 + roll(28)),
            address: "ул. \(Self.streets[roll(Self.streets.count)]) \(1 + roll(200)), кв. \(1 + roll(120))")
        // One order in a hundred is never served; the newest wait for service.
        let serviceT = issuedT + 3600 * Double(1 + roll(20)) + 60 * Double(roll(60))
        let servedT: Double? = i % 100 == 37 || serviceT > nowT - 600 ? nil : serviceT
        var revokedT: Double?
        var reason: String?
        if let s = servedT, i % 33 == 12 {
            let at = (s + 86_400 * between(2, 25)).rounded()
            if at <= nowT - 600 { revokedT = at; reason = "the court set special requirements instead" }
        } else if servedT == nil, issuedT < nowT - 3 * 86_400 {
            // An order that could not be served is withdrawn, not left waiting for years.
            revokedT = (issuedT + between(86_400, 3 * 86_400)).rounded()
            reason = "withdrawn: the respondent could not be found to serve it"
        }
        let number = (special ? "ОТ-" : "ЗП-") + String(format: "%07d", i + 1)
        var order = Order(
            id: Int64(i + 1), number: number, kind: kind, issued: issued, served: servedT.map(Date.init(timeIntervalSince1970:)),
            termDays: termDays, checkIntervalDays: interval, district: Self.districts[district], officer: officer,
            restrictions: special ? "no contact; no alcohol; report to the police twice a month"
                : "no contact, in person or by phone; no visits",
            survivor: survivor, respondent: respondent,
            revoked: revokedT.map(Date.init(timeIntervalSince1970:)), revocationReason: reason)
        do {
            order = try scheduler.admitNew(order, now: now)
        } catch {
            throw BulkLoadError.generated("order \(number): \(error)")
        }
        var checks: [Check] = []
        var breaches: [(breach: Breach, checkIndex: Int?)] = []
        if let servedT, let served = order.served {
            let expiresT = scheduler.expires(served: served, termDays: termDays).timeIntervalSince1970
            let endsT = min(expiresT, revokedT ?? expiresT)
            // Nothing is recorded after the end, nor after now.
            let limitT = min(endsT, nowT - 300)
            // Checks: mostly on time, some a few days late (a missed check), a few much later, and
            // some attempts where the respondent was not found (the clock keeps running).
            var anchor = LocalDay(served, in: scheduler.timeZone)
            var retry: LocalDay?
            while true {
                let day: LocalDay
                if let r = retry {
                    day = r
                    retry = nil
                } else {
                    let r = roll(100)
                    let offset = r < 74 ? max(1, interval - roll(4)) : r < 92 ? interval + 1 + roll(3) : interval + 4 + roll(5)
                    day = anchor + offset
                }
                let atT = days.start(day) + 3600 * Double(9 + roll(10)) + 300 * Double(roll(12))
                guard atT > servedT, atT <= limitT else { break }
                let notLocated = roll(100) < 6
                let method: CheckMethod = [.visit, .visit, .visit, .visit, .visit, .visit, .visit, .phone, .phone, .summons][roll(10)]
                checks.append(Check(orderID: Int64(i + 1), at: Date(timeIntervalSince1970: atT),
                                    officer: roll(5) == 0 ? Self.officer(district: district, roll(12)) : officer,
                                    method: notLocated ? .visit : method, outcome: notLocated ? .notLocated : .compliant))
                if notLocated { retry = day + 1 + roll(2) } else { anchor = day }
            }
            if i % spec.breachEvery == 5, limitT > servedT + 3600 {
                let counted = checks.indices.filter { checks[$0].outcome.isCounted }
                var breach: Breach
                var found: Int?
                if !counted.isEmpty, roll(10) < 4 {
                    let c = counted[roll(counted.count)]
                    checks[c].outcome = .breach
                    checks[c].note = "respondent seen near the survivor's home"
                    breach = Breach(orderID: Int64(i + 1), occurred: checks[c].at,
                                    reported: Date(timeIntervalSince1970: min(checks[c].at.timeIntervalSince1970 + 1800, nowT)),
                                    reportedBy: checks[c].officer, description: checks[c].note)
                    found = c
                } else {
                    let occurredT = between(servedT + 3600, limitT).rounded()
                    breach = Breach(orderID: Int64(i + 1), occurred: Date(timeIntervalSince1970: occurredT),
                                    reported: Date(timeIntervalSince1970: min(occurredT + 1800, nowT)),
                                    reportedBy: "survivor, by phone to the crisis centre",
                                    description: "respondent phoned and threatened her")
                }
                let occurredT = breach.occurred.timeIntervalSince1970
                // Answered within two days, except one old breach in a thousand that nobody closed;
                // recent ones are open about half the time.
                let closeT: Double? = if occurredT < nowT - 2 * 86_400 {
                    i % (spec.breachEvery * 1000) == 5 ? nil : (occurredT + between(2 * 3600, 48 * 3600)).rounded()
                } else if roll(2) == 0, occurredT + 3 * 3600 <= nowT {
                    (occurredT + between(3600, min(24 * 3600, nowT - occurredT))).rounded()
                } else {
                    nil
                }
                do {
                    breach = try scheduler.admit(breach, on: order, now: now)
                    if let closeT {
                        let action = try scheduler.admitClosing(breach, at: Date(timeIntervalSince1970: closeT),
                                                                action: "protocol under art. 461 drawn up; respondent warned", now: now)
                        breach.closed = Date(timeIntervalSince1970: closeT)
                        breach.action = action
                    }
                } catch {
                    throw BulkLoadError.generated("breach on \(number): \(error)")
                }
                breaches.append((breach, found))
            }
            do {
                for c in checks.indices { checks[c] = try scheduler.admit(checks[c], on: order, now: now) }
            } catch {
                throw BulkLoadError.generated("check on \(number): \(error)")
            }
        }
        if let revoked = order.revoked {
            var unrevoked = order
            unrevoked.revoked = nil
            unrevoked.revocationReason = nil
            do {
                _ = try scheduler.admitRevocation(at: revoked, reason: order.revocationReason ?? "",
                                                  of: OrderHistory(order: unrevoked, checks: checks, breaches: breaches.map(\.breach)),
                                                  now: now)
            } catch {
                throw BulkLoadError.generated("revocation of \(number): \(error)")
            }
        }
        let history = OrderHistory(order: order, checks: checks, breaches: breaches.map(\.breach))
        let timeline = scheduler.timeline(of: history, asOf: .distantFuture)
        let key = Order.numberKey(order.number)
        let sealed = try vault.seal(encoder.encode(order.survivor), context: key)
        let inEffect = (order.served.map { $0 <= now } ?? false) && (timeline.ends.map { $0 > now } ?? false)
        return BulkOrder(index: i, order: order, key: key, sealedSurvivor: sealed, initials: Initials.of(order.survivor.name),
                         checks: checks, breaches: breaches, timeline: timeline,
                         lastCounted: checks.filter(\.outcome.isCounted).map(\.at).max(), inEffect: inEffect,
                         searchText: OrderListing.searchText(order).indexText,
                         sortKeys: [order.respondent.name, order.district, order.officer].map { NameOrder.sortKey($0).bytes },
                         survivorTokens: nameTokens?(order.survivor.name))
    }

    static func officer(district: Int, _ k: Int) -> String {
        let n = district * 12 + k
        return maleSurnames[n % maleSurnames.count] + " " + initials[(n / maleSurnames.count) % initials.count] + "."
    }

    static let districts = [
        "Алатауский (Алматы)", "Алмалинский (Алматы)", "Ауэзовский (Алматы)", "Бостандыкский (Алматы)",
        "Жетысуский (Алматы)", "Медеуский (Алматы)", "Наурызбайский (Алматы)", "Турксибский (Алматы)",
        "Алматы ауданы (Астана)", "Байқоңыр (Астана)", "Есиль (Астана)", "Сарыарка (Астана)", "Нұра (Астана)",
        "Абайский (Шымкент)", "Әл-Фараби (Шымкент)", "Еңбекші (Шымкент)", "Қаратау (Шымкент)", "Тұран (Шымкент)",
        "Қазыбек би (Қарағанды)", "Әлихан Бөкейхан (Қарағанды)", "Ақтөбе", "Павлодар", "Өскемен", "Семей", "Атырау",
        "Тараз", "Қостанай", "Қызылорда", "Орал", "Петропавл", "Ақтау", "Түркістан", "Талдықорған", "Көкшетау",
        "Жезқазған", "Екібастұз",
    ]
    static let femaleNames = [
        "Айгерим", "Гүлнар", "Мария", "Dana", "Әсел", "Ольга", "Жанар", "Aigerim", "Светлана", "Динара", "Ақмарал",
        "Назерке", "Сәуле", "Елена", "Татьяна", "Мадина", "Алия", "Жібек", "Камила", "Anna", "Индира", "Бибігүл",
        "Гаухар", "Людмила",
    ]
    static let femaleSurnames = [
        "Нұрланқызы", "Сәрсенбаева", "Иванова", "Abenova", "Қайратқызы", "Ким", "Төлеуова", "Bekova", "Петренко",
        "Ержанова", "Смағұлова", "Омарова", "Кузнецова", "Жұмабаева", "Ахметова", "Садықова", "Попова", "Ысқақова",
        "Tulegenova", "Байжанова",
    ]
    static let maleNames = [
        "Нұрсұлтан", "Ерлан", "Сергей", "Timur", "Қайрат", "Виктор", "Бауыржан", "Arman", "Олег", "Ғалым", "Дмитрий",
        "Асхат", "Марат", "Андрей", "Данияр", "Руслан", "Нуржан", "Алексей", "Ержан", "Самат", "Ilyas", "Бекзат",
    ]
    static let maleSurnames = [
        "Әбілқайыров", "Сапаров", "Иванов", "Abenov", "Жұмабаев", "Ким", "Төлеуов", "Bekov", "Петренко", "Ержанов",
        "Соколов", "Смағұлов", "Омаров", "Кузнецов", "Ахметов", "Садықов", "Попов", "Ысқақов", "Tulegenov", "Байжанов",
        "Нұрланов", "Серікбаев",
    ]
    static let initials = ["А", "Б", "Г", "Д", "Е", "Ж", "И", "К", "Л", "М", "Н", "О", "П", "Р", "С", "Т"]
    static let streets = ["Абая", "Сейфуллина", "Желтоқсан", "Төле би", "Мәметовой", "Гагарина", "Достык", "Республики",
                          "Кенесары", "Тауелсиздик"]
}

/// SplitMix64, the bulk generator's own, so that its files stay the same whatever else changes.
struct BulkRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The first instant of each local day, computed once per day: the same as `LocalDay.start(in:)`.
struct DayStarts {
    let timeZone: TimeZone
    private var cache: [Int: Double] = [:]

    init(timeZone: TimeZone) { self.timeZone = timeZone }

    mutating func start(_ day: LocalDay) -> Double {
        if let t = cache[day.ordinal] { return t }
        let t = day.start(in: timeZone).timeIntervalSince1970
        cache[day.ordinal] = t
        return t
    }
}

/// A value handed to worker threads that each touch only their own part of it.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The inserts of a bulk load, with statements prepared once, and ids given in order.
final class BulkInserter {
    let orders: Statement
    let checks: Statement
    let breaches: Statement
    let list: Statement
    let search: Statement
    let names: Statement
    let login: String
    let nowT: Double
    var nextCheckID: Int64
    var nextBreachID: Int64

    init(db: Database, login: String, now: Date) throws {
        orders = try db.makeStatement(sql: """
            INSERT INTO orders (id, number, numberKey, kind, issued, served, termDays, checkIntervalDays, district,
                officer, restrictions, survivor, survivorInitials, respondentName, respondentBirthDate, respondentAddress,
                respondentPhone, revoked, revocationReason, expires, ends, lastCountedCheck, nextDue, createdAt, createdBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        list = try db.makeStatement(sql: """
            INSERT INTO orderList (orderID, numberKey, sortRespondent, sortDistrict, sortOfficer, survivorIndexed) VALUES (?, ?, ?, ?, ?, ?)
            """)
        search = try db.makeStatement(sql: "INSERT INTO orderSearch (rowid, text) VALUES (?, ?)")
        names = try db.makeStatement(sql: "INSERT INTO survivorIndex (token, orderID) VALUES (?, ?)")
        checks = try db.makeStatement(sql: """
            INSERT INTO checks (id, orderID, at, officer, method, outcome, counted, note, recordedAt, recordedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        breaches = try db.makeStatement(sql: """
            INSERT INTO breaches (id, orderID, occurred, reported, reportedBy, description, checkID, closed, action,
                closedBy, recordedAt, recordedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        self.login = login
        nowT = now.timeIntervalSince1970
        nextCheckID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM checks") ?? 0) + 1
        nextBreachID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM breaches") ?? 0) + 1
    }

    func insert(_ g: BulkOrder, into summary: inout BulkSummary) throws {
        let o = g.order
        try orders.execute(arguments: [
            o.id, o.number, g.key, o.kind.rawValue, o.issued.timeIntervalSince1970, o.served?.timeIntervalSince1970,
            o.termDays, o.checkIntervalDays, o.district, o.officer, o.restrictions, g.sealedSurvivor, g.initials,
            o.respondent.name, o.respondent.birthDate?.iso, o.respondent.address, o.respondent.phone,
            o.revoked?.timeIntervalSince1970, o.revocationReason, g.timeline.expires?.timeIntervalSince1970,
            g.timeline.ends?.timeIntervalSince1970, g.lastCounted?.timeIntervalSince1970, g.timeline.nextDue?.iso,
            nowT, login,
        ])
        try list.execute(arguments: [o.id, g.key, g.sortKeys[0], g.sortKeys[1], g.sortKeys[2], g.survivorTokens != nil])
        try search.execute(arguments: [o.id, g.searchText])
        for token in g.survivorTokens ?? [] { try names.execute(arguments: [token, o.id]) }
        var checkIDs: [Int64] = []
        checkIDs.reserveCapacity(g.checks.count)
        for c in g.checks {
            let id = nextCheckID
            nextCheckID += 1
            checkIDs.append(id)
            try checks.execute(arguments: [
                id, o.id, c.at.timeIntervalSince1970, c.officer, c.method.rawValue, c.outcome.rawValue, c.outcome.isCounted,
                c.note, nowT, login,
            ])
        }
        for (b, checkIndex) in g.breaches {
            let id = nextBreachID
            nextBreachID += 1
            try breaches.execute(arguments: [
                id, o.id, b.occurred.timeIntervalSince1970, b.reported.timeIntervalSince1970, b.reportedBy, b.description,
                checkIndex.map { checkIDs[$0] }, b.closed?.timeIntervalSince1970, b.action, b.closed == nil ? nil : login,
                nowT, login,
            ])
            if b.isOpen { summary.openBreaches += 1 }
        }
        summary.orders += 1
        summary.checks += g.checks.count
        summary.breaches += g.breaches.count
        if g.inEffect { summary.inEffect += 1 }
        if o.served == nil && o.revoked == nil { summary.unserved += 1 }
        if o.revoked != nil { summary.revoked += 1 }
        if o.kind == .specialRequirements { summary.specialRequirements += 1 }
    }
}
