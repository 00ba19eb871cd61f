/// The part of a staging file that `RecordReader` has read but not yet turned into rows:
/// `buffer[start..<end]`, with `line` the line `start` stands on. It grows the buffer only
/// for a record longer than the buffer, up to `RecordReader.maxRecordBytes`, and hashes
/// every byte it reads.
struct RecordWindow {
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var start = 0
    private(set) var end = 0
    var line = 1
    private(set) var atEOF = false
    private(set) var bytes: Int64 = 0
    private(set) var hasher = ContentHasher()

    init(buffer: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.buffer = buffer
        self.capacity = capacity
    }

    var isEmpty: Bool { start == end }
    var first: UInt8 { buffer[start] }

    /// Moves the unread bytes to the front and reads more; false at the end of the stream.
    mutating func more(from stream: ByteStream, path: String) throws -> Bool {
        if atEOF { return false }
        if start > 0 {
            buffer.update(from: buffer + start, count: end - start)
            end -= start
            start = 0
        }
        if end == capacity {
            guard capacity < RecordReader.maxRecordBytes else {
                throw LoadError.recordTooLarge(path: path, line: line, limit: RecordReader.maxRecordBytes)
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
        bytes += Int64(count)
        end += count
        return true
    }

    /// A UTF-8 byte order mark before the first record is not part of it.
    mutating func skipByteOrderMark() {
        if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            start += 3
        }
    }

    /// Skips to the newline that ends the current line; false if the window ends first.
    mutating func skipRestOfLine() -> Bool {
        while start < end && buffer[start] != 0x0A { start += 1 }
        return start < end
    }

    /// Skips spaces, tabs, carriage returns and newlines, counting the lines.
    mutating func skipBlankSpace() {
        while start < end {
            let byte = buffer[start]
            if byte == 0x0A { line += 1 } else if byte != 0x20 && byte != 0x09 && byte != 0x0D { break }
            start += 1
        }
    }

    /// How the line of a JSON-lines record goes on after the object that ends before `next`.
    enum LineEnd { case ends, needsMore, trailingText(at: Int) }

    func lineEnd(after next: Int) -> LineEnd {
        var after = next
        while after < end && (buffer[after] == 0x20 || buffer[after] == 0x09 || buffer[after] == 0x0D) { after += 1 }
        if after == end && !atEOF { return .needsMore }
        if after < end && buffer[after] != 0x0A { return .trailingText(at: after) }
        return .ends
    }

    /// Where a malformed record's error is reported and reading goes on. In JSON lines a
    /// record ends at its line: the error is that line's, and reading goes on at the next
    /// one. Elsewhere the error is on the line of `offset`, and reading goes on at the line
    /// after it.
    func recovery(fromMalformedAt offset: Int, jsonLines: Bool) -> (errorLine: Int, resume: Int, skipLine: Bool) {
        let firstNewline = (start..<offset).first { buffer[$0] == 0x0A }
        if jsonLines, let firstNewline { return (line, firstNewline, false) }
        var errorLine = line
        for index in start..<offset where buffer[index] == 0x0A { errorLine += 1 }
        return (errorLine, offset, true)
    }

    /// The start of the record at `offset`, up to its line's end, for a bad-record report.
    func rawText(from offset: Int) -> String {
        var stop = offset
        while stop < end && stop - offset < BadRecord.rawLimit && buffer[stop] != 0x0A { stop += 1 }
        return String(decoding: UnsafeBufferPointer(start: buffer + offset, count: stop - offset), as: UTF8.self)
    }
}
