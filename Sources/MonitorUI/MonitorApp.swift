import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// The whole terminal interface as state. Screens (`Screen`) draw and turn keys into commands; the app
/// dispatches keys, performs every command (all writes to the records happen here), and draws the
/// frame around the current screen. The idle lock (`IdleLock`) and the loading of figures (`Loader`)
/// are apart. It never touches the terminal itself, so tests drive it with keys and read it from an
/// in-memory grid.
public final class MonitorApp {
    /// The session: swapped for an unlocked or a locked one as the passphrase is given or the screen locks.
    private(set) var store: OrderStore
    let clock: () -> Date
    let words: Words
    var idleLock: IdleLock
    private(set) var loader: Loader
    /// The reads of the current figures (one computation's).
    private var reader: StoreReader

    public private(set) var screen: ScreenID = .today
    /// Where Esc goes back to: the screens the current one was opened from.
    private(set) var backStack: [ScreenID] = []
    var modal: Modal?
    /// The quick-hide view: a blank screen until any key.
    public private(set) var hidden = false
    public private(set) var wantsQuit = false
    /// Why the program ends of itself (the lock answered wrongly too often): said once the terminal is restored.
    public private(set) var endedBecause: String?
    /// The PIN of a session whose role has no passphrase: what opens its idle lock (nil in tests: nothing opens it).
    private var pinFile: PinFile?
    /// A one-line message under the screen: what was saved, or what went wrong.
    var flash: (text: String, style: Style)?

    let today: TodayScreen
    let orders: OrdersScreen
    let checkIn: CheckInScreen
    let violations: ViolationsScreen
    /// The screens of the tab bar, in the order of their keys (1-4, F1-F4), each labelled `ui.tab.<name>`
    /// and helped by `ui.help.<name>`. A new screen is its own file and one entry here (in `init`).
    let tabs: [any Screen]
    /// Screens opened on top of the tabs (an order), while they are shown or can be gone back to.
    private var opened: [ScreenID: any Screen] = [:]

    /// The size of the last frame: whether the screens can be seen, and how far PgUp/PgDn move.
    private(set) var lastSize = Size(rows: 24, cols: 80)
    var listHeight: Int { max(lastSize.rows - 8, 1) }
    let databaseName: String

    /// `pinFile`: for a role without a passphrase, the account's PIN, asked for (twice) before the screens open when
    /// there is none yet.
    /// `pageSize`: how many orders the Orders screen reads at a time (`QORGAU_PAGE_SIZE`; nil: the screen's own).
    public init(store: OrderStore, clock: @escaping () -> Date, words: Words = .english, lockAfter: TimeInterval = 600,
                pinFile: PinFile? = nil, pageSize: Int? = nil) {
        self.store = store
        self.clock = clock
        self.words = words
        let now = clock()
        idleLock = IdleLock(after: lockAfter, now: now)
        self.pinFile = pinFile
        loader = Loader(now: now)
        reader = StoreReader(store)
        databaseName = store.path
        today = TodayScreen()
        orders = OrdersScreen(pageSize: pageSize ?? OrdersScreen.defaultPageSize)
        checkIn = CheckInScreen(words: words, login: store.user.login, now: now, timeZone: store.timeZone)
        violations = ViolationsScreen()
        tabs = [today, orders, checkIn, violations]
        reload()
        if let pinFile, pinFile.pin == nil, !store.user.role.may(.viewSurvivor) { idleLock.engage(.newPin, words: words) }
    }

    // MARK: - What the app knows

    public var isLocked: Bool { idleLock.isLocked }
    /// The instant the figures on screen were computed for.
    public var figuresAsOf: Date { loader.asOf }
    var login: String { store.user.login }
    var formats: InstantFormat { InstantFormat(timeZone: store.timeZone) }

    func text(_ key: String, _ values: [String: String] = [:]) -> String { words.text("ui." + key, values) }

    /// What the screens may know of the session now.
    func context() -> ScreenContext { context(asOf: loader.asOf) }

    func context(asOf: Date) -> ScreenContext {
        ScreenContext(words: words, reader: reader, asOf: asOf, now: clock(), user: store.user,
                      survivorUnlocked: store.isUnlocked, listHeight: listHeight)
    }

    /// The screen shown (or about to be); Today if somehow none.
    var current: any Screen { find(screen) ?? tabs[0] }

    private func find(_ id: ScreenID) -> (any Screen)? {
        tabs.first { $0.id == id } ?? opened[id]
    }

    var orderScreen: OrderScreen? { find(screen) as? OrderScreen }

    /// Whether the frame is large enough to show the screens at all.
    static func fits(_ size: Size) -> Bool { size.rows >= 24 && size.cols >= 80 }

    // MARK: - Data

    /// Recomputes the figures of every screen loaded so far as of now. Errors become a message, never a crash.
    public func reload() {
        reader = StoreReader(store)
        do {
            loader.start(asOf: clock(), mark: try reader.changeMark())
            let context = context()
            for screen in loader.due(tabs + Array(opened.values), current: screen, always: .today) {
                try screen.load(context: context)
                loader.markLoaded(screen.id)
            }
        } catch {
            flash = (describe(error), .error)
        }
    }

    /// Called when no key came for a while: locks after the idle time, and reloads when another terminal
    /// wrote to the file, when the day rolled over, and once a minute so that "days overdue" stays true.
    public func tick() {
        let now = clock()
        if idleLock.isDue(now: now) {
            lock()
            return
        }
        // While locked nothing is read: the lock shows nothing of the records.
        guard !idleLock.isLocked else { return }
        switch loader.staleness(now: now, mark: try? store.changeMark(), formats: formats) {
        case .current: break
        case .clock: reload()
        case .written: refresh()
        }
    }

    /// Another terminal wrote: the screens read again only the orders written (`Refresh`), or everything when the store
    /// cannot say which; a screen left half refreshed by an error is read whole (which says what went wrong).
    public func refresh() {
        let screens = loader.due(tabs + Array(opened.values), current: screen, always: .today)
        // The screens' context is made from the time `run` gives, not from `loader` (which `run` holds while it asks).
        let done = try? Refresh.run(&loader, reader: reader, screens: screens, now: clock()) { self.context(asOf: $0) }
        if done != true { reload() }
    }

    /// Says something in the line under the screen until the next screen is chosen.
    public func say(_ text: String, style: Style) {
        flash = (text, style)
    }

    func describe(_ error: Error) -> String {
        words.message(error)
    }

    // MARK: - Keys

    /// Handles one key press on a terminal of `size` (which a resize just changed).
    public func handle(_ key: Key, size: Size) {
        lastSize = size
        handle(key)
    }

    /// Handles one key press.
    public func handle(_ key: Key) {
        if key == .resize { return }
        idleLock.touch(clock())
        if hidden {
            hidden = false
            return
        }
        if key == .function(12) || key == .control("b") {
            hidden = true
            return
        }
        if idleLock.isLocked {
            handleLocked(key)
            return
        }
        let press = KeyPress(key)
        // While the screens cannot be seen, no key may change anything: only quitting is possible.
        guard Self.fits(lastSize) else {
            handleWhileTooSmall(press)
            return
        }
        // The message under the screen ("Saved: …") is about the last action: the next one clears it, but for
        // the key that returns from the task it is about (Enter after a check is saved), which carries it back.
        let said = flash
        flash = nil
        if let modal {
            handleModal(modal, press)
            return
        }
        if key == .control("c") {
            requestQuit()
            return
        }
        if case .function(let n) = key, tabs.indices.contains(n - 1) {
            switchTo(tabs[n - 1].id)
            return
        }
        if let command = current.handle(press, context: context()) {
            if case .back = command { flash = said }
            perform(command)
            return
        }
        handleGlobal(press)
    }

    /// The keys the screens leave to the app: the tabs, help, quit, back.
    private func handleGlobal(_ press: KeyPress) {
        switch press.command {
        case .character(let c) where c.wholeNumberValue.map({ (1...tabs.count).contains($0) }) == true:
            switchTo(tabs[(c.wholeNumberValue ?? 1) - 1].id)
        case .tab:
            let index = tabs.firstIndex { $0.id == screen } ?? -1
            switchTo(tabs[(index + 1) % tabs.count].id)
        case .character("?"):
            modal = .help
        case .character("a") where screen == .today || screen == .orders:
            perform(.openForm(.addOrder))
        case .character("q"):
            requestQuit()
        case .escape:
            goBack()
        default:
            break
        }
    }

    /// Below 80×24: `q` and Ctrl-C quit (asking first when input would be lost), the question is answered;
    /// every other key is ignored, so nothing is saved or lost unseen.
    private func handleWhileTooSmall(_ press: KeyPress) {
        if case .question(let question) = modal, case .quit = question.kind {
            answer(question, press)
        } else if press.typed == .control("c") || press.command == .character("q") {
            requestQuit()
        }
    }

    private func handleModal(_ shown: Modal, _ press: KeyPress) {
        switch shown {
        case .help:
            modal = nil
        case .question(let question):
            answer(question, press)
        case .form(var form, let purpose):
            if press.typed == .control("c") {
                requestQuit()
                return
            }
            switch form.handle(press.typed) {
            case .cancel:
                modal = form.dirty ? .question(Question(kind: .discard, text: text("confirmDiscard"), back: shown)) : nil
            case .submit:
                submit(form, purpose)
            case .enter(let index):
                // Enter moves on; on the last field it saves.
                if index == form.fields.count - 1 {
                    submit(form, purpose)
                } else {
                    form.focus = index + 1
                    modal = .form(form, purpose)
                }
            case .none, .unhandled:
                modal = .form(form, purpose)
            }
        }
    }

    /// y (or the language's own yes) does what the question asks; any other key goes back.
    private func answer(_ question: Question, _ press: KeyPress) {
        let isQuit: Bool = if case .quit = question.kind { true } else { false }
        guard Self.answersYes(press, yes: text("confirmQuit.yes"), orQ: isQuit) else {
            modal = question.back
            return
        }
        switch question.kind {
        case .quit:
            wantsQuit = true
        case .discard:
            if question.back == nil { current.discardInput(context: context()) }
            modal = nil
        case .write(let write):
            if case .form(let form, let purpose) = question.back {
                perform(.write(write), from: (form, purpose))
            } else {
                modal = nil
                perform(.write(write))
            }
        case .replaceFile(let report, let path):
            if case .form(let form, let purpose) = question.back {
                saveReport(report, path: path, replace: true, from: (form, purpose))
            } else {
                saveReport(report, path: path, replace: true, from: nil)
            }
        }
    }

    /// Whether a key answers yes: y (on any layout: «н»), the first letter of the language's own word for
    /// yes («д» for «да», «и» for «иә»), and for "quit?" also q (on any layout: «й»).
    static func answersYes(_ press: KeyPress, yes: String, orQ: Bool) -> Bool {
        guard case .character(let typed) = press.typed, case .character(let c) = press.command else { return false }
        if c == "y" || c == "Y" || (orQ && c == "q") { return true }
        return yes.first.map { $0.lowercased() == typed.lowercased() } ?? false
    }

    // MARK: - Performing commands

    /// Performs what a screen or form asked for. `form`: the form it came from, which shows a refusal
    /// beside its field and stays open; without one, a write's result goes back to the current screen.
    func perform(_ command: Command, from form: (Form, FormPurpose)? = nil) {
        switch command {
        case .nothing: break
        case .reload: reload()
        case .show(let id): switchTo(id)
        case .back: goBack()
        case .openOrder(let number): openOrder(number)
        case .startCheckIn(let number):
            // Never a form this role would see refused: who may do it is said instead.
            if store.user.role.may(.recordCheck) { startCheckIn(for: number) } else { flash = (context().whoMay(.recordCheck), .warning) }
        case .openForm(let purpose):
            if let needed = purpose.permission, !store.user.role.may(needed) {
                flash = (context().whoMay(needed), .warning)
            } else {
                modal = .form(purpose.makeForm(context: context()), purpose)
            }
        case .write(let write): performWrite(write, from: form)
        case .confirmDiscard:
            modal = .question(Question(kind: .discard, text: text("confirmDiscard"), back: nil))
        case .flash(let text, let style): flash = (text, style)
        case .searchOrders(let text):
            do {
                // A key never opens every sealed record: a survivor is found through the keyed index of names only.
                let search = try store.orderSearch(text, now: clock(), openingEvery: false)
                perform(current.receive(.orderSearch(search), context: context()) ?? .nothing)
            } catch {
                // The search goes on without survivors' names rather than not at all; what went wrong is said.
                let query = SearchQuery(text)
                perform(current.receive(.orderSearch(query.isEmpty ? nil : OrderSearch(query: query)), context: context()) ?? .nothing)
                flash = (describe(error), .error)
            }
        case .unlock(let passphrase): unlock(passphrase, from: form)
        case .answer(let input):
            modal = nil
            perform(current.receive(input, context: context()) ?? .nothing)
        case .saveReport(let report, let path, let replace): saveReport(report, path: path, replace: replace, from: form)
        }
    }

    /// Writes, then reloads and says what was saved; a refusal goes back to the form or screen it came from.
    private func performWrite(_ write: Write, from form: (Form, FormPurpose)?) {
        let origin = current
        var next: Command?
        do {
            let saved = try write.perform(on: store, now: clock(), words: words)
            if form != nil { modal = nil } else { next = origin.finished(write, result: .success(saved), context: context()) }
            reload()
            // A new or corrected order is shown as it now stands.
            if let number = write.opens, screen != .order(number) { openOrder(number) }
            flash = (saved, .ok)
        } catch {
            if case (var shown, let purpose)? = form {
                shown.show(error, words: words)
                modal = .form(shown, purpose)
            } else {
                next = origin.finished(write, result: .failure(error), context: context())
            }
        }
        if let next { perform(next) }
    }

    private func unlock(_ passphrase: String, from form: (Form, FormPurpose)?) {
        do {
            store = try store.unlocked(passphrase: passphrase)
            modal = nil
            forgetSurvivorData()
            if let number = orderScreen?.number, let detail = try? store.detail(number: number, asOf: figuresAsOf, now: clock()) {
                orderScreen?.detail = detail
            }
            reload()
            flash = (text("unlocked"), .ok)
        } catch {
            guard case (var shown, let purpose)? = form else { return }
            shown.fields[0].error = describe(error)
            shown.set(0, "")
            modal = .form(shown, purpose)
        }
    }

    /// Reads the filled form; a write that cannot be undone is shown and asked about first.
    private func submit(_ original: Form, _ purpose: FormPurpose) {
        var form = original
        form.clearErrors()
        guard let command = purpose.submit(&form, context: context()) else {
            modal = .form(form, purpose)
            return
        }
        if case .write(let write) = command, let summary = write.confirmation(words: words, formats: formats) {
            modal = .question(Question(kind: .write(write), text: summary + "\n" + text("confirm.keys"), back: .form(form, purpose)))
            return
        }
        modal = .form(form, purpose)
        perform(command, from: (form, purpose))
    }

    func requestQuit() {
        let dirty: Bool = switch modal {
        case .form(let form, _): form.dirty
        default: tabs.contains { $0.hasUnsavedInput } || opened.values.contains { $0.hasUnsavedInput }
        }
        if dirty {
            modal = .question(Question(kind: .quit, text: text("confirmQuit"), back: modal))
        } else {
            wantsQuit = true
        }
    }

    // MARK: - Moving between screens

    func switchTo(_ target: ScreenID) {
        let from = screen
        // The check-in is a task started from somewhere: Esc, and Enter after saving, go back there (and on
        // from there as before). Every other tab starts afresh.
        if target == .checkIn && from != .checkIn {
            backStack.append(from)
        } else if target != from {
            backStack.removeAll()
        }
        screen = target
        flash = nil
        closeUnused()
        loadIfNew(current)
    }

    /// Opens an order's screen on top of the current one (recorded as an opening); Esc comes back.
    func openOrder(_ number: String) {
        do {
            let detail = try store.detail(number: number, asOf: figuresAsOf, now: clock())
            let order = OrderScreen(detail: detail)
            opened[order.id] = order
            loader.markLoaded(order.id)
            backStack.append(screen)
            screen = order.id
        } catch {
            flash = (describe(error), .error)
        }
    }

    func goBack() {
        guard let previous = backStack.popLast() else { return }
        screen = previous
        closeUnused()
        loadIfNew(current)
    }

    /// The check-in screen with this order already chosen.
    func startCheckIn(for number: String) {
        if screen != .checkIn { backStack.append(screen) }
        screen = .checkIn
        flash = nil
        loadIfNew(checkIn)
        checkIn.start(with: number, context: context())
    }

    private func forgetSurvivorData() {
        for screen in tabs + Array(opened.values) { screen.forgetSurvivorData() }
    }

    private func loadIfNew(_ screen: any Screen) {
        guard !loader.hasLoaded(screen.id) else { return }
        do {
            try screen.load(context: context())
            loader.markLoaded(screen.id)
        } catch {
            flash = (describe(error), .error)
        }
    }

    /// Forgets the screens opened on top that can no longer be gone back to.
    private func closeUnused() {
        for id in opened.keys where id != screen && !backStack.contains(id) {
            opened[id] = nil
            loader.forget(id)
        }
    }

    // MARK: - The idle lock

    /// Locks the screens: survivor data is dropped from memory and the session locked again.
    public func lock() {
        modal = nil
        // Screens opened on an order close: they show survivor data.
        backStack.removeAll { opened[$0] != nil }
        if opened[screen] != nil { screen = backStack.popLast() ?? .today }
        closeUnused()
        forgetSurvivorData()
        if let locked = try? store.locked() { store = locked }
        reader = StoreReader(store)
        idleLock.engage(store.user.role.may(.viewSurvivor) ? .passphrase : .pin, words: words)
    }

    /// A key on the lock: only what opens it counts (Ctrl-C ends the program, as too many wrong answers do).
    private func handleLocked(_ key: Key) {
        if key == .control("c") {
            wantsQuit = true
            return
        }
        guard let typed = idleLock.handle(key), let asking = idleLock.asking else { return }
        switch asking {
        case .newPin:
            choosePin(typed)
        case .passphrase:
            guard let unlocked = try? store.unlocked(passphrase: typed[0]) else { return refuseUnlock() }
            store = unlocked
            unlockScreens()
        case .pin:
            guard pinFile?.matches(typed[0]) == true else { return refuseUnlock() }
            unlockScreens()
        }
    }

    /// The lock opens: the figures (and survivor data, when the passphrase opened it) are read again.
    private func unlockScreens() {
        idleLock.release()
        reload()
    }

    private func refuseUnlock() {
        if idleLock.refuse(words: words) {
            endedBecause = text("lock.ended", ["user": login])
            wantsQuit = true
        }
    }

    /// The PIN chosen at the first start: 4 to 12 digits, the same twice; kept (hashed) before the screens open.
    private func choosePin(_ typed: [String]) {
        guard LockPin.isWellFormed(typed[0]) else { return idleLock.reject(text("lock.pinRule")) }
        guard typed.count > 1, typed[0] == typed[1] else { return idleLock.reject(text("lock.pinsDiffer")) }
        do {
            try pinFile?.set(typed[0])
        } catch {
            return idleLock.reject(describe(error))
        }
        idleLock.release()
        flash = (text("lock.pinSet"), .ok)
    }

    // MARK: - Drawing

    /// Draws the whole frame for the canvas's current size.
    public func draw(on canvas: Canvas) {
        canvas.clear()
        canvas.hideCursor()
        let size = canvas.size
        lastSize = size
        if hidden { return }
        guard Self.fits(size) else {
            drawTooSmall(on: canvas)
            return
        }
        if idleLock.isLocked {
            idleLock.draw(on: canvas, words: words, login: login, pinPath: pinFile?.path)
            return
        }
        drawTabs(canvas)
        let body = Rect(top: 1, left: 0, rows: size.rows - 3, cols: size.cols)
        let context = context()
        switch modal {
        case .form(let form, _):
            form.draw(on: canvas, row: body.top + 1, words: words)
        case .help:
            HelpScreen.draw(on: canvas, in: body, screen: screen, values: current.helpValues(context: context), context: context)
        case .question(let question):
            var y = body.top + 2
            for part in question.text.components(separatedBy: "\n") {
                y += Wrap.draw(part, on: canvas, row: y, col: 2, width: size.cols - 4, style: .warning) + 1
            }
        case nil:
            current.draw(on: canvas, in: body, context: context)
        }
        if let flash {
            canvas.put(flash.text, row: size.rows - 2, col: 1, style: flash.style, width: size.cols - 2)
        } else if case let damaged = reader.damaged, !damaged.isEmpty {
            // Until the damaged orders are restored, every screen says that its figures leave them out.
            canvas.put(words.damagedSummary(damaged), row: size.rows - 2, col: 1, style: .error, width: size.cols - 2)
        }
        canvas.put(" " + statusLine(width: size.cols - 1), row: size.rows - 1, col: 0, style: .status, width: size.cols)
    }

    /// Below 80×24: what to do, and the question to quit when one is asked.
    private func drawTooSmall(on canvas: Canvas) {
        let size = canvas.size
        var message = Wrap.lines(text("tooSmall", ["cols": words.number(size.cols), "rows": words.number(size.rows)]),
                                 width: size.cols)
        if case .question(let question) = modal, case .quit = question.kind {
            message += Wrap.lines(question.text, width: size.cols)
        }
        let quit = Wrap.lines(text("tooSmall.quit"), width: size.cols)
        let top = max(size.rows / 2 - 1 - (message.count - 1) / 2, 0)
        for (i, line) in (message + quit).enumerated() {
            canvas.put(line, row: top + i, col: 0, style: i < message.count ? .warning : .normal, width: size.cols)
        }
    }

    /// Who, where, which zone, and when the figures are from. On a narrow screen the database is
    /// named by its file alone, then the zone and then the database give way, so that the time of
    /// the figures stays visible.
    func statusLine(width: Int) -> String {
        var values = [
            "user": login + " (" + text("role.\(store.user.role.rawValue)") + (store.isUnlocked ? "" : ", " + text("role.locked")) + ")",
            "db": databaseName, "zone": store.timeZone.identifier,
            "asOf": formats.human(figuresAsOf),
        ]
        var parts = text("status").components(separatedBy: Wrap.separator)
        // Each part filled as the catalog fills a whole template.
        func line() -> String {
            let key = "ui.status"
            return parts.map { Catalog(language: words.language, entries: [key: $0]).text(key, values) }.joined(separator: Wrap.separator)
        }
        if TextWidth.width(of: line()) > width {
            values["db"] = (databaseName as NSString).lastPathComponent
        }
        for dropped in ["zone", "db"] where TextWidth.width(of: line()) > width && parts.count > 1 {
            parts.removeAll { Catalog.placeholders($0) == [dropped] }
        }
        return line()
    }

    /// The tab bar: the program's name, the tabs with their keys, and the help hint at the right.
    /// When the words of a language do not fit, the name goes first, then the padding of the tabs,
    /// then the tabs take their short labels (`ui.tab.*.short`), so every tab and the hint stay whole.
    private func drawTabs(_ canvas: Canvas) {
        let cols = canvas.size.cols
        canvas.fill(row: 0, col: 0, width: cols, style: .title)
        let help = text("tab.help")
        let name = " " + text("app") + " "
        let room = cols - TextWidth.width(of: help) - 2
        func labels(short: Bool, padded: Bool) -> [String] {
            tabs.enumerated().map { i, tab in
                let key = "ui.tab.\(tab.id.name)"
                let word = short && words.catalog.has(key + ".short") ? words.text(key + ".short") : words.text(key)
                return padded ? " \(i + 1) \(word) " : "\(i + 1) \(word)"
            }
        }
        func width(_ tabs: [String]) -> Int { tabs.reduce(0) { $0 + TextWidth.width(of: $1) + 1 } }
        var start = TextWidth.width(of: name) + 1
        var shown = labels(short: false, padded: true)
        if start + width(shown) > room {
            start = 0
            for (short, padded) in [(false, false), (true, true), (true, false)] where width(shown) > room {
                shown = labels(short: short, padded: padded)
            }
        }
        if start > 0 { canvas.put(name, row: 0, col: 0, style: .title) }
        // A screen opened on top (an order) is shown under the tab it was opened from.
        let under = tabs.contains { $0.id == screen } ? screen : (backStack.last { id in tabs.contains { $0.id == id } } ?? .orders)
        var x = start
        for (tab, label) in zip(tabs, shown) {
            let current = tab.id == under
            canvas.put(label, row: 0, col: x, style: current ? .selected : .title, width: max(min(TextWidth.width(of: label), room - x), 0))
            x += TextWidth.width(of: label) + 1
        }
        canvas.put(help, row: 0, col: cols - TextWidth.width(of: help) - 1, style: .title)
    }
}
