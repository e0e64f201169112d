import Foundation

/// Where the records are, as `--db` or `QORGAU_DB` names them: a file, or a PostgreSQL server.
public enum StoreLocation: Equatable, Sendable {
    /// A SQLite file: one person's records.
    case file(String)
    /// A PostgreSQL connection string in URI form, handed to libpq as it is (so PGHOST, PGSERVICE,
    /// ~/.pgpass and sslmode work as users expect).
    case server(String)

    /// Parses what a person typed. Something that looks like a URL (`scheme://` or `scheme:` followed
    /// by a slash) with a scheme other than postgresql/postgres is refused, never made into a path.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://") {
            self = .server(text)
            return
        }
        if let colon = text.firstIndex(of: ":") {
            let scheme = text[..<colon]
            let looksLikeScheme = !scheme.isEmpty && scheme.first?.isLetter == true
                && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            if looksLikeScheme && text[text.index(after: colon)...].hasPrefix("/") || scheme.lowercased().hasPrefix("postgres") {
                throw StoreError.unknownScheme(text)
            }
        }
        self = .file(text)
    }

    /// What to show of it: a server address without its password.
    public var display: String {
        switch self {
        case .file(let path): return path
        case .server(let uri): return StoreLocation.withoutPassword(uri)
        }
    }

    /// `postgresql://user:secret@host/db` -> `postgresql://user@host/db`; a `password=` parameter is dropped too.
    public static func withoutPassword(_ uri: String) -> String {
        var text = uri
        if let schemeEnd = text.range(of: "://") {
            let rest = text[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { "/?".contains($0) }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                text.removeSubrange(colon..<at)
            }
        }
        if let query = text.firstIndex(of: "?") {
            let params = text[text.index(after: query)...].split(separator: "&").filter { !$0.lowercased().hasPrefix("password=") }
            text = String(text[..<query]) + (params.isEmpty ? "" : "?" + params.joined(separator: "&"))
        }
        return text
    }
}
