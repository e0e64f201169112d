import OrderModel
import Scheduler

extension Words {
    /// The columns of the violations table, each headed by `cli.col.<column>`.
    static let violationColumns = ["day", "kind", "order", "district", "officer", "reason"]

    /// The violations as `qorgau violations` lists them (its table and its CSV) and the Violations screen
    /// exports them: the column headers (`cli.col.*`) and one row per violation, in this language.
    public func violationsTable(_ list: [Violation]) -> (headers: [String], rows: [[String]]) {
        let headers = Self.violationColumns.map { text("cli.col." + $0) }
        let rows = list.map { v in
            [v.day.iso, text("cli.kind." + v.kind.rawValue), v.orderNumber, v.district, v.officer, reason(v)]
        }
        return (headers, rows)
    }
}
