import Foundation

/// What was written since a change mark (`OrderStore.changedOrders`): the orders touched, so that an open screen
/// reads those again and nothing else.
public struct OrderChanges: Sendable, Equatable {
    /// The mark the changes reach: the next call starts from it.
    public var mark: Int64
    /// The orders written since the mark this session may see; nil when that cannot be said (a restore, an import,
    /// a rekey, a change of the people, more than the limit, an order moved out of the caller's district, a server
    /// without the read): the screens then read everything again.
    public var orders: Set<Int64>?
    /// Among `orders`, those whose place in a list may have changed: added, served, revoked or corrected (a check
    /// or a breach changes only the order's own figures).
    public var moved: Set<Int64>

    public init(mark: Int64, orders: Set<Int64>?, moved: Set<Int64> = []) {
        self.mark = mark
        self.orders = orders
        self.moved = moved
    }

    /// Nothing known: everything is to be read again.
    public static func unknown(mark: Int64) -> OrderChanges { OrderChanges(mark: mark, orders: nil) }

    /// What one audit entry means for the screens, by its action.
    public enum Effect: Sendable {
        /// A read that was audited (an opening, a search, an export): nothing shown changed.
        case none
        /// The order's own figures changed (a check, a breach, its closing).
        case figures
        /// The order's place in the lists may have changed too.
        case moved
        /// Not about one order, or not known: read everything.
        case everything
    }

    /// An audit action's effect; a server that keeps the trail from the caller names the effect itself (`none`,
    /// `figures`, `moved`, `everything`: qorgau.changed_orders, which sorts the actions as this does).
    public static func effect(of action: String) -> Effect {
        switch action {
        case "none", "refused", "survivor.view", "survivor.search", "survivor.names", "export", "backup": .none
        case "figures", "check.add", "breach.add", "breach.close": .figures
        case "moved", "order.add", "order.serve", "order.revoke", "order.correct": .moved
        default: .everything
        }
    }

    /// The changes of audit entries read after `since`, oldest first (`id`, `action`, the order it touched when
    /// known), at most `cap` of them read: more (or a mark gone backwards, the records replaced) is unknown.
    /// `head` is the newest entry's id when no entry was read.
    public static func from(_ entries: [(id: Int64, action: String, orderID: Int64?)], since: Int64, head: Int64, cap: Int,
                            limit: Int) -> OrderChanges {
        let mark = entries.last?.id ?? head
        guard entries.count < cap, mark >= since else { return .unknown(mark: max(mark, head)) }
        var orders: Set<Int64> = [], moved: Set<Int64> = []
        for entry in entries {
            let kind = effect(of: entry.action)
            if kind == .none { continue }
            guard kind != .everything, let id = entry.orderID else { return .unknown(mark: max(mark, head)) }
            orders.insert(id)
            if kind == .moved { moved.insert(id) }
        }
        guard orders.count <= limit else { return .unknown(mark: max(mark, head)) }
        return OrderChanges(mark: mark, orders: orders, moved: moved)
    }
}
