import Foundation

/// The rows of the REPL's last result, kept as CSV in a temporary file while they are
/// shown, so that `\export FILE` writes exactly what the statement returned without
/// running anything again: an `INSERT … RETURNING` is never repeated, and a
/// `clock_timestamp()` is the one that was seen.
///
/// The file is unlinked as soon as it is made (it goes with the process however that
/// ends). Past `limit` bytes the rows are no longer kept, and neither is a result that
/// was not read to its end (the pager was closed, Ctrl-C): `\export` then says so.
final class KeptResult: RowObserver {
    /// A gibibyte of CSV: past it, `\export FILE SELECT …` runs the query into the file.
    static let limit: Int64 = 1 << 30

    /// The statement the rows came from, for the message and for the refusal.
    let statement: String
    private let sink: Sink
    private let writer: RowWriter
    private var ended = false

    init(statement: String, limit: Int64 = KeptResult.limit) throws {
        self.statement = statement
        sink = Sink(spool: try SpoolFile(), limit: limit)
        writer = RowWriter(format: .csv, to: sink)
    }

    var rowCount: Int { writer.rowCount }

    /// Whether every row is in the file.
    var isWhole: Bool { ended && !sink.overflowed }

    /// Why the rows are not kept, when they are not.
    var missingReason: String? {
        if sink.overflowed { return "its rows came to more than \(Self.size(sink.limit))" }
        if !ended { return "it was not read to its end" }
        return nil
    }

    func begin(_ columns: [ResultTable.Column]) throws {
        ended = false
        try writer.begin(columns)
    }

    func row(_ values: [String?]) throws {
        try writer.row(values)
    }

    func end() throws {
        try writer.end()
        ended = true
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
    }

    /// Writes the kept CSV, header included, to `output`.
    func copy(to output: ByteSink) throws {
        try sink.spool.forEachChunk { try output.write($0) }
    }

    /// The spool, which stops taking bytes (and remembers it) past the limit.
    private final class Sink: ByteSink {
        let spool: SpoolFile
        let limit: Int64
        private(set) var overflowed = false

        init(spool: SpoolFile, limit: Int64) {
            self.spool = spool
            self.limit = limit
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard !overflowed else { return }
            guard spool.size + Int64(bytes.count) <= limit else {
                overflowed = true
                return
            }
            try spool.append(bytes)
        }
    }
}
