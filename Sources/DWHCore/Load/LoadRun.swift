import Foundation

/// What the threads of one load share: file ids, bad records against `--max-errors`,
/// counters for the progress line, and the first failure, which stops every thread.
final class LoadRun: @unchecked Sendable {
    // @unchecked Sendable: every var is read and written with `lock` held.
    private let lock = NSLock()
    private let maxErrors: Int
    private var nextFileID: Int
    private var failure: Error?
    private var stopped = false
    private var bad: [BadRecord] = []
    private var skippedEntries: [SkippedEntry] = []
    private var counters = Counters()
    /// Queues to wake when the run stops, so no thread sleeps on a full or empty one.
    private var queues: [ChunkQueue] = []

    struct Counters {
        var filesDone = 0
        var rows = 0
        var bytesRead: Int64 = 0
        var bytesSkipped: Int64 = 0
    }

    /// Thrown on a thread that finds the run stopped by another's failure.
    struct Stopped: Error {}

    init(maxErrors: Int, firstFileID: Int) {
        self.maxErrors = maxErrors
        nextFileID = firstFileID
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func allocateFileID() -> Int {
        locked {
            defer { nextFileID += 1 }
            return nextFileID
        }
    }

    /// Records a bad record; throws once there are more than `maxErrors`.
    func record(_ record: BadRecord) throws {
        try locked {
            bad.append(record)
            if bad.count > maxErrors {
                throw LoadError.tooManyErrors(count: bad.count, maxErrors: maxErrors, first: [record])
            }
        }
    }

    var badRecords: [BadRecord] { locked { bad } }

    /// Notes an entry of a source folder that is not loaded.
    func skip(_ entry: SkippedEntry) {
        locked { skippedEntries.append(entry) }
    }

    var skipped: [SkippedEntry] { locked { skippedEntries } }

    func fileDone(rows: Int, bytes: Int64) {
        locked {
            counters.filesDone += 1
            counters.rows += rows
            counters.bytesRead += bytes
        }
    }

    func fileSkipped(bytes: Int64) {
        locked {
            counters.filesDone += 1
            counters.bytesSkipped += bytes
        }
    }

    var snapshot: Counters { locked { counters } }

    func watch(_ queue: ChunkQueue) {
        locked { queues.append(queue) }
    }

    /// Stops every thread of the run; the first error given is the one the load reports.
    func stop(_ error: Error) {
        let queues: [ChunkQueue] = locked {
            stopped = true
            if failure == nil, !(error is Stopped) { failure = error }
            let watched = self.queues
            self.queues = []
            return watched
        }
        for queue in queues { queue.close() }
    }

    /// The error that stopped the run, if one did.
    var firstFailure: Error? { locked { failure } }

    /// Throws `Stopped` once the run has been stopped (failed elsewhere, or given up).
    func checkRunning() throws {
        if locked({ stopped }) { throw Stopped() }
    }
}

/// COPY rows passed from the thread that makes them to the one that sends them, at most
/// `limit` buffers waiting: memory stays flat when the server is the slower side. Buffers
/// change hands without their bytes being copied, and go back to be filled again.
final class ChunkQueue: @unchecked Sendable {
    // @unchecked Sendable: every var is read and written with `condition` locked; a buffer
    // belongs to one thread at a time (the maker until `put`, the taker until `recycle`).
    private let condition = NSCondition()
    private var chunks: [ByteBuffer] = []
    private var spare: [ByteBuffer] = []
    private var finished = false
    private var closed = false
    private var failure: Error?
    private let limit: Int

    init(limit: Int = 8) {
        self.limit = limit
    }

    /// Hands on the buffer's bytes (its storage moves to the queue; it comes back empty);
    /// waits while the queue is full. Throws `LoadRun.Stopped` once the queue is closed.
    func put(_ buffer: ByteBuffer) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= limit && !closed { condition.wait() }
        if closed { throw LoadRun.Stopped() }
        let chunk = spare.popLast() ?? ByteBuffer(capacity: buffer.capacity)
        chunk.swapStorage(with: buffer)
        chunks.append(chunk)
        condition.broadcast()
    }

    /// A buffer `take` gave out, sent and no longer needed.
    func recycle(_ chunk: ByteBuffer) {
        chunk.removeAll()
        condition.lock()
        if spare.count < limit { spare.append(chunk) }
        condition.unlock()
    }

    /// No more chunks: `failure` (if any) is thrown to the taker after what is queued.
    func finish(_ failure: Error? = nil) {
        condition.lock()
        finished = true
        self.failure = failure
        condition.broadcast()
        condition.unlock()
    }

    /// The taker is gone: wakes and stops the maker.
    func close() {
        condition.lock()
        closed = true
        chunks.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk (give it back with `recycle`), or nil at the end. Waits at most
    /// `timeout` seconds at a time, calling `waiting` between waits (for the progress line).
    func take(timeout: Double = 0.2, waiting: () -> Void = {}) throws -> ByteBuffer? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished && !closed {
            if !condition.wait(until: Date(timeIntervalSinceNow: timeout)) {
                condition.unlock()
                waiting()
                condition.lock()
            }
        }
        if closed { throw LoadRun.Stopped() }
        if chunks.isEmpty {
            if let failure { throw failure }
            return nil
        }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        return chunk
    }
}
