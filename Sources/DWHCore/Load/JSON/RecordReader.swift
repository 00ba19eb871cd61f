import Foundation

/// What reading one file produced besides its rows.
struct FileReadSummary: Equatable {
    var rows = 0
    var badRecords = 0
    var bytes: Int64 = 0
    var hash: UInt64 = 0
}

/// Reads one staging file as a stream, a buffer at a time, turning each JSON object into a
/// COPY row (text or binary). Memory stays at the buffer size whatever the file size; only a single record
/// longer than `maxRecordBytes` is refused.
final class RecordReader {
    let table: StagingTable
    let parser: FlatJSONParser
    let encoder: CopyRowEncoder
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    static let maxRecordBytes = 64 << 20
    /// The file being read so far, for progress while a big file streams.
    private(set) var rowsSoFar = 0
    private(set) var bytesSoFar: Int64 = 0

    init(table: StagingTable, format: CopyFormat = .text, bufferSize: Int = 1 << 20) {
        self.table = table
        parser = FlatJSONParser(keys: table.columns.map(\.key))
        encoder = CopyRowEncoder(table: table, parserKeys: parser.keys, format: format)
        capacity = bufferSize
        buffer = .allocate(capacity: bufferSize)
    }

    deinit { buffer.deallocate() }

    /// Reads `stream` to its end. Good rows go to `out` (with `fileID`), and `flush` is
    /// called whenever `out` holds `flushBytes` or more; each bad record goes to `bad`.
    func read(_ stream: ByteStream, path: String, fileID: Int, into out: ByteBuffer, flushBytes: Int = 1 << 18,
              flush: (ByteBuffer) throws -> Void, bad: (BadRecord) throws -> Void) throws -> FileReadSummary {
        // Locals, not properties: read once here, not retained and released per record.
        let parser = self.parser, encoder = self.encoder, jsonLines = table.shape == .jsonLines
        var window = RecordWindow(buffer: buffer, capacity: capacity)
        // The window may have grown the buffer: it stays this reader's, for the next file.
        defer { buffer = window.buffer; capacity = window.capacity }
        var summary = FileReadSummary()
        rowsSoFar = 0
        bytesSoFar = 0
        var skippingLine = false

        func more() throws -> Bool {
            guard try window.more(from: stream, path: path) else { return false }
            bytesSoFar = window.bytes
            return true
        }

        func report(line: Int, field: String?, reason: String, rawFrom offset: Int) throws {
            summary.badRecords += 1
            try bad(BadRecord(file: path, line: line, field: field, reason: reason, raw: window.rawText(from: offset)))
        }

        if try more() { window.skipByteOrderMark() }
        while true {
            if skippingLine {
                if !window.skipRestOfLine() { if try !more() { break } else { continue } }
                skippingLine = false
            }
            window.skipBlankSpace()
            if window.isEmpty {
                if try !more() { break }
                continue
            }
            guard window.first == UInt8(ascii: "{") else {
                try report(line: window.line, field: nil, reason: "expected '{' to start a JSON object", rawFrom: window.start)
                skippingLine = true
                continue
            }
            switch parser.parse(window.buffer, from: window.start, end: window.end) {
            case .complete(let next):
                if jsonLines {
                    // A line holds one record: text after the object makes the whole line bad.
                    switch window.lineEnd(after: next) {
                    case .ends: break
                    case .needsMore:
                        // The line goes on past the buffer: read more (which moves the bytes) and parse again.
                        _ = try more()
                        continue
                    case .trailingText(let after):
                        try report(line: window.line, field: nil, reason: "unexpected text after the JSON object",
                                   rawFrom: window.start)
                        window.start = after
                        skippingLine = true
                        continue
                    }
                }
                if let problem = encoder.encode(parser, base: window.buffer, fileID: fileID, line: window.line, into: out) {
                    try report(line: window.line, field: problem.field, reason: problem.reason, rawFrom: window.start)
                } else {
                    summary.rows += 1
                    if out.count >= flushBytes { rowsSoFar = summary.rows; try flush(out) }
                }
                window.line += parser.newlines
                window.start = next
            case .incomplete:
                if try !more() {
                    try report(line: window.line, field: nil, reason: "the file ends inside a JSON object", rawFrom: window.start)
                    window.start = window.end
                }
            case .malformed(let reason, let offset, let reference):
                let field = reference.map { parser.name(of: $0, in: window.buffer) }
                let recovery = window.recovery(fromMalformedAt: offset, jsonLines: jsonLines)
                try report(line: recovery.errorLine, field: field, reason: "malformed JSON: \(reason)", rawFrom: window.start)
                window.line = recovery.errorLine
                window.start = recovery.resume
                skippingLine = recovery.skipLine
            }
        }
        summary.bytes = window.bytes
        summary.hash = window.hasher.digest
        return summary
    }
}
