/// CSV as PostgreSQL's `COPY … TO STDOUT WITH CSV HEADER` writes it (RFC 4180, `\n`
/// line ends), byte for byte, so exports through a cursor match the COPY path: a field
/// is quoted when it holds a comma, a quote, CR or LF, or is empty (so the empty string
/// differs from NULL, which is written as nothing); a lone `\.` in a one-column row is
/// quoted too.
public enum CSVEncoder {
    /// Appends one row, newline included, to `output`.
    public static func appendRow<Fields: Collection<String?>>(_ fields: Fields, to output: inout [UInt8]) {
        let single = fields.count == 1
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(comma) }
            guard var field else { continue }
            field.withUTF8 { appendField(UnsafeRawBufferPointer($0), single: single, to: &output) }
        }
        output.append(newline)
    }

    /// Appends one non-NULL field, quoted if it must be. `single`: the row has one column.
    public static func appendField(_ field: UnsafeRawBufferPointer, single: Bool, to output: inout [UInt8]) {
        var needsQuotes = field.isEmpty || (single && field.count == 2 && field[0] == backslash && field[1] == dot)
        if !needsQuotes {
            for byte in field where byte == comma || byte == quote || byte == newline || byte == carriageReturn {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            output.append(contentsOf: field)
            return
        }
        output.append(quote)
        for byte in field {
            if byte == quote { output.append(quote) }
            output.append(byte)
        }
        output.append(quote)
    }

    public static let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\""), carriageReturn = UInt8(ascii: "\r")
    static let backslash = UInt8(ascii: "\\"), dot = UInt8(ascii: ".")

    /// A whole table as a CSV document with its header row.
    public static func document(_ table: ResultTable) -> String {
        var bytes: [UInt8] = []
        appendRow(table.columns.map { Optional($0.name) }, to: &bytes)
        for row in table.rows { appendRow(row, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
