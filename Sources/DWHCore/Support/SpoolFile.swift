import Foundation

/// A temporary file written once and then read back, by one reader or several at once:
/// where a load keeps what grows with the number of files (manifest rows, the COPY text of
/// the table that waits its turn) instead of memory. It is unlinked as soon as it is made,
/// so it goes away with the process however that ends.
final class SpoolFile: @unchecked Sendable {
    // @unchecked Sendable: written by one thread, then (after `finish`, which the threads
    // synchronise on) only read with pread(2), which keeps no shared file offset.
    fileprivate let descriptor: Int32
    let folder: String
    private(set) var size: Int64 = 0

    init(folder: String = SpoolFile.defaultFolder) throws {
        var template = Array((folder + "/dwh-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw SpoolFileError.temporaryFile(folder: folder, reason: String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        self.folder = folder
    }

    deinit { close(descriptor) }

    /// `TMPDIR`, else `/tmp`.
    static var defaultFolder: String {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return folder.isEmpty ? "/tmp" : (folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder)
    }

    /// Appends everything in `buffer` and empties it.
    func write(_ buffer: ByteBuffer) throws {
        let count = buffer.count
        do { try buffer.drain(to: descriptor) } catch {
            throw SpoolFileError.temporaryFile(folder: folder, reason: "\(error)")
        }
        size += Int64(count)
    }

    /// Calls `body` with the contents, a chunk at a time, from the start.
    func forEachChunk(size chunkSize: Int = 1 << 18, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var reader = reader(chunkSize: chunkSize)
        while let chunk = try reader.next() { try body(chunk) }
    }

    /// A reader from the start with its own position: several may read at once.
    func reader(chunkSize: Int = 1 << 18) -> Reader { Reader(spool: self, chunkSize: chunkSize) }

    struct Reader {
        let spool: SpoolFile
        private var offset: Int64 = 0
        private var buffer: [UInt8]

        init(spool: SpoolFile, chunkSize: Int) {
            self.spool = spool
            buffer = [UInt8](repeating: 0, count: chunkSize)
        }

        /// The next chunk (valid until the next call), or nil at the end.
        mutating func next() throws -> UnsafeRawBufferPointer? {
            guard offset < spool.size else { return nil }
            let wanted = Int(min(Int64(buffer.count), spool.size - offset))
            let at = offset
            let read = buffer.withUnsafeMutableBytes { pread(spool.descriptor, $0.baseAddress, wanted, off_t(at)) }
            guard read > 0 else {
                let reason = read == 0 ? "the file is shorter than what was written" : String(cString: strerror(errno))
                if read < 0, errno == EINTR { return try next() }
                throw SpoolFileError.temporaryFile(folder: spool.folder, reason: reason)
            }
            offset += Int64(read)
            return buffer.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[0..<read]) }
        }
    }

    /// Lines (without their newline) from the start, each as bytes valid until the next call.
    struct LineReader {
        private var reader: Reader
        private var pending: [UInt8] = []
        private var start = 0

        init(_ spool: SpoolFile) {
            reader = spool.reader(chunkSize: 1 << 16)
        }

        mutating func next() throws -> ArraySlice<UInt8>? {
            while true {
                if let newline = pending[start...].firstIndex(of: 0x0A) {
                    let line = pending[start..<newline]
                    start = newline + 1
                    return line
                }
                pending.removeFirst(start)
                start = 0
                guard let chunk = try reader.next() else {
                    guard !pending.isEmpty else { return nil }
                    start = pending.count
                    return pending[...]
                }
                pending.append(contentsOf: chunk)
            }
        }
    }
}

extension SpoolFile {
    /// Appends bytes as they are (the REPL's kept result writes through this).
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw SpoolFileError.temporaryFile(folder: folder, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        size += Int64(bytes.count)
    }

    /// `count` bytes from `offset`, which the caller knows were written.
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else {
                let reason = read == 0 ? "the file is shorter than what was written" : String(cString: strerror(errno))
                throw SpoolFileError.temporaryFile(folder: folder, reason: reason)
            }
            done += read
        }
        return bytes
    }

    /// A descriptor of its own on the contents, from the start, for a reader that wants
    /// one (the REPL's `\copy … FROM stdin` hands it to COPY); the caller closes it.
    func readingDescriptor() throws -> Int32 {
        let copy = dup(descriptor)
        guard copy >= 0, lseek(copy, 0, SEEK_SET) == 0 else {
            throw SpoolFileError.temporaryFile(folder: folder, reason: String(cString: strerror(errno)))
        }
        return copy
    }
}

