import Foundation
import OrderModel
import OrderStore
import Scheduler
import Terminal
import Wording

/// A screen a person moves to: a name (`today`, which also names its help and its catalog keys), and
/// for a screen about one thing, which (`order`, "ZP-1").
public struct ScreenID: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let argument: String?

    init(_ name: String, _ argument: String? = nil) {
        self.name = name
        self.argument = argument
    }

    public static let today = ScreenID("today")
    public static let orders = ScreenID("orders")
    public static let checkIn = ScreenID("checkIn")
    public static let violations = ScreenID("violations")
    public static func order(_ number: String) -> ScreenID { ScreenID("order", number) }

    public var description: String { argument.map { "\(name)(\($0))" } ?? name }
}

/// A key as typed, and as a command: on a Cyrillic layout «й» is typed where `q` is meant. Text
/// fields take `typed`; command letters are read from `command`.
struct KeyPress {
    let typed: Key
    let command: Key

    init(_ typed: Key) {
        self.typed = typed
        command = KeyboardLayout.command(typed)
    }
}

/// What a screen may know of the session: the words, the time of the figures, who is at the keyboard,
/// and the reads it may make. Never the store itself: every write is a `Command` the app performs.
struct ScreenContext {
    let words: Words
    let reader: StoreReader
    /// The instant the figures on screen are for, and the clock's now.
    let asOf: Date
    let now: Date
    let user: User
    /// Whether survivor data is open in this session (it may be locked for a role that may see it).
    let survivorUnlocked: Bool
    /// How many rows a list shows: how far PgUp/PgDn move.
    let listHeight: Int

    var timeZone: TimeZone { reader.timeZone }
    var formats: InstantFormat { InstantFormat(timeZone: timeZone) }
    var today: LocalDay { formats.day(now) }

    func text(_ key: String, _ values: [String: String] = [:]) -> String { words.text("ui." + key, values) }

    func may(_ permission: Permission) -> Bool { user.role.may(permission) }

    /// True for a role that may see survivor data whose session has it locked: `u` unlocks.
    var mayUnlock: Bool { user.role.may(.viewSurvivor) && !survivorUnlocked }
}

/// One screen: it loads what it shows through reads only, draws it, and turns keys into commands.
/// Classes, so that the app keeps each screen's state (cursor, filter, typed input) while another shows.
///
/// A new screen of the tab bar is a file (the class, and its `ScreenID` as a `static let` in an extension)
/// and one entry in `MonitorApp.tabs`; its words are `ui.tab.<name>` (and `.short` when a language needs
/// it), `ui.help.title.<name>` and `ui.help.<name>` in the three catalogs.
protocol Screen: AnyObject {
    var id: ScreenID { get }

    /// Reads what the screen shows, as of `context.asOf`. Called when it is first shown, and again
    /// whenever the figures are recomputed (a write, another terminal's write, the minute, the day).
    func load(context: ScreenContext) throws

    /// Reads again what of the screen the orders `changed` (written by another terminal) touch, as of `context.asOf`
    /// (`Refresh`). A screen without a way of its own loads whole.
    func refresh(_ changed: Refresh.Changed, context: ScreenContext) throws

    /// The screen's answer to a key: nil when the key is not the screen's (the app's keys then: 1-4,
    /// Tab, ?, q, Esc), `.nothing` when it took it, else what the app should do.
    func handle(_ key: KeyPress, context: ScreenContext) -> Command?

    func draw(on canvas: Canvas, in body: Rect, context: ScreenContext)

    /// Typed input that quitting or leaving would lose.
    var hasUnsavedInput: Bool { get }

    /// Forgets typed input, once the person said so.
    func discardInput(context: ScreenContext)

    /// The result of a write this screen asked for: its refusal goes beside the field it is about.
    func finished(_ write: Write, result: Result<String, Error>, context: ScreenContext) -> Command?

    /// What the app hands over at the screen's asking (`Command.answer`, `Command.searchOrders`).
    func receive(_ input: ScreenInput, context: ScreenContext) -> Command?

    /// Drops survivor data held in memory: the screens lock, or the session changes.
    func forgetSurvivorData()

    /// Values for the screen's help text (`ui.help.<name>`).
    func helpValues(context: ScreenContext) -> [String: String]
}

extension Screen {
    func refresh(_ changed: Refresh.Changed, context: ScreenContext) throws { try load(context: context) }
    var hasUnsavedInput: Bool { false }
    func discardInput(context: ScreenContext) {}
    func finished(_ write: Write, result: Result<String, Error>, context: ScreenContext) -> Command? { nil }
    func receive(_ input: ScreenInput, context: ScreenContext) -> Command? { nil }
    func forgetSurvivorData() {}
    func helpValues(context: ScreenContext) -> [String: String] { [:] }
}

/// A rectangle of the canvas a screen draws in.
struct Rect {
    var top: Int
    var left: Int
    var rows: Int
    var cols: Int
}
