import Postgres

/// Streams a query's rows as CSV (with a header) to an output, memory flat whatever the
/// row count.
///
/// With no parameters the server writes the CSV: `COPY (query) TO STDOUT WITH CSV HEADER`.
/// A COPY cannot take bind parameters, so a query with parameters runs as a cursor
/// declared with the values bound by the server, fetched in batches and written by
/// `CSVEncoder`, byte for byte what COPY would have written.
public enum CSVExport {
    /// Rows fetched per round trip on the cursor path.
    public static let batchSize = 10_000

    /// Returns the number of rows written.
    @discardableResult
    public static func run(_ connection: Connection, sql: String, parameters: [String], to output: BufferedOutput) throws -> Int {
        let query = QueryText.stripped(sql)
        if parameters.isEmpty {
            return try connection.copyOut("COPY (\n\(query)\n) TO STDOUT WITH CSV HEADER") { chunk in
                try output.write(chunk)
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
        try connection.execute("DECLARE dwh_export NO SCROLL CURSOR FOR\n\(query)", parameters.map { Optional($0) })
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
            var fields: [String?] = Array(repeating: nil, count: columnCount)
            for row in 0..<rowCount {
                for column in 0..<columnCount { fields[column] = batch[row, column] }
                CSVEncoder.appendRow(fields, to: &bytes)
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
}
