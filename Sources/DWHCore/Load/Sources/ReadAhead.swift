import Foundation

/// Reads small files ahead of a table's feed, a batch at a time, on a few threads of its
/// own, so that several reads are waiting on the disk (or on S3) at once.
///
/// A million song files do not fit the page cache of a small machine: read one after the
/// other, each waits for the disk in turn, and the load runs at the disk's latency, not
/// its throughput. Batches (not single files) change hands, so the locking costs little
/// when the files are cached and the reads are only work for the CPU.
///
/// Files larger than `maxFileBytes` are not read here: the feed streams them itself, in
/// their place. At most `maxBatches` batches of at most `batchBytes` (or `batchFiles`)
/// wait, so memory stays flat.
final class ReadAhead: @unchecked Sendable {
    // @unchecked Sendable: `queue`, `stopped` and every batch's `contents`/`done` are read
    // and written with `condition` locked, a batch's files only before it is submitted.

    /// Files read together, in the order they were added.
    final class Batch: @unchecked Sendable {
        fileprivate(set) var files: [SourceFile] = []
        fileprivate(set) var bytes: Int64 = 0
        /// Per file: its bytes, nil for one the feed streams itself, or why it could not be read.
        fileprivate var contents: [Result<[UInt8]?, Error>] = []
        fileprivate var done = false
    }

    let maxFileBytes: Int64
    let batchFiles: Int
    let batchBytes: Int64
    let maxBatches: Int
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var stopped = false

    init(source: LoadSource, threads: Int = 8, maxFileBytes: Int64 = 1 << 20, batchFiles: Int = 64,
         batchBytes: Int64 = 1 << 20, maxBatches: Int = 8) {
        self.maxFileBytes = maxFileBytes
        self.batchFiles = batchFiles
        self.batchBytes = batchBytes
        self.maxBatches = maxBatches
        for index in 0..<threads {
            let thread = Thread { [self] in work(source.makeOpener()) }
            thread.name = "dwh read-ahead \(index)"
            thread.start()
        }
    }

    /// Adds a file to `batch`; true when the batch is full and should be submitted.
    func add(_ file: SourceFile, to batch: Batch) -> Bool {
        batch.files.append(file)
        if file.size >= 0 && file.size <= maxFileBytes { batch.bytes += file.size }
        return batch.files.count >= batchFiles || batch.bytes >= batchBytes || file.size > maxFileBytes
    }

    /// Hands a batch to the reading threads.
    func submit(_ batch: Batch) {
        condition.lock()
        queue.append(batch)
        condition.signal()
        condition.unlock()
    }

    /// The batch's contents once read, file by file in order.
    func contents(of batch: Batch) -> [Result<[UInt8]?, Error>] {
        condition.lock()
        defer { condition.unlock() }
        while !batch.done { condition.wait() }
        return batch.contents
    }

    /// Ends the reading threads (after the batch each is reading).
    func stop() {
        condition.lock()
        stopped = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func work(_ opener: FileOpener) {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if stopped { condition.unlock(); return }
            let batch = queue.removeFirst()
            condition.unlock()
            let contents = batch.files.map { file in
                Result { file.size < 0 || file.size > maxFileBytes ? nil : try Self.read(file, with: opener) }
            }
            condition.lock()
            batch.contents = contents
            batch.done = true
            condition.broadcast()
            condition.unlock()
        }
    }

    /// A whole file: one read of its listed size and a byte more (a short read is its end).
    static func read(_ file: SourceFile, with opener: FileOpener) throws -> [UInt8] {
        let stream = try opener.open(file)
        var bytes = [UInt8](repeating: 0, count: Int(file.size) + 1)
        var count = 0
        while true {
            let read = try bytes.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...])) }
            count += read
            if read == 0 { break }
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

/// A file already read into memory, read back as a stream.
final class MemoryStream: ByteStream {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }
}
