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
    /// Whether the file is read as Python's configparser reads it (dwh.cfg, which the
    /// Sparkify scripts read with one); the AWS CLI's own files are not.
    let configparser: Bool

    /// Parses the text (LF or CRLF, with or without a byte order mark). A line that is not a
    /// `[section]`, a `key = value`, a comment or blank is an error naming the file and
    /// line: a settings file that is misread would send dwh to another database.
    ///
    /// With `configparser` (the default), the file means what configparser makes of it or
    /// is refused with file:line (see `ConfigFile+Configparser.swift`): `[DEFAULT]` applies
    /// to every section, `%(name)s` and `%%` are interpolated; a key given twice, a value
    /// continued on an indented line, a double-quoted value, a key before any section and a
    /// known section in the wrong case are errors.
    public init(path: String, text: String, configparser: Bool = true) throws {
        self.path = path
        self.configparser = configparser
        crlf = TextLines.usesCRLF(text)
        var parsed: [Line] = []
        for (index, line) in TextLines.split(text).enumerated() {
            guard let meaning = ConfigFile.parse(line) else {
                if configparser, line.first == " " || line.first == "\t", parsed.contains(where: \.isEntry) {
                    throw ConfigError.notAsConfigparser(path: path, line: index + 1,
                                                        reason: Self.continuationReason)
                }
                throw ConfigError.badLine(path: path, line: index + 1, text: line)
            }
            parsed.append(meaning)
        }
        lines = parsed
        if lines.last == .other("") { lines.removeLast() }
        if configparser { try checkAsConfigparser() }
    }

    /// Reads the file; nil if it does not exist.
    public static func load(_ path: String, configparser: Bool = true) throws -> ConfigFile? {
        guard let data = FileManager.default.contents(atPath: path) else {
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            throw ConfigError.unreadable(path: path, reason: "permission denied or not a file")
        }
        return try ConfigFile(path: path, text: SourceText.decode(data, path: path), configparser: configparser)
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
        // 'value': the quotes delimit it, as they do where the Sparkify scripts paste it into
        // SQL or a libpq connection string. (A double-quoted value is refused in configparser mode.)
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

    /// The value of `key` in `section` (keys compared case-insensitively, as configparser
    /// does), else in `[DEFAULT]` when the section exists, with `%(name)s` and `%%`
    /// interpolated; the line is where the value is written.
    public func value(_ section: String, _ key: String) -> (value: String, line: Int)? {
        guard let found = rawValue(section, key) else { return nil }
        guard configparser else { return found }
        return ((try? interpolated(found.value, section: section, line: found.line)) ?? found.value, found.line)
    }

    /// Sets `key` in `section`: in place if present, else at the end of the section,
    /// else in a new section at the end of the file.
    public mutating func set(_ section: String, _ key: String, _ value: String) {
        // configparser would read a lone `%` as the start of an interpolation.
        let written = configparser ? value.replacingOccurrences(of: "%", with: "%%") : value
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
                    lines[index] = .entry(key: existing, value: written, raw: "\(existing) = \(written)")
                    return
                }
            default: break
            }
        }
        let entry = Line.entry(key: key, value: written, raw: "\(key) = \(written)")
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

    /// Writes the file atomically through `AtomicFile`: its permission bits and owner kept
    /// (0600 for a new file, as it holds passwords), a symbolic link written through.
    public func save() throws {
        do {
            try AtomicFile.write(path, mode: 0o600) { try $0.write(text) }
        } catch OutputError.cannotCreate(_, let reason) {
            throw ConfigError.cannotSave(path: path, reason: "cannot create it: \(reason)")
        } catch OutputError.writeFailed(_, let reason) {
            throw ConfigError.cannotSave(path: path, reason: reason)
        }
    }
}
