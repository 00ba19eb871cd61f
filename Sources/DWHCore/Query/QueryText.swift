import Postgres

/// Small facts about SQL text that do not need a parser.
public enum QueryText {
    /// Which way a top-level `COPY` statement streams rows, if it is one that streams.
    public enum CopyDirection: Equatable, Sendable {
        case toClient, fromClient
    }

    /// `.toClient` for `COPY … TO STDOUT`, `.fromClient` for `COPY … FROM STDIN`, nil for
    /// any other statement (a COPY to or from a file on the server returns a plain status).
    public static func copyDirection(_ sql: String) -> CopyDirection? {
        let tokens = SQLTokens(sql).tokens
        guard tokens.first == "copy" else { return nil }
        for (word, next) in zip(tokens, tokens.dropFirst()) {
            if word == "to" && next == "stdout" { return .toClient }
            if word == "from" && next == "stdin" { return .fromClient }
        }
        return nil
    }

    /// The SQL without surrounding whitespace and trailing semicolons, ready to be
    /// wrapped in `COPY (…)` or `DECLARE … CURSOR FOR`.
    /// With `keepingStart`, leading whitespace stays, so positions still match the source.
    public static func stripped(_ sql: String, keepingStart: Bool = false) -> String {
        var text = Substring(sql)
        if !keepingStart { text = text.drop { $0.isWhitespace } }
        while let last = text.last, last.isWhitespace || last == ";" { text.removeLast() }
        return String(text)
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

    /// The server's error with the offending line and a caret under the position; with a
    /// source, prefixed by `file:line:column:` and with the file's line numbers:
    ///
    /// ```
    /// queries/top_songs.sql:6:6: ERROR 42P01 relation "nowhere" does not exist
    /// LINE 6: FROM nowhere
    ///              ^
    /// ```
    public static func report(_ error: Error, sql: String, source: SQLSource? = nil) -> String {
        guard let error = error as? PostgresError, let position = error.position else {
            return source.map { "\($0.file): \(error)" } ?? "\(error)"
        }
        var place = location(of: position, in: sql)
        place.line += (source?.firstLine ?? 1) - 1
        let prefix = "LINE \(place.line): "
        let caretColumn = DisplayWidth.of(prefix + String(place.text.prefix(place.column - 1)))
        var text = source.map { "\($0.file):\(place.line):\(place.column): " } ?? ""
        text += error.headline + "\n"
        text += prefix + place.text + "\n"
        text += String(repeating: " ", count: caretColumn) + "^"
        if let detail = error.detail { text += "\nDETAIL: \(detail)" }
        if let hint = error.hint { text += "\nHINT: \(hint)" }
        return text
    }
}

/// Where a statement came from: a file, and the line its first line is on.
public struct SQLSource: Equatable, Sendable {
    public var file: String
    public var firstLine: Int

    public init(file: String, firstLine: Int = 1) {
        self.file = file
        self.firstLine = firstLine
    }
}
