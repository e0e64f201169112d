import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The export: one JSON document `{"format": "qorgau-export", "schema": [migration, …], "tables": {table: [row, …]}}`,
/// each row an object of the table's columns (keys sorted). Every table and column name an importer puts in SQL
/// comes from `Export.tables`, never from a file: an export that names anything else is refused before anything
/// is written, and its values are only ever bound as parameters.
package enum Export {
    /// What the first key of an export says.
    package static let format = "qorgau-export"

    /// The schema versions (migration identifiers) whose tables `tables` describes; a SQLite test checks that they are
    /// the file's migrations, and that `tables` is what they make (PRAGMA table_info), so that the two cannot drift.
    /// (v2 adds only tables made from the records, never exported: an import makes them again.)
    package static let schemaVersions = ["v1-orders-checks-breaches-users-audit", "v2-list-search-sort-and-name-index"]

    /// Every table of an export, in the order an import fills them (a row's references come before it), each with
    /// its columns in the schema's order.
    package static let tables: [ExportTable] = [
        ExportTable("meta", [.text("key"), .text("value")]),
        ExportTable("users", [.text("login"), .text("role"), .text("district"), .integer("disabled"), .real("createdAt"),
                              .text("createdBy")]),
        ExportTable("orders", [
            .integer("id"), .text("number"), .text("numberKey"), .text("kind"), .real("issued"), .real("served", nullable: true),
            .integer("termDays"), .integer("checkIntervalDays"), .text("district"), .text("officer"), .text("restrictions"),
            .blob("survivor"), .text("survivorInitials"), .text("respondentName"), .text("respondentBirthDate", nullable: true),
            .text("respondentAddress"), .text("respondentPhone"), .real("revoked", nullable: true),
            .text("revocationReason", nullable: true), .real("expires", nullable: true), .real("ends", nullable: true),
            .real("lastCountedCheck", nullable: true), .text("nextDue", nullable: true), .real("createdAt"), .text("createdBy"),
        ]),
        ExportTable("checks", [.integer("id"), .integer("orderID"), .real("at"), .text("officer"), .text("method"), .text("outcome"),
                               .integer("counted"), .text("note"), .real("recordedAt"), .text("recordedBy")]),
        ExportTable("breaches", [
            .integer("id"), .integer("orderID"), .real("occurred"), .real("reported"), .text("reportedBy"), .text("description"),
            .integer("checkID", nullable: true), .real("closed", nullable: true), .text("action", nullable: true),
            .text("closedBy", nullable: true), .real("recordedAt"), .text("recordedBy"),
        ]),
        ExportTable("corrections", [.integer("id"), .integer("orderID"), .text("field"), .blob("value"), .text("reason"), .real("at"),
                                    .text("account")]),
        ExportTable("history", [.integer("id"), .real("at"), .text("account"), .text("action"), .text("entity"),
                                .integer("entityID", nullable: true), .text("detail"), .text("prevHash"), .text("hash")]),
    ]

    /// The table of that name, if the export has one.
    package static func table(named name: String) -> ExportTable? {
        tables.first { $0.name == name }
    }

    /// The longest text or base64 value an import takes (sealed survivor records and rule sets are far smaller).
    package static let longestValue = 16 << 20
}

/// One table of an export: its name and its columns, in the schema's order.
package struct ExportTable: Sendable {
    package let name: String
    package let columns: [ExportColumn]
    /// Where each column is in `columns`.
    package let position: [String: Int]

    init(_ name: String, _ columns: [ExportColumn]) {
        self.name = name
        self.columns = columns
        position = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($0.element.name, $0.offset) })
    }
}

/// One column of an export's table, as the SQLite schema declares it.
package struct ExportColumn: Sendable, Equatable {
    /// The declared type, which says what a value of the column may be.
    package enum Kind: String, Sendable {
        case text = "TEXT", integer = "INTEGER", real = "REAL", blob = "BLOB"
    }

    package let name: String
    package let kind: Kind
    /// May be NULL (left out of a row of the export); NOT NULL columns and primary keys may not.
    package let nullable: Bool

    static func text(_ name: String, nullable: Bool = false) -> ExportColumn { ExportColumn(name: name, kind: .text, nullable: nullable) }
    static func integer(_ name: String, nullable: Bool = false) -> ExportColumn {
        ExportColumn(name: name, kind: .integer, nullable: nullable)
    }
    static func real(_ name: String, nullable: Bool = false) -> ExportColumn { ExportColumn(name: name, kind: .real, nullable: nullable) }
    static func blob(_ name: String, nullable: Bool = false) -> ExportColumn { ExportColumn(name: name, kind: .blob, nullable: nullable) }

    /// The value as the column holds it, or nil when the column cannot hold it. An integer in a REAL column becomes
    /// a real (as SQLite stores it); text never becomes a number, nor a number text.
    func accept(_ cell: Cell) -> Cell? {
        switch (kind, cell) {
        case (_, .null): nullable ? cell : nil
        case (.text, .text), (.integer, .int), (.real, .real), (.blob, .blob): cell
        case (.real, .int(let i)): .real(Double(i))
        default: nil
        }
    }
}

/// One SQLite value, losslessly: integers as JSON numbers, reals as `{"real": number}` (so that 3.0 stays a real and
/// comes back bit for bit), text as strings, blobs as `{"base64": "…"}`.
package enum Cell: Equatable, Sendable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// One row of an export's table: a value for each of the table's columns (NULL where the row left one out).
package struct ExportRow {
    package let table: ExportTable
    package let cells: [Cell]

    /// The value of the column of that name (nil only for a name the table does not have).
    package subscript(_ column: String) -> Cell? {
        table.position[column].map { cells[$0] }
    }
}

// MARK: - Writing

/// Writes an export, row by row, into one buffer: keys sorted, as `JSONEncoder` with `.sortedKeys` would.
package struct ExportWriter {
    package private(set) var data = Data()
    private var table: String?
    private var rows = 0

    package init(schema: [String]) {
        data.append(contentsOf: "{\"format\":".utf8)
        Self.string(Export.format, into: &data)
        data.append(contentsOf: ",\"schema\":[".utf8)
        for (i, version) in schema.enumerated() {
            if i > 0 { data.append(UInt8(ascii: ",")) }
            Self.string(version, into: &data)
        }
        data.append(contentsOf: "],\"tables\":{".utf8)
    }

    /// Starts a table's rows; tables must come in the order of their names.
    package mutating func begin(table name: String) {
        if table != nil { data.append(contentsOf: "],".utf8) }
        Self.string(name, into: &data)
        data.append(contentsOf: ":[".utf8)
        table = name
        rows = 0
    }

    /// One row: its columns' names and values, in the order of the names. A real that JSON cannot write (infinite)
    /// is refused rather than written as something else.
    package mutating func row(_ columns: [(name: String, cell: Cell)]) throws {
        rows += 1
        if let bad = columns.first(where: { if case .real(let d) = $0.cell { !d.isFinite } else { false } }) {
            throw StoreError.exportValue(table: table ?? "", column: bad.name, row: rows)
        }
        if rows > 1 { data.append(UInt8(ascii: ",")) }
        data.append(UInt8(ascii: "{"))
        for (i, column) in columns.enumerated() {
            if i > 0 { data.append(UInt8(ascii: ",")) }
            Self.string(column.name, into: &data)
            data.append(UInt8(ascii: ":"))
            Self.cell(column.cell, into: &data)
        }
        data.append(UInt8(ascii: "}"))
    }

    /// The whole document.
    package mutating func finish() -> Data {
        data.append(contentsOf: (table != nil ? "]}}" : "}}").utf8)
        return data
    }

    static func cell(_ cell: Cell, into data: inout Data) {
        switch cell {
        case .null: data.append(contentsOf: "null".utf8)
        case .int(let i): data.append(contentsOf: String(i).utf8)
        case .real(let d): data.append(contentsOf: "{\"real\":\(d)}".utf8)
        case .text(let s): string(s, into: &data)
        case .blob(let b): data.append(contentsOf: "{\"base64\":\"\(b.base64EncodedString())\"}".utf8)
        }
    }

    static func string(_ text: String, into data: inout Data) {
        data.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): data.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): data.append(contentsOf: "\\\\".utf8)
            case 0x0A: data.append(contentsOf: "\\n".utf8)
            case 0x0D: data.append(contentsOf: "\\r".utf8)
            case 0x09: data.append(contentsOf: "\\t".utf8)
            case 0x08: data.append(contentsOf: "\\b".utf8)
            case 0x0C: data.append(contentsOf: "\\f".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                data.append(contentsOf: "\\u00".utf8)
                data.append(hex[Int(byte >> 4)])
                data.append(hex[Int(byte & 0xF)])
            default: data.append(byte)
            }
        }
        data.append(UInt8(ascii: "\""))
    }
}

// MARK: - Reading

/// An export file, read as a stream, never whole. Opening it reads it once through and checks everything an import
/// needs before anything is written: the format, the schema version, every table and column name (exactly the
/// schema's), every value (of its column's type; present where the column may not be NULL). `rows(of:)` then reads
/// one table's rows again, one at a time, checking them again as it goes. Memory stays a buffer and a row.
package final class ExportFile {
    package let path: String
    /// The schema versions the export names.
    package private(set) var schema: [String] = []
    /// Whether the account given is one of the export's enabled supervisors.
    package private(set) var accountIsSupervisor = false
    /// Rows a table.
    package private(set) var counts: [String: Int] = [:]

    private let reader: JSONReader
    private let account: String
    /// Where each table's array of rows begins in the file.
    private var offsets: [String: Int64] = [:]
    private var identity: FileIdentity

    /// Opens the export at `path` and checks it through; `account` is the one importing it.
    package init(path: String, account: String) throws {
        self.path = path
        self.account = account
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw StoreError.missing(path: path) }
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        reader = JSONReader(fd: fd)
        guard let identity = FileIdentity(fd) else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        self.identity = identity
        try reading { try readDocument() }
    }

    /// Each row of `table`, in the file's order (the file is read again, and every row checked again).
    package func rows(of table: ExportTable, _ body: (ExportRow) throws -> Void) throws {
        guard let offset = offsets[table.name] else { throw StoreError.exportNames(table: table.name, column: nil) }
        try reading {
            guard FileIdentity(reader.fd) == identity else { throw StoreError.exportChanged(path: path) }
            try reader.seek(to: offset)
            _ = try readRows(table, body)
            guard FileIdentity(reader.fd) == identity else { throw StoreError.exportChanged(path: path) }
        }
    }

    /// The rows of the table of that name.
    package func rows(of name: String, _ body: (ExportRow) throws -> Void) throws {
        guard let table = Export.table(named: name) else { throw StoreError.exportNames(table: Self.shown(name), column: nil) }
        try rows(of: table, body)
    }

    /// The faults of the JSON reader as the store's errors.
    private func reading(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch JSONFault.syntax, JSONFault.value {
            throw StoreError.notAnExport
        } catch JSONFault.read(let code) {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(code)))
        }
    }

    private func readDocument() throws {
        var seen: Set<String> = []
        try reader.expect(UInt8(ascii: "{"))
        try reader.members { key in
            guard seen.insert(key).inserted else { throw JSONFault.syntax }
            switch key {
            case "format":
                guard case .text(Export.format) = try reader.value() else { throw StoreError.notAnExport }
            case "schema":
                try reader.expect(UInt8(ascii: "["))
                try reader.elements {
                    guard case .text(let version) = try reader.value() else { throw StoreError.notAnExport }
                    schema.append(version)
                }
                guard Set(schema).isSubset(of: Export.schemaVersions) else { throw StoreError.newerVersion(path: "the export") }
            case "tables":
                try readTables()
            default:
                throw StoreError.notAnExport
            }
        }
        guard try reader.atEnd(), seen == ["format", "schema", "tables"] else { throw StoreError.notAnExport }
    }

    private func readTables() throws {
        try reader.expect(UInt8(ascii: "{"))
        try reader.members(keyLimit: 1024, onLongKey: { throw StoreError.exportNames(table: Self.shown($0) + "…", column: nil) }) { name in
            guard let table = Export.table(named: name), offsets[name] == nil else {
                throw StoreError.exportNames(table: Self.shown(name), column: nil)
            }
            try reader.skipSpace()
            offsets[name] = reader.offset
            counts[name] = try readRows(table) { row in
                if table.name == "users", row["login"] == .text(account), row["role"] == .text("supervisor"),
                   row["disabled"] == .int(0) {
                    accountIsSupervisor = true
                }
            }
        }
        if let missing = Export.tables.first(where: { offsets[$0.name] == nil }) {
            throw StoreError.exportNames(table: missing.name, column: nil)
        }
    }

    /// Reads `[row, …]`, checking each; returns how many.
    private func readRows(_ table: ExportTable, _ body: (ExportRow) throws -> Void) throws -> Int {
        var count = 0
        try reader.expect(UInt8(ascii: "["))
        try reader.elements {
            count += 1
            try body(try readRow(table, number: count))
        }
        return count
    }

    private func readRow(_ table: ExportTable, number: Int) throws -> ExportRow {
        var cells = [Cell?](repeating: nil, count: table.columns.count)
        try reader.expect(UInt8(ascii: "{"))
        try reader.members(keyLimit: 1024, onLongKey: { throw StoreError.exportNames(table: table.name, column: Self.shown($0) + "…") }) { name in
            guard let i = table.position[name], cells[i] == nil else {
                throw StoreError.exportNames(table: table.name, column: Self.shown(name))
            }
            let column = table.columns[i]
            let value: Cell
            do {
                value = try reader.value()
            } catch JSONFault.value {
                throw StoreError.exportValue(table: table.name, column: column.name, row: number)
            }
            guard let accepted = column.accept(value) else {
                throw StoreError.exportValue(table: table.name, column: column.name, row: number)
            }
            cells[i] = accepted
        }
        return ExportRow(table: table, cells: try table.columns.enumerated().map { i, column in
            if let cell = cells[i] { return cell }
            guard column.nullable else { throw StoreError.exportValue(table: table.name, column: column.name, row: number) }
            return .null
        })
    }

    /// A name from a file, safe to show on a terminal and short: printable ASCII as it is, anything else as \u{…}.
    static func shown(_ name: String) -> String {
        var out = ""
        for (i, scalar) in name.unicodeScalars.enumerated() {
            if i == 60 { return out + "…" }
            out += (0x20...0x7E).contains(scalar.value) ? String(scalar) : "\\u{\(String(scalar.value, radix: 16))}"
        }
        return out
    }
}

/// What the reader found wrong: not JSON (or cut short), a value that no column holds, or the system's error.
enum JSONFault: Error {
    case syntax, value, read(Int32)
}

/// The file's size and last change, to see whether it changed between two readings.
private struct FileIdentity: Equatable {
    let size: Int64
    let seconds: Int
    let nanoseconds: Int
    let inode: UInt64

    init?(_ fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        inode = UInt64(info.st_ino)
        #if canImport(Darwin)
        seconds = Int(info.st_mtimespec.tv_sec)
        nanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }
}

/// A small JSON reader over a file descriptor, a megabyte at a time (read(2)), that knows only what an export holds:
/// objects, arrays, strings, numbers, null, and the tagged `{"real": …}` and `{"base64": …}` values. Anything else
/// where a value belongs (true, false, another object or array) is a `.value` fault, found without reading further.
final class JSONReader {
    let fd: Int32
    private let capacity = 1 << 20
    private let buffer: UnsafeMutablePointer<UInt8>
    private var head = 0
    private var tail = 0
    /// The file offset of `buffer[0]`.
    private var base: Int64 = 0
    private var scratch: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    /// The offset in the file of the next byte.
    var offset: Int64 { base + Int64(head) }

    func seek(to offset: Int64) throws {
        guard lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else { throw JSONFault.read(errno) }
        base = offset
        head = 0
        tail = 0
    }

    /// Reads the next part of the file; false at its end.
    private func refill() throws -> Bool {
        base += Int64(tail)
        head = 0
        tail = 0
        while true {
            let n = read(fd, buffer, capacity)
            if n < 0 {
                if errno == EINTR { continue }
                throw JSONFault.read(errno)
            }
            tail = n
            return n > 0
        }
    }

    @inline(__always)
    private func peek() throws -> UInt8? {
        if head == tail, try !refill() { return nil }
        return buffer[head]
    }

    @inline(__always)
    private func next() throws -> UInt8 {
        if head == tail, try !refill() { throw JSONFault.syntax }
        defer { head += 1 }
        return buffer[head]
    }

    func skipSpace() throws {
        while let b = try peek(), b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { head += 1 }
    }

    func expect(_ byte: UInt8) throws {
        try skipSpace()
        guard try next() == byte else { throw JSONFault.syntax }
    }

    /// Only white space is left.
    func atEnd() throws -> Bool {
        try skipSpace()
        return try peek() == nil
    }

    /// The members of an object whose `{` has been read: `body` reads each member's value after its key.
    /// A key longer than `keyLimit` bytes goes to `onLongKey` (with its beginning) when there is one.
    func members(keyLimit: Int = 1024, onLongKey: ((String) throws -> Void)? = nil, _ body: (String) throws -> Void) throws {
        try skipSpace()
        if try peek() == UInt8(ascii: "}") {
            head += 1
            return
        }
        while true {
            try expect(UInt8(ascii: "\""))
            let key: String
            do {
                key = try string(limit: keyLimit)
            } catch JSONFault.value {
                try onLongKey?(String(decoding: scratch.prefix(60), as: UTF8.self))
                throw JSONFault.syntax
            }
            try expect(UInt8(ascii: ":"))
            try body(key)
            try skipSpace()
            switch try next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default: throw JSONFault.syntax
            }
        }
    }

    /// The elements of an array whose `[` has been read: `body` reads each.
    func elements(_ body: () throws -> Void) throws {
        try skipSpace()
        if try peek() == UInt8(ascii: "]") {
            head += 1
            return
        }
        while true {
            try body()
            try skipSpace()
            switch try next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return
            default: throw JSONFault.syntax
            }
        }
    }

    /// One value: a string, an integer, null, `{"real": number}` or `{"base64": "…"}`.
    func value() throws -> Cell {
        try skipSpace()
        guard let first = try peek() else { throw JSONFault.syntax }
        switch first {
        case UInt8(ascii: "\""):
            head += 1
            return .text(try string(limit: Export.longestValue))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let (text, integral) = try number()
            guard integral, let i = Int64(text) else { throw JSONFault.value }
            return .int(i)
        case UInt8(ascii: "n"):
            for expected in "null".utf8 { guard try next() == expected else { throw JSONFault.syntax } }
            return .null
        case UInt8(ascii: "{"):
            head += 1
            try skipSpace()
            guard try next() == UInt8(ascii: "\"") else { throw JSONFault.value }
            let tag = try string(limit: 16)
            try expect(UInt8(ascii: ":"))
            try skipSpace()
            let cell: Cell
            switch tag {
            case "real":
                guard let b = try peek() else { throw JSONFault.syntax }
                guard b == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { throw JSONFault.value }
                guard let d = Double(try number().text), d.isFinite else { throw JSONFault.value }
                cell = .real(d)
            case "base64":
                guard try next() == UInt8(ascii: "\"") else { throw JSONFault.value }
                guard let data = Data(base64Encoded: try string(limit: Export.longestValue)) else { throw JSONFault.value }
                cell = .blob(data)
            default:
                throw JSONFault.value
            }
            try skipSpace()
            guard try next() == UInt8(ascii: "}") else { throw JSONFault.value }
            return cell
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "["):
            throw JSONFault.value
        default:
            throw JSONFault.syntax
        }
    }

    /// A number's text, checked against JSON's grammar, and whether it is a whole number (no fraction, no exponent).
    /// Longer than 40 characters it is no number that an export holds.
    private func number() throws -> (text: String, integral: Bool) {
        scratch.removeAll(keepingCapacity: true)
        func digits() throws -> Int {
            var n = 0
            while let b = try peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) {
                scratch.append(b)
                head += 1
                n += 1
                if scratch.count > 40 { throw JSONFault.value }
            }
            return n
        }
        var integral = true
        if try peek() == UInt8(ascii: "-") {
            scratch.append(UInt8(ascii: "-"))
            head += 1
        }
        let leadingZero = try peek() == UInt8(ascii: "0")
        let whole = try digits()
        guard whole > 0, !(leadingZero && whole > 1) else { throw JSONFault.syntax }
        if try peek() == UInt8(ascii: ".") {
            integral = false
            scratch.append(UInt8(ascii: "."))
            head += 1
            guard try digits() > 0 else { throw JSONFault.syntax }
        }
        if let b = try peek(), b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            integral = false
            scratch.append(b)
            head += 1
            if let sign = try peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                scratch.append(sign)
                head += 1
            }
            guard try digits() > 0 else { throw JSONFault.syntax }
        }
        return (String(decoding: scratch, as: UTF8.self), integral)
    }

    /// A string whose opening quote has been read, up to its closing quote: escapes resolved, UTF-8 checked.
    /// Text with U+0000 is refused (a server's text cannot hold it); longer than `limit` bytes is a `.value` fault.
    private func string(limit: Int) throws -> String {
        scratch.removeAll(keepingCapacity: true)
        while true {
            if head == tail, try !refill() { throw JSONFault.syntax }
            var i = head
            while i < tail {
                let b = buffer[i]
                if b == 0x22 || b == 0x5C || b < 0x20 { break }
                i += 1
            }
            scratch.append(contentsOf: UnsafeBufferPointer(start: buffer + head, count: i - head))
            head = i
            if scratch.count > limit { throw JSONFault.value }
            if i == tail { continue }
            let b = buffer[head]
            head += 1
            if b == 0x22 { break }
            if b < 0x20 { throw JSONFault.syntax }
            switch try next() {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard try next() == UInt8(ascii: "\\"), try next() == UInt8(ascii: "u") else { throw JSONFault.syntax }
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw JSONFault.syntax }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw JSONFault.syntax }
                scratch.append(contentsOf: String(scalar).utf8)
            default:
                throw JSONFault.syntax
            }
        }
        guard !scratch.contains(0), let text = Self.utf8(scratch) else { throw JSONFault.value }
        return text
    }

    private func hex4() throws -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            let b = try next()
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw JSONFault.syntax
            }
            code = code << 4 | UInt32(digit)
        }
        return code
    }

    /// The text of valid UTF-8, else nil (never a replacement character in place of what the file held).
    private static func utf8(_ bytes: [UInt8]) -> String? {
        if #available(macOS 15, *) {
            return String(validating: bytes, as: UTF8.self)
        }
        return String(bytes: bytes, encoding: .utf8)
    }
}
