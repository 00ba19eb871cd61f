import Postgres

/// Small facts about SQL text that do not need a parser.
public enum QueryText {
    /// The SQL without surrounding whitespace and trailing semicolons, ready to be
    /// wrapped in `COPY (…)` or `DECLARE … CURSOR FOR`.
    public static func stripped(_ sql: String) -> String {
        var text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") {
            text.removeLast()
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }

    /// The line and column (both 1-based) of a 1-based character position.
    public static func location(of position: Int, in sql: String) -> (line: Int, column: Int, text: String) {
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
        var remaining = max(1, position)
        for (index, line) in lines.enumerated() {
            let length = line.count + 1
            if remaining <= length { return (index + 1, remaining, String(line)) }
            remaining -= length
        }
        let last = lines.last.map(String.init) ?? ""
        return (max(1, lines.count), last.count + 1, last)
    }

    /// The server's error with the offending line and a caret under the position:
    ///
    /// ```
    /// ERROR 42P01 relation "nowhere" does not exist
    /// LINE 2: SELECT * FROM nowhere
    ///                       ^
    /// ```
    public static func report(_ error: Error, sql: String, source: String? = nil) -> String {
        guard let error = error as? PostgresError, let position = error.position else { return "\(error)" }
        let place = location(of: position, in: sql)
        let prefix = "LINE \(place.line): "
        let caretColumn = DisplayWidth.of(prefix + String(place.text.prefix(place.column - 1)))
        var text = source.map { "\($0):\(place.line):\(place.column): " } ?? ""
        text += error.headline + "\n"
        text += prefix + place.text + "\n"
        text += String(repeating: " ", count: caretColumn) + "^"
        if let detail = error.detail { text += "\nDETAIL: \(detail)" }
        if let hint = error.hint { text += "\nHINT: \(hint)" }
        return text
    }
}
