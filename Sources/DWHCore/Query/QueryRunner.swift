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
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6 }

        if [.csv, .json].contains(request.format) && !request.chart {
            let count = SQLSplitter.split(request.sql).count
            if count > 1 { throw QueryError.severalStatements(format: request.format.rawValue, count: count) }
        }
        if let direction = QueryText.copyDirection(request.sql) {
            let rows = try copy(direction, request, on: connection, standardOutput: standardOutput)
            return QueryOutcome(rows: rows, milliseconds: elapsed(), commandStatus: "COPY \(rows)")
        }
        if request.streams {
            let rows = try write(to: request.outputPath, standardOutput: standardOutput) { output in
                if dialect == .redshift, let unload, RedshiftExport.canUnload(request.sql) {
                    return try RedshiftExport(query: request.sql, parameters: request.parameters, prefix: unload.prefix,
                                              iamRole: unload.iamRole).run(on: connection, settings: unload, to: output)
                }
                return try Interrupts.shared.cancelling(connection) {
                    try CSVExport.run(connection, dialect: dialect, sql: request.sql, parameters: request.parameters, to: output)
                }
            }
            return QueryOutcome(rows: rows, milliseconds: elapsed())
        }

        if request.chart {
            let result = try Interrupts.shared.cancelling(connection) {
                request.parameters.isEmpty
                    ? try connection.execute(request.sql)
                    : try connection.execute(request.sql, request.parameters.map { Optional($0) })
            }
            let milliseconds = elapsed()
            guard result.columnCount > 0 else {
                return QueryOutcome(rows: result.affectedRows, milliseconds: milliseconds, commandStatus: result.commandStatus)
            }
            let table = ResultTable(result)
            let text = TerminalChart.render(try BarChart(table: table, labelWidth: max(12, terminalWidth / 3)), width: terminalWidth)
            try write(to: request.outputPath, standardOutput: standardOutput) { try $0.write(text) }
            return QueryOutcome(rows: table.rows.count, milliseconds: milliseconds, table: table)
        }

        var outcome = QueryOutcome(rows: nil, milliseconds: 0)
        var shown = 0
        let stream = { (sink: ByteSink) throws in
            let writer = RowWriter(format: request.format, expanded: request.expanded,
                                   autoExpandWidth: request.autoExpand ? terminalWidth : nil, nullText: request.nullText, to: sink)
            defer { shown = writer.rowCount }
            var columnCount = 0
            var inRows = false
            // A closed pager stops a query that only reads; anything else runs to its end, so
            // that what it changes (or the transaction it is in) is not undone behind the
            // person's back.
            let stopsEarly = connection.transactionState == .idle && QueryText.onlyReads(request.sql)
            let parameters = request.parameters.isEmpty ? nil : request.parameters.map { Optional($0) }
            try Interrupts.shared.cancelling(connection) {
                try connection.stream(request.sql, parameters: parameters, cancelOnError: stopsEarly) { event in
                    switch event {
                    case .columns(let columns):
                        columnCount = columns.count
                        inRows = true
                        let described = columns.map(ResultTable.Column.init)
                        try observer?.begin(described)
                        try writer.begin(described)
                        outcome.commandStatus = nil
                    case .row(let row):
                        let values = (0..<columnCount).map { row[0, $0] }
                        try observer?.row(values)
                        try writer.row(values)
                    case .end where inRows:
                        try observer?.end()
                        try writer.end()
                        inRows = false
                        outcome.rows = writer.rowCount
                        outcome.table = writer.smallResult
                    case .end(let status, let affected):
                        outcome.rows = affected
                        outcome.commandStatus = status
                    }
                }
            }
        }
        if let setting = request.pager, request.outputPath == nil {
            let paged = PagedOutput(setting, standardOutput: standardOutput)
            // The time the rows wait for the person reading the pager is not the query's.
            let timed = TimedSink(paged)
            do {
                try stream(timed)
            } catch OutputError.readerGone where paged.quit {
                // The person quit the pager: they have seen what they wanted.
                outcome.rows = shown
            } catch {
                try? paged.finish()
                throw error
            }
            outcome.milliseconds = elapsed() - timed.milliseconds
            try paged.finish()
        } else {
            try write(to: request.outputPath, standardOutput: standardOutput) { try stream($0) }
            outcome.milliseconds = elapsed()
        }
        return outcome
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

    private static func write<T>(to path: String?, standardOutput: BufferedOutput, _ body: (BufferedOutput) throws -> T) throws -> T {
        guard let path else {
            let value = try body(standardOutput)
            try standardOutput.flush()
            return value
        }
        return try AtomicFile.write(path, body)
    }
}

/// A sink that counts the time its writes take: with a pager, the time the rows wait for
/// the person to read on, which `\timing` leaves out.
final class TimedSink: ByteSink {
    private let inner: ByteSink
    private var nanoseconds: UInt64 = 0

    init(_ inner: ByteSink) { self.inner = inner }

    var milliseconds: Double { Double(nanoseconds) / 1e6 }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { nanoseconds += DispatchTime.now().uptimeNanoseconds - start }
        try inner.write(bytes)
    }
}
