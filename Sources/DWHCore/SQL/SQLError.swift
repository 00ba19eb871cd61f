import Postgres

/// A statement the server refused, placed in the file it came from: every server field
/// kept, shown as `Transform/50_time.sql:7:12: ERROR 22008 timestamp out of range`, then
/// the file's line and a caret under the column.
public struct SQLError: Error, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var sourceLine: String
    public var error: PostgresError

    public var description: String {
        var text = "\(path):\(line):\(column): \(error.headline)\n\(sourceLine)\n"
        text += String(sourceLine.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }) + "^"
        if let detail = error.detail { text += "\nDETAIL: \(detail)" }
        if let hint = error.hint { text += "\nHINT: \(hint)" }
        return text
    }

    /// Whether the server stopped the statement because it was asked to (Ctrl-C).
    public var isCancellation: Bool { error.sqlState == "57014" }
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
