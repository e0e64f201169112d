import Foundation
import OrderModel
import Terminal

/// A JSON value that keeps its keys in the order they were given, so that output reads
/// the way the contract lists it.
enum JSON {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    static func optional(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    static func optional(_ n: Int?) -> JSON { n.map(JSON.int) ?? .null }

    /// Compact, one value per line at the top level of arrays, UTF-8, no escaping of "/".
    func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .string(let s): return JSON.quote(s)
        case .int(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { inner + JSON.quote($0.0) + ": " + $0.1.rendered(indent: inner) }
                .joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    /// Whether `s` needs no escaping: no ASCII control, quote or backslash, no C1 control (C2 80-9F)
    /// and no bidirectional formatting (E2 80 8E/8F/AA-AE, E2 81 A6-A9, D8 9C; any E2 or D8 sequence is
    /// escaped scalar by scalar, which writes the others unchanged).
    static func isPlain(_ s: String) -> Bool {
        var previous: UInt8 = 0
        for byte in s.utf8 {
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F
                || (previous == 0xC2 && (0x80...0x9F).contains(byte))
                || previous == 0xE2 || previous == 0xD8 { return false }
            previous = byte
        }
        return true
    }

    static func quote(_ s: String) -> String {
        if isPlain(s) { return "\"" + s + "\"" }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || TextRule.isForbidden(scalar) {
                    // \uXXXX is one UTF-16 unit: a scalar beyond U+FFFF (a tag character) is two, a surrogate pair.
                    let units = scalar.value > 0xFFFF
                        ? [0xD800 + ((scalar.value - 0x10000) >> 10), 0xDC00 + ((scalar.value - 0x10000) & 0x3FF)] : [scalar.value]
                    for unit in units {
                        let hex = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Output formats every listing command offers.
enum Format: String, CaseIterable {
    case table, json, csv
}

/// A table of text: aligned columns for people, RFC 4180 for spreadsheets.
struct Table {
    var headers: [String]
    var rows: [[String]]

    /// A table whose headers are the catalog's `cli.col.<column>`, in this run's language.
    init(columns: [String], rows: [[String]]) {
        self.init(headers: columns.map { say("col." + $0) }, rows: rows)
    }

    init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// Columns padded by display width (so Cyrillic and CJK line up), the last one unpadded.
    func aligned() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { c in all.map { TextWidth.width(of: $0[c]) }.max() ?? 0 }
        return all.map { Self.line($0, widths: widths) }.joined(separator: "\n")
    }

    /// One line of an aligned table: cells padded to `widths` by display width, the last unpadded (also used
    /// by lists written out page by page, whose widths are known before all rows are).
    static func line(_ row: [String], widths: [Int]) -> String {
        row.indices.map { c in
            let cell = SafeText.display(row[c])
            return c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - TextWidth.width(of: row[c]))
        }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }

    /// CSV (`CSV`, shared with the screens' export); a cell that a spreadsheet would run as a formula is
    /// prefixed with a quote.
    func csv() -> String { CSV.render(headers: headers, rows: rows) }
}
