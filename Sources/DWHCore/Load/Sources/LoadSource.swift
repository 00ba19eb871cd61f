import Foundation

/// One file a source offers: its place (a path or URL), size and modification time (and,
/// for S3 objects, the ETag). What it is, is its bytes (`FileIdentity`).
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

}

/// An entry of a source folder that is not loaded, and why: said, never skipped silently.
public struct SkippedEntry: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Bytes read in order; `read` returns 0 at the end.
public protocol ByteStream: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Where raw files come from: the local file system or S3. The loader only lists and
/// reads, so any place that can do both slots in.
public protocol LoadSource: Sendable {
    /// The path or URL the user gave, for messages.
    var location: String { get }
    /// Calls `body` with every `*.json` file under the location, one at a time and in the
    /// byte order of their paths (what the manifest is merged in), holding no list of them;
    /// `skipped` with each entry that looks like one but is not loaded.
    func forEachFile(skipped: (SkippedEntry) -> Void, _ body: (SourceFile) throws -> Void) throws
    /// Something that opens files one after another on the thread that made it; it may
    /// keep state from one file to the next (such as the open folder).
    func makeOpener() -> FileOpener
    /// The recorded paths this source owns (a recorded file under it that the walk does not
    /// find is gone from it): a folder's path, or the file itself; nil for none.
    var manifestRoot: String? { get }
}

/// Opens a source's files, one at a time.
public protocol FileOpener: AnyObject {
    func open(_ file: SourceFile) throws -> ByteStream
}

extension LoadSource {
    /// Every file, ignoring what is skipped (for counts and tools; the loader reports it).
    public func forEachFile(_ body: (SourceFile) throws -> Void) throws {
        try forEachFile(skipped: { _ in }, body)
    }

    /// Every file, in path order (for tools and tests; the loader streams instead).
    public func listFiles() throws -> [SourceFile] {
        var files: [SourceFile] = []
        try forEachFile { files.append($0) }
        return files
    }
}

/// A local folder (walked recursively for `*.json`) or a single file.
///
/// Each file has one path, so that it is loaded once whichever way it was reached: the
/// location is resolved to its real path, and symbolic links inside a folder are not
/// followed (each is reported, as are FIFOs, sockets and devices named `*.json`). A single
/// file that is a pipe, a FIFO or a device (`--events <(zcat day.json.gz)`) is read to its
/// end; having no size or time to compare, it is loaded every time it is given.
public struct LocalFileSource: LoadSource {
    public let location: String

    public init(path: String) {
        location = path
    }

    /// The location with every link resolved, and what it is.
    func resolved() throws -> (path: String, info: stat) {
        var info = stat()
        guard stat(location, &info) == 0 else {
            if errno == ENOENT { throw LoadError.sourceMissing(path: location) }
            throw LoadError.unreadable(path: location, reason: String(cString: strerror(errno)))
        }
        // A pipe's path (/dev/fd/63) names no file to resolve.
        guard (info.st_mode & S_IFMT) == S_IFREG || (info.st_mode & S_IFMT) == S_IFDIR,
              let real = realpath(location, nil) else { return (location, info) }
        defer { free(real) }
        return (String(cString: real), info)
    }

    public func forEachFile(skipped: (SkippedEntry) -> Void, _ body: (SourceFile) throws -> Void) throws {
        let (root, info) = try resolved()
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return try body(Self.describe(root, info)) }
        try Self.walk(root, skipped: skipped, body)
    }

    static func describe(_ path: String, _ info: stat) -> SourceFile {
        let isRegular = (info.st_mode & S_IFMT) == S_IFREG
        let micros = Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1_000
        return SourceFile(path: path, size: isRegular ? Int64(info.st_size) : -1, modifiedMicros: micros)
    }

    public func makeOpener() -> FileOpener { LocalFileOpener() }

    /// The real path of the folder or file; nil for a pipe, which owns no recorded path.
    public var manifestRoot: String? {
        guard let (path, info) = try? resolved(), (info.st_mode & S_IFMT) == S_IFREG || (info.st_mode & S_IFMT) == S_IFDIR
        else { return nil }
        return path
    }
}

/// Opens local files with openat(2) relative to their folder, kept open while the files
/// (which come in path order) stay in it: no walk of the whole path per file.
final class LocalFileOpener: FileOpener {
    private var folder = ""
    private var folderFD: Int32 = -1

    deinit { if folderFD >= 0 { close(folderFD) } }

    func open(_ file: SourceFile) throws -> ByteStream {
        let path = file.path
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(path[..<$0]) } ?? "."
        if folder != self.folder || folderFD < 0 {
            if folderFD >= 0 { close(folderFD) }
            self.folder = folder
            folderFD = Foundation.open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY)
        }
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let descriptor = folderFD >= 0 ? openat(folderFD, name, O_RDONLY) : Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        return LocalFileStream(descriptor: descriptor, path: path, size: file.size)
    }
}

/// A file read with read(2): no mapping, no whole-file buffer. For a regular file, a read
/// that fills less than it asked for once the listed size is read is its end, which saves
/// the last read that returns 0: for a small file, one read in all. Anything else (a pipe
/// or FIFO delivers what its writer has written so far; a network file system may return
/// less than it has) ends only at a read of 0 bytes.
final class LocalFileStream: ByteStream {
    private let descriptor: Int32
    private let path: String
    /// The size the walk listed; -1 for a pipe, FIFO or device.
    private let size: Int64
    private var total: Int64 = 0
    private var atEnd = false

    /// Takes ownership of an open descriptor.
    init(descriptor: Int32, path: String, size: Int64) {
        self.descriptor = descriptor
        self.path = path
        self.size = size
    }

    deinit { close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if atEnd { return 0 }
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                total += Int64(count)
                atEnd = count == 0 || (size >= 0 && count < buffer.count && total >= size)
                return count
            }
            if errno != EINTR { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        }
    }
}
