import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Survivor details off the command line (issue 12, item 3): `--survivor-from FILE|-` and questions on the
/// terminal, so that `/proc/PID/cmdline`, `ps` and the shell's history never hold them; the argument options
/// still work, with one warning.
@Suite("Survivor details off the command line")
struct SurvivorInputTests {
    static let name = "Жанар Төлеуова"
    static let phone = "+7 777 123 4567"
    static let contact = "Shelter Umit, room 4"
    static let notes = "Speaks Kazakh; call after 18:00"

    static let details = "name: \(name)\nphone: \(phone)\ncontact: \(contact)\nnotes: \(notes)\n"

    static let warning = "can be read by every account on this machine"

    /// `order add ZP-1` without survivor details: the caller adds them.
    static let add = ["order", "add", "--number", "ZP-1", "--issued", "2026-11-01 10:00", "--served", "2026-11-01 15:00",
                      "--respondent", "Нұрсұлтан Әбілқайыров", "--district", "Медеуский"]

    /// A new database with its passphrase at hand (`<db>.key` for a file, `$QORGAU_KEY_FILE` for a server).
    static func database(_ backend: Backend) throws -> CLI {
        let cli = try CLI(backend)
        let made = try cli.run("init", "--time-zone", "Asia/Almaty")
        #expect(made.status == 0, "\(backend): \(made.err)")
        return cli
    }

    /// A file of `text` in a new private folder; the folder goes with `remove(_:)`.
    static func file(_ text: String, name: String = "survivor.txt") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-survivor-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        return path
    }

    static func remove(_ file: String) {
        try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent)
    }

    /// The survivor's details as the unlocked `order show` prints them.
    static func shows(_ cli: CLI, _ values: [String]) throws {
        let shown = try cli.run("order", "show", "ZP-1")
        #expect(shown.status == 0, "\(cli.backend): \(shown.err)")
        for value in values { #expect(shown.out.contains(value), "\(cli.backend): \(value) not in\n\(shown.out)") }
    }

    /// The environment `CLI.run` gives the program.
    static func environment(_ cli: CLI) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["QORGAU_DB"] = nil
        env["QORGAU_KEY_FILE"] = cli.keyFile
        for key in env.keys where key.hasPrefix("PG") { env[key] = nil }
        for key in ["QORGAU_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"] { env[key] = nil }
        env["LANG"] = "C.UTF-8"
        return env
    }

    @Test("--survivor-from FILE: the order is added, no warning, and the unlocked order shows the survivor",
          arguments: Backend.allCases)
    func fromFile(_ backend: Backend) throws {
        let cli = try Self.database(backend)
        defer { cli.remove() }
        let file = try Self.file("# the survivor of ZP-1\n\n" + Self.details.replacingOccurrences(of: "\n", with: "\r\n"))
        defer { Self.remove(file) }
        let added = try cli.run(Self.add + ["--survivor-from", file])
        #expect(added.status == 0, "\(backend): \(added.err)")
        #expect(added.err.isEmpty, "\(backend): \(added.err)")
        try Self.shows(cli, [Self.name, Self.phone, Self.contact, Self.notes])
    }

    @Test("--survivor-from -: while the program waits on standard input, its /proc/PID/cmdline holds no survivor data",
          arguments: Backend.allCases)
    func fromStandardInput(_ backend: Backend) throws {
        let cli = try Self.database(backend)
        defer { cli.remove() }
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = Self.add + ["--survivor-from", "-", "--db", cli.db]
        process.environment = Self.environment(cli)
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let pid = process.processIdentifier
        // Until the program sleeps (reading the pipe, which stays open), then what every account can read of it.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, Self.state(of: pid) != "S" { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(process.isRunning, "\(backend): it should still wait for standard input")
        let cmdline = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        #expect(arguments.contains("--survivor-from") && arguments.contains("ZP-1"), "\(backend): \(arguments)")
        for value in [Self.name, Self.phone, Self.contact, Self.notes, "Жанар", "777"] {
            #expect(!arguments.joined(separator: " ").contains(value), "\(backend): \(value) in the command line")
        }
        input.fileHandleForWriting.write(Data(Self.details.utf8))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(backend): \(String(decoding: e, as: UTF8.self))")
        #expect(String(decoding: o, as: UTF8.self).contains("ZP-1"))
        #expect(e.isEmpty, "\(backend): \(String(decoding: e, as: UTF8.self))")
        try Self.shows(cli, [Self.name, Self.phone, Self.contact, Self.notes])
    }

    /// The state letter of /proc/PID/stat ("R", "S", …), after the command name in parentheses.
    static func state(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").first.map(String.init)
    }

    @Test("on a terminal, with no survivor options, the details are asked for (the name until one is given)",
          arguments: Backend.allCases)
    func asked(_ backend: Backend) throws {
        let cli = try Self.database(backend)
        defer { cli.remove() }
        // An empty name is asked again; the contact is left empty.
        let typed = try Self.onTerminal(cli, Self.add, typing: ["", Self.name, Self.phone, "", Self.notes])
        #expect(typed.status == 0, "\(backend): \(typed.out)")
        #expect(typed.out.contains("Survivor's name: "), "\(backend): \(typed.out)")
        #expect(!typed.out.contains(Self.warning), "\(backend): \(typed.out)")
        try Self.shows(cli, [Self.name, Self.phone, Self.notes])
        // A correction of a survivor field asks for the new value too.
        let corrected = try Self.onTerminal(cli, ["order", "correct", "ZP-1", "--field", "survivor-contact", "--reason", "moved"],
                                            typing: [Self.contact])
        #expect(corrected.status == 0, "\(backend): \(corrected.out)")
        try Self.shows(cli, [Self.contact])
    }

    /// Runs `qorgau ARGS --db DB` on a terminal of its own (`script`), typing `lines`; the terminal's text.
    static func onTerminal(_ cli: CLI, _ args: [String], typing lines: [String]) throws -> (status: Int32, out: String) {
        func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = ([CLI.binary.path] + args + ["--db", cli.db]).map(quote).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        process.environment = environment(cli).merging(["SHELL": "/bin/sh"]) { $1 }
        let input = Pipe(), out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = out
        try process.run()
        input.fileHandleForWriting.write(Data(lines.map { $0 + "\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self))
    }

    @Test("survivor options as arguments still work, with exactly one warning on stderr", arguments: Backend.allCases)
    func argumentsWarn(_ backend: Backend) throws {
        let cli = try Self.database(backend)
        defer { cli.remove() }
        let added = try cli.run(Self.add + ["--survivor", Self.name, "--survivor-phone", Self.phone, "--survivor-contact", Self.contact])
        #expect(added.status == 0, "\(backend): \(added.err)")
        #expect(added.err.components(separatedBy: Self.warning).count == 2, "\(backend): \(added.err)")
        #expect(added.err.split(separator: "\n").count == 1 && added.err.hasPrefix("qorgau: warning: "), "\(backend): \(added.err)")
        #expect(added.err.contains("--survivor-from"), "\(backend): \(added.err)")
        #expect(!added.err.contains(Self.name) && !added.err.contains(Self.phone))
        try Self.shows(cli, [Self.name, Self.phone, Self.contact])

        let corrected = try cli.run("order", "correct", "ZP-1", "--field", "survivor-phone", "--value", "+7 701 000 0000",
                                    "--reason", "new phone")
        #expect(corrected.status == 0, "\(backend): \(corrected.err)")
        #expect(corrected.err.components(separatedBy: Self.warning).count == 2, "\(backend): \(corrected.err)")
        // Another field's --value is no survivor detail: no warning.
        let district = try cli.run("order", "correct", "ZP-1", "--field", "district", "--value", "Алмалинский", "--reason", "moved")
        #expect(district.status == 0 && district.err.isEmpty, "\(backend): \(district.err)")
    }

    @Test("order correct takes a survivor field's new value from --survivor-from", arguments: Backend.allCases)
    func correctFromFile(_ backend: Backend) throws {
        let cli = try Self.database(backend)
        defer { cli.remove() }
        let file = try Self.file(Self.details)
        defer { Self.remove(file) }
        #expect(try cli.run(Self.add + ["--survivor-from", file]).status == 0)
        let phone = try Self.file("phone: +7 701 555 0101\n")
        defer { Self.remove(phone) }
        let corrected = try cli.run(["order", "correct", "ZP-1", "--field", "survivor-phone", "--survivor-from", phone,
                                     "--reason", "new phone"])
        #expect(corrected.status == 0 && corrected.err.isEmpty, "\(backend): \(corrected.err)")
        try Self.shows(cli, ["+7 701 555 0101"])

        let before = try cli.state()
        // The file names another field than --field; a name is not correctable this way.
        for (text, args) in [("contact: Shelter B\n", ["--field", "survivor-phone"]), ("name: X\n", ["--field", "survivor-notes"]),
                             ("phone: 1\nphone: 2\n", ["--field", "survivor-phone"])] {
            let wrong = try Self.file(text)
            defer { Self.remove(wrong) }
            let refused = try cli.run(["order", "correct", "ZP-1", "--survivor-from", wrong, "--reason", "r"] + args)
            #expect(refused.status == 1 && refused.err.hasPrefix("qorgau: "), "\(backend) \(text): \(refused.err)")
            #expect(refused.err.split(separator: "\n").count == 1, "\(backend): \(refused.err)")
        }
        // Usage: --survivor-from for a field that is not the survivor's; both ways at once; no value, no terminal.
        for args in [["--field", "district", "--survivor-from", phone], ["--field", "survivor-phone", "--survivor-from", phone,
                                                                         "--value", "1"],
                     ["--field", "survivor-phone"], ["--field", "district"]] {
            let refused = try cli.run(["order", "correct", "ZP-1", "--reason", "r"] + args)
            #expect(refused.status == 2, "\(backend) \(args): \(refused.err)")
        }
        #expect(try cli.state() == before, "\(backend): a refused correction wrote something")
    }

    /// Survivor files that are refused: (what, the file's bytes, or nil for a special case made by the test).
    static let badFiles: [(String, String?)] = [
        ("an unknown field", "name: \(name)\nadress: \(contact)\n"),
        ("a line that is no field", "\(name)\n"),
        ("a field twice", "name: \(name)\nphone: \(phone)\nphone: \(phone)\n"),
        ("no name", "phone: \(phone)\ncontact: \(contact)\n"),
        ("an empty name", "name:\nphone: \(phone)\n"),
        ("not UTF-8", nil),
        ("larger than 64 KiB", nil),
        ("a folder", nil),
        ("a named pipe", nil),
        ("no file", nil),
    ]

    @Test("bad survivor files are refused: exit 1, one line quoting none of the file, nothing written",
          arguments: Backend.allCases, badFiles.indices)
    func refusedFiles(_ backend: Backend, _ index: Int) throws {
        let (what, text) = Self.badFiles[index]
        let cli = try Self.database(backend)
        defer { cli.remove() }
        let file = try Self.file(text ?? "")
        defer { Self.remove(file) }
        var source = file
        switch what {
        case "not UTF-8": try Data([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: file))
        case "larger than 64 KiB": try Data(("notes: " + String(repeating: "x", count: 70_000) + "\nname: A\n").utf8)
            .write(to: URL(fileURLWithPath: file))
        case "a folder": source = (file as NSString).deletingLastPathComponent
        case "a named pipe":
            source = file + ".fifo"
            #expect(mkfifo(source, 0o600) == 0)
        case "no file": source = file + ".missing"
        default: break
        }
        let before = try cli.state()
        let result = try cli.run(Self.add + ["--survivor-from", source])
        #expect(result.status == 1, "\(backend) \(what): \(result.err)")
        #expect(result.err.hasPrefix("qorgau: ") && result.err.split(separator: "\n").count == 1, "\(backend) \(what): \(result.err)")
        #expect(result.out.isEmpty, "\(backend) \(what): \(result.out)")
        for value in [Self.name, Self.phone, Self.contact, "Жанар"] {
            #expect(!result.err.contains(value), "\(backend) \(what): \(result.err)")
        }
        #expect(try cli.state() == before, "\(backend) \(what): a refusal wrote something")
        #expect(try cli.run("order", "show", "ZP-1").status == 1)
    }

    @Test("a bad survivor file on standard input is refused too", arguments: Backend.allCases)
    func refusedStandardInput(_ backend: Backend) throws {
        let cli = try Self.database(backend)
        defer { cli.remove() }
        let before = try cli.state()
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = Self.add + ["--survivor-from", "-", "--db", cli.db]
        process.environment = Self.environment(cli)
        let input = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data("name: \(Self.name)\nname: \(Self.name)\n".utf8))
        try input.fileHandleForWriting.close()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(backend): \(e)")
        #expect(e.contains("standard input, line 2") && !e.contains(Self.name), "\(backend): \(e)")
        #expect(try cli.state() == before)
    }

    @Test("survivor details both as arguments and with --survivor-from, or not at all without a terminal: usage errors",
          arguments: Backend.allCases)
    func usage(_ backend: Backend) throws {
        let cli = try Self.database(backend)
        defer { cli.remove() }
        let file = try Self.file(Self.details)
        defer { Self.remove(file) }
        let before = try cli.state()
        for extra in [["--survivor-from", file, "--survivor-phone", Self.phone], [], ["--survivor-notes", Self.notes]] {
            let result = try cli.run(Self.add + extra)
            #expect(result.status == 2, "\(backend) \(extra): \(result.err)")
            #expect(result.err.contains("--survivor-from"), "\(backend) \(extra): \(result.err)")
            #expect(!result.err.contains(Self.phone) && !result.err.contains(Self.notes), "\(backend): \(result.err)")
        }
        #expect(try cli.state() == before)
    }

    @Test("--help shows the safe way first")
    func help() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let help = try cli.run("order", "add", "--help")
        #expect(help.status == 0)
        // The overview says it before anything else; the options list it first.
        #expect(Self.comesFirst("--survivor-from FILE", before: "USAGE:", in: help.out), "\(help.out)")
        #expect(Self.comesFirst("--survivor-from", before: "--survivor <", in: Self.options(help.out)), "\(help.out)")
        #expect(help.out.contains("Other accounts can read it"), "\(help.out)")
        let correct = try cli.run("order", "correct", "--help")
        #expect(Self.comesFirst("--survivor-from FILE", before: "USAGE:", in: correct.out), "\(correct.out)")
        #expect(Self.comesFirst("--survivor-from", before: "--value", in: Self.options(correct.out)), "\(correct.out)")
    }

    static func comesFirst(_ first: String, before second: String, in text: String) -> Bool {
        guard let a = text.range(of: first), let b = text.range(of: second) else { return false }
        return a.lowerBound < b.lowerBound
    }

    /// The OPTIONS part of a help text.
    static func options(_ help: String) -> String {
        help.range(of: "OPTIONS:").map { String(help[$0.upperBound...]) } ?? ""
    }
}
