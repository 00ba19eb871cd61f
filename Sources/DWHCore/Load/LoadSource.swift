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

/// Where raw files come from: the local file system or S3. The loader only lists and
/// reads, so any place that can do both slots in.
public protocol LoadSource: Sendable {
    /// The path or URL the user gave, for messages.
    var location: String { get }
    /// Calls `body` with every `*.json` file under the location, one at a time and in the
    /// byte order of their paths (what the manifest is merged in), holding no list of them.
    func forEachFile(_ body: (SourceFile) throws -> Void) throws
    /// Something that opens files one after another on the thread that made it; it may
    /// keep state from one file to the next (such as the open folder).
    func makeOpener() -> FileOpener
}

/// Opens a source's files, one at a time.
public protocol FileOpener: AnyObject {
    func open(_ file: SourceFile) throws -> ByteStream
}

extension LoadSource {
    /// Every file, in path order (for tools and tests; the loader streams instead).
    public func listFiles() throws -> [SourceFile] {
        var files: [SourceFile] = []
        try forEachFile { files.append($0) }
        return files
    }
}

/// A local folder (walked recursively for `*.json`) or a single file.
public struct LocalFileSource: LoadSource {
    public let location: String

    public init(path: String) {
        location = path
    }

    public func forEachFile(_ body: (SourceFile) throws -> Void) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else {
            throw LoadError.sourceMissing(path: location)
        }
        let root = URL(fileURLWithPath: location).standardizedFileURL.path
        guard isDirectory.boolValue else { return try body(try Self.describe(root)) }
        try Self.walk(root, body)
    }

    /// One folder entry worth keeping: a `*.json` regular file, or a folder to walk.
    private struct Entry {
        var name: String
        var info: stat
        /// Sorting by this puts whole paths in byte order: a folder's files follow its name
        /// and a `/`, so `B.json` (`.` is 0x2E) comes before everything in `B/` (0x2F).
        var key: [UInt8]

        init(name: String, info: stat) {
            self.name = name
            self.info = info
            key = Array(name.utf8)
            if isFolder { key.append(UInt8(ascii: "/")) }
        }

        var isFolder: Bool { (info.st_mode & S_IFMT) == S_IFDIR }
    }

    /// Every `*.json` regular file under `folder` in path byte order, one folder in memory
    /// at a time: readdir(3) and fstatat(2) relative to the open folder, no Foundation
    /// objects and no walk of the whole path per entry, which matters at a million files.
    static func walk(_ folder: String, _ body: (SourceFile) throws -> Void) throws {
        guard let directory = opendir(folder) else {
            throw LoadError.unreadable(path: folder, reason: String(cString: strerror(errno)))
        }
        var entries: [Entry] = []
        do {
            defer { closedir(directory) }
            let folderFD = dirfd(directory)
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name.hasPrefix(".") { continue }
                let type = Int32(entry.pointee.d_type)
                guard type == Int32(DT_DIR) || type == Int32(DT_REG) || type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) else { continue }
                if type == Int32(DT_REG), !name.hasSuffix(".json") { continue }
                var info = stat()
                guard fstatat(folderFD, name, &info, 0) == 0 else {
                    // A dangling link or a file gone since readdir: only a regular .json
                    // file that cannot be described is an error.
                    if type == Int32(DT_REG) { throw LoadError.unreadable(path: folder + "/" + name, reason: String(cString: strerror(errno))) }
                    continue
                }
                let kept = Entry(name: name, info: info)
                if kept.isFolder || (name.hasSuffix(".json") && (info.st_mode & S_IFMT) == S_IFREG) { entries.append(kept) }
            }
        }
        entries.sort { $0.key.lexicographicallyPrecedes($1.key) }
        for entry in entries {
            let path = folder + "/" + entry.name
            if entry.isFolder { try walk(path, body) } else { try body(describe(path, entry.info)) }
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

    public func makeOpener() -> FileOpener { LocalFileOpener() }
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
        return LocalFileStream(descriptor: descriptor, path: path)
    }
}

/// A file read with read(2): no mapping, no whole-file buffer. A read that fills less than
/// it asked for is taken as the end of the (regular) file, which saves the last read that
/// returns 0: for a small file, one read in all.
final class LocalFileStream: ByteStream {
    private let descriptor: Int32
    private let path: String
    private var atEnd = false

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
        if atEnd { return 0 }
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                atEnd = count < buffer.count
                return count
            }
            if errno != EINTR { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        }
    }
}
