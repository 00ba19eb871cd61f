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
        let parser = self.parser, encoder = self.encoder, table = self.table
        var summary = FileReadSummary()
        rowsSoFar = 0
        bytesSoFar = 0
        var hasher = ContentHasher()
        var start = 0, end = 0, line = 1
        var atEOF = false
        var skippingLine = false

        /// Moves the unread bytes to the front and reads more; false at the end of the stream.
        func refill() throws -> Bool {
            if start > 0 {
                (buffer).update(from: buffer + start, count: end - start)
                end -= start
                start = 0
            }
            if end == capacity {
                guard capacity < Self.maxRecordBytes else {
                    throw LoadError.recordTooLarge(path: path, line: line, limit: Self.maxRecordBytes)
                }
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                grown.update(from: buffer, count: end)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            let count = try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
            if count == 0 { atEOF = true; return false }
            hasher.update(UnsafeRawBufferPointer(start: buffer + end, count: count))
            summary.bytes += Int64(count)
            bytesSoFar = summary.bytes
            end += count
            return true
        }

        func more() throws -> Bool { atEOF ? false : try refill() }

        func rawText(from offset: Int) -> String {
            var stop = offset
            while stop < end && stop - offset < BadRecord.rawLimit && buffer[stop] != 0x0A { stop += 1 }
            return String(decoding: UnsafeBufferPointer(start: buffer + offset, count: stop - offset), as: UTF8.self)
        }

        func report(line: Int, field: String?, reason: String, rawFrom offset: Int) throws {
            summary.badRecords += 1
            try bad(BadRecord(file: path, line: line, field: field, reason: reason, raw: rawText(from: offset)))
        }

        // A UTF-8 byte order mark before the first record is not part of it.
        if try more(), end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            start += 3
        }
        while true {
            if skippingLine {
                while start < end && buffer[start] != 0x0A { start += 1 }
                if start == end { if try !more() { break } else { continue } }
                skippingLine = false
            }
            while start < end {
                let byte = buffer[start]
                if byte == 0x0A { line += 1 } else if byte != 0x20 && byte != 0x09 && byte != 0x0D { break }
                start += 1
            }
            if start == end {
                if try !more() { break }
                continue
            }
            guard buffer[start] == UInt8(ascii: "{") else {
                try report(line: line, field: nil, reason: "expected '{' to start a JSON object", rawFrom: start)
                skippingLine = true
                continue
            }
            switch parser.parse(buffer, from: start, end: end) {
            case .complete(let next):
                if table.shape == .jsonLines {
                    // A line holds one record: text after the object makes the whole line bad.
                    var after = next
                    while after < end && (buffer[after] == 0x20 || buffer[after] == 0x09 || buffer[after] == 0x0D) { after += 1 }
                    if after == end && !atEOF {
                        // The line goes on past the buffer: read more (which moves the bytes) and parse again.
                        _ = try more()
                        continue
                    }
                    if after < end && buffer[after] != 0x0A {
                        try report(line: line, field: nil, reason: "unexpected text after the JSON object", rawFrom: start)
                        start = after
                        skippingLine = true
                        continue
                    }
                }
                if let problem = encoder.encode(parser, base: buffer, fileID: fileID, line: line, into: out) {
                    try report(line: line, field: problem.field, reason: problem.reason, rawFrom: start)
                } else {
                    summary.rows += 1
                    if out.count >= flushBytes { rowsSoFar = summary.rows; try flush(out) }
                }
                line += parser.newlines
                start = next
            case .incomplete:
                if try !more() {
                    try report(line: line, field: nil, reason: "the file ends inside a JSON object", rawFrom: start)
                    start = end
                }
            case .malformed(let reason, let offset, let reference):
                let field = reference.map { parser.name(of: $0, in: buffer) }
                // In JSON lines a record ends at its line: the error is that line's, and
                // reading goes on at the next one. Elsewhere, at the line after the error.
                let firstNewline = (start..<offset).first { buffer[$0] == 0x0A }
                if table.shape == .jsonLines, let firstNewline {
                    try report(line: line, field: field, reason: "malformed JSON: \(reason)", rawFrom: start)
                    start = firstNewline
                } else {
                    var errorLine = line
                    for index in start..<offset where buffer[index] == 0x0A { errorLine += 1 }
                    try report(line: errorLine, field: field, reason: "malformed JSON: \(reason)", rawFrom: start)
                    line = errorLine
                    start = offset
                    skippingLine = true
                }
            }
        }
        summary.hash = hasher.digest
        return summary
    }
}
