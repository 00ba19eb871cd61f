import Foundation

/// The one way dwh reads a text file it interprets (migrations, saved queries, report
/// definitions, dwh.cfg, files given to `\i`): strictly as UTF-8, so that a file in
/// another encoding is an error naming the file and line, never text with U+FFFD in
/// place of what was there. Folders are listed from the bytes of their entries, so a
/// name that is not UTF-8 is named in the error rather than lost.
public enum SourceText {
    /// The file's text; `display` is the path errors print.
    public static func read(_ path: String, display: String? = nil) throws -> String {
        let shown = display ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw SourceTextError.unreadable(path: shown, reason: !exists ? "no such file"
                : isDirectory.boolValue ? "it is a folder" : String(cString: strerror(EACCES)))
        }
        return try decode(data, path: shown)
    }

    /// `data` as UTF-8 text, or an error naming the first line that is not.
    public static func decode(_ data: Data, path: String) throws -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var line = 1
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            if String(validating: data[start..<end], as: UTF8.self) == nil {
                let offset = firstInvalidByte(in: data[start..<end])
                throw SourceTextError.notUTF8(path: path, line: line, column: offset + 1)
            }
            line += 1
            start = end < data.endIndex ? data.index(after: end) : end
        }
        throw SourceTextError.notUTF8(path: path, line: line, column: 1)
    }

    /// The names in `folder`, each checked to be UTF-8; `display` is the folder errors print.
    public static func names(in folder: String, display: String? = nil) throws -> [String] {
        guard let directory = opendir(folder) else {
            throw SourceTextError.unreadable(path: display ?? folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                throw SourceTextError.badFileName(folder: display ?? folder, shown: shown(bytes))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Bytes of a name that is not UTF-8, with every byte outside printable ASCII as `\xHH`.
    static func shown(_ bytes: [UInt8]) -> String {
        bytes.map { (0x20..<0x7F).contains($0) && $0 != UInt8(ascii: "\\") ? String(UnicodeScalar($0))
            : "\\x" + (($0 < 16) ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
    }

    /// The 0-based offset of the first byte where `bytes` stops being UTF-8.
    static func firstInvalidByte(in bytes: Data) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            offset += UTF8.width(scalar)
        }
        return offset
    }
}
