/// Collects lines until a statement ends: a `;` in code, as `SQLScanner` reads it (not in
/// a string, a quoted name, a dollar-quoted body or a comment). What is left over waits for
/// the next line.
public struct StatementBuffer: Sendable {
    /// The text of the unfinished statement.
    public private(set) var pending = ""
    /// Where in `pending` (in UTF-8 bytes) the next line's scan starts: the start of the
    /// string, comment or body left open, else the end. Before it is code with no `;`, so a
    /// long statement is scanned once, not once a line.
    private var resume = 0

    public init() {}

    /// True when there is no unfinished statement (only whitespace).
    public var isEmpty: Bool { pending.allSatisfy(\.isWhitespace) }

    /// Appends one line and returns the statements it finished, each ending in `;`.
    public mutating func append(line: String) -> [String] {
        pending += line
        pending += "\n"
        let utf8 = pending.utf8
        let scanner = SQLScanner(String(pending[utf8.index(utf8.startIndex, offsetBy: resume)...]))
        var finished: [String] = []
        var start = 0
        for span in scanner.spans where span.isCode {
            var offset = resume + span.utf8Range.lowerBound
            for scalar in scanner.scalars[span.range] {
                offset += UTF8.width(scalar)
                guard scalar == ";" else { continue }
                let statement = String(pending[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: offset)])
                    .trimmingWhitespace()
                if statement != ";" { finished.append(statement) }
                start = offset
            }
        }
        let end = resume + (scanner.unterminated?.utf8Range.lowerBound ?? scanner.spans.last?.utf8Range.upperBound ?? 0)
        if start > 0 { pending = String(pending[utf8.index(utf8.startIndex, offsetBy: start)...]) }
        resume = end - start
        if isEmpty { clear() }
        return finished
    }

    /// Where `line` holds a meta-command after SQL, as psql reads `SELECT 1 \\gx`: the SQL
    /// part and the command from its backslash to the end of the line. Only a backslash in
    /// code counts, never one in a string, a comment or a dollar-quoted body, given what the
    /// unfinished statement left open. Nil when the line has no such backslash.
    public func splittingMetaCommand(_ line: String) -> (sql: String, command: String)? {
        guard line.contains("\\") else { return nil }
        let before = pending.isEmpty ? "" : pending
        let scanner = SQLScanner(before + line)
        let lineStart = before.unicodeScalars.count
        for span in scanner.spans where span.isCode && span.range.upperBound > lineStart {
            for offset in max(span.range.lowerBound, lineStart)..<span.range.upperBound where scanner.scalars[offset] == "\\" {
                let scalars = Array(line.unicodeScalars)
                let split = offset - lineStart
                return (String(String.UnicodeScalarView(scalars[..<split])), String(String.UnicodeScalarView(scalars[split...])))
            }
        }
        return nil
    }

    /// Forgets the unfinished statement (Ctrl-C, `\r`).
    public mutating func clear() {
        pending = ""
        resume = 0
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
