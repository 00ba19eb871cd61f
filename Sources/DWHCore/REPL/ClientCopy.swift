/// `\copy`, as psql has it: a COPY whose file is on dwh's side. The part before `FROM` or
/// `TO` (a table with its columns, or a query in parentheses) and the options after the
/// file are the server's COPY as written; the file is read or written by dwh, streamed.
///
///     \copy songs (song_id, title) FROM 'songs.csv' WITH (FORMAT csv, HEADER)
///     \copy (SELECT * FROM songplays) TO plays.csv CSV HEADER
struct ClientCopy: Equatable {
    enum Direction: Equatable { case from, to }

    /// The statement sent: `COPY … FROM STDIN …` or `COPY … TO STDOUT …`.
    let sql: String
    let direction: Direction
    /// The file; nil for `stdin`/`pstdin` (the REPL's input, up to `\.`) and
    /// `stdout`/`pstdout` (where results go).
    let file: String?

    /// Reads what follows `\copy`; the error says what is missing.
    static func parse(_ text: String) throws -> ClientCopy {
        let scanner = SQLScanner(text)
        let scalars = Array(text.unicodeScalars)
        var depth = 0
        for (index, span) in scanner.spans.enumerated() where span.isCode {
            var offset = span.range.lowerBound
            while offset < span.range.upperBound {
                let scalar = scalars[offset]
                if scalar == "(" { depth += 1 } else if scalar == ")" { depth -= 1 }
                guard depth == 0, Self.isWordStart(scalars, offset) else { offset += 1; continue }
                var end = offset
                while end < span.range.upperBound, SQLScanner.isIdentifierPart(scalars[end]) { end += 1 }
                let word = String(String.UnicodeScalarView(scalars[offset..<end])).lowercased()
                if word == "from" || word == "to", offset > 0 {
                    return try make(head: string(scalars[..<offset]), direction: word == "from" ? .from : .to,
                                    after: end, scalars: scalars, spans: scanner.spans[index...])
                }
                offset = end
            }
        }
        throw MetaCommandError.usage("\\copy", "TABLE [(COLUMNS)] FROM FILE|stdin [OPTIONS], or TABLE|(QUERY) TO FILE|stdout [OPTIONS]")
    }

    private static func make(head: String, direction: Direction, after keywordEnd: Int, scalars: [Unicode.Scalar],
                             spans: ArraySlice<SQLSpan>) throws -> ClientCopy {
        var start = keywordEnd
        while start < scalars.count, scalars[start].properties.isWhitespace { start += 1 }
        guard start < scalars.count else { throw MetaCommandError.usage("\\copy", "… \(direction == .from ? "FROM" : "TO") FILE") }
        let name: String
        let rest: Int
        if let quoted = spans.first(where: { $0.range.lowerBound == start }), quoted.kind == .string {
            guard quoted.isTerminated else { throw MetaCommandError.unterminatedQuote("\\copy") }
            name = string(scalars[(quoted.range.lowerBound + 1)..<(quoted.range.upperBound - 1)]).replacingOccurrences(of: "''", with: "'")
            rest = quoted.range.upperBound
        } else {
            var end = start
            while end < scalars.count, !scalars[end].properties.isWhitespace { end += 1 }
            name = string(scalars[start..<end])
            rest = end
        }
        let options = string(scalars[rest...]).trimmingWhitespace()
        let standard = direction == .from ? ["stdin", "pstdin"] : ["stdout", "pstdout"]
        let file = standard.contains(name.lowercased()) ? nil : name
        let sql = "COPY " + head.trimmingWhitespace() + (direction == .from ? " FROM STDIN" : " TO STDOUT")
            + (options.isEmpty ? "" : " " + options)
        return ClientCopy(sql: sql, direction: direction, file: file)
    }

    private static func isWordStart(_ scalars: [Unicode.Scalar], _ offset: Int) -> Bool {
        SQLScanner.isIdentifierPart(scalars[offset]) && (offset == 0 || !SQLScanner.isIdentifierPart(scalars[offset - 1]))
    }

    private static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
