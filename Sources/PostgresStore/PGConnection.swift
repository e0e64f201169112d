import CLibPQ
import Foundation

/// An error from libpq or the server: SQLSTATE (PG_DIAG_SQLSTATE, "" for connection failures), primary message
/// (PG_DIAG_MESSAGE_PRIMARY, or PQerrorMessage trimmed), detail and hint when present.
public struct PGError: Error, Sendable, Equatable, CustomStringConvertible {
    public var sqlState: String
    public var message: String
    public var detail: String?
    public var hint: String?
    public var isConnectionFailure: Bool   // true when the connection could not be made / was lost

    public init(sqlState: String, message: String, detail: String? = nil, hint: String? = nil,
                isConnectionFailure: Bool = false) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.isConnectionFailure = isConnectionFailure
    }

    public var description: String {
        var text = sqlState.isEmpty ? message : "\(message) (SQLSTATE \(sqlState))"
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }
}

public enum PGValue: Sendable, Equatable {
    case null, text(String), int(Int64), double(Double), bool(Bool), bytea(Data)
}

/// One row of a result, read by column name (text format results).
public struct PGRow: Sendable {
    let pq: LibPQ
    let index: [String: Int]
    let values: [String?]

    public subscript(_ column: String) -> String? {
        guard let i = index[column], i < values.count else { return nil }
        return values[i]
    }
    public func string(_ column: String) -> String? { self[column] }
    public func int(_ column: String) -> Int64? { self[column].flatMap { Int64($0) } }
    public func double(_ column: String) -> Double? { self[column].flatMap { Double($0) } }
    public func bool(_ column: String) -> Bool? {
        switch self[column] {
        case "t", "true": return true
        case "f", "false": return false
        default: return nil
        }
    }
    /// bytea in hex output format "\x..." (the escape format is decoded by libpq too).
    public func data(_ column: String) -> Data? {
        guard let text = self[column] else { return nil }
        var length = 0
        guard let bytes = pq.unescapeBytea(text, &length) else { return nil }
        defer { pq.freemem(bytes) }
        return Data(bytes: bytes, count: length)
    }
}

public struct PGResult: Sendable {
    public let columns: [String]
    public let rows: [PGRow]
    public let affectedRows: Int   // PQcmdTuples, 0 when empty
}

/// One connection, used from one thread at a time (calls are serialised with a lock inside, so the type is
/// @unchecked Sendable). Closed on deinit (PQfinish).
public final class PGConnection: @unchecked Sendable {
    private let pq: LibPQ
    private let conn: OpaquePointer
    private let lock = NSLock()

    /// `conninfo` is anything PQconnectdb accepts: a URI (postgresql://, postgres://) or key=value pairs; libpq's own
    /// environment (PGHOST, PGSERVICE, ~/.pgpass, sslmode...) applies as usual. Sets client_encoding UTF8.
    /// libpq is loaded here, on the first connection (`LibPQ`); when it cannot be, this throws a connection failure.
    public init(conninfo: String) throws(PGError) {
        let pq: LibPQ
        switch LibPQ.shared {
        case .success(let loaded): pq = loaded
        case .failure(.clientLibraryMissing(let library, let reason)):
            throw PGError(sqlState: "", message: "\(library): \(reason)", isConnectionFailure: true)
        case .failure(let other):
            throw PGError(sqlState: "", message: "\(other)", isConnectionFailure: true)
        }
        guard let conn = pq.connectdb(conninfo) else {
            throw PGError(sqlState: "", message: "out of memory allocating a libpq connection", isConnectionFailure: true)
        }
        guard pq.status(conn) == CONNECTION_OK else {
            let error = PGConnection.connectionError(pq, conn)
            pq.finish(conn)
            throw error
        }
        guard pq.setClientEncoding(conn, "UTF8") == 0 else {
            let error = PGConnection.connectionError(pq, conn)
            pq.finish(conn)
            throw error
        }
        // The server's notices ("role … is already a member …") are not for the person at the terminal:
        // libpq would print them on standard error.
        _ = pq.setNoticeProcessor(conn, { _, _ in }, nil)
        self.pq = pq
        self.conn = conn
    }

    deinit { pq.finish(conn) }

    private static func connectionError(_ pq: LibPQ, _ conn: OpaquePointer) -> PGError {
        let text = pq.errorMessage(conn).map { String(cString: $0) } ?? ""
        let message = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return PGError(sqlState: "", message: message.isEmpty ? "connection failed" : message,
                       isConnectionFailure: pq.status(conn) != CONNECTION_OK)
    }

    private func withLock<T>(_ body: () throws(PGError) -> T) throws(PGError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// PQexecParams with text-format parameters and results. Never interpolates parameters into SQL.
    @discardableResult public func execute(_ sql: String, _ params: [PGValue] = []) throws(PGError) -> PGResult {
        var texts: [String?] = []
        texts.reserveCapacity(params.count)
        for param in params {
            switch param {
            case .null: texts.append(nil)
            case .text(let s): texts.append(s)
            case .int(let i): texts.append(String(i))
            case .double(let d):
                guard d.isFinite else {
                    throw PGError(sqlState: "22003", message: "non-finite double parameter \(d) is not supported")
                }
                texts.append("\(d)")
            case .bool(let b): texts.append(b ? "true" : "false")
            case .bytea(let data):
                texts.append(PGConnection.hex(data))
            }
        }
        // strdup'ed copies live until PQexecParams returns.
        let cStrings: [UnsafeMutablePointer<CChar>?] = texts.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = cStrings.map { $0.map { UnsafePointer($0) } }

        return try withLock { () throws(PGError) -> PGResult in
            let result = pointers.withUnsafeBufferPointer { buffer in
                pq.execParams(conn, sql, Int32(buffer.count), nil, buffer.baseAddress, nil, nil, 0)
            }
            guard let result else { throw PGConnection.connectionError(pq, conn) }
            defer { pq.clear(result) }
            let status = pq.resultStatus(result)
            guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
                throw resultError(result)
            }
            let columnCount = Int(pq.nfields(result))
            var columns: [String] = []
            var index: [String: Int] = [:]
            for c in 0..<columnCount {
                let name = pq.fname(result, Int32(c)).map { String(cString: $0) } ?? ""
                columns.append(name)
                if index[name] == nil { index[name] = c }
            }
            var rows: [PGRow] = []
            let rowCount = Int(pq.ntuples(result))
            rows.reserveCapacity(rowCount)
            for r in 0..<rowCount {
                var values: [String?] = []
                values.reserveCapacity(columnCount)
                for c in 0..<columnCount {
                    if pq.getisnull(result, Int32(r), Int32(c)) != 0 {
                        values.append(nil)
                    } else {
                        values.append(pq.getvalue(result, Int32(r), Int32(c)).map { String(cString: $0) } ?? "")
                    }
                }
                rows.append(PGRow(pq: pq, index: index, values: values))
            }
            let affected = pq.cmdTuples(result).map { String(cString: $0) }.flatMap { Int($0) } ?? 0
            return PGResult(columns: columns, rows: rows, affectedRows: affected)
        }
    }

    private func resultError(_ result: OpaquePointer) -> PGError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let value = pq.resultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: value)
        }
        let lost = pq.status(conn) != CONNECTION_OK
        var message = field("M") ?? ""
        if message.isEmpty {
            let text = pq.resultErrorMessage(result).map { String(cString: $0) } ?? ""
            message = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if message.isEmpty { message = PGConnection.connectionError(pq, conn).message }
        return PGError(sqlState: field("C") ?? "", message: message, detail: field("D"), hint: field("H"),
                       isConnectionFailure: lost)
    }

    /// bytea's hex input form, "\\x0a1b…".
    static func hex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        bytes.reserveCapacity(2 + data.count * 2)
        for byte in data {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs several statements sent as one simple query (PQexec): a schema script, no parameters.
    public func run(script: String) throws(PGError) {
        try withLock { () throws(PGError) -> Void in
            guard let result = pq.exec(conn, script) else { throw PGConnection.connectionError(pq, conn) }
            defer { pq.clear(result) }
            let status = pq.resultStatus(result)
            guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
                throw resultError(result)
            }
        }
    }

    /// BEGIN; body; COMMIT — ROLLBACK when body throws (rethrows the body's error unchanged).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body()
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        return value
    }

    /// The connection's socket (PQsocket), to poll together with the keyboard.
    public var socket: Int32 {
        lock.lock()
        defer { lock.unlock() }
        return pq.socket(conn)
    }

    /// LISTEN on a channel (identifier quoted with PQescapeIdentifier).
    public func listen(_ channel: String) throws(PGError) {
        let quoted: String = try withLock { () throws(PGError) -> String in
            let bytes = Array(channel.utf8)
            guard let escaped = pq.escapeIdentifier(conn, channel, bytes.count) else {
                throw PGConnection.connectionError(pq, conn)
            }
            defer { pq.freemem(escaped) }
            return String(cString: escaped)
        }
        try execute("LISTEN \(quoted)")
    }

    /// PQconsumeInput then PQnotifies until none: how many notifications arrived. Never blocks.
    public func drainNotifications() throws(PGError) -> Int {
        try withLock { () throws(PGError) -> Int in
            guard pq.consumeInput(conn) != 0 else { throw PGConnection.connectionError(pq, conn) }
            var count = 0
            while let note = pq.notifies(conn) {
                pq.freemem(note)
                count += 1
            }
            return count
        }
    }

    /// True when the connection is still usable (PQstatus == CONNECTION_OK).
    public var isOK: Bool {
        lock.lock()
        defer { lock.unlock() }
        return pq.status(conn) == CONNECTION_OK
    }

    /// Value of a server parameter via PQparameterStatus (e.g. "server_version"), nil if unknown.
    public func parameter(_ name: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return pq.parameterStatus(conn, name).map { String(cString: $0) }
    }
}
