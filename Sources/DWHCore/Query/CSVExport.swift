import Postgres

/// Streams a query's rows as CSV (with a header) to an output, memory flat whatever the
/// row count.
///
/// With no parameters PostgreSQL writes the CSV: `COPY (query) TO STDOUT WITH CSV HEADER`.
/// A COPY cannot take bind parameters (and Redshift has no COPY TO STDOUT), so otherwise
/// the query runs as a cursor declared with the values bound by the server, fetched in
/// batches and written by `CSVEncoder`, byte for byte what COPY would have written.
public enum CSVExport {
    /// Rows fetched per round trip on the cursor path.
    public static let batchSize = 10_000

    /// How the rows leave the server.
    public enum Path: Equatable, Sendable {
        case copy, cursor
    }

    /// COPY when it can be used: PostgreSQL, no parameters.
    public static func path(dialect: Dialect, parameters: [String]) -> Path {
        parameters.isEmpty && dialect == .postgres ? .copy : .cursor
    }

    /// Returns the number of rows written.
    @discardableResult
    public static func run(_ connection: Connection, dialect: Dialect = .postgres, sql: String, parameters: [String],
                           to output: BufferedOutput) throws -> Int {
        let query = QueryText.stripped(sql, keepingStart: true)
        if path(dialect: dialect, parameters: parameters) == .copy {
            let copy = "COPY (\n"
            return try positionsInQuery(after: copy) {
                try connection.copyOut(copy + query + "\n) TO STDOUT WITH CSV HEADER") { chunk in
                    try output.write(chunk)
                }
            }
        }
        let ownTransaction = connection.transactionState == .idle
        if ownTransaction { try connection.execute("BEGIN") }
        do {
            let rows = try throughCursor(connection, query: query, parameters: parameters, to: output)
            if ownTransaction { try connection.execute("COMMIT") }
            return rows
        } catch {
            if ownTransaction && connection.isConnected { _ = try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    private static func throughCursor(_ connection: Connection, query: String, parameters: [String],
                                      to output: BufferedOutput) throws -> Int {
        let declare = "DECLARE dwh_export CURSOR FOR\n"
        try positionsInQuery(after: declare) {
            try connection.execute(declare + query, parameters.map { Optional($0) })
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 18)
        var total = 0
        var wroteHeader = false
        while true {
            let batch = try connection.execute("FETCH FORWARD \(batchSize) FROM dwh_export")
            let columnCount = batch.columnCount
            if !wroteHeader {
                CSVEncoder.appendRow(batch.columns.map { Optional($0.name) }, to: &bytes)
                wroteHeader = true
            }
            let rowCount = batch.rowCount
            for row in 0..<rowCount {
                for column in 0..<columnCount {
                    if column > 0 { bytes.append(CSVEncoder.comma) }
                    batch.withValueBytes(row: row, column: column) { value in
                        if let value { CSVEncoder.appendField(value, single: columnCount == 1, to: &bytes) }
                    }
                }
                bytes.append(CSVEncoder.newline)
                if bytes.count >= 1 << 18 {
                    try output.write(bytes)
                    bytes.removeAll(keepingCapacity: true)
                }
            }
            total += rowCount
            if rowCount < batchSize { break }
        }
        try output.write(bytes)
        try connection.execute("CLOSE dwh_export")
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
