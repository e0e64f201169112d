import Wording
import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal

/// The screens a person moves between.
public enum ScreenID: Equatable, Sendable {
    case today, orders, checkIn, violations
    case order(String)
}

/// What a form on top of a screen is for.
enum FormPurpose: Equatable {
    case breach(number: String)
    case serve(number: String)
    case revoke(number: String)
    case closeBreach(id: Int64, number: String)
    case period
    /// The passphrase that opens survivor details.
    case unlock
}

/// What a screen asks the app to do once its own key handling is over (a screen never
/// changes the app while the app is changing that screen).
enum Command {
    case reload
    case openOrder(String)
    case openForm(FormPurpose)
    case startCheckIn(String)
    case flash(String, Style)
    /// A write succeeded: say so and show its effect.
    case saved(String)
    /// Open the survivors' names in memory for a search by name (when this session may).
    case loadSurvivorNames
}

/// Something drawn over the current screen that takes the keys until it is dismissed.
enum Modal {
    case help
    case confirmQuit
    case form(Form, FormPurpose)
}

/// The whole terminal interface as state: each screen is a draw/key pair, and the app
/// dispatches keys, loads data and draws the frame. It never touches the terminal itself,
/// so tests drive it with keys and read it from an in-memory grid.
public final class MonitorApp {
    /// The session: swapped for an unlocked or a locked one as the passphrase is given or the screen locks.
    var store: OrderStore
    let clock: () -> Date
    let words: Words
    /// Seconds without a key before the screen locks.
    let lockAfter: TimeInterval
    var lastKey: Date
    /// The idle lock: a passphrase (or, for roles without one, the account name) brings the screens back.
    public private(set) var isLocked = false
    var lockForm: Form?

    public private(set) var screen: ScreenID = .today
    var backStack: [ScreenID] = []
    var modal: Modal?
    /// The quick-hide view: a blank screen until any key.
    public private(set) var hidden = false
    public private(set) var wantsQuit = false
    /// A one-line message under the screen: what was saved, or what went wrong.
    var flash: (text: String, style: Style)?

    var today = TodayScreen()
    var orders = OrdersScreen()
    var violations = ViolationsScreen()
    var checkIn: CheckInScreen
    var orderScreen: OrderScreen?

    /// The instant the figures on screen were computed for.
    public private(set) var figuresAsOf: Date
    var ordersLoaded = false
    var violationsLoaded = false
    var checkInLoaded = false
    var changeMark: Int64 = -1
    let databaseName: String
    /// The four screens of the tab bar, in the order of their keys 1-4, with their labels' keys.
    static let tabs: [(screen: ScreenID, label: String)] = [(.today, "tab.today"), (.orders, "tab.orders"),
                                                            (.checkIn, "tab.checkIn"), (.violations, "tab.violations")]

    /// The size of the last frame: how far PgUp/PgDn move.
    var lastSize = Size(rows: 24, cols: 80)
    var listHeight: Int { max(lastSize.rows - 8, 1) }

    public init(store: OrderStore, clock: @escaping () -> Date, words: Words = .english, lockAfter: TimeInterval = 600) {
        self.store = store
        self.clock = clock
        self.words = words
        self.lockAfter = lockAfter
        figuresAsOf = clock()
        lastKey = figuresAsOf
        databaseName = store.path
        checkIn = CheckInScreen(words: words, login: store.user.login, now: figuresAsOf, timeZone: store.timeZone)
        reload()
    }

    var login: String { store.user.login }

    var formats: InstantFormat { InstantFormat(timeZone: store.timeZone) }

    func text(_ key: String, _ values: [String: String] = [:]) -> String { words.text("ui." + key, values) }

    // MARK: - Data

    /// Recomputes the figures of every screen as of now. Errors become a message, never a crash.
    public func reload() {
        figuresAsOf = clock()
        checkIn.refreshTime(now: figuresAsOf, timeZone: store.timeZone)
        do {
            changeMark = try store.changeMark()
            today.alerts = try store.alerts(asOf: figuresAsOf)
            today.cursor.clamp(count: today.alerts.count, height: 1000)
            if screen == .orders || ordersLoaded {
                try orders.load(from: store, asOf: figuresAsOf)
                ordersLoaded = true
            }
            if screen == .violations || violationsLoaded {
                try violations.load(from: store, asOf: figuresAsOf)
                violationsLoaded = true
            }
            if screen == .checkIn || checkInLoaded {
                checkIn.activeNumbers = orders.status == .active && ordersLoaded ? orders.all.map(\.order.number)
                    : try store.orders(status: .active, asOf: figuresAsOf).map(\.order.number)
                checkInLoaded = true
            }
            if let number = orderScreen?.number {
                orderScreen?.detail = try store.detail(number: number, asOf: figuresAsOf, now: figuresAsOf, recordOpening: false)
            }
        } catch {
            flash = (describe(error), .error)
        }
    }

    /// Called when no key came for a while: reloads when another terminal wrote to the file,
    /// when the day rolled over, and once a minute so that "days overdue" stays true.
    public func tick() {
        let now = clock()
        if !isLocked && now.timeIntervalSince(lastKey) >= lockAfter {
            lock()
            return
        }
        let mark = (try? store.changeMark()) ?? changeMark
        let newDay = formats.day(now) != formats.day(figuresAsOf)
        if mark != changeMark || newDay || now.timeIntervalSince(figuresAsOf) >= 60 {
            reload()
        }
    }

    func describe(_ error: Error) -> String {
        words.message(error)
    }

    // MARK: - Keys

    /// Handles one key press.
    public func handle(_ key: Key) {
        if key == .resize { return }
        lastKey = clock()
        if hidden {
            hidden = false
            return
        }
        if key == .function(12) || key == .control("b") {
            hidden = true
            return
        }
        if isLocked {
            handleLocked(key)
            return
        }
        // The one place where command letters also answer on a Cyrillic layout: «й» on the q key
        // means q. Text fields (forms, the search, the check-in's typed fields) get the key as typed.
        let command = KeyboardLayout.command(key)
        if let modal {
            handleModal(modal, key, command: command)
            return
        }
        if key == .control("c") {
            requestQuit()
            return
        }
        if case .checkIn = screen, let done = checkIn.handle(key, app: self) {
            perform(done)
            return
        }
        let typing = orders.searching && screen == .orders
        let dispatched = typing ? key : command
        if handleGlobal(dispatched, typing: typing) { return }
        let done: Command? = switch screen {
        case .today: today.handle(dispatched, app: self)
        case .orders: orders.handle(dispatched, app: self)
        case .violations: violations.handle(dispatched, app: self)
        case .order: orderScreen?.handle(dispatched, app: self)
        case .checkIn: nil
        }
        perform(done)
    }

    func perform(_ command: Command?) {
        switch command {
        case nil: break
        case .reload: reload()
        case .openOrder(let number): openOrder(number)
        case .openForm(let purpose): openForm(purpose)
        case .startCheckIn(let number): startCheckIn(for: number)
        case .flash(let text, let style): flash = (text, style)
        case .saved(let text):
            reload()
            flash = (text, .ok)
        case .loadSurvivorNames:
            orders.survivorNames = (try? store.survivorNames()) ?? [:]
        }
    }

    /// Keys that mean the same on every list screen.
    private func handleGlobal(_ key: Key, typing: Bool) -> Bool {
        switch key {
        case .function(let n) where (1...4).contains(n):
            switchTo(Self.tabs[n - 1].screen)
        case .character(let c) where !typing && c.wholeNumberValue.map({ (1...4).contains($0) }) == true:
            switchTo(Self.tabs[(c.wholeNumberValue ?? 1) - 1].screen)
        case .tab where !typing:
            let index = Self.tabs.firstIndex { $0.screen == screen } ?? -1
            switchTo(Self.tabs[(index + 1) % Self.tabs.count].screen)
        case .character("?") where !typing:
            modal = .help
        case .character("q") where !typing:
            requestQuit()
        case .escape where !typing:
            goBack()
        default:
            return false
        }
        return true
    }

    private func handleModal(_ current: Modal, _ key: Key, command: Key) {
        switch current {
        case .help:
            modal = nil
        case .confirmQuit:
            if Self.confirmsQuit(key, command: command, yes: text("confirmQuit.yes")) {
                wantsQuit = true
            }
            modal = nil
        case .form(var form, let purpose):
            switch form.handle(key) {
            case .cancel:
                modal = nil
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

    /// Whether a key answers yes to "quit and lose it?": y or q (on any layout: «н», «й»), or the
    /// first letter of the language's own word for yes («д» for «да», «и» for «иә»).
    static func confirmsQuit(_ key: Key, command: Key, yes: String) -> Bool {
        guard case .character(let typed) = key, case .character(let c) = command else { return false }
        if "yYq".contains(c) { return true }
        return yes.first.map { $0.lowercased() == typed.lowercased() } ?? false
    }

    // MARK: - The idle lock

    /// Locks the screens: survivor data is dropped from memory and the session locked again.
    public func lock() {
        isLocked = true
        modal = nil
        if case .order = screen { goBack() }
        orderScreen = nil
        orders.survivorNames = nil
        if let locked = try? store.locked() { store = locked }
        lockForm = Form(title: text("lock.title"), fields: [
            .init(label: text(store.user.role.may(.viewSurvivor) ? "field.passphrase" : "field.account"), kind: .secret, value: ""),
        ])
    }

    private func handleLocked(_ key: Key) {
        guard var form = lockForm else { return }
        switch form.handle(key) {
        case .enter, .submit:
            let typed = form.value(0)
            if store.user.role.may(.viewSurvivor) {
                if let opened = try? store.unlocked(passphrase: typed) {
                    store = opened
                    isLocked = false
                }
            } else if typed == login {
                isLocked = false
            }
            if isLocked {
                form.set(0, "")
                form.fields[0].error = text("lock.wrong")
                lockForm = form
            } else {
                lockForm = nil
                reload()
            }
        case .cancel:
            form.set(0, "")
            lockForm = form
        case .none, .unhandled:
            lockForm = form
        }
    }

    func requestQuit() {
        let dirty: Bool = switch modal {
        case .form(let form, _): form.dirty
        default: checkIn.form.dirty
        }
        if dirty { modal = .confirmQuit } else { wantsQuit = true }
    }

    func switchTo(_ target: ScreenID) {
        backStack.removeAll()
        screen = target
        flash = nil
        if (target == .orders && !ordersLoaded) || (target == .violations && !violationsLoaded)
            || (target == .checkIn && !checkInLoaded) {
            reload()
        }
    }

    /// Opens an order's screen on top of the current one; Esc comes back.
    func openOrder(_ number: String) {
        do {
            let detail = try store.detail(number: number, asOf: figuresAsOf, now: clock())
            orderScreen = OrderScreen(number: detail.history.order.number, detail: detail)
            backStack.append(screen)
            screen = .order(detail.history.order.number)
        } catch {
            flash = (describe(error), .error)
        }
    }

    func goBack() {
        guard let previous = backStack.popLast() else { return }
        screen = previous
        if case .order = screen {} else { orderScreen = nil }
    }

    /// The check-in screen with this order already chosen.
    func startCheckIn(for number: String) {
        checkIn.reset(app: self)
        checkIn.form.set(CheckInScreen.order, number)
        checkIn.form.focus = CheckInScreen.outcome
        checkIn.updateHint(app: self)
        switchTo(.checkIn)
    }

    // MARK: - Forms on top of screens

    func openForm(_ purpose: FormPurpose) {
        let now = formats.human(clock())
        let form: Form
        switch purpose {
        case .breach(let number):
            form = Form(title: text("form.breach.title", ["number": number]), fields: [
                .init(label: text("field.time"), kind: .text, value: now),
                .init(label: text("field.description"), kind: .text, value: ""),
                .init(label: text("field.reportedBy"), kind: .text, value: login),
            ])
        case .serve(let number):
            form = Form(title: text("form.serve.title", ["number": number]), fields: [
                .init(label: text("field.time"), kind: .text, value: now),
            ])
        case .revoke(let number):
            form = Form(title: text("form.revoke.title", ["number": number]), fields: [
                .init(label: text("field.time"), kind: .text, value: now),
                .init(label: text("field.reason"), kind: .text, value: ""),
            ])
        case .closeBreach(let id, let number):
            form = Form(title: text("form.close.title", ["id": String(id), "number": number]), fields: [
                .init(label: text("field.action"), kind: .text, value: ""),
                .init(label: text("field.time"), kind: .text, value: now),
            ])
        case .unlock:
            form = Form(title: text("form.unlock.title"), fields: [
                .init(label: text("field.passphrase"), kind: .secret, value: ""),
            ])
        case .period:
            form = Form(title: text("form.period.title"), fields: [
                .init(label: text("field.from"), kind: .text, value: violations.from.dotted),
                .init(label: text("field.to"), kind: .text, value: violations.to.dotted),
            ])
        }
        modal = .form(form, purpose)
    }

    /// Parses a typed time in the file's zone, or puts the error beside the field.
    func parseTime(_ form: inout Form, _ index: Int) -> Date? {
        guard let typed = LocalDateTime(parsing: form.value(index)) else {
            form.fields[index].error = text("error.time")
            return nil
        }
        do {
            return try typed.instant(in: store.timeZone)
        } catch {
            form.fields[index].error = words.message(error)
            return nil
        }
    }

    private func submit(_ original: Form, _ purpose: FormPurpose) {
        var form = original
        form.clearErrors()
        let now = clock()
        do {
            switch purpose {
            case .breach(let number):
                guard let at = parseTime(&form, 0) else { break }
                let breach = try store.addBreach(number, at: at, description: form.value(1), reportedBy: form.value(2),
                                                 now: now)
                flash = (text("saved.breach", ["id": String(breach.id ?? 0), "number": number]), .ok)
            case .serve(let number):
                guard let at = parseTime(&form, 0) else { break }
                try store.serve(number, at: at, now: now)
                flash = (text("saved.serve", ["number": number]), .ok)
            case .revoke(let number):
                guard let at = parseTime(&form, 0) else { break }
                try store.revoke(number, at: at, reason: form.value(1), now: now)
                flash = (text("saved.revoke", ["number": number]), .ok)
            case .closeBreach(let id, _):
                guard let at = parseTime(&form, 1) else { break }
                try store.closeBreach(id, action: form.value(0), at: at, now: now)
                flash = (text("saved.close", ["id": String(id)]), .ok)
            case .unlock:
                do {
                    store = try store.unlocked(passphrase: form.value(0))
                    orders.survivorNames = nil
                    flash = (text("unlocked"), .ok)
                    if let number = orderScreen?.number {
                        orderScreen?.detail = try store.detail(number: number, asOf: figuresAsOf, now: now)
                    }
                } catch {
                    form.fields[0].error = describe(error)
                    form.set(0, "")
                }
            case .period:
                guard let from = LocalDay(parsing: form.value(0)) else { form.fields[0].error = text("error.day"); break }
                guard let to = LocalDay(parsing: form.value(1)) else { form.fields[1].error = text("error.day"); break }
                guard from <= to else { form.fields[1].error = text("error.period"); break }
                violations.period = .custom(from: from, to: to)
            }
        } catch let refusal as Refusal {
            form.formError = words.message(refusal)
        } catch {
            form.formError = describe(error)
        }
        if form.hasErrors {
            modal = .form(form, purpose)
        } else {
            modal = nil
            reload()
        }
    }

    // MARK: - Drawing

    /// Draws the whole frame for the canvas's current size.
    public func draw(on canvas: Canvas) {
        canvas.clear()
        canvas.hideCursor()
        let size = canvas.size
        lastSize = size
        if hidden { return }
        guard size.rows >= 24 && size.cols >= 80 else {
            let message = Wrap.lines(text("tooSmall", ["cols": words.number(size.cols), "rows": words.number(size.rows)]),
                                     width: size.cols)
            let quit = Wrap.lines(text("tooSmall.quit"), width: size.cols)
            let top = max(size.rows / 2 - 1 - (message.count - 1) / 2, 0)
            for (i, line) in (message + quit).enumerated() {
                canvas.put(line, row: top + i, col: 0, style: i < message.count ? .warning : .normal, width: size.cols)
            }
            return
        }
        if isLocked, let lockForm {
            lockForm.draw(on: canvas, row: 2, words: words)
            canvas.put(" " + text("lock.status", ["user": login]), row: size.rows - 1, col: 0, style: .status, width: size.cols)
            return
        }
        drawTabs(canvas)
        let body = Rect(top: 1, left: 0, rows: size.rows - 3, cols: size.cols)
        switch modal {
        case .form(let form, _):
            form.draw(on: canvas, row: body.top + 1, words: words)
        case .help:
            HelpScreen.draw(on: canvas, in: body, screen: screen, app: self)
        case .confirmQuit:
            Wrap.draw(text("confirmQuit"), on: canvas, row: body.top + 2, col: 2, width: size.cols - 4, style: .warning)
        case nil:
            switch screen {
            case .today: today.draw(on: canvas, in: body, app: self)
            case .orders: orders.draw(on: canvas, in: body, app: self)
            case .checkIn: checkIn.draw(on: canvas, in: body, app: self)
            case .violations: violations.draw(on: canvas, in: body, app: self)
            case .order: orderScreen?.draw(on: canvas, in: body, app: self)
            }
        }
        if let flash {
            canvas.put(flash.text, row: size.rows - 2, col: 1, style: flash.style, width: size.cols - 2)
        }
        canvas.put(" " + statusLine(width: size.cols - 1), row: size.rows - 1, col: 0, style: .status, width: size.cols)
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

    /// The tab bar: the program's name, the four tabs with their keys, and the help hint at the right.
    /// When the words of a language do not fit, the name goes first, then the padding of the tabs,
    /// then the tabs take their short labels (`ui.tab.*.short`), so every tab and the hint stay whole.
    private func drawTabs(_ canvas: Canvas) {
        let cols = canvas.size.cols
        canvas.fill(row: 0, col: 0, width: cols, style: .title)
        let help = text("tab.help")
        let name = " " + text("app") + " "
        let room = cols - TextWidth.width(of: help) - 2
        func labels(short: Bool, padded: Bool) -> [String] {
            Self.tabs.enumerated().map { i, tab in
                let key = "ui." + tab.label + ".short"
                let word = short && words.catalog.has(key) ? words.text(key) : text(tab.label)
                return padded ? " \(i + 1) \(word) " : "\(i + 1) \(word)"
            }
        }
        func width(_ tabs: [String]) -> Int { tabs.reduce(0) { $0 + TextWidth.width(of: $1) + 1 } }
        var start = TextWidth.width(of: name) + 1
        var tabs = labels(short: false, padded: true)
        if start + width(tabs) > room {
            start = 0
            for (short, padded) in [(false, false), (true, true), (true, false)] where width(tabs) > room {
                tabs = labels(short: short, padded: padded)
            }
        }
        if start > 0 { canvas.put(name, row: 0, col: 0, style: .title) }
        let onOrder: Bool = if case .order = screen { true } else { false }
        var x = start
        for (i, (id, label)) in zip(Self.tabs.map(\.screen), tabs).enumerated() {
            let current = id == screen || (i == 1 && onOrder)
            canvas.put(label, row: 0, col: x, style: current ? .selected : .title, width: max(min(TextWidth.width(of: label), room - x), 0))
            x += TextWidth.width(of: label) + 1
        }
        canvas.put(help, row: 0, col: cols - TextWidth.width(of: help) - 1, style: .title)
    }
}

/// A rectangle of the canvas a screen draws in.
struct Rect {
    var top: Int
    var left: Int
    var rows: Int
    var cols: Int
}
