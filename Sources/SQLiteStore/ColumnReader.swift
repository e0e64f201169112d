import Foundation
import GRDB
import GRDBSQLite
import OrderModel
import OrderStore

/// Reads the columns of a statement's current row for `RowCheck` straight from SQLite, by position: the
/// morning's reads (alerts, violations) step through thousands of rows, and a GRDB `Row` looks each column
/// up by lowercasing its name and decodes it through generic conversions.
///
/// A column is found by name as `RowCheck` asks for it; asked in the order the statement selects them (as
/// `RowCheck.order` and the morning queries do), each lookup is one comparison. Columns named in `unread`
/// are text the caller never shows (an order's restrictions, address, ...): when SQLite holds text there,
/// any text passes `RowCheck.text`, so it is handed over as `""` without copying it; any other value is
/// handed over as stored and checked as usual. So the damage found is the same as reading every value.
final class ColumnReader {
    private let statement: Statement
    private let names: [String]
    private let positions: [String: CInt]
    private let skipsText: [Bool]
    private var next = 0

    init(_ statement: Statement, unread: Set<String> = []) {
        self.statement = statement
        names = statement.columnNames
        var positions: [String: CInt] = [:]
        for (i, name) in names.enumerated() where positions[name] == nil { positions[name] = CInt(i) }
        self.positions = positions
        skipsText = names.map(unread.contains)
    }

    /// A `RowCheck` of the current row (after the statement's cursor has stepped onto it).
    func check() -> RowCheck {
        next = 0
        return RowCheck { [unowned self] in self.value($0) }
    }

    /// The column `name` of the current row as stored; NULL for a column the statement does not select.
    func value(_ name: String) -> StoredValue {
        let index: CInt
        if next < names.count, names[next] == name {
            index = CInt(next)
        } else if let found = positions[name] {
            index = found
        } else {
            return .null
        }
        next = Int(index) + 1
        let sqlite = statement.sqliteStatement
        if skipsText[Int(index)], sqlite3_column_type(sqlite, index) == SQLITE_TEXT { return .text("") }
        return switch DatabaseValue(sqliteStatement: sqlite, index: index).storage {
        case .null: .null
        case .int64(let i): .integer(i)
        case .double(let d): .real(d)
        case .string(let s): .text(s)
        case .blob(let b): .bytes(b)
        }
    }

    /// The columns of `orders` that `RowCheck.order` reads, in its order, for a SELECT list on `table`.
    static func orderColumns(_ table: String) -> String {
        let c = OrderColumns.file
        return [c.id, c.number, c.kind, c.issued, c.served, c.termDays, c.checkIntervalDays, c.district, c.officer,
                c.restrictions, c.survivorInitials, c.respondentName, c.respondentBirthDate, c.respondentAddress,
                c.respondentPhone, c.revoked, c.revocationReason].map { "\(table).\($0)" }.joined(separator: ", ")
    }

    /// The text of an order that neither alerts nor violations show.
    static let unshownOrderText: Set<String> = {
        let c = OrderColumns.file
        return [c.restrictions, c.survivorInitials, c.respondentAddress, c.respondentPhone, c.revocationReason]
    }()
}
