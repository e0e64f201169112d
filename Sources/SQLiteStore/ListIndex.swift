import Foundation
import GRDB
import OrderModel
import OrderStore

/// The columns and tables the order list reads instead of every record (schema v2):
/// - `orderSearch`, an FTS5 table with the trigram tokenizer (rowid = the order's id), holding the
///   folded number, respondent, officer and district (`OrderListing.searchText`), one reading a line;
/// - `orderList`: per order its number key and the `NameOrder` sort keys (as bytes) of respondent,
///   district and officer, and whether her name is in `survivorIndex`;
/// - `survivorIndex`, the keyed tokens of survivors' names (`BlindIndex`).
/// All are written by the same transaction that writes or corrects an order, by the bulk load, and
/// for an older file by its upgrade (the keyed tokens apart: they need the passphrase; see `BlindIndex`).
enum ListIndex {
    /// Derived tables only: `orders` keeps its columns (exports and imports carry records, and an import
    /// makes these again, `rebuild`).
    /// The tables made from the records, never exported: an import makes them again.
    static let derivedTables = ["orderList", "orderSearch", "survivorIndex"]

    static let migration = """
        CREATE TABLE orderList (
            orderID INTEGER PRIMARY KEY REFERENCES orders(id),
            numberKey TEXT NOT NULL,
            sortRespondent BLOB NOT NULL,
            sortDistrict BLOB NOT NULL,
            sortOfficer BLOB NOT NULL,
            survivorIndexed INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX orderList_respondent ON orderList(sortRespondent, numberKey);
        CREATE INDEX orderList_district ON orderList(sortDistrict, numberKey);
        CREATE INDEX orderList_officer ON orderList(sortOfficer, numberKey);
        CREATE INDEX orderList_survivorUnindexed ON orderList(orderID) WHERE survivorIndexed = 0;
        -- Case-sensitive: the text is folded already, and a match must be the exact substring.
        CREATE VIRTUAL TABLE orderSearch USING fts5(text, tokenize = 'trigram case_sensitive 1');
        CREATE TABLE survivorIndex (
            token INTEGER NOT NULL,
            orderID INTEGER NOT NULL REFERENCES orders(id),
            PRIMARY KEY (token, orderID)
        ) WITHOUT ROWID;
        CREATE INDEX survivorIndex_order ON survivorIndex(orderID);
        """

    /// Makes every derived table again from the records (after an import): names unindexed until searched.
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM orderList; DELETE FROM orderSearch; DELETE FROM survivorIndex")
        try refresh(db, orderID: nil)
    }

    /// The sort column of `sort` (nil: the number key alone).
    static func column(_ sort: OrderSort) -> String? {
        switch sort {
        case .number: nil
        case .respondent: "sortRespondent"
        case .district: "sortDistrict"
        case .officer: "sortOfficer"
        }
    }

    /// How many orders an upgrade reads at a time.
    static let batch = 1000

    /// Writes the list columns of order `id` (nil: of every order, batch by batch) from the order as it
    /// stands, its plain corrections applied.
    static func refresh(_ db: Database, orderID id: Int64?) throws {
        var last: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, number, respondentName, district, officer FROM orders
                WHERE (:id IS NULL OR id = :id) AND id > :last ORDER BY id LIMIT :n
                """, arguments: ["id": id, "last": last, "n": batch])
            guard let lastRow = rows.last else { return }
            var corrected: [Int64: [(field: String, value: String)]] = [:]
            let lo: Int64 = rows.first?["id"] ?? 0, hi: Int64 = lastRow["id"] ?? 0
            for row in try Row.fetchAll(db, sql: """
                SELECT orderID, field, value FROM corrections
                WHERE orderID BETWEEN ? AND ? AND field IN ('district', 'officer') ORDER BY id
                """, arguments: [lo, hi]) {
                corrected[row["orderID"] ?? 0, default: []].append((row["field"] ?? "", text(row, "value")))
            }
            for row in rows {
                let orderID: Int64 = row["id"] ?? 0
                var district = text(row, "district"), officer = text(row, "officer")
                for c in corrected[orderID] ?? [] {
                    if c.field == "district" { district = c.value } else { officer = c.value }
                }
                let number = text(row, "number"), respondent = text(row, "respondentName")
                try write(db, id: orderID, number: number, respondent: respondent, district: district, officer: officer)
            }
            last = hi
        }
    }

    /// Writes the list columns of one order from its fields as shown.
    static func write(_ db: Database, id: Int64, number: String, respondent: String, district: String, officer: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO orderList (orderID, numberKey, sortRespondent, sortDistrict, sortOfficer) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (orderID) DO UPDATE SET sortRespondent = excluded.sortRespondent, sortDistrict = excluded.sortDistrict,
                sortOfficer = excluded.sortOfficer
            """).execute(arguments: [id, Order.numberKey(number), NameOrder.sortKey(respondent).bytes, NameOrder.sortKey(district).bytes,
                             NameOrder.sortKey(officer).bytes])
        try db.cachedStatement(sql: "DELETE FROM orderSearch WHERE rowid = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "INSERT INTO orderSearch (rowid, text) VALUES (?, ?)").execute(
            arguments: [id, OrderListing.searchText(number: number, respondent: respondent, officer: officer, district: district).indexText])
    }

    /// Replaces the keyed tokens of one order's survivor, and marks it indexed.
    static func index(_ db: Database, orderID id: Int64, tokens: Set<Int64>) throws {
        try db.cachedStatement(sql: "DELETE FROM survivorIndex WHERE orderID = ?").execute(arguments: [id])
        let insert = try db.cachedStatement(sql: "INSERT INTO survivorIndex (token, orderID) VALUES (?, ?)")
        for token in tokens { try insert.execute(arguments: [token, id]) }
        try db.cachedStatement(sql: "UPDATE orderList SET survivorIndexed = 1 WHERE orderID = ?").execute(arguments: [id])
    }

    /// A column's text whatever the row holds (a damaged value reads as text, or nothing).
    static func text(_ row: Row, _ column: String) -> String {
        switch Rows.value(row, column) {
        case .text(let s): s
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        default: ""
        }
    }
}
