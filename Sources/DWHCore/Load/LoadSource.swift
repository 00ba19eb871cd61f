import Foundation

/// One file a source offers: its identity (a path or URL), size and modification time,
/// which together decide whether the manifest already holds it.
public struct SourceFile: Equatable, Sendable {
    public var path: String
    public var size: Int64
    /// Microseconds since the Unix epoch.
    public var modifiedMicros: Int64

    public init(path: String, size: Int64, modifiedMicros: Int64) {
        self.path = path
        self.size = size
        self.modifiedMicros = modifiedMicros
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
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw LoadError.unreadable(path: location, reason: "cannot list the folder")
        }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".json") { paths.append(root + "/" + relative) }
        }
        return try paths.sorted().compactMap { path in
            let file = try Self.describe(path)
            return file.size >= 0 ? file : nil
        }
    }

    /// Size and modification time; a folder named `*.json` gets size -1 and is left out.
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
