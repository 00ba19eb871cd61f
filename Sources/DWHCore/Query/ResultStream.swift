import Foundation
import Postgres

/// One request's results on their way to the output: the rows go to a `RowWriter` (and to
/// the observer) as the server sends them, through the pager when there is one, and the
/// outcome keeps what the closing line needs.
final class ResultStream {
    private let request: QueryRequest
    private let connection: Connection
    private let terminalWidth: Int
    private let observer: RowObserver?
    private var outcome = QueryOutcome(rows: nil, milliseconds: 0)
    /// The rows written so far, which is what a person who quit the pager has seen.
    private var shown = 0

    init(_ request: QueryRequest, on connection: Connection, terminalWidth: Int, observer: RowObserver?) {
        self.request = request
        self.connection = connection
        self.terminalWidth = terminalWidth
        self.observer = observer
    }

    /// Runs the request and writes its results to its file, the pager or standard output.
    func show(standardOutput: BufferedOutput, since started: DispatchTime) throws -> QueryOutcome {
        guard let setting = request.pager, request.outputPath == nil else {
            try QueryRunner.write(to: request.outputPath, standardOutput: standardOutput) { try stream(to: $0) }
            outcome.milliseconds = QueryRunner.milliseconds(since: started)
            return outcome
        }
        let paged = PagedOutput(setting, standardOutput: standardOutput)
        // The time the rows wait for the person reading the pager is not the query's.
        let timed = TimedSink(paged)
        do {
            try stream(to: timed)
        } catch OutputError.readerGone where paged.quit {
            // The person quit the pager: they have seen what they wanted.
            outcome.rows = shown
        } catch {
            try? paged.finish()
            throw error
        }
        outcome.milliseconds = QueryRunner.milliseconds(since: started) - timed.milliseconds
        try paged.finish()
        return outcome
    }

    private func stream(to sink: ByteSink) throws {
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
