/// Reads a catalog file: one JSON object whose every value is a string, `{"key": "text", …}`, and nothing else.
///
/// Every command builds its help texts from the catalog before it parses its arguments, so this runs at each
/// process start: a direct scan of the bytes costs a fraction of `JSONDecoder`'s generic decoding of
/// `[String: String]`, and gives the same dictionary for any catalog (`CatalogParserTests` holds it to that for
/// every shipped file). Anything else is refused: another JSON shape, a repeated key, an unescaped control
/// character, a bad escape or a lone surrogate, bytes that are not UTF-8, anything after the object.
public enum CatalogParser {
    /// Where and why a catalog file was refused (`offset` counts bytes from the start).
    public struct Malformed: Error, Equatable, Sendable {
        public let offset: Int
        public let reason: Reason

        public enum Reason: Equatable, Sendable {
            case expected(Character)
            case expectedString
            case controlCharacter
            case badEscape
            case loneSurrogate
            case notUTF8
            case repeatedKey(String)
            case trailingBytes
            case endOfInput
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(Malformed) -> [String: String] {
        var parser = Scanner(bytes: bytes)
        return try parser.object()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var at = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ reason: Malformed.Reason) -> Malformed { Malformed(offset: at, reason: reason) }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8) throws(Malformed) {
            skipSpace()
            guard at < bytes.count else { throw fail(.endOfInput) }
            guard bytes[at] == byte else { throw fail(.expected(Character(Unicode.Scalar(byte)))) }
            at += 1
        }

        /// True (and consumed) when the next non-space byte is `byte`.
        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func object() throws(Malformed) -> [String: String] {
            var entries: [String: String] = [:]
            entries.reserveCapacity(bytes.count / 64)
            try expect(UInt8(ascii: "{"))
            if !take(UInt8(ascii: "}")) {
                repeat {
                    let keyStart = at
                    let key = try string()
                    try expect(UInt8(ascii: ":"))
                    let value = try string()
                    guard entries.updateValue(value, forKey: key) == nil else {
                        throw Malformed(offset: keyStart, reason: .repeatedKey(key))
                    }
                } while take(UInt8(ascii: ","))
                try expect(UInt8(ascii: "}"))
            }
            skipSpace()
            guard at == bytes.count else { throw fail(.trailingBytes) }
            return entries
        }

        /// A JSON string, unescaped.
        mutating func string() throws(Malformed) -> String {
            skipSpace()
            guard at < bytes.count else { throw fail(.endOfInput) }
            guard bytes[at] == UInt8(ascii: "\"") else { throw fail(.expectedString) }
            at += 1
            let start = at
            // The common case: no escape, the bytes are the text.
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    let text = try utf8(bytes[start..<at], from: start)
                    at += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                guard byte >= 0x20 else { throw fail(.controlCharacter) }
                at += 1
            }
            var out = Array(bytes[start..<at])
            while at < bytes.count {
                let byte = bytes[at]
                switch byte {
                case UInt8(ascii: "\""):
                    let text = try utf8(out[...], from: start)
                    at += 1
                    return text
                case UInt8(ascii: "\\"):
                    at += 1
                    guard at < bytes.count else { throw fail(.endOfInput) }
                    let escaped = bytes[at]
                    at += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape())
                    default:
                        at -= 1
                        throw fail(.badEscape)
                    }
                default:
                    guard byte >= 0x20 else { throw fail(.controlCharacter) }
                    out.append(byte)
                    at += 1
                }
            }
            throw fail(.endOfInput)
        }

        /// The UTF-8 of `\uXXXX` (just read up to the `u`), with its low surrogate `\uXXXX` when it is a high one.
        mutating func unicodeEscape() throws(Malformed) -> [UInt8] {
            let first = try hex4()
            var value = UInt32(first)
            if (0xD800...0xDBFF).contains(first) {
                guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                    throw fail(.loneSurrogate)
                }
                at += 2
                let second = try hex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw fail(.loneSurrogate) }
                value = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(first) {
                throw fail(.loneSurrogate)
            }
            guard let scalar = Unicode.Scalar(value) else { throw fail(.loneSurrogate) }
            return Array(String(Character(scalar)).utf8)
        }

        mutating func hex4() throws(Malformed) -> UInt16 {
            guard at + 4 <= bytes.count else { throw fail(.endOfInput) }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[at]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail(.badEscape)
                }
                value = value << 4 | UInt16(digit)
                at += 1
            }
            return value
        }

        func utf8(_ slice: ArraySlice<UInt8>, from start: Int) throws(Malformed) -> String {
            guard let text = String(validating: slice, as: UTF8.self) else {
                throw Malformed(offset: start, reason: .notUTF8)
            }
            return text
        }
    }
}
