import Foundation

/// A `dwh.cfg` in the classic Sparkify INI form, kept line by line so that it can be
/// rewritten (by `dwh cluster up`) with its comments, order and permissions intact.
public struct ConfigFile: Sendable, Equatable {
    public enum Line: Sendable, Equatable {
        case section(name: String, raw: String)
        case entry(key: String, value: String, raw: String)
        /// Comments, blank lines and anything else kept as it is.
        case other(String)
    }

    public var path: String
    public var lines: [Line]
    /// Whether the file ends its lines with CRLF, which a rewrite keeps.
    var crlf = false

    /// Parses the text (LF or CRLF, with or without a byte order mark). A line that is not a
    /// `[section]`, a `key = value`, a comment or blank is an error naming the file and
    /// line: a settings file that is misread would send dwh to another database.
    public init(path: String, text: String) throws {
        self.path = path
        crlf = TextLines.usesCRLF(text)
        lines = try TextLines.split(text).enumerated().map { index, line in
            guard let parsed = ConfigFile.parse(line) else {
                throw ConfigError.badLine(path: path, line: index + 1, text: line)
            }
            return parsed
        }
        if lines.last == .other("") { lines.removeLast() }
    }

    /// Reads the file; nil if it does not exist.
    public static func load(_ path: String) throws -> ConfigFile? {
        guard let data = FileManager.default.contents(atPath: path) else {
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            throw ConfigError.unreadable(path: path, reason: "permission denied or not a file")
        }
        return try ConfigFile(path: path, text: SourceText.decode(data, path: path))
    }

    /// The line's meaning; nil for a line that has none.
    static func parse(_ line: String) -> Line? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("[") {
            guard trimmed.hasSuffix("]"), trimmed.count > 2 else { return nil }
            return .section(name: String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces), raw: line)
        }
        if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { return .other(line) }
        guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }),
              !trimmed[..<separator].trimmingCharacters(in: .whitespaces).isEmpty,
              !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" })
        else { return nil }
        let key = trimmed[..<separator].trimmingCharacters(in: .whitespaces)
        var value = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return .entry(key: key, value: value, raw: line)
    }

    /// Every entry as (section, key, value, 1-based line number).
    public var entries: [(section: String, key: String, value: String, line: Int)] {
        var section = ""
        var result: [(section: String, key: String, value: String, line: Int)] = []
        for (index, line) in lines.enumerated() {
            switch line {
            case .section(let name, _): section = name
            case .entry(let key, let value, _): result.append((section, key, value, index + 1))
            case .other: break
            }
        }
        return result
    }

    /// The value of `key` in `section`, compared case-insensitively as configparser does.
    public func value(_ section: String, _ key: String) -> (value: String, line: Int)? {
        entries.last { $0.section.caseInsensitiveCompare(section) == .orderedSame
            && $0.key.caseInsensitiveCompare(key) == .orderedSame }
            .map { ($0.value, $0.line) }
    }

    /// Sets `key` in `section`: in place if present, else at the end of the section,
    /// else in a new section at the end of the file.
    public mutating func set(_ section: String, _ key: String, _ value: String) {
        var current = ""
        var lastLineOfSection: Int?
        for (index, line) in lines.enumerated() {
            switch line {
            case .section(let name, _):
                current = name
                if name.caseInsensitiveCompare(section) == .orderedSame { lastLineOfSection = index }
            case .entry(let existing, _, _) where current.caseInsensitiveCompare(section) == .orderedSame:
                lastLineOfSection = index
                if existing.caseInsensitiveCompare(key) == .orderedSame {
                    lines[index] = .entry(key: existing, value: value, raw: "\(existing) = \(value)")
                    return
                }
            default: break
            }
        }
        let entry = Line.entry(key: key, value: value, raw: "\(key) = \(value)")
        if let lastLineOfSection {
            lines.insert(entry, at: lastLineOfSection + 1)
        } else {
            if let last = lines.last, last != .other("") { lines.append(.other("")) }
            lines.append(.section(name: section, raw: "[\(section)]"))
            lines.append(entry)
        }
    }

    public var text: String {
        lines.map { line in
            switch line {
            case .section(_, let raw), .entry(_, _, let raw), .other(let raw): raw
            }
        }.joined(separator: crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n")
    }

    /// Writes the file atomically, keeping its permission bits (0600 for a new file).
    public func save() throws {
        let manager = FileManager.default
        let mode = (try? manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o600
        let temporary = path + ".dwh-\(getpid()).tmp"
        guard manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw ConfigError.cannotSave(path: path, reason: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(atPath: temporary)
            throw ConfigError.cannotSave(path: path, reason: reason)
        }
    }
}
