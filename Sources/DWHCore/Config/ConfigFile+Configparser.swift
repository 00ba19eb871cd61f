import Foundation

// dwh.cfg as Python's configparser reads it (ConfigParser() with its defaults: strict,
// BasicInterpolation, keys folded to lower case, section names as written), since the
// Sparkify scripts read the same file with one. What dwh cannot mean the same way is
// refused with file:line; nothing is read differently in silence.

extension ConfigFile.Line {
    var isEntry: Bool {
        if case .entry = self { true } else { false }
    }
}

extension ConfigFile {
    static let continuationReason = "an indented line continues the value above it for configparser "
        + "(its value would run over several lines); dwh takes one line per value: unindent it, or join it to the line above"

    /// The value as written (no interpolation), from `section` or else `[DEFAULT]`.
    func rawValue(_ section: String, _ key: String) -> (value: String, line: Int)? {
        let all = entries
        func find(_ name: String) -> (value: String, line: Int)? {
            all.last { $0.section.caseInsensitiveCompare(name) == .orderedSame && $0.key.caseInsensitiveCompare(key) == .orderedSame }
                .map { ($0.value, $0.line) }
        }
        if let found = find(section) { return found }
        guard configparser, section != "DEFAULT", hasSection(section) else { return nil }
        return find("DEFAULT")
    }

    func hasSection(_ name: String) -> Bool {
        lines.contains { if case .section(let found, _) = $0 { found.caseInsensitiveCompare(name) == .orderedSame } else { false } }
    }

    /// `%(name)s` replaced by the value of `name` in the same section or `[DEFAULT]`, and
    /// `%%` by `%`, as configparser's BasicInterpolation does (at most 10 levels deep).
    func interpolated(_ value: String, section: String, line: Int, depth: Int = 0) throws -> String {
        guard value.contains("%") else { return value }
        guard depth < 10 else {
            throw ConfigError.notAsConfigparser(path: path, line: line, reason: "`%(…)s` references nest more than 10 deep (a loop?)")
        }
        var result = ""
        var rest = Substring(value)
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            rest = rest[rest.index(after: percent)...]
            if rest.first == "%" {
                result += "%"
                rest = rest.dropFirst()
                continue
            }
            guard rest.first == "(", let close = rest.firstIndex(of: ")"), rest[rest.index(after: close)...].first == "s" else {
                throw ConfigError.notAsConfigparser(path: path, line: line,
                                                    reason: "a `%` starts an interpolation for configparser: write `%%` for a percent sign, or `%(key)s`")
            }
            let name = String(rest[rest.index(after: rest.startIndex)..<close])
            guard let found = rawValue(section, name) else {
                throw ConfigError.notAsConfigparser(path: path, line: line,
                                                    reason: "`%(\(name))s` names no key in [\(section)] or [DEFAULT]")
            }
            result += try interpolated(found.value, section: section, line: line, depth: depth + 1)
            rest = rest[rest.index(close, offsetBy: 2)...]
        }
        return result + rest
    }

    /// Refuses what configparser would refuse or read otherwise.
    func checkAsConfigparser() throws {
        func refuse(_ line: Int, _ reason: String) -> ConfigError {
            ConfigError.notAsConfigparser(path: path, line: line, reason: reason)
        }
        var section: String?
        var seen: [String: [String: Int]] = [:]
        var entryIndent: Int?
        var sectionLines: [String: Int] = [:]
        for (index, line) in lines.enumerated() {
            let number = index + 1
            switch line {
            case .section(let name, _):
                let upper = name.uppercased()
                if name != upper && (ConfigSchema.sections[upper] != nil || upper == "DEFAULT") {
                    throw refuse(number, "[\(name)]: configparser's section names are case-sensitive, so the Sparkify scripts "
                        + "would not find it; write [\(upper)]")
                }
                if let first = sectionLines[upper] {
                    throw refuse(number, "[\(name)] is given again (first on line \(first)); configparser refuses a section "
                        + "given twice: merge them")
                }
                sectionLines[upper] = number
                section = name
                entryIndent = nil
            case .entry(let key, _, let raw):
                guard let current = section else {
                    throw refuse(number, "\(key) comes before any [section]; configparser refuses such a file")
                }
                let indent = raw.prefix { $0 == " " || $0 == "\t" }.count
                if let entryIndent, indent > entryIndent { throw refuse(number, Self.continuationReason) }
                entryIndent = indent
                if let first = seen[current.uppercased()]?[key.lowercased()] {
                    throw refuse(number, "\(key) is given twice in [\(current)] (first on line \(first)); configparser refuses "
                        + "a key given twice: keep one")
                }
                seen[current.uppercased(), default: [:]][key.lowercased()] = number
                let written = raw.drop { $0 != "=" && $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
                if written.count >= 2 && written.hasPrefix("\"") && written.hasSuffix("\"") {
                    throw refuse(number, "\(key)'s value is in double quotes, which configparser keeps as part of it "
                        + "(and neither libpq nor SQL reads as quoting); remove them")
                }
                _ = try interpolated(value(ofLine: index) ?? "", section: current, line: number)
            case .other:
                break
            }
        }
        // [DEFAULT] applies to the sections that exist: a key none of whose sections is there
        // reaches nothing (configparser would fail where dwh would use its own database).
        for entry in entries where entry.section == "DEFAULT" {
            let homes = ConfigSchema.sections.filter { $0.value.contains(entry.key.uppercased()) }.keys.sorted()
            guard let name = homes.first, !homes.contains(where: hasSection) else { continue }
            throw refuse(entry.line, "[DEFAULT] gives \(entry.key), but configparser applies [DEFAULT] only to sections "
                + "that exist, and there is no [\(homes.joined(separator: "] or ["))]; add [\(name)], or move \(entry.key) into it")
        }
    }

    private func value(ofLine index: Int) -> String? {
        if case .entry(_, let value, _) = lines[index] { value } else { nil }
    }
}
