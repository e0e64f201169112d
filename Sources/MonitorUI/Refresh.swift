import Foundation
import OrderModel
import OrderStore
import Scheduler

/// Another terminal's writes, brought to the open screens: each screen reads again only the orders written since the
/// figures were computed (`OrderStore.changedOrders`), not everything. What the change mark cannot say (a restore, a
/// rekey, more orders than `limit`) and what the clock changes (a minute, a new day) is read whole (`MonitorApp.reload`).
///
/// The orders not written keep the figures of the last whole computation, which is at most a minute old: the same as
/// before between two computations. The figures' time moves to now, so that what was just written (a check at this
/// minute) counts.
enum Refresh {
    /// More changed orders than this and the screens read everything again: one read of all is then cheaper than
    /// many of some.
    static let limit = 500

    /// The written orders as the screens ask about them.
    struct Changed {
        let orders: Set<Int64>
        /// Among them, those whose place in a list may have changed (`OrderChanges.moved`).
        let moved: Set<Int64>

        func contains(_ id: Int64?) -> Bool { id.map(orders.contains) ?? false }
    }

    /// Reads what was written since `loader`'s mark into those of `screens` loaded, as of `now`, and moves the mark.
    /// False when the store cannot say which orders changed: the caller reads everything. `context` is the screens' view of
    /// the session as of a time (the loader's, once moved).
    static func run(_ loader: inout Loader, reader: StoreReader, screens: [any Screen], now: Date,
                    context: (Date) -> ScreenContext) throws -> Bool {
        let changes = try reader.changedOrders(since: loader.changeMark)
        guard let orders = changes.orders else { return false }
        // Only audited reads (an opening, an export): nothing shown changed.
        guard !orders.isEmpty else {
            loader.advance(asOf: loader.asOf, mark: changes.mark)
            return true
        }
        reader.forgetLists()
        loader.advance(asOf: now, mark: changes.mark)
        try apply(Changed(orders: orders, moved: changes.moved), to: screens.filter { loader.hasLoaded($0.id) },
                  context: context(loader.asOf))
        return true
    }

    /// Brings each of `screens` up to `changed` (`Screen.refresh`).
    static func apply(_ changed: Changed, to screens: [any Screen], context: ScreenContext) throws {
        for screen in screens { try screen.refresh(changed, context: context) }
    }

    /// `current` with the values of the changed orders replaced by `fresh` (read for those orders alone), in `order`.
    static func replacing<T>(_ current: [T], with fresh: [T], of changed: Changed, orderID: (T) -> Int64?,
                             by order: (T, T) -> Bool) -> [T] {
        let kept = current.filter { !changed.contains(orderID($0)) }
        guard !fresh.isEmpty else { return kept }
        return (kept + fresh).sorted(by: order)
    }
}

extension TodayScreen {
    /// The changed orders' alerts, computed again, in place of theirs.
    func refresh(_ changed: Refresh.Changed, context: ScreenContext) throws {
        let fresh = try context.reader.alerts(asOf: context.asOf, among: changed.orders)
        alerts = Refresh.replacing(alerts, with: fresh, of: changed, orderID: \.orderID, by: Alert.precedes)
        relisted(context: context)
    }
}

extension ViolationsScreen {
    /// The changed orders' violations of the period, computed again, in place of theirs.
    func refresh(_ changed: Refresh.Changed, context: ScreenContext) throws {
        let (start, end) = Self.range(period, today: context.formats.day(context.asOf))
        guard start == from, end == to else { return try load(context: context) }
        let fresh = try context.reader.violations(from: from, to: to, asOf: context.asOf, among: changed.orders)
        try replace(Refresh.replacing(all, with: fresh, of: changed, orderID: \.orderID, by: Violation.precedes), changed: changed,
                    context: context)
    }
}

extension OrdersScreen {
    /// The rows read are read again (the count with them) when a changed order is among them, or when one may have
    /// entered or left the list or moved in it (added, served, revoked, corrected); a check or a breach on an order
    /// not shown changes nothing shown.
    func refresh(_ changed: Refresh.Changed, context: ScreenContext) throws {
        guard !changed.moved.isEmpty || visible.contains(where: { changed.contains($0.order.id) }) else { return }
        try load(context: context)
    }
}

extension OrderScreen {
    /// Read again when it is the order written.
    func refresh(_ changed: Refresh.Changed, context: ScreenContext) throws {
        guard changed.contains(detail.history.order.id) else { return }
        try load(context: context)
    }
}
