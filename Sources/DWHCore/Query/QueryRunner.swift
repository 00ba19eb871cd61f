import Foundation
import Postgres

/// What to run and how to show it: the value `dwh query run`, `dwh sql`, `dwh export`
/// and the REPL build from their arguments before anything touches the database.
public struct QueryRequest: Equatable, Sendable {
    public var sql: String
    /// Values for `$1`, `$2`, …, already checked against their declared types.
    public var parameters: [String]
    public var format: OutputFormat
    /// A file to write (atomically) instead of standard output.
    public var outputPath: String?
    public var chart: Bool
    public var expanded: Bool
    /// `\x auto`: expanded when the table would be wider than the terminal.
    public var autoExpand = false
    /// How NULL shows in a table (`\pset null`).
    public var nullText = TableRenderer.nullText
    /// Whether CSV goes straight from the server to the output, never held in memory
    /// (only a query can be streamed; the REPL collects, as any statement may come).
    public var streamsCSV: Bool
    /// Where `COPY … FROM STDIN` reads its rows (a descriptor dwh's caller piped in); nil
    /// where there is none to read, such as the REPL, whose input is its statements.
    public var copyInput: Int32?
    /// The pager for results longer than the screen, when standard output is a terminal.
    public var pager: PagerSetting?

    public init(sql: String, parameters: [String] = [], format: OutputFormat = .table,
                outputPath: String? = nil, chart: Bool = false, expanded: Bool = false, streamsCSV: Bool = true,
                copyInput: Int32? = nil, pager: PagerSetting? = nil) {
        self.copyInput = copyInput
        self.pager = pager
        self.sql = sql
        self.parameters = parameters
        self.format = format
        self.outputPath = outputPath
        self.chart = chart
        self.expanded = expanded
        self.streamsCSV = streamsCSV
    }

    var streams: Bool { format == .csv && !chart && streamsCSV }
}

/// What a run produced, for the caller's closing line.
public struct QueryOutcome: Equatable, Sendable {
    /// Rows returned (or affected, for a command); nil when the server gives no count.
    public var rows: Int?
    public var milliseconds: Double
    /// The command tag (`CREATE TABLE`) for statements that return no rows.
    public var commandStatus: String?
    /// The rows, when there were few enough to keep (`RowWriter.widthSample`): for the
    /// REPL's `\chart`.
    public var table: ResultTable?
}

/// Runs a `QueryRequest` on a connection and writes its output; Ctrl-C cancels the
/// statement on the server.
public enum QueryRunner {
    /// `unload`: on Redshift, CSV is exported through S3 with UNLOAD (`RedshiftExport`).
    /// `observer` is given the rows of a shown result as they come, beside the output
    /// (the REPL keeps them for `\export`).
    public static func run(_ request: QueryRequest, on connection: Connection, dialect: Dialect = .postgres,
                           terminalWidth: Int = 80, standardOutput: BufferedOutput,
                           unload: RedshiftExport.Settings? = nil, observer: RowObserver? = nil) throws -> QueryOutcome {
        let started = DispatchTime.now()
        try requireOneStatement(request)
        if let direction = QueryText.copyDirection(request.sql) {
            let rows = try copy(direction, request, on: connection, standardOutput: standardOutput)
            return QueryOutcome(rows: rows, milliseconds: milliseconds(since: started), commandStatus: "COPY \(rows)")
        }
        if request.streams {
            let rows = try streamCSV(request, on: connection, dialect: dialect, standardOutput: standardOutput, unload: unload)
            return QueryOutcome(rows: rows, milliseconds: milliseconds(since: started))
        }
        if request.chart {
            return try chart(request, on: connection, terminalWidth: terminalWidth, standardOutput: standardOutput,
                             since: started)
        }
        let results = ResultStream(request, on: connection, terminalWidth: terminalWidth, observer: observer)
        return try results.show(standardOutput: standardOutput, since: started)
    }

    static func milliseconds(since started: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
    }

    /// CSV and JSON have no place for a second result, so they take one statement.
    private static func requireOneStatement(_ request: QueryRequest) throws {
        guard [.csv, .json].contains(request.format) && !request.chart else { return }
        let count = SQLSplitter.split(request.sql).count
        if count > 1 { throw QueryError.severalStatements(format: request.format.rawValue, count: count) }
    }

    /// CSV straight from the server to the output: through S3 with UNLOAD on Redshift when
    /// the query allows it, otherwise with COPY … TO STDOUT.
    private static func streamCSV(_ request: QueryRequest, on connection: Connection, dialect: Dialect,
                                  standardOutput: BufferedOutput, unload: RedshiftExport.Settings?) throws -> Int {
        try write(to: request.outputPath, standardOutput: standardOutput) { output in
            if dialect == .redshift, let unload, RedshiftExport.canUnload(request.sql) {
                return try RedshiftExport(query: request.sql, parameters: request.parameters, prefix: unload.prefix,
                                          iamRole: unload.iamRole).run(on: connection, settings: unload, to: output)
            }
            return try Interrupts.shared.cancelling(connection) {
                try CSVExport.run(connection, dialect: dialect, sql: request.sql, parameters: request.parameters, to: output)
            }
        }
    }

    /// The whole result, drawn as a bar chart as wide as the terminal.
    private static func chart(_ request: QueryRequest, on connection: Connection, terminalWidth: Int,
                              standardOutput: BufferedOutput, since started: DispatchTime) throws -> QueryOutcome {
        let result = try Interrupts.shared.cancelling(connection) {
            request.parameters.isEmpty
                ? try connection.execute(request.sql)
                : try connection.execute(request.sql, request.parameters.map { Optional($0) })
        }
        let milliseconds = milliseconds(since: started)
        guard result.columnCount > 0 else {
            return QueryOutcome(rows: result.affectedRows, milliseconds: milliseconds, commandStatus: result.commandStatus)
        }
        let table = ResultTable(result)
        let text = TerminalChart.render(try BarChart(table: table, labelWidth: max(12, terminalWidth / 3)), width: terminalWidth)
        try write(to: request.outputPath, standardOutput: standardOutput) { try $0.write(text) }
        return QueryOutcome(rows: table.rows.count, milliseconds: milliseconds, table: table)
    }

    /// A COPY that streams: its output goes where the request's output goes, as the server
    /// sends it; its input is read from `copyInput` to the end.
    private static func copy(_ direction: QueryText.CopyDirection, _ request: QueryRequest, on connection: Connection,
                             standardOutput: BufferedOutput) throws -> Int {
        switch direction {
        case .toClient:
            return try write(to: request.outputPath, standardOutput: standardOutput) { output in
                try Interrupts.shared.cancelling(connection) { try connection.copyOut(request.sql) { try output.write($0) } }
            }
        case .fromClient:
            guard let input = request.copyInput else { throw QueryError.copyWithoutInput }
            return try Interrupts.shared.cancelling(connection) {
                try connection.copyIn(request.sql) { writer in
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
                    defer { buffer.deallocate() }
                    while true {
                        let count = read(input, buffer.baseAddress, buffer.count)
                        if count == 0 { break }
                        if count < 0 {
                            if errno == EINTR { continue }
                            throw QueryError.copyInputFailed(reason: String(cString: strerror(errno)))
                        }
                        try writer.write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                    }
                }
            }
        }
    }

    static func write<T>(to path: String?, standardOutput: BufferedOutput, _ body: (BufferedOutput) throws -> T) throws -> T {
        guard let path else {
            let value = try body(standardOutput)
            try standardOutput.flush()
            return value
        }
        return try AtomicFile.write(path, body)
    }
}
