/// The aligned table the terminal shows, psql-like: a header, a rule, one line per row,
/// numbers right-aligned, NULL as `∅` so it never looks like an empty string.
/// `RowWriter` writes it row by row.
public enum TableRenderer {
    public static let nullText = "∅"

    public static func aligned(_ table: ResultTable) -> String {
        RowWriter.render(table, format: .table)
    }

    /// One block per row, a line per column (`\x` in the REPL): for wide rows.
    public static func expanded(_ table: ResultTable) -> String {
        RowWriter.render(table, format: .table, expanded: true)
    }

    /// `(3 rows, 12.4 ms)`: printed after a table.
    public static func footer(rows: Int, milliseconds: Double?) -> String {
        let count = rows == 1 ? "1 row" : "\(rows) rows"
        guard let milliseconds else { return "(\(count))\n" }
        return "(\(count), \(formatMilliseconds(milliseconds)))\n"
    }

    public static func formatMilliseconds(_ milliseconds: Double) -> String {
        milliseconds < 1000 ? String(format: "%.1f ms", milliseconds) : String(format: "%.2f s", milliseconds / 1000)
    }

    /// Control characters (newlines, tabs) would break the grid: they show escaped.
    static func cellText(_ value: String?) -> String {
        guard let value else { return nullText }
        guard value.utf8.contains(where: { $0 < 0x20 }) else { return value }
        return value.replacingOccurrences(of: "\r", with: "\\r")
            .replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t")
    }
}
