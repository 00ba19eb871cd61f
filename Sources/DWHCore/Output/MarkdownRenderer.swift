/// Rows as a GitHub-flavoured Markdown table: pipes escaped, newlines as `<br>`,
/// numbers right-aligned, NULL as an empty cell. `RowWriter` writes it row by row.
public enum MarkdownRenderer {
    public static func render(_ table: ResultTable) -> String {
        RowWriter.render(table, format: .markdown)
    }

    static func cell(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "\n") })
        else { return text }
        return text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: "<br>")
            .replacingOccurrences(of: "\n", with: "<br>")
    }
}
