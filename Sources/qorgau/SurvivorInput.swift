import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OrderModel
import OrderStore
import Wording

/// The survivor's fields as `--survivor-from` names them, one `field: value` a line.
enum SurvivorField: String, CaseIterable {
    case name, phone, contact, notes

    /// The line of a `--survivor-from` file that corrects `field` (nil for a field that is not the survivor's).
    init?(correcting field: CorrectableField) {
        switch field {
        case .survivorPhone: self = .phone
        case .survivorContact: self = .contact
        case .survivorNotes: self = .notes
        default: return nil
        }
    }
}

/// Survivor details off the command line. Arguments can be read by every account on the machine while the
/// command runs (`/proc/PID/cmdline`, `ps`) and stay in the shell's history; so the details come from a file,
/// from standard input (`--survivor-from FILE|-`), or from questions on the terminal. The argument options stay
/// for scripts, with one warning.
enum SurvivorInput {
    /// The largest survivor file read: four short lines are far less.
    static let limit = 64 * 1024

    /// Whether questions can be asked: standard input is a terminal.
    static var interactive: Bool { isatty(STDIN_FILENO) == 1 }

    /// How a source is named in messages: its path, or "standard input" for `-`.
    static func shown(_ source: String) -> String {
        source == "-" ? say("survivor.standardInput") : source
    }

    /// The fields of `--survivor-from` `source` (a path, or `-` for standard input). Refused, with one line that
    /// quotes no content of the file: something that is not a regular file, a file over `limit`, text that is
    /// not UTF-8, a line that is not `field: value` with a known field, a field given twice.
    static func read(from source: String) throws -> [SurvivorField: String] {
        let bytes = source == "-" ? try readStandardInput() : try readFile(source)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Said(say("survivor.notText", ["source": shown(source)]))
        }
        return try parse(text, source: source)
    }

    /// `field: value` lines; blank lines and lines starting with `#` are skipped, a leading byte-order mark
    /// is dropped, values are trimmed. Field names are matched without regard to case.
    static func parse(_ text: String, source: String) throws -> [SurvivorField: String] {
        var fields: [SurvivorField: String] = [:]
        var firstLine: [SurvivorField: Int] = [:]
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // "\r\n" is one Character in Swift: both ends of line are named.
        let lines = body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"),
                  let field = SurvivorField(rawValue: line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw Said(say("survivor.badLine", ["source": shown(source), "line": String(index + 1)]))
            }
            if let first = firstLine[field] {
                throw Said(say("survivor.duplicateField", ["source": shown(source), "line": String(index + 1),
                                                           "field": field.rawValue, "first": String(first)]))
            }
            firstLine[field] = index + 1
            fields[field] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    /// A regular file of at most `limit` bytes (checked on the file opened, and again while reading it).
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw unreadable(path) }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw unreadable(path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Said(say("survivor.notRegular", ["source": path])) }
        guard info.st_size <= limit else { throw tooLarge(path) }
        return try readAll(fd, source: path)
    }

    /// Standard input to its end, at most `limit` bytes. On a terminal, says first what to type.
    static func readStandardInput() throws -> [UInt8] {
        if interactive { FileHandle.standardError.write(Data((say("prompt.survivorLines") + "\n").utf8)) }
        return try readAll(STDIN_FILENO, source: "-")
    }

    private static func readAll(_ fd: Int32, source: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw unreadable(source) }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
            if bytes.count > limit { throw tooLarge(source) }
        }
    }

    private static func unreadable(_ source: String) -> Said {
        Said(say("survivor.unreadable", ["source": shown(source), "reason": String(cString: strerror(errno))]))
    }

    private static func tooLarge(_ source: String) -> Said {
        Said(say("survivor.tooLarge", ["source": shown(source), "limit": String(limit / 1024)]))
    }

    /// Asks on the terminal (the question on stderr, the answer echoed: these are not secrets, only kept out of
    /// the command line); nil when the input ends.
    static func ask(_ question: String) -> String? {
        FileHandle.standardError.write(Data(question.utf8))
        return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
    }

    /// The survivor of a new order, asked field by field: the name until one is given, the others may stay empty.
    static func askSurvivor() throws -> Survivor {
        var name = ""
        while name.isEmpty {
            guard let answer = ask(say("prompt.survivorName")) else {
                throw Said(say("survivor.promptEnded", ["what": processWords.field(.survivorName)]))
            }
            name = answer
        }
        var survivor = Survivor(name: name)
        survivor.phone = ask(say("prompt.survivorPhone")) ?? ""
        survivor.contact = ask(say("prompt.survivorContact")) ?? ""
        survivor.notes = ask(say("prompt.survivorNotes")) ?? ""
        return survivor
    }

    /// The one warning of survivor details given as arguments, on stderr.
    static func warnArguments() {
        FileHandle.standardError.write(Data(("qorgau: " + say("survivor.argvWarning") + "\n").utf8))
    }
}
