/// SQL as a list of tokens, for reading a statement's shape (its first keyword, the table a
/// DDL statement names, a LIMIT outside parentheses), built on `SQLScanner`:
///
/// - unquoted words in lower case, `schema.table` as one word;
/// - a quoted name as its name (`"Order ""x"""` → `Order "x"`);
/// - a string literal or dollar-quoted body as one token, as written (`'it''s'`, `$q$…$q$`);
/// - every other scalar of code as a token of its own (`(`, `;`, `:`).
///
/// Comments and white space are dropped.
struct SQLTokens {
    let tokens: [String]

    init(_ sql: String) {
        self.init(SQLScanner(sql))
    }

    init(_ scanner: SQLScanner) {
        var tokens: [String] = []
        for span in scanner.spans {
            switch span.kind {
            case .lineComment, .blockComment:
                continue
            case .quotedName:
                let body = scanner.scalars[(span.range.lowerBound + 1)..<(span.range.upperBound - (span.isTerminated ? 1 : 0))]
                tokens.append(SQLScanner.string(body).replacingOccurrences(of: "\"\"", with: "\""))
            case .string, .escapeString, .dollarQuoted:
                tokens.append(scanner.text(of: span))
            case .code:
                Self.words(scanner.scalars[span.range], into: &tokens)
            }
        }
        self.tokens = tokens
    }

    /// The tokens of a run of code.
    static func words(_ code: ArraySlice<Unicode.Scalar>, into tokens: inout [String]) {
        var index = code.startIndex
        func wordEnd(_ start: Int) -> Int {
            var end = start
            while end < code.endIndex && SQLScanner.isIdentifierPart(code[end]) { end += 1 }
            return end
        }
        while index < code.endIndex {
            let scalar = code[index]
            if scalar.properties.isWhitespace {
                index += 1
            } else if SQLScanner.isIdentifierPart(scalar) {
                var end = wordEnd(index)
                var word = SQLScanner.string(code[index..<end]).lowercased()
                while end + 1 < code.endIndex && code[end] == "." && SQLScanner.isIdentifierPart(code[end + 1]) {
                    let after = wordEnd(end + 1)
                    word += "." + SQLScanner.string(code[(end + 1)..<after]).lowercased()
                    end = after
                }
                tokens.append(word)
                index = end
            } else {
                tokens.append(String(scalar))
                index += 1
            }
        }
    }
}
