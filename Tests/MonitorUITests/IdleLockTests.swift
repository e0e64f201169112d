import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import MonitorUI
import OrderModel
import OrderStore
import SQLiteStore
import Terminal
import Testing
import Wording

/// A folder of its own (0700) for a PIN file, removed by `remove()`.
private struct PinFolder {
    let folder: String
    var path: String { PinFile.path(xdgConfigHome: folder + "/config", home: folder) }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("qpin-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// A file Qorgau wrote with `pin`, then given `mode`.
    func written(_ pin: String, mode: mode_t = 0o600) throws -> PinFile {
        var file = try PinFile(path: path)
        try file.set(pin)
        chmod(path, mode)
        return file
    }
}

private func mode(_ path: String) -> mode_t {
    var info = stat()
    stat(path, &info)
    return info.st_mode & 0o7777
}

/// A liaison's session over the orders of `makeApp`, locking after 600 s, with its PIN kept in `pins`.
private func liaisonApp(_ pins: PinFolder, words: Words = .english, rows: Int = 30, cols: Int = 100) throws
    -> (MonitorApp, GridCanvas, OrderStore, TestClock) {
    let (_, _, store, clock) = try makeApp()
    try store.addUser("police7", role: .liaison, district: "", now: clock.now)
    let app = MonitorApp(store: try store.session(for: "police7", now: clock.now), clock: { clock.now }, words: words,
                         lockAfter: 600, pinFile: try PinFile(path: pins.path))
    let canvas = GridCanvas(rows: rows, cols: cols)
    app.draw(on: canvas)
    return (app, canvas, store, clock)
}

extension MonitorApp {
    /// Waits out the idle time and lets the lock engage.
    func idle(_ clock: TestClock, on canvas: GridCanvas) {
        clock.now = clock.now.addingTimeInterval(idleLock.after + 1)
        tick()
        draw(on: canvas)
    }

    /// Types `answer` on the lock and presses Enter.
    func answer(_ answer: String, on canvas: GridCanvas) {
        type(answer, on: canvas)
        press(.enter, on: canvas)
    }
}

/// Every string held anywhere under `root` (the store itself, whose sealed records are not plaintext, and the
/// catalogs left out), reached through stored properties, collections, optionals, enums and class instances.
private func heldStrings(_ root: Any) -> [String] {
    var seen = Set<ObjectIdentifier>()
    var found: [String] = []
    func walk(_ value: Any, depth: Int) {
        guard depth < 40, !(value is OrderStore), !(value is Words) else { return }
        if let text = value as? String { return found.append(text) }
        if let text = value as? Substring { return found.append(String(text)) }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .class {
            let id = ObjectIdentifier(value as AnyObject)
            guard seen.insert(id).inserted else { return }
        }
        var current: Mirror? = mirror
        while let m = current {
            for child in m.children { walk(child.value, depth: depth + 1) }
            current = m.superclassMirror
        }
    }
    walk(root, depth: 0)
    return found
}

@Suite("The idle lock: a PIN or the passphrase, nothing shown, survivor data dropped")
struct IdleLockTests {
    static let survivor = ["Айгерим Нұрланқызы", "+7 701 555 0101", "shelter on Abay street"]

    // MARK: - The PIN and its file

    @Test("a PIN is 4 to 12 digits 0-9")
    func wellFormed() {
        for pin in ["1234", "0000", "123456789012"] { #expect(LockPin.isWellFormed(pin), "\(pin)") }
        for pin in ["", "123", "1234567890123", "12a4", "12 34", "١٢٣٤", "１２３４"] { #expect(!LockPin.isWellFormed(pin), "\(pin)") }
    }

    @Test("the PIN is kept only as a salted slow hash, 0600 in a folder made 0700, and read back")
    func setAndVerify() throws {
        let pins = try PinFolder()
        defer { pins.remove() }
        var file = try PinFile(path: pins.path)
        #expect(file.pin == nil)
        #expect(!file.matches("2468"))
        try file.set("2468")
        #expect(mode(pins.path) == 0o600)
        #expect(mode((pins.path as NSString).deletingLastPathComponent) == 0o700)
        let kept = try String(contentsOfFile: pins.path, encoding: .utf8)
        #expect(!kept.contains("2468"))
        #expect(kept.hasPrefix("qorgau-pin 1 scrypt \(1 << 15) 8 1 "))
        let read = try PinFile(path: pins.path)
        #expect(read.matches("2468"))
        #expect(!read.matches("2469"))
        #expect(!read.matches("24680"))
        // Salted: the same PIN set again is kept as another hash.
        try file.set("2468")
        #expect(try String(contentsOfFile: pins.path, encoding: .utf8) != kept)
        #expect(try PinFile(path: pins.path).matches("2468"))
    }

    @Test("a PIN file that is a symbolic link, readable by others or another account's is refused, saying why")
    func refusedFiles() throws {
        let pins = try PinFolder()
        defer { pins.remove() }
        _ = try pins.written("2468")
        func refusal() -> StoreError? {
            do {
                _ = try PinFile(path: pins.path)
                return nil
            } catch {
                return error
            }
        }
        chmod(pins.path, 0o640)
        #expect(refusal() == .pinFileRefused(path: pins.path, problem: .readableByGroup(mode: "0640")))
        chmod(pins.path, 0o604)
        #expect(refusal() == .pinFileRefused(path: pins.path, problem: .readableByAll(mode: "0604")))
        chmod(pins.path, 0o620)
        #expect(refusal() == .pinFileRefused(path: pins.path, problem: .unsafe))
        chmod(pins.path, 0o600)
        #expect(refusal() == nil)
        if geteuid() == 0 {
            chown(pins.path, 65534, 65534)
            guard case .pinFileRefused(_, .ownedByOther)? = refusal() else {
                Issue.record("another account's PIN file was not refused: \(String(describing: refusal()))")
                return
            }
            chown(pins.path, 0, 0)
        }
        // A link to a good file is refused all the same: whoever may change the link would choose the PIN.
        let real = pins.folder + "/real-pin"
        try FileManager.default.moveItem(atPath: pins.path, toPath: real)
        try FileManager.default.createSymbolicLink(atPath: pins.path, withDestinationPath: real)
        #expect(refusal() == .pinFileRefused(path: pins.path, problem: .symlink))
        let said = Words.english.message(StoreError.pinFileRefused(path: pins.path, problem: .symlink))
        #expect(said.contains(pins.path) && said.contains("symbolic link"), "\(said)")
        #expect(Words.english.message(StoreError.pinFileRefused(path: "p", problem: .readableByGroup(mode: "0640")))
            .contains("mode 0640"))
    }

    @Test("a PIN file Qorgau did not write, or of an absurd cost, is refused before any hash is computed")
    func damagedFile() throws {
        let pins = try PinFolder()
        defer { pins.remove() }
        _ = try pins.written("2468")
        let line = try String(contentsOfFile: pins.path, encoding: .utf8)
        for bad in ["1234\n", "", line.replacingOccurrences(of: " \(1 << 15) ", with: " \(1 << 40) "),
                    line.replacingOccurrences(of: " 8 1 ", with: " 8 1000 ")] {
            try bad.write(toFile: pins.path, atomically: false, encoding: .utf8)
            #expect(throws: StoreError.pinFileDamaged(path: pins.path)) { try PinFile(path: pins.path) }
        }
    }

    // MARK: - The lock of a liaison

    @Test("a liaison chooses a PIN (twice) before the screens open; nothing of the records shows until then")
    func choosePinAtFirstStart() throws {
        let pins = try PinFolder()
        defer { pins.remove() }
        let (app, canvas, _, _) = try liaisonApp(pins)
        #expect(app.isLocked)
        #expect(canvas.contains("Choose a PIN for the screen lock"))
        #expect(canvas.contains(pins.path))
        #expect(!canvas.contains("ZP-1"))
        #expect(!canvas.contains("Нұрсұлтан"))
        app.answer("12", on: canvas)
        app.answer("12", on: canvas)
        #expect(canvas.contains("a PIN is 4 to 12 digits"))
        app.answer("2468", on: canvas)
        app.answer("1357", on: canvas)
        #expect(canvas.contains("the two PINs differ"))
        #expect(!FileManager.default.fileExists(atPath: pins.path))
        app.answer("2468", on: canvas)
        app.answer("2468", on: canvas)
        #expect(!app.isLocked)
        #expect(canvas.contains("PIN set"))
        #expect(canvas.contains("ZP-1"))
        #expect(try PinFile(path: pins.path).matches("2468"))
    }

    @Test("the PIN is chosen and asked for on an 80×24 screen in every language, its words whole", arguments: Language.allCases)
    func lockInEveryLanguage(_ language: Language) throws {
        let pins = try PinFolder()
        defer { pins.remove() }
        let words = Words(language)
        let (app, canvas, _, clock) = try liaisonApp(pins, words: words, rows: 24, cols: 80)
        func flat() -> String { (0..<canvas.size.rows).map(canvas.line).joined(separator: " ").split(separator: " ").joined(separator: " ") }
        for key in ["ui.lock.newPin.title", "ui.field.pin", "ui.field.pinAgain"] { #expect(canvas.contains(words.text(key)), "\(key)") }
        let about = words.text("ui.lock.newPin.about", ["minutes": words.number(10), "path": pins.path])
        #expect(flat().contains(about.split(separator: " ").joined(separator: " ")), "\(canvas.text)")
        app.answer("2468", on: canvas)
        app.answer("2468", on: canvas)
        #expect(!app.isLocked)
        app.idle(clock, on: canvas)
        #expect(canvas.contains(words.text("ui.lock.status", ["user": "police7"])))
        #expect(flat().contains(words.count("ui.lock.about", IdleLock.tries)), "\(canvas.text)")
        app.answer("1111", on: canvas)
        #expect(flat().contains(words.count("ui.lock.wrong", IdleLock.tries - 1)), "\(canvas.text)")
    }

    @Test("the liaison's lock asks for the PIN, shows nothing typed, says whose lock it is, and refuses a wrong one")
    func pinOpensTheLock() throws {
        let pins = try PinFolder()
        defer { pins.remove() }
        _ = try pins.written("2468")
        let (app, canvas, _, clock) = try liaisonApp(pins)
        #expect(!app.isLocked)
        #expect(canvas.contains("ZP-1"))
        app.idle(clock, on: canvas)
        #expect(app.isLocked)
        #expect(!canvas.contains("ZP-1"))
        #expect(canvas.line(canvas.size.rows - 1).contains("locked · police7"))
        #expect(canvas.contains("PIN"))
        #expect(!canvas.contains("Passphrase"))
        // Not the account name any more: anyone knows it.
        app.answer("police7", on: canvas)
        #expect(app.isLocked)
        #expect(canvas.contains("that does not unlock it: 4 tries left"))
        app.type("13579", on: canvas)
        for shown in ["13579", "•", "*", "3579"] { #expect(!canvas.contains(shown), "\(shown) is on the lock screen") }
        let field = (0..<canvas.size.rows).map(canvas.line).first { $0.contains("PIN") } ?? ""
        #expect(field.trimmingCharacters(in: .whitespaces) == "▸ PIN", "\(field)")
        app.press(.enter, on: canvas)
        #expect(canvas.contains("3 tries left"))
        app.answer("2468", on: canvas)
        #expect(!app.isLocked)
        #expect(canvas.contains("ZP-1"))
        // The count starts again at the next lock.
        app.idle(clock, on: canvas)
        app.answer("1111", on: canvas)
        #expect(canvas.contains("4 tries left"))
    }

    @Test("five wrong answers in a row end the program, saying why; Enter on nothing is no answer")
    func wrongAnswersEnd() throws {
        let pins = try PinFolder()
        defer { pins.remove() }
        _ = try pins.written("2468")
        let (app, canvas, _, clock) = try liaisonApp(pins)
        app.idle(clock, on: canvas)
        app.press(.enter, .enter, on: canvas)
        #expect(!canvas.contains("tries left"))
        for wrong in 1..<IdleLock.tries {
            app.answer("000\(wrong)", on: canvas)
            #expect(!app.wantsQuit)
        }
        #expect(canvas.contains("1 try left"))
        app.answer("9999", on: canvas)
        #expect(app.wantsQuit)
        #expect(app.endedBecause?.contains("police7") == true)
        #expect(app.isLocked)
    }

    @Test("while locked no key changes anything: tabs, q, forms and writes are out of reach; Ctrl-C ends the program")
    func keysWhileLocked() throws {
        let pins = try PinFolder()
        defer { pins.remove() }
        _ = try pins.written("2468")
        let (app, canvas, store, clock) = try liaisonApp(pins)
        let mark = try store.changeMark()
        app.idle(clock, on: canvas)
        for key: Key in [.character("3"), .function(2), .tab, .character("q"), .character("?"), .control("s"), .escape,
                         .character("b"), .enter] {
            app.press(key, on: canvas)
        }
        #expect(app.isLocked && !app.wantsQuit)
        #expect(app.screen == .today)
        #expect(app.modal == nil)
        #expect(try store.changeMark() == mark)
        #expect(!canvas.contains("ZP-1"))
        app.press(.control("c"), on: canvas)
        #expect(app.wantsQuit)
        #expect(app.endedBecause == nil)
    }

    // MARK: - Staff: the passphrase, and survivor data dropped

    @Test("the lock drops every decrypted survivor value (screens, order view, forms, search, loader) and reads them again after the passphrase")
    func survivorDataDropped() throws {
        let (app, canvas, _, clock) = try makeApp()
        // The order view, the survivors' names of a search, and a form holding a survivor's name.
        app.press(.character("2"), .character("/"), on: canvas)
        app.type("айгерим", on: canvas)
        app.openOrder("ZP-1")
        app.draw(on: canvas)
        #expect(app.orderScreen != nil)
        #expect(canvas.contains(Self.survivor[0]))
        #expect(app.orders.found?.survivorIDs.isEmpty == false)
        app.modal = .form(Form(title: "", fields: [.init(label: "", kind: .text, value: Self.survivor[0])]), .unlock)
        let before = heldStrings(app)
        #expect(Self.survivor.contains { value in before.contains { $0.contains(value) } }, "the walk finds nothing to drop")

        app.idle(clock, on: canvas)
        #expect(app.isLocked)
        #expect(canvas.contains("Passphrase"))
        for value in Self.survivor { #expect(!canvas.contains(value)) }
        let held = heldStrings(app)
        for value in Self.survivor {
            #expect(!held.contains { $0.contains(value) }, "\(value) is still held after the lock")
        }
        #expect(app.orderScreen == nil)
        #expect(app.orders.found == nil && app.orders.query.isEmpty)
        #expect(app.modal == nil)
        #expect(!app.context().survivorUnlocked)

        // Only the passphrase opens it again, and only then is the survivor read and shown again.
        app.answer("wrong", on: canvas)
        #expect(app.isLocked)
        #expect(!heldStrings(app).contains { $0.contains(Self.survivor[0]) })
        app.answer("test", on: canvas)
        #expect(!app.isLocked)
        #expect(app.context().survivorUnlocked)
        app.openOrder("ZP-1")
        app.draw(on: canvas)
        #expect(canvas.contains(Self.survivor[0]))
    }
}
