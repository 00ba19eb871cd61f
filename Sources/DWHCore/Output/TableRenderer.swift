/// The aligned table the terminal shows, psql-like: a header, a rule, one line per row,
/// numbers right-aligned, NULL as `∅` so it never looks like an empty string.
public enum TableRenderer {
    public static let nullText = "∅"

    public static func aligned(_ table: ResultTable) -> String {
        // Each cell is measured once; the widths then lay out every line.
        let cells = table.rows.map { row in row.map { value in Cell(cellText(value)) } }
        let header = table.columns.map { Cell($0.name) }
        var widths = header.map(\.width)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.width) }
        }
        let rightAligned = table.columns.map(\.isNumeric)
        var output = ""
        output.reserveCapacity(widths.reduce(3 * widths.count, +) * (cells.count + 2))
        func appendLine(_ line: [Cell]) {
            var text = " "
            for (index, cell) in line.enumerated() {
                if index > 0 { text += " │ " }
                let padding = String(repeating: " ", count: widths[index] - cell.width)
                text += rightAligned[index] ? padding + cell.text : cell.text + padding
            }
            while text.last == " " { text.removeLast() }
            output += text + "\n"
        }
        appendLine(header)
        output += widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: "┼") + "\n"
        for row in cells { appendLine(row) }
        return output
    }

    private struct Cell {
        let text: String
        let width: Int
        init(_ text: String) {
            self.text = text
            width = DisplayWidth.of(text)
        }
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
}
