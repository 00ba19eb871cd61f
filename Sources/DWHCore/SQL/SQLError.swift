import Postgres

/// A statement the server refused, with every server field kept and placed where the SQL
/// came from. Every failing statement is shown this way, whether it came from a file dwh
/// ships, a migration, a saved query or the command line:
///
/// ```
/// Transform/50_time.sql:7:12: ERROR 22008 timestamp out of range
/// LINE 7:        extract(week FROM ts_start),
///                ^
/// DETAIL: …
/// ```
///
/// SQL typed by hand has no file: its error starts at the headline.
public struct SQLError: Error, CustomStringConvertible {
    public var error: PostgresError
    /// The file the statement came from; nil for SQL typed at the command line or the REPL.
    public var path: String?
    /// The line (of the file, or of the typed text) the error points at, its 1-based
    /// column, and its text; nil when the server gave no position for typed SQL.
    public var line: Int?
    public var column: Int?
    public var sourceLine: String?

    init(path: String?, line: Int?, column: Int?, sourceLine: String?, error: PostgresError) {
        self.path = path
        self.line = line
        self.column = column
        self.sourceLine = sourceLine
        self.error = error
    }

    /// Places `error`, raised by `sql`, in its source: `fileLines` gives each line of
    /// `sql` its line in the file (else the lines count from `firstLine`). A statement from
    /// a file is pointed at even without a server position, at its start.
    public init(_ error: PostgresError, sql: String, path: String?, fileLines: [Int]? = nil, firstLine: Int = 1) {
        self.error = error
        self.path = path
        guard let position = error.position ?? (path == nil ? nil : 1) else { return }
        let place = Self.location(of: position, in: sql)
        if let fileLines, !fileLines.isEmpty {
            line = fileLines[min(place.line, fileLines.count) - 1]
        } else {
            line = firstLine + place.line - 1
        }
        column = place.column
        sourceLine = place.text
    }

    public var description: String {
        var text = ""
        if let path { text += line.map { "\(path):\($0):\(column ?? 1): " } ?? "\(path): " }
        text += error.kind == .server ? error.headline : error.message
        if let line, let column, let sourceLine {
            let prefix = "LINE \(line): "
            let caret = DisplayWidth.of(prefix) + DisplayWidth.of(String(sourceLine.unicodeScalars.prefix(max(0, column - 1))))
            text += "\n" + prefix + sourceLine + "\n" + String(repeating: " ", count: caret) + "^"
        }
        if let detail = error.detail { text += "\nDETAIL: \(detail)" }
        if let hint = error.hint { text += "\nHINT: \(hint)" }
        return text
    }

    /// The 1-based line and column of a 1-based position, counted in Unicode scalars as
    /// PostgreSQL counts them, and that line's text.
    static func location(of position: Int, in sql: String) -> (line: Int, column: Int, text: String) {
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
        var remaining = max(1, position)
        for (index, line) in lines.enumerated() {
            let length = line.unicodeScalars.count + 1
            if remaining <= length { return (index + 1, remaining, String(line)) }
            remaining -= length
        }
        let last = lines.last.map(String.init) ?? ""
        return (max(1, lines.count), last.unicodeScalars.count + 1, last)
    }
}

extension RenderedScript {
    /// Where in its file `error` (raised by `statement` of this script) points: the
    /// server's position, or the statement's start when it gives none.
    func place(_ error: PostgresError, of statement: Statement, path: String, line text: (Int) -> String) -> SQLError {
        let offset = statement.offset + max(0, (error.position ?? 1) - 1)
        let (line, column) = fileLocation(ofOffset: offset)
        return SQLError(path: path, line: line, column: column, sourceLine: text(line), error: error)
    }
}
