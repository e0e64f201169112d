import Foundation
import OrderModel
import Scheduler

/// What a store holds about itself: the zone its days are counted in, its rule set, and its key record.
public struct StoreSettings: Sendable {
    public var timeZone: TimeZone
    public var rules: RuleSet
    /// The key record; `wrappedPrivateKey` is empty where this person may not read it (a liaison on a server).
    public var vault: Vault.Record

    public init(timeZone: TimeZone, rules: RuleSet, vault: Vault.Record) {
        self.timeZone = timeZone
        self.rules = rules
        self.vault = vault
    }
}

/// One row of the order list as a backend reads it: the order (survivor masked, corrections applied),
/// its last counted check at or before the list's instant, and its breaches open at that instant.
public struct OrderListRow: Sendable {
    public var order: Order
    public var lastCountedCheck: Date?
    public var openBreaches: Int
    /// The sealed survivor, where the backend read it with the row (to check a survivor candidate of a search
    /// without another read); nil otherwise.
    public var sealedSurvivor: Data?

    public init(order: Order, lastCountedCheck: Date?, openBreaches: Int, sealedSurvivor: Data? = nil) {
        self.order = order
        self.lastCountedCheck = lastCountedCheck
        self.openBreaches = openBreaches
        self.sealedSurvivor = sealedSurvivor
    }
}

/// A correction as stored: plain fields as text, survivor fields sealed.
public struct StoredCorrection: Sendable {
    public var id: Int64
    public var orderID: Int64
    public var numberKey: String
    public var field: CorrectableField
    public var value: String?
    public var sealed: Data?
    public var reason: String
    public var at: Date
    public var account: String

    public init(id: Int64, orderID: Int64, numberKey: String, field: CorrectableField, value: String?, sealed: Data?,
                reason: String, at: Date, account: String) {
        self.id = id
        self.orderID = orderID
        self.numberKey = numberKey
        self.field = field
        self.value = value
        self.sealed = sealed
        self.reason = reason
        self.at = at
        self.account = account
    }
}

extension StoredCorrection {
    /// The corrections of plain fields, to apply to an order as read (survivor fields stay sealed).
    public static func plain(_ corrections: [StoredCorrection]?) -> [Correction]? {
        corrections?.compactMap { c in
            c.field.isSurvivorData ? nil
                : Correction(id: c.id, field: c.field, value: c.value ?? "", reason: c.reason, at: c.at, account: c.account)
        }
    }
}

/// An order as stored: its history with the survivor masked and plain corrections applied, plus what
/// only the key opens (the sealed survivor and sealed corrections), left to `SurvivorOpener`.
public struct StoredOrder: Sendable {
    public var history: OrderHistory
    public var sealedSurvivor: Data?
    public var corrections: [StoredCorrection]

    public init(history: OrderHistory, sealedSurvivor: Data?, corrections: [StoredCorrection]) {
        self.history = history
        self.sealedSurvivor = sealedSurvivor
        self.corrections = corrections
    }
}

/// One sealed survivor value as a store keeps it, handed to a rekey to be sealed again to the new key:
/// an order's survivor record (`field` nil) or a sealed correction of one of her fields.
public struct SealedValue: Sendable {
    /// The order's number as entered, and its number key as the store keeps it: what the value is bound to.
    public var number: String
    public var numberKey: String
    public var field: CorrectableField?
    public var sealed: Data

    public init(number: String, numberKey: String, field: CorrectableField?, sealed: Data) {
        self.number = number
        self.numberKey = numberKey
        self.field = field
        self.sealed = sealed
    }
}

/// Counts of records, for status lines and tests.
public struct StoreCounts: Equatable, Sendable {
    public var orders, checks, breaches, history: Int

    public init(orders: Int, checks: Int, breaches: Int, history: Int) {
        self.orders = orders
        self.checks = checks
        self.breaches = breaches
        self.history = history
    }
}

/// The audit trail as a backend hands it over: every entry oldest first, and the head recorded apart.
public struct AuditTrail: Sendable {
    public var entries: [HistoryEntry]
    /// "ID HASH" of the last entry, as the store recorded it apart from the entries.
    public var head: String?

    public init(entries: [HistoryEntry], head: String?) {
        self.entries = entries
        self.head = head
    }
}

/// The store port: what the program does with its records, not how a database does it. `OrderStore`
/// decides roles, admission and sealing once, above every backend; a backend keeps the records, and a
/// server backend also refuses, on the server, what a role may not do.
///
/// Reads return only what this person may see (a server filters rows by district). Every write happens
/// inside `write`, in one transaction with its audit entry.
public protocol StoreBackend: AnyObject, Sendable {
    /// Where the records are, for status lines and messages: a path, or a server address without a password.
    var location: String { get }
    var settings: StoreSettings { get }
    /// Who am I: the enabled user this connection acts for, read when the store was opened.
    var user: User { get }
    /// True for a shared server that enforces roles itself (PostgreSQL); false for one person's file.
    var isShared: Bool { get }

    /// Runs `body` in one transaction for a person allowed `permission`; anything thrown rolls it all back.
    /// A refusal for lack of permission throws `StoreError.notAllowed` or `.disabledUser`.
    func write<T>(_ permission: Permission, now: Date, _ body: (any StoreTransaction) throws -> T) throws -> T
    /// Records, in a transaction of its own, that this person was refused `permission`.
    func recordRefusal(_ permission: Permission, now: Date)
    /// Records an event that is not a change of records (a survivor's details opened, a search of
    /// survivors' names, an export).
    func recordEvent(_ event: AuditEvent, now: Date) throws
    /// The key record as the store holds it now: another session's rekey changes it after this one
    /// opened (the wrapped key is empty where this person may not read it).
    func currentKeyRecord() throws -> Vault.Record

    /// One order by number (trimmed, case-insensitive), or nil.
    func order(number: String) throws -> StoredOrder?
    /// The audit entries about one order, its checks and its breaches (nil when this person may not read them).
    func entries(forOrder id: Int64) throws -> [HistoryEntry]?
    /// Every order, for export and differential tests, by number.
    func allOrders() throws -> [StoredOrder]
    /// Every sealed survivor by order id (search by name opens them in memory).
    func sealedSurvivors() throws -> [(id: Int64, numberKey: String, sealed: Data)]
    /// The orders with `status` at `instant` (nil: all), by number.
    func orders(status: OrderStatus?, asOf instant: Date) throws -> [OrderListRow]
    /// The orders that can have an alert at `instant` (in effect, waiting for service, a breach open),
    /// each with only its last counted check at or before `instant` and its breaches open at `instant`.
    func alertCandidates(asOf instant: Date) throws -> [OrderHistory]
    /// The orders that can have a violation in [start, end): with their whole histories.
    func violationCandidates(from start: Date, to end: Date) throws -> [OrderHistory]
    func firstIssue() throws -> Date?
    func counts() throws -> StoreCounts
    /// A number that changes whenever anyone writes.
    func changeMark() throws -> Int64
    /// The orders written after `mark` that this session may see (`OrderChanges`), from at most `cap` audit entries
    /// and `limit` orders (unknown beyond).
    func changedOrders(since mark: Int64, cap: Int, limit: Int) throws -> OrderChanges
    /// The audit entries, optionally of one account and within [start, end).
    func auditEntries(account: String?, from start: Date?, to end: Date?) throws -> [HistoryEntry]
    /// The whole audit trail with its recorded head, for `audit verify`.
    func auditTrail() throws -> AuditTrail
    func users() throws -> [User]
    /// Tells open screens that someone wrote, without polling: nil where there is nothing to listen to.
    func changeFeed() throws -> (any ChangeFeed)?

    // Reads that check every value on the way in (`RowCheck`): each returns the orders whose rows keep to
    // the bounds, and names once each order that does not. The unscreened reads above are these without
    // the damaged list (`Screening.swift`); `order(number:)` throws `StoreError.damagedRecord` for one.

    /// `orders(status:asOf:)`, screened.
    func screenedOrders(status: OrderStatus?, asOf instant: Date) throws -> Screened<OrderListRow>
    /// `alertCandidates(asOf:)`, screened; with `among`, only those of these orders (what a screen reads again
    /// after a write: the same candidates the whole read would give for them).
    func screenedAlertCandidates(asOf instant: Date, among ids: Set<Int64>?) throws -> Screened<OrderHistory>
    /// `violationCandidates(from:to:)`, screened; with `among`, only those of these orders.
    func screenedViolationCandidates(from start: Date, to end: Date, among ids: Set<Int64>?) throws -> Screened<OrderHistory>
    /// `allOrders()`, screened.
    func screenedAllOrders() throws -> Screened<StoredOrder>

    /// One page of the order list (`OrderPageRequest`), screened: the rows in the request's order after its
    /// cursor, the damaged orders among the rows read, and the cursor of the last row read (nil at the end).
    /// Backends without an index of their own use `StoreBackend.pageInMemory` (reads every order).
    func screenedOrderPage(_ request: OrderPageRequest) throws -> OrderPageRead
    /// The whole list of `request` (its status, search and sort; its cursor and limit aside) in its order, read
    /// `passes` times over one snapshot of the store (one read transaction: a write meanwhile changes none of it),
    /// handed to `body` with the pass (from 0) at most `batch` rows at a time; each row's damage in its batch.
    /// Backends without a scan of their own use `StoreBackend.scanByPages` (pages of `batch`).
    func scanOrderList(_ request: OrderPageRequest, batch: Int, passes: Int,
                       _ body: (_ pass: Int, Screened<OrderListRow>) throws -> Void) throws
    /// How many orders the list of `request` holds (its status and search; its sort, cursor and limit do not
    /// matter), counting at most `cap` (nil: all) and damaged rows with the others. Backends without an index
    /// of their own use `StoreBackend.countInMemory`.
    func orderCount(_ request: OrderPageRequest, cap: Int?) throws -> Int
    /// The respondents' names of the orders `ids` (the violations list searches them), by order ID; the
    /// orders damaged or unknown left out.
    func respondentNames(orderIDs ids: Set<Int64>) throws -> [Int64: String]
    /// The orders whose survivor's name may match a query, through the keyed index of names
    /// (`BlindIndex`): per word of the query, per needle, the keyed trigrams a name must hold all of.
    /// Every word has at least one needle (each of three letters or more). Returns the candidates (a superset
    /// of the matches, to be opened and checked) and, apart, every order whose name is not in the index yet;
    /// nil when the backend keeps no such index (open every one).
    func survivorCandidates(_ words: [[[Int64]]]) throws -> SurvivorCandidates?
    /// The sealed survivors of the orders `ids` (those this person may read; unknown orders left out).
    func sealedSurvivors(orderIDs ids: Set<Int64>) throws -> [(id: Int64, numberKey: String, sealed: Data)]
}

/// The order list's sort: the column a page is ordered by, then the number key (unique).
public enum OrderSort: String, Sendable, CaseIterable {
    case number, respondent, district, officer
}

/// Where a page ends: the sort column's value of its last row (``NameSortKey/bytes``; empty for
/// `.number`) and that row's number key. The next page starts after it.
public struct OrderCursor: Sendable, Hashable {
    public var sortKey: Data
    public var numberKey: String

    public init(sortKey: Data, numberKey: String) {
        self.sortKey = sortKey
        self.numberKey = numberKey
    }
}

/// A search of the order list, folded once: the query over number, respondent, officer and district,
/// and the orders whose survivor's name matched (found once, when the search was made, and audited then).
public struct OrderSearch: Sendable, Hashable {
    public var query: SearchQuery
    public var survivorMatches: Set<Int64>
    /// Orders whose survivor's name may match (the keyed index's candidates, a superset), not opened when the
    /// search was made: a backend selects them with the matches, and a row found only through them is kept once
    /// her name, opened then, matches (`OrderStore.orderPage`, `eachOrderPage`). Only the rows read are opened.
    public var survivorCandidates: Set<Int64>

    public init(query: SearchQuery, survivorMatches: Set<Int64> = [], survivorCandidates: Set<Int64> = []) {
        self.query = query
        self.survivorMatches = survivorMatches
        self.survivorCandidates = survivorCandidates
    }

    /// The orders a backend selects through the survivor's name: matched, or candidates to check.
    public var survivorIDs: Set<Int64> { survivorMatches.union(survivorCandidates) }
}

/// What a page of the order list asks for.
public struct OrderPageRequest: Sendable {
    public var status: OrderStatus?
    public var sort: OrderSort
    public var descending: Bool
    public var after: OrderCursor?
    public var limit: Int
    public var search: OrderSearch?
    public var asOf: Date

    public init(status: OrderStatus?, sort: OrderSort = .number, descending: Bool = false, after: OrderCursor? = nil,
                limit: Int, search: OrderSearch? = nil, asOf: Date) {
        self.status = status
        self.sort = sort
        self.descending = descending
        self.after = after
        self.limit = limit
        self.search = search
        self.asOf = asOf
    }

    /// True when the search filters anything (a query with words, or survivors matched).
    var searches: Bool { search.map { !$0.query.isEmpty } ?? false }
}

/// A page as a backend reads it.
public struct OrderPageRead: Sendable {
    public var rows: Screened<OrderListRow>
    /// The cursor of the last row read (damaged or not) when the page is full; nil when nothing follows.
    public var next: OrderCursor?

    public init(rows: Screened<OrderListRow>, next: OrderCursor?) {
        self.rows = rows
        self.next = next
    }
}

/// Orders whose survivor's name may match (to open and check), and the orders not in the name index.
public struct SurvivorCandidates: Sendable {
    /// The sealed survivors of the candidates found through the index.
    public var sealed: [(id: Int64, numberKey: String, sealed: Data)]
    /// The sealed survivors of every order not in the index yet (added by a session without the key).
    public var unindexed: [(id: Int64, numberKey: String, sealed: Data)]

    public init(sealed: [(id: Int64, numberKey: String, sealed: Data)], unindexed: [(id: Int64, numberKey: String, sealed: Data)]) {
        self.sealed = sealed
        self.unindexed = unindexed
    }
}

/// A descriptor that becomes readable when someone writes (a PostgreSQL LISTEN connection's socket).
public protocol ChangeFeed: AnyObject, Sendable {
    var fileDescriptor: Int32 { get }
    /// Reads what arrived; true when at least one write was announced.
    func drain() -> Bool
}

/// The writes of one transaction. Each records its own audit entry; a server backend also checks
/// the role, the district and the rules of RULES.md again on the server.
public protocol StoreTransaction {
    /// The order by number as it stands inside this transaction (survivor masked).
    func history(number: String) throws -> OrderHistory?
    func breach(id: Int64) throws -> Breach?
    func insertOrder(_ order: Order, numberKey: String, sealedSurvivor: Data, initials: String) throws -> Int64
    func serve(_ order: Order, at instant: Date) throws
    func revoke(_ order: Order, at instant: Date, reason: String) throws
    /// A check; with outcome `breach` it also opens a breach described by `breachDescription`.
    func insertCheck(_ check: Check, on order: Order, breachDescription: String) throws -> (checkID: Int64, breachID: Int64?)
    func insertBreach(_ breach: Breach, on order: Order) throws -> Int64
    func closeBreach(_ breach: Breach, at instant: Date, action: String) throws
    func insertCorrection(on order: Order, field: CorrectableField, value: String?, sealed: Data?, reason: String) throws -> Int64
    func addUser(_ user: User) throws
    func disableUser(_ login: String) throws
    /// The public key survivor data is sealed to, as it stands inside this transaction, read so that no
    /// rekey can come between this read and the commit: what a session seals is never sealed to a key
    /// that another session's rekey has just retired.
    func sealingKey() throws -> Data
    /// Rotates the key in this transaction: every sealed survivor value (orders' and corrections') is
    /// read in batches, streamed, and replaced by what `reseal` makes of the batch (one value for each,
    /// in order); `record` replaces the key record; one audit entry says how many values were sealed again.
    func rekey(to record: Vault.Record, reseal: ([SealedValue]) throws -> [Data]) throws

    /// Replaces the keyed index of the survivor's name of order `id` (`BlindIndex`): no tokens for a
    /// name with nothing to index; the order counts as indexed afterwards.
    func indexSurvivor(orderID id: Int64, tokens: Set<Int64>) throws
    /// After `rekey`, in the same transaction: drops every keyed name token and makes them again with
    /// `tokens` (the new key's), batch by batch over every order's sealed survivor (one set for each).
    func rebuildSurvivorIndex(_ tokens: ([SealedValue]) throws -> [Set<Int64>]) throws
}

/// Backends without a keyed index of names (a server): nothing kept, every survivor opened to search.
extension StoreTransaction {
    public func indexSurvivor(orderID id: Int64, tokens: Set<Int64>) throws {}
    public func rebuildSurvivorIndex(_ tokens: ([SealedValue]) throws -> [Set<Int64>]) throws {}
}

/// Audited events that change no record.
public enum AuditEvent: Sendable, Equatable {
    case survivorViewed(orderID: Int64, number: String)
    /// A search by survivor's name: how many orders matched, never what was searched for.
    case survivorSearched(matched: Int)
    /// Every survivor's name opened at once (a screen's search as one types): how many, never which.
    case survivorNamesOpened(count: Int)
    /// An export made: to a file (its name), or handed to the caller (nil).
    case exported(to: String?)
    /// An export that was not made whole (nothing, or not all of it, was written).
    case exportFailed
    case backedUp(to: String)
}
