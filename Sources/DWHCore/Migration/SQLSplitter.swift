/// Splits SQL into statements at semicolons outside strings, quoted names, comments and
/// dollar-quoted bodies. Leading blank lines and comments are not part of a statement.
enum SQLSplitter {
    static func split(_ text: String) -> [RenderedScript.Statement] {
        let scalars = Array(text.unicodeScalars)
        var statements: [RenderedScript.Statement] = []
        var start: Int?
        var lastTokenEnd = 0
        var index = 0

        func finish(at end: Int) {
            if let begin = start {
                var sql = String.UnicodeScalarView()
                sql.append(contentsOf: scalars[begin..<end])
                statements.append(.init(sql: String(sql), offset: begin))
            }
            start = nil
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == "-" && next == "-" {
                while index < scalars.count && scalars[index] != "\n" { index += 1 }
                continue
            }
            if scalar == "/" && next == "*" {
                index = blockCommentEnd(scalars, from: index)
                continue
            }
            if scalar.properties.isWhitespace {
                index += 1
                continue
            }
            if start == nil { start = index }
            switch scalar {
            case ";":
                finish(at: index + 1)
                index += 1
            case "'":
                let escapes = index > 0 && (scalars[index - 1] == "E" || scalars[index - 1] == "e")
                index = skipQuoted(scalars, from: index, quote: "'", backslashEscapes: escapes)
            case "\"":
                index = skipQuoted(scalars, from: index, quote: "\"", backslashEscapes: false)
            case "$" where index > 0 && isIdentifierPart(scalars[index - 1]):
                // `a$b`: a `$` inside a name opens no quote.
                index += 1
            case "$":
                index = skipDollarQuoted(scalars, from: index)
            default:
                index += 1
            }
            lastTokenEnd = index
        }
        // A last statement with no semicolon ends at its last token, not at trailing comments.
        finish(at: lastTokenEnd)
        return statements
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "$"
    }

    /// The index just past the `*/` that closes the comment opened at `start` (nesting
    /// counts), or the end when it is never closed.
    static func blockCommentEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0, index = start
        while index < scalars.count {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalars[index] == "/" && next == "*" {
                depth += 1
                index += 2
            } else if scalars[index] == "*" && next == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return index
    }

    private static func skipQuoted(_ scalars: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < scalars.count {
            let scalar = scalars[index]
            if backslashEscapes && scalar == "\\" {
                // A backslash at the very end escapes nothing: the string ends with the text.
                index = min(index + 2, scalars.count)
            } else if scalar == quote {
                if index + 1 < scalars.count && scalars[index + 1] == quote {
                    index += 2
                } else {
                    return index + 1
                }
            } else {
                index += 1
            }
        }
        return index
    }

    /// Skips `$tag$ … $tag$`; a `$` that opens no tag (a parameter like `$1`) is one character.
    private static func skipDollarQuoted(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var end = start + 1
        while end < scalars.count && (scalars[end].properties.isAlphabetic || scalars[end] == "_"
                                      || (end > start + 1 && ("0"..."9").contains(scalars[end]))) {
            end += 1
        }
        guard end < scalars.count, scalars[end] == "$" else { return start + 1 }
        let tag = Array(scalars[start...end])
        var index = end + 1
        while index + tag.count <= scalars.count {
            if Array(scalars[index..<index + tag.count]) == tag { return index + tag.count }
            index += 1
        }
        return scalars.count
    }
}
