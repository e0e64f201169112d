#if canImport(Glibc)
import Glibc
#endif

/// Writes JSON laid out exactly as `JSON.rendered()` lays it out (two spaces a level, one member a line,
/// `[]` and `{}` when empty), straight into bytes: for the long lists (alerts, violations), which would
/// otherwise build a tree of values and then a string for every level of it.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// For each open container: whether it has a member yet.
    private var filled: [Bool] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// The next member of an object: its key; then its value.
    mutating func key(_ name: String) {
        member()
        quote(name)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
    }

    /// A value: in an array, as its next member; in an object, after `key`.
    mutating func string(_ s: String) {
        if inArrayNext { member() }
        quote(s)
    }

    mutating func int(_ n: Int) {
        if inArrayNext { member() }
        bytes.append(contentsOf: String(n).utf8)
    }

    mutating func null() {
        if inArrayNext { member() }
        bytes.append(contentsOf: "null".utf8)
    }

    mutating func string(_ name: String, _ value: String) { key(name); string(value) }
    mutating func int(_ name: String, _ value: Int) { key(name); int(value) }
    mutating func optional(_ name: String, _ value: String?) { key(name); if let value { string(value) } else { null() } }
    mutating func optional(_ name: String, _ value: Int?) { key(name); if let value { int(value) } else { null() } }

    /// The whole text, and a newline, on standard output at once.
    func print() {
        var out = bytes
        out.append(UInt8(ascii: "\n"))
        fflush(nil)
        out.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(1, raw.baseAddress.map { $0 + done }, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                done += n
            }
        }
    }

    // MARK: - Layout

    /// Containers are kept as a stack; an array's values are its members, an object's come after their keys.
    private var kinds: [UInt8] = []
    private var inArrayNext: Bool { kinds.last == UInt8(ascii: "[") }

    private mutating func open(_ bracket: UInt8) {
        if inArrayNext { member() }
        bytes.append(bracket)
        kinds.append(bracket)
        filled.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        kinds.removeLast()
        if filled.removeLast() {
            bytes.append(UInt8(ascii: "\n"))
            indent(kinds.count)
        }
        bytes.append(bracket)
    }

    /// Starts the next member of the innermost container: a comma after the one before, a new line, the indent.
    private mutating func member() {
        if filled[filled.count - 1] { bytes.append(UInt8(ascii: ",")) }
        filled[filled.count - 1] = true
        bytes.append(UInt8(ascii: "\n"))
        indent(kinds.count)
    }

    private mutating func indent(_ levels: Int) {
        for _ in 0..<(2 * levels) { bytes.append(UInt8(ascii: " ")) }
    }

    /// Text as `JSON.quote` writes it: plain text copied whole, anything that needs escaping through it.
    private mutating func quote(_ s: String) {
        if JSON.isPlain(s) {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: s.utf8)
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: JSON.quote(s).utf8)
        }
    }
}
