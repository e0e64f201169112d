import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// Every order, filtered by status, searched with `/`, sorted by column: read from the store by keyset pages
/// (`OrderStore.orderPage`), never whole. The screen holds a window of the list (a few pages around the
/// selection, `window` from position `offset`), reads the next or the previous page as the selection nears
/// an edge of it, the last page (read backwards) on `G`/End, and the first again on `g`/Home. The cursor's
/// positions are the list's (row N of M), counted by the store (`OrderStore.orderCount`).
final class OrdersScreen: Screen {
    let id = ScreenID.orders

    /// The columns the list sorts by: those the store keeps a sort index of (`OrderSort`). Status, next due date
    /// and expiry are not among them: they change with the clock, and a page read in their order would read
    /// every order.
    enum SortKey: String, CaseIterable {
        case number, district, respondent

        var store: OrderSort {
            switch self {
            case .number: .number
            case .district: .district
            case .respondent: .respondent
            }
        }
    }

    /// Rows a page read asks for, unless told (`QORGAU_PAGE_SIZE`).
    static let defaultPageSize = 100
    /// A search is counted up to this many matches ("row 3 of 1,000+"). Counting a search to its end reads
    /// every match (the trigram index gives them, it does not count them): for a frequent word at a million
    /// orders that is far more than one key may take, and past a thousand the number tells nobody anything.
    /// `G` on such a search counts it to the end, once, since the position then needs it.
    static let searchCountCap = 1000

    /// nil means all.
    var status: OrderStatus? = .active
    /// The `/` search, with `n`/`N` and Esc.
    var search = ListSearch()
    var query: String { search.text }
    /// The search as the store made it (`OrderStore.orderSearch`: the query folded, and the orders whose survivor's
    /// name matched it through the store's keyed index of names, by ID, never the names); nil without a query.
    private(set) var found: OrderSearch?
    var sort = SortKey.number
    var descending = false
    /// The selection and the first row shown, as positions in the whole list.
    var cursor = ListCursor()
    let pageSize: Int
    /// The rows read: the list from position `offset` on.
    private(set) var window: [OrderSummary] = []
    private(set) var offset = 0
    /// Whether `window` holds the list's first row, and its last.
    private var atStart = true
    private var atEnd = true
    /// How many orders the list holds; with `atLeast`, at least that many (a search counted up to its cap).
    private(set) var total = 0
    private(set) var atLeast = false
    /// The instant the list was read for (the figures' time, `ScreenContext.asOf`).
    private var asOf = Date(timeIntervalSince1970: 0)

    init(pageSize: Int = OrdersScreen.defaultPageSize) {
        self.pageSize = max(pageSize, 1)
    }

    /// The rows read, in the list's order (the window; the whole list when it fits in a page or two).
    var visible: [OrderSummary] { window }

    /// The row at list position `position`, when read.
    func row(at position: Int) -> OrderSummary? {
        let i = position - offset
        return window.indices.contains(i) ? window[i] : nil
    }

    /// Counts the list and reads the pages around the selection again (a computation of the figures).
    func load(context: ScreenContext) throws {
        asOf = context.asOf
        try count(context: context)
        if offset > 0, let first = window.first {
            // Where the window began, read again from the row before it.
            let before = try page(context, backward: true, after: OrderListing.cursor(first.order, sort.store), limit: 1)
            if let previous = before.rows.first {
                try readForward(context, after: OrderListing.cursor(previous.order, sort.store), at: offset)
            } else {
                try readForward(context, after: nil, at: 0)
            }
        } else {
            try readForward(context, after: nil, at: 0)
        }
        try ensure(context: context, height: context.listHeight)
    }

    // MARK: - Reading pages

    /// One page: forward in the list's order, or backward (the store read the other way).
    private func page(_ context: ScreenContext, backward: Bool, after: OrderCursor?, limit: Int) throws -> OrderListPage {
        try context.reader.orderPage(status: status, sort: sort.store, descending: descending != backward, after: after, limit: limit,
                                     search: found, asOf: asOf)
    }

    private func count(context: ScreenContext) throws {
        let cap = found == nil ? nil : Self.searchCountCap + 1
        let counted = try context.reader.orderCount(status: status, search: found, cap: cap, asOf: asOf)
        atLeast = cap.map { counted >= $0 } ?? false
        total = atLeast ? Self.searchCountCap : counted
    }

    /// The window becomes the page after `after` (nil: the first), at position `at`.
    private func readForward(_ context: ScreenContext, after: OrderCursor?, at position: Int) throws {
        let read = try page(context, backward: false, after: after, limit: pageSize)
        window = read.rows
        offset = after == nil ? 0 : position
        atStart = after == nil
        atEnd = read.next == nil
        settleTotal()
    }

    /// The window becomes the last page.
    private func readLast(_ context: ScreenContext) throws {
        if atLeast {
            atLeast = false
            total = try context.reader.orderCount(status: status, search: found, cap: nil, asOf: asOf)
        }
        let read = try page(context, backward: true, after: nil, limit: pageSize)
        window = read.rows.reversed()
        atEnd = true
        atStart = read.next == nil
        offset = atStart ? 0 : max(total - window.count, 0)
        settleTotal()
    }

    /// The next page, after the window's last row; the rows far above the selection are let go.
    private func extendForward(_ context: ScreenContext) throws {
        guard !atEnd, let last = window.last else { return }
        let read = try page(context, backward: false, after: OrderListing.cursor(last.order, sort.store), limit: pageSize)
        window += read.rows
        atEnd = read.next == nil
        let spare = cursor.top - offset - pageSize
        if spare > pageSize {
            window.removeFirst(spare)
            offset += spare
            atStart = false
        }
        settleTotal()
    }

    /// The previous page, before the window's first row; the rows far below the selection are let go.
    private func extendBackward(_ context: ScreenContext, height: Int) throws {
        guard !atStart, let first = window.first else { return }
        let read = try page(context, backward: true, after: OrderListing.cursor(first.order, sort.store), limit: pageSize)
        window.insert(contentsOf: read.rows.reversed(), at: 0)
        offset -= read.rows.count
        if read.next == nil { atStart = true }
        if atStart || offset < 0 {
            // The list's first row is read (or more rows came before than counted): positions counted from the end
            // (after `G`) are set right.
            let shift = offset
            offset = 0
            cursor.selected -= shift
            cursor.top = max(cursor.top - shift, 0)
            total -= shift
        }
        let keep = cursor.top - offset + height + 2 * pageSize
        if window.count > keep {
            window.removeLast(window.count - keep)
            atEnd = false
        }
        settleTotal()
    }

    /// The count as the pages read show it: exact once the last row is read, at least what was read otherwise.
    private func settleTotal() {
        if atEnd && atStart {
            total = window.count
            atLeast = false
        } else if atEnd {
            total = offset + window.count
            atLeast = false
        } else {
            total = max(total, offset + window.count)
        }
    }

    /// Reads what the selection and the rows shown need: the last page for a jump near the end, the first for
    /// one near the start, else page after page towards it.
    private func ensure(context: ScreenContext, height: Int) throws {
        cursor.clamp(count: total, height: height)
        let low = cursor.top, high = min(cursor.top + height, total)
        let far = low >= offset + window.count + pageSize || high <= offset - pageSize
        if far || window.isEmpty {
            if cursor.selected >= total - pageSize && !(atEnd && atStart) {
                try readLast(context)
            } else if cursor.selected < pageSize {
                try readForward(context, after: nil, at: 0)
            }
        }
        while low < offset, !atStart {
            let before = offset
            try extendBackward(context, height: height)
            if offset == before && !atStart { break }
        }
        while high > offset + window.count, !atEnd {
            let before = window.count
            try extendForward(context)
            if window.count == before { break }
        }
        cursor.clamp(count: total, height: height)
    }

    /// Reads ahead of a move: the next page when the selection may leave the window's end (so that a search
    /// counted to its cap can go on past it), the previous when it may leave its start.
    private func readAhead(_ key: Key, context: ScreenContext, height: Int) throws {
        switch key {
        case .down, .character("j"), .pageDown:
            if !atEnd, cursor.selected + height >= offset + window.count { try extendForward(context) }
        case .up, .character("k"), .pageUp:
            if !atStart, cursor.selected - height < offset { try extendBackward(context, height: height) }
        default:
            break
        }
    }

    /// Counts and reads the list from its start (a new sort, search or filter).
    private func restart(context: ScreenContext) throws {
        cursor = ListCursor()
        asOf = context.asOf
        try readForward(context, after: nil, at: 0)
        // A list that fits in its first page is counted by it: a rare search word costs one read, not two.
        if !atEnd {
            try count(context: context)
            settleTotal()
        }
        cursor.clamp(count: total, height: context.listHeight)
    }

    // MARK: - Keys

    func handle(_ press: KeyPress, context: ScreenContext) -> Command? {
        let height = context.listHeight
        do {
            switch search.handle(press, cursor: &cursor, count: total, height: height) {
            case .started: return .nothing
            case .changed: return .searchOrders(search.text)
            case .taken:
                try ensure(context: context, height: height)
                return .nothing
            case nil: break
            }
            let key = press.command
            try readAhead(key, context: context, height: height)
            if cursor.move(key, count: total, height: height) {
                try ensure(context: context, height: height)
                return .nothing
            }
            switch key {
            case .character("f"):
                let cycle: [OrderStatus?] = [.active, .unserved, .expired, .revoked, nil]
                status = cycle[((cycle.firstIndex(of: status) ?? 0) + 1) % cycle.count]
                cursor = ListCursor()
                window = []
                return .reload
            case .character("s"):
                let keys = SortKey.allCases
                sort = keys[((keys.firstIndex(of: sort) ?? 0) + 1) % keys.count]
                try restart(context: context)
                return .nothing
            case .character("S"):
                descending.toggle()
                try restart(context: context)
                return .nothing
            case .enter:
                guard let row = row(at: cursor.selected) else { return .nothing }
                return .openOrder(row.order.number)
            default:
                return nil
            }
        } catch {
            return .flash(context.words.message(error), .error)
        }
    }

    /// The search the app made for the query typed (`Command.searchOrders`): the list is read again with it.
    func receive(_ input: ScreenInput, context: ScreenContext) -> Command? {
        guard case .orderSearch(let made) = input else { return nil }
        found = search.filters ? made : nil
        do {
            let selected = cursor.selected
            try restart(context: context)
            // The selection stays where it can, as the rows found allow (within the first page: no walk page by page).
            cursor.selected = selected < pageSize ? selected : 0
            try ensure(context: context, height: context.listHeight)
        } catch {
            return .flash(context.words.message(error), .error)
        }
        return nil
    }

    /// On lock: the query goes (it may be a survivor's name), with the search made of it and the rows it found;
    /// the list is read again when the screens open.
    func forgetSurvivorData() {
        search = ListSearch()
        found = nil
        window = []
        offset = 0
        total = 0
        atLeast = false
        atStart = true
        atEnd = true
    }

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext) {
        let width = body.cols - 2
        var y = body.top
        let filter = context.text("orders.filter", [
            "status": status.map { context.text("status.\($0.rawValue)") } ?? context.text("status.all"),
            "count": context.words.number(total) + (atLeast ? "+" : ""),
            "sort": context.text("sort.\(sort.rawValue)") + (descending ? " ↓" : " ↑"),
        ])
        y += Wrap.draw(filter, on: canvas, row: y, col: 1, width: width, style: .header)
        // The position at the right end of the search line.
        let position = cursor.drawPosition(count: total, atLeast: atLeast, on: canvas, row: y, col: 1, width: width, context: context)
        y += search.draw(hint: context.text("orders.searchHint"), on: canvas, row: y, col: 1, width: width - position,
                         context: context)
        let wide = body.cols >= 100
        let statuses = OrderStatus.allCases.map { context.text("status.\($0.rawValue)") }
        var specs = [ColumnSpec(title: context.text("col.order"), base: 14, content: Table.widest(window.map(\.order.number)), cap: 20),
                     ColumnSpec(title: context.text("col.status"), base: 9, content: Table.widest(statuses), cap: 14),
                     ColumnSpec(title: context.text("col.nextDue"), base: 10, content: TextWidth.width(of: context.text("nextDue.none")), cap: 12),
                     ColumnSpec(title: context.text("col.expires"), base: 10)]
        if wide { specs.append(ColumnSpec(title: context.text("col.district"), base: 22, shrinkable: true, minimum: 12)) }
        specs.append(ColumnSpec(title: context.text("col.respondent"), base: 22, free: true))
        // The survivor's initials: as wide as the header (and the initials) need.
        specs.append(ColumnSpec(title: context.text("col.survivor"), base: 6, content: 6))
        let columns = Table.layout(specs, width: body.cols)
        y += 1
        Table.header(columns, on: canvas, row: y)
        let listTop = y + 1
        let height = max(body.top + body.rows - 1 - listTop, 1)
        var c = cursor
        c.clamp(count: total, height: height)
        for i in c.top ..< min(c.top + height, total) {
            guard let s = row(at: i) else { continue }
            var cells = [s.order.number, context.text("status.\(s.status.rawValue)"),
                         s.status == .active ? s.nextDue?.dotted ?? context.text("nextDue.none") : "-",
                         s.expires.map { context.formats.day($0).dotted } ?? "-"]
            if wide { cells.append(s.order.district) }
            cells += [s.order.respondent.name, Initials.of(s.order.survivor.name)]
            Table.row(cells, columns, on: canvas, row: listTop + i - c.top, style: i == c.selected ? .selected : .normal)
        }
        if total == 0 {
            Wrap.draw(context.text("orders.none"), on: canvas, row: listTop + 1, col: 2, width: body.cols - 4, style: .dim)
        }
    }
}
