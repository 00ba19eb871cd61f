import Foundation

/// How a local folder is walked: its `*.json` files in path byte order, and what is passed
/// over (hidden files, links, gzip files, special files), said with a reason.
extension LocalFileSource {
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
    static func walk(_ folder: String, skipped: (SkippedEntry) -> Void, _ body: (SourceFile) throws -> Void) throws {
        for entry in try entries(of: folder, skipped: skipped) {
            let path = folder + "/" + entry.name
            if entry.isFolder { try walk(path, skipped: skipped, body) } else { try body(describe(path, entry.info)) }
        }
    }

    /// The folders and `*.json` files directly in `folder`, sorted; the folder is closed
    /// again before the walk goes into any of them.
    private static func entries(of folder: String, skipped: (SkippedEntry) -> Void) throws -> [Entry] {
        guard let directory = opendir(folder) else {
            throw LoadError.unreadable(path: folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        let folderFD = dirfd(directory)
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if let kept = try keep(bytes, type: Int32(entry.pointee.d_type), in: folderFD, of: folder, skipped: skipped) {
                entries.append(kept)
            }
        }
        entries.sort { $0.key.lexicographicallyPrecedes($1.key) }
        return entries
    }

    /// The entry named `bytes` when it is a folder or a `*.json` regular file; nil for
    /// anything else, which `skipped` is told about when it looks like data.
    private static func keep(_ bytes: [UInt8], type: Int32, in folderFD: Int32, of folder: String,
                             skipped: (SkippedEntry) -> Void) throws -> Entry? {
        let looksLikeData = bytes.count > 5 && bytes.suffix(5).elementsEqual(".json".utf8)
        if bytes.first == UInt8(ascii: ".") {
            // Hidden folders (.git) are not data; a hidden .json file is said to be skipped.
            if looksLikeData {
                skipped(SkippedEntry(path: folder + "/" + String(decoding: bytes, as: UTF8.self),
                                     reason: "a hidden file (its name starts with a dot); not loaded"))
            }
            return nil
        }
        if type == Int32(DT_REG), !looksLikeData {
            if bytes.count > 8, bytes.suffix(8).elementsEqual(".json.gz".utf8) {
                skipped(SkippedEntry(path: folder + "/" + String(decoding: bytes, as: UTF8.self), reason: gzipReason))
            }
            return nil
        }
        // Paths are Swift strings: a name that is not UTF-8 cannot be opened again.
        guard let name = String(validating: bytes, as: UTF8.self) else {
            try refuseNonUTF8(bytes, type: type, looksLikeData: looksLikeData, in: folderFD, of: folder)
            return nil
        }
        var info = stat()
        guard fstatat(folderFD, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            // Gone since readdir: only a .json file is worth an error.
            if looksLikeData { throw LoadError.unreadable(path: folder + "/" + name, reason: String(cString: strerror(errno))) }
            return nil
        }
        let kept = Entry(name: name, info: info)
        let kind = info.st_mode & S_IFMT
        if kept.isFolder || (looksLikeData && kind == S_IFREG) { return kept }
        if kind == S_IFLNK {
            skipped(SkippedEntry(path: folder + "/" + name, reason: linkReason(folderFD, name)))
        } else if looksLikeData {
            skipped(SkippedEntry(path: folder + "/" + name, reason: "not a regular file (\(kindName(kind))); not loaded"))
        }
        return nil
    }

    /// A `*.json` file or a folder whose name is not UTF-8 stops the walk, asking for a
    /// rename; any other such entry is passed over.
    private static func refuseNonUTF8(_ bytes: [UInt8], type: Int32, looksLikeData: Bool, in folderFD: Int32,
                                      of folder: String) throws {
        var type = type
        if type == Int32(DT_UNKNOWN) {
            var info = stat()
            let found = (bytes + [0]).withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { fstatat(folderFD, $0.baseAddress!, &info, AT_SYMLINK_NOFOLLOW) }
            }
            if found == 0 && (info.st_mode & S_IFMT) == S_IFDIR { type = Int32(DT_DIR) }
        }
        guard looksLikeData || type == Int32(DT_DIR) else { return }
        throw LoadError.unreadable(path: folder + "/" + String(decoding: bytes, as: UTF8.self),
                                   reason: "the name is not UTF-8; rename it")
    }

    /// Why a `*.json.gz` file is not loaded.
    static let gzipReason = "gzip-compressed JSON, which dwh does not read; decompress it (gunzip -k) to load it"

    /// Why a symbolic link in a folder is not followed, naming where it points.
    private static func linkReason(_ folderFD: Int32, _ name: String) -> String {
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(folderFD, name, &target, Int(PATH_MAX))
        let destination = count >= 0 ? String(decoding: target.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        var info = stat()
        guard fstatat(folderFD, name, &info, 0) == 0 else {
            return "a symbolic link to \(destination), which does not exist; not loaded"
        }
        return "a symbolic link to \(destination); links are not followed, so that a file is loaded under one path: "
            + "load the target itself"
    }

    private static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "a special file"
        }
    }
}
