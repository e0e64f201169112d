import Foundation

/// The export's shape: every table's rows, column by column.
package struct Export: Codable {
    package var format: String
    package var schema: [String]
    package var tables: [String: [[String: Cell]]]

    package init(format: String, schema: [String], tables: [String: [[String: Cell]]]) {
        self.format = format
        self.schema = schema
        self.tables = tables
    }
}

/// One SQLite value, losslessly: integers and reals as JSON numbers, text as strings, blobs as base64.
package enum Cell: Codable, Equatable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    private enum Keys: String, CodingKey { case real, base64 }

    package init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() { self = .null; return }
            if let i = try? single.decode(Int64.self) { self = .int(i); return }
            if let s = try? single.decode(String.self) { self = .text(s); return }
        }
        let keyed = try decoder.container(keyedBy: Keys.self)
        if let d = try keyed.decodeIfPresent(Double.self, forKey: .real) { self = .real(d); return }
        let text = try keyed.decode(String.self, forKey: .base64)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(forKey: .base64, in: keyed, debugDescription: "not base64")
        }
        self = .blob(data)
    }

    package func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .text(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .real(let d):
            // Tagged, so that 3.0 stays a real and comes back bit for bit.
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(d, forKey: .real)
        case .blob(let b):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(b.base64EncodedString(), forKey: .base64)
        }
    }
}
