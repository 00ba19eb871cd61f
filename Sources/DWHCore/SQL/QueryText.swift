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

    /// Whether `sql` is one statement that only reads: SELECT (not SELECT INTO), VALUES,
    /// TABLE, SHOW, or WITH … SELECT with no data-changing part. Stopping it early, as a
    /// closed pager does, changes nothing.
    public static func onlyReads(_ sql: String) -> Bool {
        guard SQLSplitter.split(sql).count <= 1 else { return false }
        let tokens = SQLTokens(sql).tokens
        guard let first = tokens.first, ["select", "values", "table", "show", "with"].contains(first) else { return false }
        return !tokens.contains { ["into", "insert", "update", "delete", "merge", "copy", "call"].contains($0) }
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

    /// The server's error with the offending line and a caret under the position (see
    /// `SQLError`); with a source, prefixed by `file:line:column:` in the file's lines:
    ///
    /// ```
    /// queries/top_songs.sql:6:6: ERROR 42P01 relation "nowhere" does not exist
    /// LINE 6: FROM nowhere
    ///              ^
    /// ```
    public static func report(_ error: Error, sql: String, source: SQLSource? = nil) -> String {
        if let error = error as? SQLError { return error.description }
        guard let error = error as? PostgresError, error.kind == .server else {
            return source.map { "\($0.file): \(error)" } ?? "\(error)"
        }
        return SQLError(error, sql: sql, path: source?.file, firstLine: source?.firstLine ?? 1).description
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
