/// Splits SQL into statements at semicolons in code (`SQLScanner`): never inside a string,
/// a quoted name, a comment or a dollar-quoted body. Leading blank lines and comments are
/// not part of a statement, and a last statement with no semicolon ends at its last token.
enum SQLSplitter {
    static func split(_ text: String) -> [RenderedScript.Statement] {
        let scanner = SQLScanner(text)
        var statements: [RenderedScript.Statement] = []
        var start: Int?
        var lastTokenEnd = 0

        func finish(at end: Int) {
            if let begin = start {
                statements.append(.init(sql: SQLScanner.string(scanner.scalars[begin..<end]), offset: begin))
            }
            start = nil
        }

        for span in scanner.spans where !span.isComment {
            guard span.isCode else {
                if start == nil { start = span.range.lowerBound }
                lastTokenEnd = span.range.upperBound
                continue
            }
            for index in span.range where !scanner.scalars[index].properties.isWhitespace {
                if start == nil { start = index }
                lastTokenEnd = index + 1
                if scanner.scalars[index] == ";" { finish(at: index + 1) }
            }
        }
        finish(at: lastTokenEnd)
        return statements
    }
}
