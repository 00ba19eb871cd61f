import Foundation

/// Reads the next small files on a second thread while the loader parses and sends the
/// current one. With a hundred thousand one-object song files, opening and reading is most
/// of the work, and it would otherwise leave the parser and the database waiting.
///
/// Files come out in the order given, each as its whole contents, or as `nil` for a file
/// the caller should stream itself (one larger than `maxFileBytes`, such as an event log).
/// At most `budget` bytes wait in the queue, so memory stays flat however many files there
/// are. An error reading a file is handed over in that file's place, in order.
final class FilePrefetcher: @unchecked Sendable {
    // @unchecked Sendable: `slots`, `head`, `queuedBytes` and `stopped` are read and written
    // only with `condition` locked; everything else is immutable after init. The byte
    // arrays in the queue are values: the reader thread gives each one up when it enqueues it.
    private let source: LoadSource
    private let count: Int
    /// The `index`th file to read (a closure, not an array: no copy of a million paths).
    private let file: @Sendable (Int) -> SourceFile
    private let maxFileBytes: Int64
    private let budget: Int64
    private let condition = NSCondition()
    private var slots: [Result<[UInt8]?, Error>] = []
    private var head = 0
    private var queuedBytes: Int64 = 0
    private var stopped = false
    /// Who waits on `condition`: a wake-up is sent only when someone sleeps, not per file.
    private var readerWaits = false
    private var consumerWaits = false

    init(source: LoadSource, count: Int, maxFileBytes: Int64 = 1 << 20, budget: Int64 = 4 << 20,
         file: @escaping @Sendable (Int) -> SourceFile) {
        self.source = source
        self.count = count
        self.file = file
        self.maxFileBytes = maxFileBytes
        self.budget = budget
        let thread = Thread { [self] in run() }
        thread.name = "dwh file prefetch"
        thread.start()
    }

    /// The next file's contents (nil: open and stream it yourself), or the error reading it.
    /// Call once per file given, in order.
    func next() throws -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while head == slots.count {
            consumerWaits = true
            condition.wait()
            consumerWaits = false
        }
        let slot = slots[head]
        slots[head] = .success(nil)
        head += 1
        if case .success(let bytes?) = slot { queuedBytes -= Int64(bytes.count) }
        if head >= 1024, head * 2 >= slots.count {
            slots.removeFirst(head)
            head = 0
        }
        if readerWaits { condition.broadcast() }
        return try slot.get()
    }

    /// Stops reading ahead (the load is over or failed); the thread ends after its current file.
    func stop() {
        condition.lock()
        stopped = true
        slots.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        let reader = source.makeWholeFileReader()
        for index in 0..<count {
            let file = file(index)
            let slot: Result<[UInt8]?, Error>
            if file.size < 0 || file.size > maxFileBytes {
                slot = .success(nil)
            } else {
                slot = Result { try reader.contents(of: file) }
            }
            let size = Int64((try? slot.get())??.count ?? 0)
            condition.lock()
            // Always room for one file, so a file bigger than the budget cannot stall.
            while !stopped, head < slots.count, queuedBytes + size > budget {
                if consumerWaits { condition.broadcast() }
                readerWaits = true
                condition.wait()
                readerWaits = false
            }
            if stopped { condition.unlock(); return }
            slots.append(slot)
            queuedBytes += size
            // A sleeping consumer is woken for a batch, not for each file: a wake-up costs
            // about as much as reading a small file.
            let batchReady = slots.count - head >= 32 || queuedBytes * 2 >= budget || index == count - 1
            if consumerWaits, batchReady { condition.broadcast() }
            condition.unlock()
        }
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
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
