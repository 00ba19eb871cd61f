// The one-shot renderers: a whole table in one format, through RowWriter, and the pieces
// of each format RowWriter shares with them.

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

    /// Control characters would break the grid or reach the terminal raw: newlines, tabs
    /// and carriage returns show as `\n`, `\t` and `\r`, the others as psql shows them
    /// (`\x1B`, `\u009B`; see `VisibleText`).
    static func cellText(_ value: String?) -> String {
        guard let value else { return nullText }
        guard value.unicodeScalars.contains(where: VisibleText.isControl) else { return value }
        return VisibleText.escaped(value.replacingOccurrences(of: "\r", with: "\\r")
            .replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t"))
    }
}

/// Rows as a JSON array of objects, keys in column order; numbers and booleans bare,
/// NULL as `null`, everything else a string. `RowWriter` writes it row by row.
public enum JSONRenderer {
    public static func render(_ table: ResultTable) -> String {
        RowWriter.render(table, format: .json)
    }

    /// A JSON string literal (RFC 8259 escaping).
    public static func quote(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendQuoted(text.utf8, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends UTF-8 text as a JSON string literal: quote, backslash and control
    /// characters escaped, everything else as it is.
    static func appendQuoted<Text: Sequence<UInt8>>(_ text: Text, to output: inout [UInt8]) {
        output.append(quoteMark)
        for byte in text {
            switch byte {
            case quoteMark: output.append(contentsOf: [backslash, quoteMark])
            case backslash: output.append(contentsOf: [backslash, backslash])
            case UInt8(ascii: "\n"): output.append(contentsOf: [backslash, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): output.append(contentsOf: [backslash, UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): output.append(contentsOf: [backslash, UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(quoteMark)
    }

    private static let quoteMark = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    private static let hexDigits = Array("0123456789abcdef".utf8)
}

/// Rows as a GitHub-flavoured Markdown table: pipes escaped, newlines as `<br>`,
/// numbers right-aligned, NULL as an empty cell. `RowWriter` writes it row by row.
public enum MarkdownRenderer {
    public static func render(_ table: ResultTable) -> String {
        RowWriter.render(table, format: .markdown)
    }

    /// Other control characters show as `VisibleText` escapes, never raw.
    static func cell(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\\" || $0 == "|" || VisibleText.isControl($0) })
        else { return text }
        return VisibleText.escaped(text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: "<br>")
            .replacingOccurrences(of: "\n", with: "<br>"))
    }
}
