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
