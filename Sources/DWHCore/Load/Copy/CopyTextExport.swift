import Foundation

/// Staging files turned into COPY rows (text, or binary) without a database: what `dwh load` streams to the
/// server, written to a file descriptor instead (the benchmark's `psql \copy` reference
/// reads it). Bad records are counted and left out, as a load with enough --max-errors would.
public enum CopyTextExport {
    public struct Summary: Equatable, Sendable {
        public var rows = 0
        public var badRecords = 0
        public var bytesRead: Int64 = 0
        public init() {}
    }

    /// Converts every file of `source` for `table`, numbering files from 1 as `file_id`;
    /// a negative `descriptor` converts and discards (to time the parsing alone).
    public static func write(_ source: LoadSource, table: StagingTable, to descriptor: Int32, format: CopyFormat = .text,
                             onBadRecord: (BadRecord) -> Void = { _ in }) throws -> Summary {
        let reader = RecordReader(table: table, format: format)
        let out = ByteBuffer()
        if format == .binary { out.append(CopyFormat.binaryHeader) }
        var summary = Summary()
        let flush: (ByteBuffer) throws -> Void = { buffer in
            if descriptor >= 0 { try buffer.drain(to: descriptor) } else { buffer.removeAll() }
        }
        let opener = source.makeOpener()
        var fileID = 0
        try source.forEachFile { file in
            fileID += 1
            let result = try reader.read(try opener.open(file), path: file.path, fileID: fileID, into: out,
                                         flush: flush, bad: onBadRecord)
            summary.rows += result.rows
            summary.badRecords += result.badRecords
            summary.bytesRead += result.bytes
        }
        if format == .binary { out.append(CopyFormat.binaryTrailer) }
        try flush(out)
        return summary
    }
}
