/// The aligned table the terminal shows, psql-like: a header, a rule, one line per row,
/// numbers right-aligned, NULL as `∅` so it never looks like an empty string.
public enum TableRenderer {
    public static let nullText = "∅"

    public static func aligned(_ table: ResultTable) -> String {
        let cells = table.rows.map { row in row.map(cellText) }
        var widths = table.columns.map { DisplayWidth.of($0.name) }
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        var output = ""
        output.reserveCapacity(widths.reduce(0, +) * (cells.count + 2))
        let header = table.columns.enumerated().map { index, column in
            DisplayWidth.pad(column.name, to: widths[index], right: column.isNumeric)
        }
        output += trimTrailing(" " + header.joined(separator: " │ ")) + "\n"
        output += widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: "┼") + "\n"
        for row in cells {
            let line = row.enumerated().map { index, cell in
                DisplayWidth.pad(cell, to: widths[index], right: table.columns[index].isNumeric)
            }
            output += trimTrailing(" " + line.joined(separator: " │ ")) + "\n"
        }
        return output
    }

    /// One block per row, a line per column (`\x` in the REPL): for wide rows.
    public static func expanded(_ table: ResultTable) -> String {
        let nameWidth = table.columns.map { DisplayWidth.of($0.name) }.max() ?? 0
        var output = ""
        for (number, row) in table.rows.enumerated() {
            output += "-[ RECORD \(number + 1) ]" + String(repeating: "-", count: max(3, nameWidth)) + "\n"
            for (index, value) in row.enumerated() {
                output += DisplayWidth.pad(table.columns[index].name, to: nameWidth) + " │ " + cellText(value) + "\n"
            }
        }
        return output
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
        guard value.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return value }
        return value.replacingOccurrences(of: "\r", with: "\\r")
            .replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t")
    }

    private static func trimTrailing(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
