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
    /// Something that reads whole small files one after another (what `FilePrefetcher`
    /// reads ahead with, on its own thread); it may keep state from one file to the next.
    func makeWholeFileReader() -> WholeFileReader
}

/// Reads whole files, one at a time, on the thread that made it.
public protocol WholeFileReader: AnyObject {
    func contents(of file: SourceFile) throws -> [UInt8]
}

extension LoadSource {
    public func makeWholeFileReader() -> WholeFileReader { StreamingWholeFileReader(source: self) }
}

/// Any source's files, read whole through its streams.
final class StreamingWholeFileReader: WholeFileReader {
    let source: LoadSource

    init(source: LoadSource) {
        self.source = source
    }

    func contents(of file: SourceFile) throws -> [UInt8] {
        let stream = try source.open(file)
        var bytes = [UInt8](repeating: 0, count: Int(max(file.size, 0)) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let read = try bytes.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...])) }
            if read == 0 { break }
            count += read
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
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

    /// Every `*.json` regular file under `folder`, with readdir(3) and fstatat(2) relative
    /// to the open folder: no Foundation objects and no walk of the whole path per entry,
    /// which matters at a hundred thousand song files.
    static func walk(_ folder: String, into files: inout [SourceFile]) throws {
        guard let directory = opendir(folder) else {
            throw LoadError.unreadable(path: folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        let folderFD = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name.hasPrefix(".") { continue }
            let path = folder + "/" + name
            let type = Int32(entry.pointee.d_type)
            if type == Int32(DT_DIR) { try walk(path, into: &files); continue }
            guard type == Int32(DT_REG) || type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) else { continue }
            if type == Int32(DT_REG), !name.hasSuffix(".json") { continue }
            var info = stat()
            guard fstatat(folderFD, name, &info, 0) == 0 else {
                // A dangling link or a file gone since readdir: as before, only a regular
                // .json file that cannot be described is an error.
                if type == Int32(DT_REG) { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR { try walk(path, into: &files) }
            else if name.hasSuffix(".json"), (info.st_mode & S_IFMT) == S_IFREG { files.append(describe(path, info)) }
        }
    }

    /// Size and modification time (size -1 for anything but a regular file).
    static func describe(_ path: String) throws -> SourceFile {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        return describe(path, info)
    }

    static func describe(_ path: String, _ info: stat) -> SourceFile {
        let isRegular = (info.st_mode & S_IFMT) == S_IFREG
        let micros = Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1_000
        return SourceFile(path: path, size: isRegular ? Int64(info.st_size) : -1, modifiedMicros: micros)
    }

    public func open(_ file: SourceFile) throws -> ByteStream {
        try LocalFileStream(path: file.path)
    }

    public func makeWholeFileReader() -> WholeFileReader { LocalWholeFileReader() }
}

/// Local files read whole with openat(2) relative to their folder, kept open while the
/// files (listed in path order) stay in it: no walk of the whole path per file. One read
/// of the listed size plus a byte: a short read of a regular file is its end, so the usual
/// second read that returns 0 is saved (a file that grew is read on).
final class LocalWholeFileReader: WholeFileReader {
    private var folder = ""
    private var folderFD: Int32 = -1

    deinit { if folderFD >= 0 { close(folderFD) } }

    func contents(of file: SourceFile) throws -> [UInt8] {
        let slash = file.path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(file.path[..<$0]) } ?? "."
        if folder != self.folder || folderFD < 0 {
            if folderFD >= 0 { close(folderFD) }
            self.folder = folder
            folderFD = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY)
        }
        let name = slash.map { String(file.path[file.path.index(after: $0)...]) } ?? file.path
        let descriptor = folderFD >= 0 ? openat(folderFD, name, O_RDONLY) : open(file.path, O_RDONLY)
        guard descriptor >= 0 else { throw LoadError.unreadable(path: file.path, reason: String(cString: strerror(errno))) }
        let stream = LocalFileStream(descriptor: descriptor, path: file.path)
        var bytes = [UInt8](repeating: 0, count: Int(max(file.size, 0)) + 1)
        var count = 0
        while true {
            let read = try bytes.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...])) }
            count += read
            if read == 0 || count < bytes.count { break }
            bytes.append(contentsOf: repeatElement(0, count: bytes.count))
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

/// A file read with read(2): no mapping, no whole-file buffer.
final class LocalFileStream: ByteStream {
    private let descriptor: Int32
    private let path: String

    convenience init(path: String) throws {
        let descriptor = Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.init(descriptor: descriptor, path: path)
    }

    /// Takes ownership of an open descriptor.
    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
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
