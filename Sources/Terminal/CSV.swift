import Foundation

/// Comma-separated text for spreadsheets (RFC 4180, CRLF line ends): what `--format csv` prints and
/// what the screens export, cell for cell the same.
public enum CSV {
    /// The header line, then one line per row.
    public static func render(headers: [String], rows: [[String]]) -> String {
        ([headers] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// One cell: made safe to show (`SafeText`), and a cell that a spreadsheet would run as a formula
    /// prefixed with a quote; quoted when it holds a comma, a quote or a line break.
    public static func cell(_ raw: String) -> String {
        var cell = SafeText.display(raw)
        if let first = cell.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Int(cell) == nil {
            cell = "'" + cell
        }
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }
}
