import Foundation

/// A growable byte buffer for output built on the hot path (COPY rows, generated files):
/// appends are a bounds check and a copy, never a String.
final class ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 1 << 20) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    @inline(__always)
    func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        memory.update(from: base, count: count)
        base.deallocate()
        base = memory
        capacity = grown
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let start = bytes.baseAddress { (base + count).update(from: start, count: bytes.count) }
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends `value` in network byte order (binary COPY).
    @inline(__always)
    func append<T: FixedWidthInteger>(bigEndian value: T) {
        reserve(MemoryLayout<T>.size)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.bigEndian, as: T.self)
        count += MemoryLayout<T>.size
    }

    /// Appends the decimal digits of `value`.
    func append(decimal value: Int) {
        reserve(20)
        var magnitude = value.magnitude
        if value < 0 { base[count] = UInt8(ascii: "-"); count += 1 }
        var digits = 1, probe = magnitude
        while probe >= 10 { probe /= 10; digits += 1 }
        for index in stride(from: digits - 1, through: 0, by: -1) {
            base[count + index] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
            magnitude /= 10
        }
        count += digits
    }

    func removeAll() { count = 0 }

    /// Trades contents with `other`: bytes change owner without a copy. (Plain assignments:
    /// `swap(&base, &other.base)` would make every access to these properties pay for a
    /// dynamic exclusivity check, on the hot path.)
    func swapStorage(with other: ByteBuffer) {
        let saved = (base: base, capacity: capacity, count: count)
        base = other.base
        capacity = other.capacity
        count = other.count
        other.base = saved.base
        other.capacity = saved.capacity
        other.count = saved.count
    }

    /// Writes everything to `descriptor` and empties the buffer.
    func drain(to descriptor: Int32) throws {
        var offset = 0
        while offset < count {
            let written = Foundation.write(descriptor, base + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            offset += written
        }
        count = 0
    }
}
