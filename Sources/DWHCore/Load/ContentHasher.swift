/// A fast 64-bit hash of a file's bytes, fed in pieces as the file streams by, so the
/// manifest can record what was loaded without a second read. It tells changed files
/// apart; it is not a cryptographic digest. (Four multiply-rotate lanes over 32-byte
/// stripes, the construction xxHash64 uses.)
struct ContentHasher {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (p1 &+ p2, p2, 0, 0 &- p1)
    private var pending: [UInt8] = []
    private var total: UInt64 = 0

    @inline(__always)
    private static func round(_ lane: UInt64, _ input: UInt64) -> UInt64 {
        let mixed = lane &+ input &* p2
        return ((mixed << 31) | (mixed >> 33)) &* p1
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        total &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(32 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            offset = take
            guard pending.count == 32 else { return }
            pending.withUnsafeBytes { stripe($0.baseAddress!) }
            pending.removeAll(keepingCapacity: true)
        }
        guard let start = bytes.baseAddress else { return }
        while offset + 32 <= bytes.count {
            stripe(start + offset)
            offset += 32
        }
        pending.append(contentsOf: bytes[offset...])
    }

    @inline(__always)
    private mutating func stripe(_ p: UnsafeRawPointer) {
        lanes.0 = Self.round(lanes.0, p.loadUnaligned(as: UInt64.self))
        lanes.1 = Self.round(lanes.1, p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        lanes.2 = Self.round(lanes.2, p.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        lanes.3 = Self.round(lanes.3, p.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// A digest as 16 hex digits, as the manifest stores it.
    static func hex(_ digest: UInt64) -> String {
        let hex = String(digest, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The digest of everything fed so far.
    var digest: UInt64 {
        var hash = Self.rotate(lanes.0, 1) &+ Self.rotate(lanes.1, 7) &+ Self.rotate(lanes.2, 12) &+ Self.rotate(lanes.3, 18)
        hash ^= total
        for byte in pending {
            hash ^= UInt64(byte) &* Self.p3
            hash = Self.rotate(hash, 11) &* Self.p1
        }
        hash ^= hash >> 33; hash &*= Self.p2
        hash ^= hash >> 29; hash &*= Self.p3
        hash ^= hash >> 32
        return hash
    }

    private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 { (value << bits) | (value >> (64 - bits)) }
}
