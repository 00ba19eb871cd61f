/// Collects lines until a statement ends: a `;` in code, as `SQLScanner` reads it (not in
/// a string, a quoted name, a dollar-quoted body or a comment). What is left over waits for
/// the next line.
public struct StatementBuffer: Sendable {
    /// The text of the unfinished statement.
    public private(set) var pending = ""

    public init() {}

    /// True when there is no unfinished statement (only whitespace).
    public var isEmpty: Bool { pending.allSatisfy(\.isWhitespace) }

    /// Appends one line and returns the statements it finished, each ending in `;`.
    public mutating func append(line: String) -> [String] {
        let scanner = SQLScanner(pending + line + "\n")
        var finished: [String] = []
        var start = 0
        for span in scanner.spans where span.isCode {
            for index in span.range where scanner.scalars[index] == ";" {
                let statement = SQLScanner.string(scanner.scalars[start...index]).trimmingWhitespace()
                if statement != ";" { finished.append(statement) }
                start = index + 1
            }
        }
        let rest = SQLScanner.string(scanner.scalars[start...])
        pending = rest.allSatisfy(\.isWhitespace) ? "" : rest
        return finished
    }

    /// Forgets the unfinished statement (Ctrl-C, `\r`).
    public mutating func clear() {
        pending = ""
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
