import Foundation
import GRDB
import OrderModel
import OrderStore

/// Mapping between rows and the model. Instants are REAL seconds since 1970.
///
/// Whoever holds the file can write anything into it with `sqlite3` (text where a number belongs,
/// 1e300, a term of `Int.max` days, bytes that are not UTF-8): every value is read as the file holds it
/// (`StoredValue`, never a GRDB conversion that traps on a mismatch) and checked (`RowCheck`).
enum Rows {
    /// A column as the file holds it; NULL for a missing one.
    static func value(_ row: Row, _ column: String) -> StoredValue {
        switch ((row[column] as DatabaseValue?) ?? .null).storage {
        case .null: .null
        case .int64(let i): .integer(i)
        case .double(let d): .real(d)
        case .string(let s): .text(s)
        case .blob(let b): .bytes(b)
        }
    }

    /// A column of bytes (a sealed value): as it is, or the bytes of text; nil for NULL or a number.
    static func bytes(_ row: Row, _ column: String) -> Data? {
        switch value(row, column) {
        case .bytes(let data): data
        case .text(let text): Data(text.utf8)
        default: nil
        }
    }

    /// A checker of `row`.
    static func reader(_ row: Row) -> RowCheck {
        RowCheck { value(row, $0) }
    }

    /// An order, and the field that is damaged (nil when none is).
    static func screenedOrder(_ row: Row, rules: RuleSet) -> (order: Order, damage: DamagedField?) {
        var reader = reader(row)
        let order = reader.order(.file, rules: rules)
        return (order, reader.damage)
    }

    /// A check, and the field that is damaged (nil when none is).
    static func screenedCheck(_ row: Row) -> (check: Check, damage: DamagedField?) {
        var reader = reader(row)
        let check = reader.check(.file)
        return (check, reader.damage)
    }

    /// A breach, and the field that is damaged (nil when none is).
    static func screenedBreach(_ row: Row) -> (breach: Breach, damage: DamagedField?) {
        var reader = reader(row)
        let breach = reader.breach(.file)
        return (breach, reader.damage)
    }

    /// A breach (closing one); a damaged one is refused.
    static func breach(_ row: Row) throws -> Breach {
        let (breach, damage) = screenedBreach(row)
        if let damage {
            throw StoreError.damagedRecord(DamagedRecord(orderID: breach.orderID == 0 ? nil : breach.orderID, number: nil, field: damage))
        }
        return breach
    }

    /// A history entry, readable whatever it holds: `audit verify` is what finds an entry changed.
    static func historyEntry(_ row: Row) -> HistoryEntry {
        var c = reader(row)
        func text(_ column: String) -> String {
            switch value(row, column) {
            case .text(let s): s
            case .bytes(let b): String(decoding: b, as: UTF8.self)
            case .integer(let i): String(i)
            case .real(let d): String(d)
            case .null: ""
            }
        }
        return HistoryEntry(id: c.integer("id", .id) ?? 0, at: c.instant("at", .checkTime) ?? Date(timeIntervalSince1970: 0),
                            account: text("account"), action: text("action"), entity: text("entity"),
                            entityID: c.integer("entityID", .id, required: false), detail: text("detail"),
                            prevHash: text("prevHash"), hash: text("hash"))
    }
}
