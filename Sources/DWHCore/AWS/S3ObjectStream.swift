import Foundation

/// An S3 object read like a file: GetObject runs on a thread of its own and hands its chunks
/// over through a bounded buffer, so a reader pulls at its own pace and memory stays at
/// about `bufferLimit` whatever the object's size.
public final class S3ObjectStream {
    private let channel: Channel
    private var current: [UInt8] = []
    private var offset = 0

    /// Starts the download. Each stream has its own client: a libcurl handle serves one thread.
    /// `log` receives its request lines (`AWSClient`'s log), from the download thread.
    public init(settings: AWSSettings, location: S3Location, bufferLimit: Int = 4 << 20,
                log: (@Sendable (String) -> Void)? = nil) {
        let channel = Channel(limit: bufferLimit)
        self.channel = channel
        let thread = Thread {
            do {
                let client = try AWSClient(settings: settings, log: log)
                try client.getObject(location) { try channel.put(Array($0)) }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        channel.cancel()
    }

    /// Copies the next bytes into `buffer`; 0 at the end; throws what GetObject failed with.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset == current.count {
            guard let next = try channel.take() else { return 0 }
            current = next
            offset = 0
        }
        let count = min(buffer.count, current.count - offset)
        current.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

/// The hand-over between the download thread and the reader.
private final class Channel: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var buffered = 0
    private var finished = false
    private var cancelled = false
    private var failure: Error?
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Called by the download: waits while the buffer is full; throws once the reader is gone.
    func put(_ chunk: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        while buffered >= limit && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        chunks.append(chunk)
        buffered += chunk.count
        condition.broadcast()
    }

    func finish(_ error: Error?) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        if !cancelled { failure = error }
        condition.broadcast()
    }

    /// The next chunk, nil at the end; waits for the download.
    func take() throws -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        guard !chunks.isEmpty else {
            if let failure { throw failure }
            return nil
        }
        let chunk = chunks.removeFirst()
        buffered -= chunk.count
        condition.broadcast()
        return chunk
    }

    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }
}
