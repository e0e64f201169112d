import Foundation
import OrderModel
import Scheduler

/// One row of the order list: the order and where it stands.
public struct OrderSummary: Hashable, Sendable {
    public var order: Order
    public var status: OrderStatus
    public var expires: Date?
    public var nextDue: LocalDay?
    public var openBreaches: Int
}

/// One page of the order list, and where the next begins (nil: nothing follows).
public struct OrderListPage: Sendable {
    public var rows: [OrderSummary]
    public var next: OrderCursor?
    /// The damaged orders among the rows this page read.
    public var damaged: [DamagedRecord]
}

/// Everything about one order, for its screen and `order show`.
public struct OrderDetail: Sendable {
    public var history: OrderHistory
    public var timeline: OrderTimeline
    public var entries: [HistoryEntry]
    public var corrections: [Correction]
}

/// What a person who may not, or cannot yet, open survivor data sees of her.
public enum Masked {
    public static let hidden = "[hidden]"

    public static func survivor(initials: String) -> Survivor {
        Survivor(name: initials, phone: hidden, contact: hidden, notes: hidden)
    }
}

extension OrderStore {
    // MARK: - Opening what is sealed (decided here, for every backend)

    /// The survivor of a stored order: opened when this session may and can, else initials and "[hidden]".
    func survivor(_ stored: StoredOrder) throws -> Survivor {
        let masked = stored.history.order.survivor
        guard canSeeSurvivor, let sealed = stored.sealedSurvivor,
              let plain = try open(sealed, context: Order.numberKey(stored.history.order.number)) else { return masked }
        return try JSONDecoder().decode(Survivor.self, from: plain)
    }

    /// Opens a sealed value (nil while locked). One that does not open because another session has
    /// changed the key since this one was unlocked is said to be that, not damage.
    func open(_ sealed: Data, context: String) throws -> Data? {
        do {
            return try vault.open(sealed, context: context)
        } catch StoreError.sealedValueDamaged {
            if let current = try? backend.currentKeyRecord(), current.publicKey != vault.record.publicKey {
                throw StoreError.keyChanged
            }
            throw StoreError.sealedValueDamaged
        }
    }

    /// A stored correction as shown: survivor values only when they may be seen.
    func correction(_ stored: StoredCorrection, reveal: Bool) throws -> Correction {
        var value = stored.value ?? Masked.hidden
        if stored.field.isSurvivorData {
            value = Masked.hidden
            if reveal, canSeeSurvivor, let sealed = stored.sealed,
               let plain = try open(sealed, context: stored.numberKey + "/" + stored.field.rawValue) {
                value = String(decoding: plain, as: UTF8.self)
            }
        }
        return Correction(id: stored.id, field: stored.field, value: value, reason: stored.reason, at: stored.at,
                          account: stored.account)
    }

    /// The stored order with its survivor opened (when allowed) and every correction applied.
    func opened(_ stored: StoredOrder) throws -> (history: OrderHistory, corrections: [Correction]) {
        var history = stored.history
        history.order.survivor = try survivor(stored)
        let corrections = try stored.corrections.map { try correction($0, reveal: true) }
        history.order = history.order.applying(corrections.filter(\.field.isSurvivorData))
        return (history, corrections)
    }

    // MARK: - Reads

    /// One order with its checks, breaches, timeline as of `instant`, and history entries. The
    /// survivor's details are opened when this session may and can, and that opening is audited
    /// (`recordOpening` false only when a screen already open redraws).
    public func detail(number: String, asOf instant: Date, now: Date, recordOpening: Bool = true) throws -> OrderDetail {
        guard let stored = try backend.order(number: number) else { throw Refusal.unknownOrder(number) }
        let (history, corrections) = try opened(stored)
        let entries = try backend.entries(forOrder: history.order.id ?? 0) ?? []
        if canSeeSurvivor && recordOpening {
            try backend.recordEvent(.survivorViewed(orderID: history.order.id ?? 0, number: history.order.number), now: now)
        }
        return OrderDetail(history: history, timeline: scheduler.timeline(of: history, asOf: instant), entries: entries,
                           corrections: corrections)
    }

    /// Every survivor's name by order ID, opened in memory only (never written anywhere), for a
    /// screen's search as one types; empty when this session may not or cannot open survivor data.
    /// Opening them is audited like opening one order's details: one entry, by whom, when and how
    /// many names, never which.
    public func survivorNames(now: Date) throws -> [Int64: String] {
        guard canSeeSurvivor else { return [:] }
        let names = try openSurvivorNames()
        try backend.recordEvent(.survivorNamesOpened(count: names.count), now: now)
        return names
    }

    /// The IDs of orders whose survivor's name matches `query` as a search (``SearchFold``: any
    /// case, either script, the usual romanisations; every word of the query somewhere in the
    /// name); empty for a query with nothing to search for, and when this session may not or
    /// cannot open survivor data. Each search that opens survivor data is audited like opening an
    /// order's details: one entry, by whom, when and how many orders matched; never the query,
    /// which is survivor data itself.
    ///
    /// `openingEvery` false (a screen searching as one types): a query the keyed index cannot look up (every word one
    /// or two letters) matches no survivor, rather than opening every sealed record on a key; nothing is opened
    /// nor audited then. A longer query on a backend without the index (a server) still opens every one.
    public func ordersWithSurvivorMatching(_ query: String, now: Date, openingEvery: Bool = true) throws -> Set<Int64> {
        let search = SearchQuery(query)
        guard !search.isEmpty, canSeeSurvivor,
              let found = try survivorsMatching(search, now: now, openingEvery: openingEvery, candidatesUnopened: false) else {
            return []
        }
        try backend.recordEvent(.survivorSearched(matched: found.matched.count), now: now)
        return found.matched
    }

    /// The orders whose survivor's name matches `search`: through the keyed index of names (`BlindIndex`),
    /// only the candidates it gives and the orders not in it yet are opened; without the index (a server,
    /// or a query whose every word is one or two letters: no token stands for those) every survivor is
    /// opened, as before. Orders found not in the index are put in it, with this session's key.
    /// Nil (nothing opened) when `openingEvery` is false and no word of the query is long enough for the index.
    /// With `candidatesUnopened`, the index's candidates are not opened but handed back apart (`candidates`), for
    /// the list to open only those of the rows it reads (`checkedCandidates`); the orders not in the index are
    /// opened (and indexed) all the same.
    private func survivorsMatching(_ search: SearchQuery, now: Date, openingEvery: Bool, candidatesUnopened: Bool) throws
    -> (matched: Set<Int64>, candidates: Set<Int64>)? {
        var records: [(id: Int64, numberKey: String, sealed: Data)]?
        var unindexed: [(id: Int64, numberKey: String, sealed: Data)] = []
        var candidates = Set<Int64>()
        if let key = BlindIndex.key(vault) {
            let words = BlindIndex.queryTokens(search, key: key).compactMap { $0 }
            if !words.isEmpty, let found = try backend.survivorCandidates(words) {
                if candidatesUnopened {
                    candidates = Set(found.sealed.map(\.id))
                    records = found.unindexed
                } else {
                    records = found.sealed + found.unindexed
                }
                unindexed = found.unindexed
            } else if words.isEmpty, !openingEvery {
                return nil
            }
        }
        let names = try openNames(records ?? backend.sealedSurvivors())
        if !unindexed.isEmpty, let key = BlindIndex.key(vault) {
            try backend.write(.viewSurvivor, now: now) { tx in
                for record in unindexed {
                    try tx.indexSurvivor(orderID: record.id, tokens: names[record.id].map { BlindIndex.tokens(name: $0, key: key) } ?? [])
                }
            }
        }
        let matched = Set(names.filter { search.matches(FoldedText($0.value)) }.keys)
        return (matched, candidates.subtracting(matched))
    }

    /// The rows of `rows` that `search` finds: a row selected only as a survivor candidate (`OrderSearch`) is kept
    /// when her name, opened now (from the row's sealed survivor, else read by ID), matches. Only those rows are
    /// opened: a row that matches by its text, or by a survivor matched already, is not. A sealed value that does
    /// not open is no match (no read of the key record here: this may run inside a backend's read).
    func checkedCandidates(_ rows: Screened<OrderListRow>, _ search: OrderSearch?) throws -> Screened<OrderListRow> {
        guard let search, !search.survivorCandidates.isEmpty else { return rows }
        let doubtful = rows.values.filter { row in
            let id = row.order.id ?? 0
            return search.survivorCandidates.contains(id) && !search.survivorMatches.contains(id)
                && !search.query.matches(OrderListing.searchText(row.order))
        }
        guard !doubtful.isEmpty else { return rows }
        var sealed = doubtful.compactMap { row in
            row.sealedSurvivor.map { (id: row.order.id ?? 0, numberKey: Order.numberKey(row.order.number), sealed: $0) }
        }
        let unread = Set(doubtful.compactMap { $0.sealedSurvivor == nil ? $0.order.id : nil })
        if !unread.isEmpty { sealed += try backend.sealedSurvivors(orderIDs: unread) }
        var kept = Set<Int64>()
        for record in sealed {
            guard let plain = try? vault.open(record.sealed, context: record.numberKey),
                  let name = try? JSONDecoder().decode(Survivor.self, from: plain).name,
                  search.query.matches(FoldedText(name)) else { continue }
            kept.insert(record.id)
        }
        let dropped = Set(doubtful.compactMap(\.order.id)).subtracting(kept)
        guard !dropped.isEmpty else { return rows }
        return Screened(values: rows.values.filter { !dropped.contains($0.order.id ?? 0) }, damaged: rows.damaged)
    }

    /// Every survivor's name by order ID, opened in memory: not audited here, callers audit.
    private func openSurvivorNames() throws -> [Int64: String] {
        guard canSeeSurvivor else { return [:] }
        return try openNames(backend.sealedSurvivors())
    }

    /// The names of sealed survivors by order ID, opened in memory. A sealed value that does not open
    /// (changed outside Qorgau) is left out: one damaged record does not take the search away from the others.
    private func openNames(_ records: [(id: Int64, numberKey: String, sealed: Data)]) throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        for (id, key, sealed) in records {
            do {
                if let plain = try open(sealed, context: key) {
                    names[id] = try JSONDecoder().decode(Survivor.self, from: plain).name
                }
            } catch StoreError.sealedValueDamaged {
                continue
            } catch is DecodingError {
                continue
            }
        }
        return names
    }

    /// A search of the order list (`orderPage`): `text` folded once, and the orders whose survivor's name
    /// matches it, when this session may and can open survivor data: through the keyed index, the candidates
    /// it gives are kept unopened (`OrderSearch.survivorCandidates`), and only those of the rows a page reads are
    /// opened, then (`checkedCandidates`); without the index (a server without it, or a query every word of which
    /// is shorter than three letters, with `openingEvery`) every survivor is opened now. Audited once, as
    /// `ordersWithSurvivorMatching` is, with the orders found through her name: the matches and the candidates
    /// (at most the index's rare false candidates more). Nil for a query with nothing to search for.
    public func orderSearch(_ text: String, now: Date, openingEvery: Bool = true) throws -> OrderSearch? {
        let query = SearchQuery(text)
        guard !query.isEmpty else { return nil }
        guard canSeeSurvivor,
              let found = try survivorsMatching(query, now: now, openingEvery: openingEvery, candidatesUnopened: true) else {
            return OrderSearch(query: query)
        }
        try backend.recordEvent(.survivorSearched(matched: found.matched.count + found.candidates.count), now: now)
        return OrderSearch(query: query, survivorMatches: found.matched, survivorCandidates: found.candidates)
    }

    /// One page of the order list: the orders with `status` at `instant` (nil: all) that `search` finds,
    /// in the order of `sort` (names in the alphabet's order, `NameOrder`; ties by number), after `after`,
    /// at most `limit`; with the cursor of the next page (nil at the end) and the damaged orders among the
    /// rows read. Reads only the page (and, for a search, its matches) where the backend keeps an index.
    public func orderPage(status: OrderStatus?, sort: OrderSort = .number, descending: Bool = false, after: OrderCursor? = nil,
                          limit: Int, search: OrderSearch? = nil, asOf instant: Date) throws -> OrderListPage {
        let read = try backend.screenedOrderPage(OrderPageRequest(status: status, sort: sort, descending: descending, after: after,
                                                                  limit: limit, search: search, asOf: instant))
        let rows = try checkedCandidates(read.rows, search)
        return OrderListPage(rows: rows.values.map { summary($0, asOf: instant) }, next: read.next, damaged: rows.damaged)
    }

    /// The whole order list (as `orderPage` pages it: `status`, `search`, `sort`), read `passes` times over one
    /// snapshot of the store, so that a write meanwhile changes nothing of it between the passes or the pages;
    /// handed to `body` with the pass (from 0) `pageSize` rows at a time (fewer where damaged rows were left out;
    /// each page's `next` is nil). Where the backend keeps an index, one cursor reads it: the search is looked
    /// up once per pass, and memory holds one page.
    public func eachOrderPage(status: OrderStatus?, sort: OrderSort = .number, search: OrderSearch? = nil, asOf instant: Date,
                              pageSize: Int, passes: Int = 1, _ body: (_ pass: Int, OrderListPage) throws -> Void) throws {
        let request = OrderPageRequest(status: status, sort: sort, limit: pageSize, search: search, asOf: instant)
        try backend.scanOrderList(request, batch: pageSize, passes: passes) { pass, read in
            let rows = try checkedCandidates(read, search)
            try body(pass, OrderListPage(rows: rows.values.map { summary($0, asOf: instant) }, next: nil, damaged: rows.damaged))
        }
    }

    /// How many orders the list with `status` at `instant` (nil: all) holds that `search` finds, counted up to
    /// `cap` (nil: every one): what a screen says as "row N of M". A count to the end reads every match, so a
    /// screen caps the count of a search, whose matches it cannot count from an index alone.
    public func orderCount(status: OrderStatus?, search: OrderSearch? = nil, cap: Int? = nil, asOf instant: Date) throws -> Int {
        try backend.orderCount(OrderPageRequest(status: status, limit: 0, search: search, asOf: instant), cap: cap)
    }

    /// The respondents' names of the orders `ids`, by order ID (damaged orders left out).
    public func respondentNames(orderIDs ids: Set<Int64>) throws -> [Int64: String] {
        try backend.respondentNames(orderIDs: ids)
    }

    // Every read below checks each stored value on the way in: an order with a value no Qorgau wrote
    // (an instant outside 1900–2200 or not a number, a term or interval outside the rule set's range,
    // an unknown kind, text that is not whole) is left out and named once in `damaged`; every other
    // order is computed as usual. The unscreened forms return the same values without that list.

    /// The orders with `status` as of `instant` (nil: all), by number, and the damaged ones.
    public func screenedOrders(status: OrderStatus?, asOf instant: Date) throws -> Screened<OrderSummary> {
        try backend.screenedOrders(status: status, asOf: instant).map { summary($0, asOf: instant) }
    }

    /// A row of the list as shown: its status at `instant`, expiry and next due date.
    private func summary(_ row: OrderListRow, asOf instant: Date) -> OrderSummary {
        let history = OrderHistory(order: row.order, checks: row.lastCountedCheck.map {
            [Check(orderID: row.order.id ?? 0, at: $0, officer: "", outcome: .compliant)]
        } ?? [])
        let timeline = scheduler.timeline(of: history, asOf: .distantFuture)
        return OrderSummary(order: row.order, status: scheduler.status(of: row.order, asOf: instant),
                            expires: timeline.expires, nextDue: timeline.nextDue, openBreaches: row.openBreaches)
    }

    /// The orders with `status` as of `instant` (nil: all), by number (damaged ones left out).
    public func orders(status: OrderStatus?, asOf instant: Date) throws -> [OrderSummary] {
        try screenedOrders(status: status, asOf: instant).values
    }

    /// Today's alerts as of `instant` (RULES.md 5 to 9), most urgent first, and the damaged orders.
    /// With `among`, the alerts of those orders only (the others' are not read): what a screen replaces after they changed.
    public func screenedAlerts(asOf instant: Date, among ids: Set<Int64>? = nil) throws -> Screened<Alert> {
        let candidates = try backend.screenedAlertCandidates(asOf: instant, among: ids)
        return Screened(values: scheduler.alerts(for: candidates.values, asOf: instant), damaged: candidates.damaged)
    }

    /// Today's alerts as of `instant` (RULES.md 5 to 9), most urgent first (damaged orders left out).
    public func alerts(asOf instant: Date) throws -> [Alert] {
        try screenedAlerts(asOf: instant).values
    }

    /// Missed checks due, and breaches that occurred, from `from` to `to` (inclusive), as known at
    /// `instant`, and the damaged orders.
    /// With `among`, the violations of those orders only.
    public func screenedViolations(from: LocalDay, to: LocalDay, asOf instant: Date, among ids: Set<Int64>? = nil) throws
        -> Screened<Violation> {
        let histories = try backend.screenedViolationCandidates(from: from.start(in: timeZone), to: (to + 1).start(in: timeZone),
                                                                among: ids)
        return Screened(values: scheduler.violations(for: histories.values, from: from, to: to, asOf: instant),
                        damaged: histories.damaged)
    }

    /// Missed checks due, and breaches that occurred, from `from` to `to` (inclusive), as known at `instant`
    /// (damaged orders left out).
    public func violations(from: LocalDay, to: LocalDay, asOf instant: Date) throws -> [Violation] {
        try screenedViolations(from: from, to: to, asOf: instant).values
    }

    /// Every order with its whole history, by number (for export and for checking the morning
    /// queries against the scheduler), and the damaged ones.
    public func screenedHistories() throws -> Screened<OrderHistory> {
        try backend.screenedAllOrders().map { try opened($0).history }
    }

    /// Every order with its whole history, by number (damaged ones left out).
    public func histories() throws -> [OrderHistory] {
        try screenedHistories().values
    }

    /// Every order that cannot be read as stored, each once with the first field found damaged: what
    /// a screen shows as a warning line. Reads every order, so call it on opening and after a change,
    /// not on every redraw.
    public func damagedRecords() throws -> [DamagedRecord] {
        try backend.screenedOrders(status: nil, asOf: .distantFuture).damaged
    }

    /// The day of the first order issued, or nil for an empty store.
    public func firstIssueDay() throws -> LocalDay? {
        try backend.firstIssue().map { LocalDay($0, in: timeZone) }
    }

    public func counts() throws -> StoreCounts { try backend.counts() }

    /// A number that changes whenever anyone writes: how open screens notice another terminal's writes.
    public func changeMark() throws -> Int64 { try backend.changeMark() }

    /// The orders written after `mark` that this session may see, and the mark they reach (`OrderChanges`): what an open
    /// screen reads again. Unknown (read everything) past `limit` orders.
    public func changedOrders(since mark: Int64, limit: Int = 500) throws -> OrderChanges {
        try backend.changedOrders(since: mark, cap: max(limit * 4, 64), limit: limit)
    }

    /// The audit trail, oldest first, optionally for one account and a period (supervisors only).
    public func auditEntries(account: String? = nil, from: LocalDay? = nil, to: LocalDay? = nil, now: Date) throws -> [HistoryEntry] {
        try require(.readAudit, now: now)
        return try backend.auditEntries(account: account, from: from?.start(in: timeZone), to: to.map { ($0 + 1).start(in: timeZone) })
    }

    /// Walks the audit chain (supervisors only).
    public func verifyAudit(now: Date) throws -> AuditFinding {
        try require(.readAudit, now: now)
        return AuditChain.verify(try backend.auditTrail())
    }

    /// Everyone who was ever a user, by login.
    public func users() throws -> [User] { try backend.users() }
}
