/// The SQL of one section for one dialect, split into statements, remembering where each
/// line came from so a server error can point at the file on disk.
public struct RenderedScript: Sendable, Equatable {
    /// One statement as it is sent, and where it starts in `text` (in Unicode scalars,
    /// the unit PostgreSQL counts error positions in).
    public struct Statement: Sendable, Equatable {
        public let sql: String
        public let offset: Int
    }

    /// The rendered lines joined with newlines: what the checksum covers.
    public let text: String
    /// For each rendered line, its 1-based line number in the file.
    public let fileLines: [Int]
    public let statements: [Statement]

    init(lines: [String], fileLines: [Int]) {
        self.text = lines.map { $0 + "\n" }.joined()
        self.fileLines = fileLines
        self.statements = SQLSplitter.split(text)
    }

    /// The file line and 1-based column of a scalar offset into `text`.
    public func fileLocation(ofOffset offset: Int) -> (line: Int, column: Int) {
        var line = 0, column = 1, index = 0
        for scalar in text.unicodeScalars {
            if index == offset { break }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        guard !fileLines.isEmpty else { return (1, column) }
        return (fileLines[min(line, fileLines.count - 1)], column)
    }
}

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
                index = skipBlockComment(scalars, from: index)
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

    private static func skipBlockComment(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
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
                index += 2
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
