import Foundation

/// One file a source offers: its identity (a path or URL), size and modification time
/// (and, for S3 objects, the ETag), which together decide whether the manifest holds it.
public struct SourceFile: Equatable, Sendable {
    public var path: String
    public var size: Int64
    /// Microseconds since the Unix epoch.
    public var modifiedMicros: Int64
    /// S3's entity tag without quotes; nil for local files.
    public var etag: String?

    public init(path: String, size: Int64, modifiedMicros: Int64, etag: String? = nil) {
        self.path = path
        self.size = size
        self.modifiedMicros = modifiedMicros
        self.etag = etag
    }

    /// Whether this file is the one the manifest recorded: by ETag when both have one (an
    /// object uploaded again with the same bytes keeps it), else by size and modification time.
    func isUnchanged(since entry: ManifestEntry) -> Bool {
        if let etag, let recorded = entry.etag { return etag == recorded && size == entry.size }
        return size == entry.size && modifiedMicros == entry.modifiedMicros
    }
}

/// Bytes read in order; `read` returns 0 at the end.
public protocol ByteStream: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Where raw files come from: the local file system now, S3 later. The loader only lists
/// and reads, so any place that can do both slots in.
public protocol LoadSource: Sendable {
    /// The path or URL the user gave, for messages.
    var location: String { get }
    /// Every `*.json` file under the location, sorted by path.
    func listFiles() throws -> [SourceFile]
    func open(_ file: SourceFile) throws -> ByteStream
}

/// A local folder (walked recursively for `*.json`) or a single file.
public struct LocalFileSource: LoadSource {
    public let location: String

    public init(path: String) {
        location = path
    }

    public func listFiles() throws -> [SourceFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else {
            throw LoadError.sourceMissing(path: location)
        }
        let root = URL(fileURLWithPath: location).standardizedFileURL.path
        guard isDirectory.boolValue else { return [try Self.describe(root)] }
        var files: [SourceFile] = []
        try Self.walk(root, into: &files)
        return files.sorted { $0.path < $1.path }
    }

    /// Every `*.json` regular file under `folder`, with readdir(3): no Foundation objects
    /// per entry, which matters at a hundred thousand song files.
    static func walk(_ folder: String, into files: inout [SourceFile]) throws {
        guard let directory = opendir(folder) else {
            throw LoadError.unreadable(path: folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name.hasPrefix(".") { continue }
            let path = folder + "/" + name
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): try walk(path, into: &files)
            case Int32(DT_REG) where name.hasSuffix(".json"): files.append(try describe(path))
            case Int32(DT_UNKNOWN), Int32(DT_LNK):
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR { try walk(path, into: &files) }
                else if name.hasSuffix(".json"), (info.st_mode & S_IFMT) == S_IFREG { files.append(try describe(path)) }
            default: continue
            }
        }
    }

    /// Size and modification time (size -1 for anything but a regular file).
    static func describe(_ path: String) throws -> SourceFile {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let isRegular = (info.st_mode & S_IFMT) == S_IFREG
        let micros = Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1_000
        return SourceFile(path: path, size: isRegular ? Int64(info.st_size) : -1, modifiedMicros: micros)
    }

    public func open(_ file: SourceFile) throws -> ByteStream {
        try LocalFileStream(path: file.path)
    }
}

/// A file read with read(2): no mapping, no whole-file buffer.
final class LocalFileStream: ByteStream {
    private let descriptor: Int32
    private let path: String

    init(path: String) throws {
        self.path = path
        descriptor = Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit { close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        }
    }
}
