/// Rows as a JSON array of objects, keys in column order; numbers and booleans bare,
/// NULL as `null`, everything else a string.
public enum JSONRenderer {
    public static func render(_ table: ResultTable) -> String {
        var output = "["
        for (rowIndex, row) in table.rows.enumerated() {
            output += rowIndex == 0 ? "\n  {" : ",\n  {"
            for (index, value) in row.enumerated() {
                if index > 0 { output += ", " }
                output += quote(table.columns[index].name) + ": " + literal(value, column: table.columns[index])
            }
            output += "}"
        }
        output += table.rows.isEmpty ? "]\n" : "\n]\n"
        return output
    }

    static func literal(_ value: String?, column: ResultTable.Column) -> String {
        guard let value else { return "null" }
        if column.isBoolean { return value == "t" ? "true" : "false" }
        if column.isNumeric, let number = Double(value), number.isFinite { return value }
        return quote(value)
    }

    /// A JSON string literal (RFC 8259 escaping).
    public static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
