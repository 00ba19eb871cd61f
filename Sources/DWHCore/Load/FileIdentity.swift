import Foundation

/// What a file is, as opposed to where it is: its size and the digest of its bytes (for
/// an S3 object, of its ETag, which S3 derives from the bytes). Two files with one identity
/// hold the same rows, so a file is loaded once per identity, whatever its path: a move is
/// not a new file, a copy is not loaded twice, and `touch` changes nothing.
struct FileIdentity: Hashable, Comparable {
    var size: Int64
    var digest: UInt64

    /// A local file's identity from the content hash the loader computes as it reads.
    init(size: Int64, contentHash: UInt64) {
        self.size = size
        digest = contentHash
    }

    /// An S3 object's identity, known from its listing without a GET.
    init(size: Int64, etag: String) {
        self.size = size
        var hasher = ContentHasher()
        var text = etag
        text.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
        digest = hasher.digest
    }

    /// The identity the manifest recorded for an entry; nil for a pipe's (which has none).
    init?(_ entry: ManifestEntry) {
        guard !entry.path.contains(" @ run ") else { return nil }
        if let etag = entry.etag {
            self.init(size: entry.size, etag: etag)
        } else if let hash = UInt64(entry.contentHash, radix: 16) {
            self.init(size: entry.size, contentHash: hash)
        } else {
            return nil
        }
    }

    static func < (lhs: FileIdentity, rhs: FileIdentity) -> Bool {
        (lhs.digest, lhs.size) < (rhs.digest, rhs.size)
    }
}

/// The manifest's file ids by identity, for one staging table: a sorted array searched by
/// halves (24 bytes an entry), so that a file found under a new path is known by its bytes.
struct IdentityIndex {
    private var keys: [(identity: FileIdentity, fileID: Int)] = []

    init(manifest: SpoolFile?, table: String) throws {
        guard let manifest else { return }
        var cursor = try ManifestCursor(spool: manifest)
        try cursor.forEach { add($0, table: table) }
        keys.sort { $0.identity < $1.identity }
    }

    /// An index of `entries` (for tests).
    init(_ entries: [ManifestEntry], table: String) {
        for entry in entries { add(entry, table: table) }
        keys.sort { $0.identity < $1.identity }
    }

    private mutating func add(_ entry: ManifestEntry, table: String) {
        guard entry.table == table, let identity = FileIdentity(entry) else { return }
        keys.append((identity, entry.fileID))
    }

    /// The ids of the files recorded with this identity (usually none, or one).
    func fileIDs(for identity: FileIdentity) -> [Int] {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle].identity < identity { low = middle + 1 } else { high = middle }
        }
        var found: [Int] = []
        while low < keys.count, keys[low].identity == identity {
            found.append(keys[low].fileID)
            low += 1
        }
        return found
    }
}

extension FileIdentity {
    /// A local file's identity from its bytes (read already, or read here once to hash
    /// them); nil for a pipe, whose bytes can be read only once.
    static func of(_ file: SourceFile, bytes: [UInt8]?, opener: FileOpener) throws -> FileIdentity? {
        var hasher = ContentHasher()
        if let bytes {
            bytes.withUnsafeBytes { hasher.update($0) }
            return FileIdentity(size: Int64(bytes.count), contentHash: hasher.digest)
        }
        guard file.size >= 0 else { return nil }
        let stream = try opener.open(file)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var size: Int64 = 0
        while true {
            let count = try stream.read(into: buffer)
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        return FileIdentity(size: size, contentHash: hasher.digest)
    }
}
