import Postgres

/// Streams a query's rows as CSV (with a header) to an output, memory flat whatever the
/// row count.
///
/// With no parameters PostgreSQL writes the CSV: `COPY (query) TO STDOUT WITH CSV HEADER`.
/// A COPY cannot take bind parameters (and Redshift has no COPY TO STDOUT), so otherwise
/// the query runs with the values bound by the server and its rows are streamed as they
/// arrive (libpq's single-row mode, no cursor: Redshift limits FETCH, and refuses a DECLARE
/// sent with parameters), written by `CSVEncoder` byte for byte as COPY would have.
public enum CSVExport {
    /// How the rows leave the server.
    public enum Path: Equatable, Sendable {
        case copy, rows
    }

    /// COPY when it can be used: PostgreSQL, no parameters.
    public static func path(dialect: Dialect, parameters: [String]) -> Path {
        parameters.isEmpty && dialect == .postgres ? .copy : .rows
    }

    /// Returns the number of rows written.
    @discardableResult
    public static func run(_ connection: Connection, dialect: Dialect = .postgres, sql: String, parameters: [String],
                           to output: ByteSink) throws -> Int {
        let query = QueryText.stripped(sql, keepingStart: true)
        if path(dialect: dialect, parameters: parameters) == .copy {
            let copy = "COPY (\n"
            return try positionsInQuery(after: copy) {
                try connection.copyOut(copy + query + "\n) TO STDOUT WITH CSV HEADER") { chunk in
                    try output.write(chunk)
                }
            }
        }
        // COPY refuses what is not a query; so does this path, before anything runs.
        guard QueryText.onlyReads(query) else { throw QueryError.exportNeedsQuery }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 18)
        var total = 0
        var columnCount = 0
        try connection.stream(query, parameters: parameters.isEmpty ? nil : parameters.map { Optional($0) }) { event in
            switch event {
            case .columns(let columns):
                columnCount = columns.count
                CSVEncoder.appendRow(columns.map { Optional($0.name) }, to: &bytes)
            case .row(let row):
                for column in 0..<columnCount {
                    if column > 0 { bytes.append(CSVEncoder.comma) }
                    row.withValueBytes(row: 0, column: column) { value in
                        if let value { CSVEncoder.appendField(value, single: columnCount == 1, to: &bytes) }
                    }
                }
                bytes.append(CSVEncoder.newline)
                total += 1
                if bytes.count >= 1 << 18 {
                    try output.write(bytes)
                    bytes.removeAll(keepingCapacity: true)
                }
            case .end:
                break
            }
        }
        try output.write(bytes)
        return total
    }

    /// Runs `body`, moving a server error's position from the wrapped statement back into
    /// the query, so the caret lands where the user wrote the mistake.
    private static func positionsInQuery<T>(after wrapper: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as PostgresError {
            if let position = error.position {
                error.position = position > wrapper.count ? position - wrapper.count : nil
            }
            throw error
        }
    }
}
