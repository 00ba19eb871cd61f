/// SQL as the lint rules read it: lower-case code with everything that is not code blanked,
/// one ASCII character for every Unicode scalar of the input, so that an offset into the
/// mask is the same offset into the SQL (and so maps back to a line and column of the file).
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
        let scalars = Array(sql.unicodeScalars)
        var out = [UInt8](repeating: 0x20, count: scalars.count)
        var index = 0

        func blank(_ range: Range<Int>, with filler: UInt8) {
            for i in range where i < scalars.count { out[i] = scalars[i] == "\n" ? 0x0A : filler }
        }
        func code(_ i: Int) {
            let value = scalars[i].value
            if value < 0x80 {
                out[i] = UInt8(value >= 0x41 && value <= 0x5A ? value + 0x20 : value)
            } else {
                out[i] = scalars[i].properties.isWhitespace ? 0x20 : 0x78
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == "-" && next == "-" {
                var end = index
                while end < scalars.count && scalars[end] != "\n" { end += 1 }
                blank(index..<end, with: 0x20)
                index = end
            } else if scalar == "/" && next == "*" {
                let end = SQLSplitter.blockCommentEnd(scalars, from: index)
                blank(index..<end, with: 0x20)
                index = end
            } else if scalar == "'" {
                let escapes = index > 0 && (scalars[index - 1] == "e" || scalars[index - 1] == "E")
                    && !(index > 1 && SQLSplitter.isIdentifierPart(scalars[index - 2]))
                let end = Self.quotedEnd(scalars, from: index, quote: "'", backslashEscapes: escapes)
                blank(index..<end, with: 0x20)
                out[index] = 0x27
                if end - 1 > index, scalars[end - 1] == "'" { out[end - 1] = 0x27 }
                index = end
            } else if scalar == "\"" {
                let end = Self.quotedEnd(scalars, from: index, quote: "\"", backslashEscapes: false)
                blank(index..<end, with: 0x78)
                index = end
            } else if scalar == "$", !(index > 0 && SQLSplitter.isIdentifierPart(scalars[index - 1])),
                      let tag = Self.dollarTag(scalars, at: index) {
                let bodyEnd = Self.dollarBodyEnd(scalars, from: index + tag, tagLength: tag, tagStart: index)
                for i in index..<index + tag { code(i) }
                blank(index + tag..<bodyEnd, with: 0x20)
                for i in bodyEnd..<min(bodyEnd + tag, scalars.count) { code(i) }
                index = min(bodyEnd + tag, scalars.count)
            } else {
                code(index)
                index += 1
            }
        }
        text = String(decoding: out, as: UTF8.self)
    }

    /// The index just past the quote that closes the one at `start` (a doubled quote is
    /// part of the text); the end of the text when none does.
    private static func quotedEnd(_ scalars: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < scalars.count {
            if backslashEscapes && scalars[index] == "\\" {
                index += 2
            } else if scalars[index] == quote {
                if index + 1 < scalars.count && scalars[index + 1] == quote { index += 2 } else { return index + 1 }
            } else {
                index += 1
            }
        }
        return scalars.count
    }

    /// The length of the `$tag$` opening at `start`, or nil when the `$` opens none (`$1`).
    private static func dollarTag(_ scalars: [Unicode.Scalar], at start: Int) -> Int? {
        var end = start + 1
        while end < scalars.count && (scalars[end].properties.isAlphabetic || scalars[end] == "_"
                                      || (end > start + 1 && ("0"..."9").contains(scalars[end]))) {
            end += 1
        }
        return end < scalars.count && scalars[end] == "$" ? end - start + 1 : nil
    }

    /// Where the tag opened at `tagStart` next appears after `from`; the end of the text when it never does.
    private static func dollarBodyEnd(_ scalars: [Unicode.Scalar], from: Int, tagLength: Int, tagStart: Int) -> Int {
        let tag = scalars[tagStart..<tagStart + tagLength]
        var index = from
        while index + tagLength <= scalars.count {
            if scalars[index..<index + tagLength].elementsEqual(tag) { return index }
            index += 1
        }
        return scalars.count
    }
}
