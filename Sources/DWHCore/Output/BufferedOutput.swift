import Foundation

/// Where rendered output goes: standard output, a file, the pager, or memory.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}

/// Bytes kept in memory: for rendering a small result to a String.
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Bytes on their way to a file descriptor, written in large blocks: results never go
/// out a row (or a FileHandle call) at a time.
public final class BufferedOutput: ByteSink {
    public let fileDescriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int

    public init(fileDescriptor: Int32, capacity: Int = 1 << 18) {
        self.fileDescriptor = fileDescriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// Standard output.
    public static func standardOutput() -> BufferedOutput { BufferedOutput(fileDescriptor: STDOUT_FILENO) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity { return try writeAll(bytes) }
        buffer.append(contentsOf: bytes)
    }

    /// Sends everything buffered to the file descriptor.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw OutputError.readerGone }
                throw OutputError.writeFailed(path: fileDescriptor == STDOUT_FILENO ? "standard output" : "output file",
                                              reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}
