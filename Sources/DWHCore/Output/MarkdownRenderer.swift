/// Rows as a GitHub-flavoured Markdown table: pipes escaped, newlines as `<br>`,
/// numbers right-aligned, NULL as an empty cell.
public enum MarkdownRenderer {
    public static func render(_ table: ResultTable) -> String {
        var output = "| " + table.columns.map { cell($0.name) }.joined(separator: " | ") + " |\n"
        output += "|" + table.columns.map { $0.isNumeric ? " ---: |" : " --- |" }.joined() + "\n"
        for row in table.rows {
            output += "| " + row.map { cell($0 ?? "") }.joined(separator: " | ") + " |\n"
        }
        return output
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: "<br>")
            .replacingOccurrences(of: "\n", with: "<br>")
    }
}
