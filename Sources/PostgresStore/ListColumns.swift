import Foundation
import OrderModel
import OrderStore

/// The order list's columns on the server (schema 2, the `-- @@ v2` part of schema.sql): per order its folded
/// text and sort keys, made here (the folding is this program's, not SQL's) exactly as the SQLite file's
/// `ListIndex` makes them, so that both backends list the same orders in the same order.
enum ListColumns {
    /// The list's values of an order from its fields as shown (plain corrections applied).
    struct Values {
        var id: Int64
        var search: String
        var respondent, district, officer: Data

        init(id: Int64, number: String, respondent: String, district: String, officer: String) {
            self.id = id
            search = OrderListing.searchText(number: number, respondent: respondent, officer: officer, district: district).indexText
            self.respondent = NameOrder.sortKey(respondent).bytes
            self.district = NameOrder.sortKey(district).bytes
            self.officer = NameOrder.sortKey(officer).bytes
        }
    }

    /// The fields the list's columns are made of, orders after `$1` (at most `$2`, by id) or order `$3` alone,
    /// with the last correction of district and officer applied (corrections apply in order: the last one stands).
    static let fieldsQuery = """
        SELECT o.id, o.number, o.respondent_name, o.district, o.officer,
               (SELECT coalesce(c.value, '') FROM qorgau.corrections c WHERE c.order_id = o.id AND c.field = 'district'
                ORDER BY c.id DESC LIMIT 1) AS district_corrected,
               (SELECT coalesce(c.value, '') FROM qorgau.corrections c WHERE c.order_id = o.id AND c.field = 'officer'
                ORDER BY c.id DESC LIMIT 1) AS officer_corrected
        FROM qorgau.orders o WHERE ($3::bigint IS NULL AND o.id > $1) OR o.id = $3 ORDER BY o.id LIMIT $2
        """

    static func values(_ row: PGRow) -> Values {
        Values(id: row.int("id") ?? 0, number: row["number"] ?? "", respondent: row["respondent_name"] ?? "",
               district: row["district_corrected"] ?? row["district"] ?? "", officer: row["officer_corrected"] ?? row["officer"] ?? "")
    }

    /// The list's values of one order as it stands in this transaction.
    static func values(of id: Int64, _ connection: PGConnection) throws -> Values? {
        try connection.execute(fieldsQuery, [.int(0), .int(1), .int(id)]).rows.first.map(values)
    }

    /// How many orders an upgrade or an import fills at a time.
    static let batch = 1000

    /// Fills the list's columns of every order, batch by batch: run as the schema's owner (an upgrade, an
    /// import), which writes the table itself. The survivors' keyed tokens are left: they need the key, and a
    /// session with it indexes each unindexed order at its first search (`BlindIndex`).
    static func fill(_ connection: PGConnection) throws {
        var last: Int64 = 0
        while true {
            let rows = try connection.execute(fieldsQuery, [.int(last), .int(Int64(batch)), .null]).rows
            guard let lastRow = rows.last else { return }
            let made = rows.map(values)
            try connection.execute("""
                UPDATE qorgau.orders o SET list_search = v.s, sort_respondent = v.r, sort_district = v.d, sort_officer = v.f
                FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bytea[], $5::bytea[]) AS v(id, s, r, d, f) WHERE o.id = v.id
                """, [.text(array(made.map { String($0.id) })), .text(array(made.map(\.search))),
                      .text(array(made.map { PGConnection.hex($0.respondent) })), .text(array(made.map { PGConnection.hex($0.district) })),
                      .text(array(made.map { PGConnection.hex($0.officer) }))])
            last = lastRow.int("id") ?? last
        }
    }

    /// An array literal of `elements`, each quoted, with its backslashes and double quotes escaped.
    static func array(_ elements: [String]) -> String {
        "{" + elements.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
