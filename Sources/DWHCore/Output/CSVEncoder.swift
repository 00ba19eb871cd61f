/// CSV as PostgreSQL's `COPY … TO STDOUT WITH CSV HEADER` writes it (RFC 4180, `\n`
/// line ends), byte for byte, so exports through a cursor match the COPY path: a field
/// is quoted when it holds a comma, a quote, CR or LF, or is empty (so the empty string
/// differs from NULL, which is written as nothing); a lone `\.` in a one-column row is
/// quoted too.
public enum CSVEncoder {
    /// Appends one row, newline included, to `output`.
    public static func appendRow<Fields: Collection<String?>>(_ fields: Fields, to output: inout [UInt8]) {
        let single = fields.count == 1
        var first = true
        for field in fields {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            guard let field else { continue }
            appendField(field, single: single, to: &output)
        }
        output.append(UInt8(ascii: "\n"))
    }

    static func appendField(_ field: String, single: Bool, to output: inout [UInt8]) {
        let utf8 = field.utf8
        let needsQuotes = utf8.isEmpty || (single && field == "\\.") || utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        guard needsQuotes else {
            output.append(contentsOf: utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// A whole table as a CSV document with its header row.
    public static func document(_ table: ResultTable) -> String {
        var bytes: [UInt8] = []
        appendRow(table.columns.map { Optional($0.name) }, to: &bytes)
        for row in table.rows { appendRow(row, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
