/// The dialect blocks of a SQL file, read line by line: `-- dwh:postgres` (or
/// `-- dwh:redshift`) opens one, `-- dwh:end` closes it. The one reader of this syntax,
/// shared by `SQLFile` (what dwh ships) and `MigrationFile` (what users write).
struct DialectBlocks {
    enum Problem: Error {
        case nested(openedOn: Int)
        case closesNothing

        var reason: String {
            switch self {
            case .nested(let line): "opens a block inside the block opened on line \(line)"
            case .closesNothing: "closes no block"
            }
        }
    }

    /// `migrate:up` for a line `-- migrate:up`, `dwh:end` for `-- dwh:end`; nil for any line
    /// that is not a directive.
    static func directive(in text: String) -> String? {
        let trimmed = text.trimmingLeadingSpaces
        guard trimmed.hasPrefix("--") else { return nil }
        let body = trimmed.dropFirst(2).trimmingLeadingSpaces.trimmingTrailingSpaces.lowercased()
        guard body.hasPrefix("migrate:") || body.hasPrefix("dwh:") else { return nil }
        return body
    }

    /// The block the reading is in, and the line that opened it.
    private(set) var open: (dialect: Dialect, line: Int)?

    /// The dialect of the lines read now; nil when they are shared.
    var dialect: Dialect? { open?.dialect }

    /// Applies a directive (`dwh:end`) found on line `line`; false when it is not one of
    /// the three block directives.
    mutating func apply(_ directive: String, line: Int) throws(Problem) -> Bool {
        switch directive {
        case "dwh:postgres", "dwh:redshift":
            if let open { throw .nested(openedOn: open.line) }
            open = (directive == "dwh:postgres" ? .postgres : .redshift, line)
        case "dwh:end":
            guard open != nil else { throw .closesNothing }
            open = nil
        default:
            return false
        }
        return true
    }
}

extension SQLScanner {
    /// For each line, whether it starts in code rather than inside a string, a quoted name,
    /// a dollar-quoted body or a block comment opened on an earlier line: only such a line
    /// can hold a directive (`-- dwh:end`); inside a string or a comment it is SQL.
    static func linesStartingInCode(_ lines: [String]) -> [Bool] {
        let scanner = SQLScanner(lines.joined(separator: "\n"))
        var result: [Bool] = []
        var newline = -1
        var spans = scanner.spans[...]
        for line in lines {
            // A line starts in code when the newline that ends the line before it is code.
            while let span = spans.first, span.range.upperBound <= newline { spans.removeFirst() }
            result.append(newline < 0 || spans.first?.isCode != false)
            newline += line.unicodeScalars.count + 1
        }
        return result
    }
}
