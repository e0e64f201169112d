import Foundation
import OrderModel
import OrderStore
import Scheduler

/// The reads the screens make, and nothing else: a view of the session that cannot write, nor make
/// an audited read (opening an order, survivors' names), which the app makes as commands. One reader
/// serves one computation of the figures: a list asked for twice (Orders and Check-in both list the
/// orders in effect) is read once.
struct StoreReader {
    private let store: OrderStore
    private let cache = Cache()

    init(_ store: OrderStore) { self.store = store }

    var timeZone: TimeZone { store.timeZone }

    func changeMark() throws -> Int64 { try store.changeMark() }

    /// The orders the reads of this computation found damaged (left out of every list), each once.
    var damaged: [DamagedRecord] {
        cache.damaged.sorted { ($0.number ?? "", $0.orderID ?? 0) < ($1.number ?? "", $1.orderID ?? 0) }
    }

    /// With `among`, the alerts of those orders only.
    func alerts(asOf instant: Date, among ids: Set<Int64>? = nil) throws -> [Alert] {
        cache.keep(try store.screenedAlerts(asOf: instant, among: ids))
    }

    /// The orders written after `mark` (`OrderStore.changedOrders`).
    func changedOrders(since mark: Int64) throws -> OrderChanges { try store.changedOrders(since: mark, limit: Refresh.limit) }

    /// Forgets the order lists read: they are read again after a write.
    func forgetLists() { cache.orders.removeAll() }

    /// The orders with `status` as of `instant` (nil: all), by number.
    func orders(status: OrderStatus?, asOf instant: Date) throws -> [OrderSummary] {
        let key = Cache.Key(status: status, instant: instant)
        if let list = cache.orders[key] { return list }
        let list = cache.keep(try store.screenedOrders(status: status, asOf: instant))
        // A few lists at most: the ones of this computation, and of a time typed into the check-in.
        if cache.orders.count >= 3 { cache.orders.removeAll() }
        cache.orders[key] = list
        return list
    }

    /// The respondents' names of the orders `ids`, by order ID.
    func respondentNames(orderIDs ids: Set<Int64>) throws -> [Int64: String] { try store.respondentNames(orderIDs: ids) }

    /// One page of the order list (see `OrderStore.orderPage`); its damaged orders are kept with the others found.
    func orderPage(status: OrderStatus?, sort: OrderSort, descending: Bool, after: OrderCursor?, limit: Int, search: OrderSearch?,
                   asOf instant: Date) throws -> OrderListPage {
        let page = try store.orderPage(status: status, sort: sort, descending: descending, after: after, limit: limit, search: search,
                                       asOf: instant)
        cache.damaged.formUnion(page.damaged)
        return page
    }

    /// How many orders the list holds, up to `cap` (see `OrderStore.orderCount`).
    func orderCount(status: OrderStatus?, search: OrderSearch?, cap: Int?, asOf instant: Date) throws -> Int {
        try store.orderCount(status: status, search: search, cap: cap, asOf: instant)
    }

    /// With `among`, the violations of those orders only.
    func violations(from: LocalDay, to: LocalDay, asOf instant: Date, among ids: Set<Int64>? = nil) throws -> [Violation] {
        cache.keep(try store.screenedViolations(from: from, to: to, asOf: instant, among: ids))
    }

    /// One order as of `instant`, for a screen already showing it (not recorded as an opening).
    func detail(number: String, asOf instant: Date) throws -> OrderDetail {
        try store.detail(number: number, asOf: instant, now: instant, recordOpening: false)
    }

    private final class Cache {
        struct Key: Hashable {
            var status: OrderStatus?
            var instant: Date
        }

        var orders: [Key: [OrderSummary]] = [:]
        var damaged: Set<DamagedRecord> = []

        func keep<T>(_ screened: Screened<T>) -> [T] {
            damaged.formUnion(screened.damaged)
            return screened.values
        }
    }
}

/// Keeps the figures current: which screens have been loaded, as of when, and the store's change mark,
/// so that another terminal's write, a new day or a minute gone by computes them again. Screens load
/// when first shown, then with every computation after. It holds no figures itself, so nothing of a survivor:
/// the screens hold what they show and drop it when the screens lock (`Screen.forgetSurvivorData`), and the
/// reader's cache (order lists, survivors masked) is dropped with the reader, made anew as the lock engages.
struct Loader {
    private(set) var asOf: Date
    /// When the figures were last computed whole: a minute after, they are again.
    private var wholeAsOf: Date
    private(set) var changeMark: Int64 = -1
    private var loaded: Set<ScreenID> = []
    /// How many whole computations there were (a test tells a refresh from a reload by it).
    private(set) var wholeComputations = 0

    init(now: Date) {
        asOf = now
        wholeAsOf = now
    }

    /// How out of date the figures are at `now`.
    enum Staleness {
        case current
        /// Someone wrote: the orders written are read again (`Refresh`).
        case written
        /// The day changed, or a minute passed since they were computed whole: every screen reads everything. A new day
        /// changes what is due of every order, and time alone moves alerts (an order ends, a service is late) without
        /// any write to say which orders: only a whole computation finds those.
        case clock
    }

    /// Whether the figures are out of date at `now`: a minute passed or the day changed, or the store changed (`mark`).
    func staleness(now: Date, mark: Int64?, formats: InstantFormat) -> Staleness {
        if formats.day(now) != formats.day(wholeAsOf) || now.timeIntervalSince(wholeAsOf) >= 60 { return .clock }
        return (mark ?? changeMark) != changeMark ? .written : .current
    }

    func hasLoaded(_ id: ScreenID) -> Bool { loaded.contains(id) }

    /// A new computation of the figures begins, as of `now`, with the store at `mark`.
    mutating func start(asOf now: Date, mark: Int64) {
        asOf = now
        wholeAsOf = now
        changeMark = mark
        wholeComputations += 1
    }

    /// The figures of the orders written are computed again, as of `now`, with the store at `mark`; the others keep theirs.
    mutating func advance(asOf now: Date, mark: Int64) {
        asOf = now
        changeMark = mark
    }

    /// The screens a computation loads: `current`, `always`, and every screen loaded before.
    func due(_ screens: [any Screen], current: ScreenID, always: ScreenID) -> [any Screen] {
        screens.filter { $0.id == current || $0.id == always || loaded.contains($0.id) }
    }

    /// A screen whose figures were read (as it opened, or in a computation).
    mutating func markLoaded(_ id: ScreenID) { loaded.insert(id) }

    /// A screen closed for good (an order left): it is not loaded again.
    mutating func forget(_ id: ScreenID) { loaded.remove(id) }
}
