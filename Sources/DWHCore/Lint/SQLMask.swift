/// SQL as the lint rules read it: lower-case code with everything that is not code blanked
/// (as `SQLScanner` cuts it), one ASCII character for every Unicode scalar of the input, so
/// that an offset into the mask is the same offset into the SQL (and so maps back to a line
/// and column of the file).
///
/// - Comments (`--` to the end of the line, nested `/* */`) become spaces.
/// - String literals (`'…'`, `E'…'` with backslash escapes, `$tag$…$tag$`) keep their
///   delimiters and their contents become spaces: a rule sees that a value is there, never
///   what it says.
/// - Quoted names (`"Order Date"`) become letters from quote to quote, so a rule still sees
///   a name where one stands (`("serial" serial` keeps its column name before the type).
/// - Newlines stay where they are; other non-ASCII code becomes `x` (a letter in a name) or
///   a space (Unicode white space).
public struct SQLMask: Sendable, Equatable {
    public let text: String

    public init(_ sql: String) {
        let scanner = SQLScanner(sql)
        let scalars = scanner.scalars
        var out = [UInt8](repeating: 0x20, count: scalars.count)

        func blank(_ range: Range<Int>, with filler: UInt8) {
            for i in range { out[i] = scalars[i] == "\n" ? 0x0A : filler }
        }
        func code(_ range: Range<Int>) {
            for i in range {
                let value = scalars[i].value
                if value < 0x80 {
                    out[i] = UInt8(value >= 0x41 && value <= 0x5A ? value + 0x20 : value)
                } else {
                    out[i] = scalars[i].properties.isWhitespace ? 0x20 : 0x78
                }
            }
        }
        /// A literal opened by `open` scalars (`'`, `e'`, `$tag$`) and closed by `close`
        /// when it is closed: the delimiters kept, the contents blanked.
        func literal(_ span: SQLSpan, open: Int, close: Int) {
            let range = span.range
            let bodyEnd = span.isTerminated ? range.upperBound - close : range.upperBound
            code(range.lowerBound..<range.lowerBound + open)
            blank(range.lowerBound + open..<bodyEnd, with: 0x20)
            code(bodyEnd..<range.upperBound)
        }

        for span in scanner.spans {
            switch span.kind {
            case .code: code(span.range)
            case .lineComment, .blockComment: blank(span.range, with: 0x20)
            case .quotedName: blank(span.range, with: 0x78)
            case .string: literal(span, open: 1, close: 1)
            case .escapeString: literal(span, open: 2, close: 1)
            case .dollarQuoted(let tag): literal(span, open: tag.unicodeScalars.count + 2, close: tag.unicodeScalars.count + 2)
            }
        }
        text = String(decoding: out, as: UTF8.self)
    }
}
