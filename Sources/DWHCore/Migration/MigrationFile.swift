import Digest

/// One migration file, `NNNN_description.sql`, parsed into its sections and dialect blocks.
///
/// Format: comments, `-- migrate:up`, the forward SQL, `-- migrate:down`, the reverse SQL.
/// Lines between `-- dwh:postgres` (or `-- dwh:redshift`) and `-- dwh:end` run only on that
/// dialect; every other line is shared. `-- dwh:no-transaction` on a line of its own runs the
/// file outside a transaction, for statements that cannot run inside one; dbmate's
/// `-- migrate:up transaction:false` means the same, so dbmate's files run as they are.
/// `-- dwh:lint-ignore RULE_ID …` silences those `dwh migrate lint` rules on the line of SQL
/// that follows it (several such lines stack); like every directive, it is not part of the
/// SQL that runs, nor of the checksum.
/// A directive is only a directive outside strings, dollar-quoted bodies and comments.
public struct MigrationFile: Sendable, Equatable {
    public enum Direction: String, Sendable { case up, down }

    public let version: Int64
    /// The words after the number, underscores kept: `staging_tables`.
    public let description: String
    /// The file's name alone: `0001_staging_tables.sql`.
    public let fileName: String
    /// The path errors print: `migrations/0001_staging_tables.sql`.
    public let displayPath: String
    public let transactional: Bool
    /// Whether the file has a `-- migrate:down` section with SQL in it.
    public var isReversible: Bool { lines.contains { $0.section == .down && !$0.isBlank } }

    struct Line: Sendable, Equatable {
        enum Section: Sendable { case header, up, down }
        let number: Int
        let text: String
        let section: Section
        /// nil when shared by both dialects.
        let dialect: Dialect?
        let isDirective: Bool
        var isBlank: Bool { isDirective || text.allSatisfy(\.isWhitespace) || text.trimmingLeadingSpaces.hasPrefix("--") }
    }

    let lines: [Line]
    /// The rules `-- dwh:lint-ignore` silences, by the line they are silenced on.
    let lintIgnores: [Int: Set<String>]

    /// Parses a file's name and text; every error names the file, and the line where there is one.
    public init(fileName: String, displayPath: String, contents: String) throws {
        (version, description) = try Self.versionAndDescription(fileName, displayPath: displayPath)
        self.fileName = fileName
        self.displayPath = displayPath
        var parser = try Parser(displayPath: displayPath, contents: contents)
        try parser.parse()
        self.lines = parser.lines
        self.lintIgnores = parser.lintIgnores
        self.transactional = parser.transactional
    }

    /// The version and description in a file's name, or the error that says what is wrong with it.
    private static func versionAndDescription(_ fileName: String, displayPath: String) throws -> (Int64, String) {
        if let parsed = parseName(fileName) { return parsed }
        let digits = fileName.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, Int64(digits) == nil, fileName.dropFirst(digits.count).hasPrefix("_") {
            throw MigrationError.versionTooLarge(path: displayPath)
        }
        throw MigrationError.badFileName(path: displayPath)
    }

    /// `0001_staging_tables.sql` → (1, "staging_tables"); nil when the name does not fit.
    static func parseName(_ fileName: String) -> (Int64, String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let description = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let version = Int64(digits), version > 0,
              !description.isEmpty,
              description.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return nil }
        return (version, String(description))
    }

    /// The SQL that runs for `direction` on `dialect`, with each line's place in the file.
    public func render(_ direction: Direction, for dialect: Dialect) -> RenderedScript {
        let section: Line.Section = direction == .up ? .up : .down
        var kept = lines.filter { $0.section == section && !$0.isDirective && ($0.dialect == nil || $0.dialect == dialect) }[...]
        // Blank lines around a section are layout, not SQL: they do not change the checksum.
        while kept.first?.text.allSatisfy(\.isWhitespace) == true { kept.removeFirst() }
        while kept.last?.text.allSatisfy(\.isWhitespace) == true { kept.removeLast() }
        return RenderedScript(lines: kept.map(\.text), fileLines: kept.map(\.number))
    }

    /// The text of a line of the file, for showing it under an error.
    func line(_ number: Int) -> String? {
        lines.first { $0.number == number }?.text
    }

    /// SHA-256 of the up SQL that runs on `dialect`: what the tracker records.
    public func checksum(for dialect: Dialect) -> String {
        SHA256.hex(render(.up, for: dialect).text)
    }
}

extension StringProtocol {
    var trimmingLeadingSpaces: SubSequence { self[(firstIndex { !$0.isWhitespace } ?? endIndex)...] }
    var trimmingTrailingSpaces: SubSequence {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return self[startIndex..<startIndex] }
        return self[...last]
    }
}
