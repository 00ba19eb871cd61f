/// One place in a file that breaks a lint rule, shown as one grep-able line:
/// `migrations/0002_star_schema.sql:14:7: error [type-serial] SERIAL … (Redshift: use
/// BIGINT IDENTITY…) — Unsupported PostgreSQL data types <https://…>`.
public struct LintFinding: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// 1-based, in the file on disk.
    public let line: Int
    /// 1-based, counted in Unicode scalars as PostgreSQL counts error positions.
    public let column: Int
    /// The dialect whose rule this is.
    public let dialect: Dialect
    public let rule: LintRule

    public var ruleID: String { rule.id }
    public var severity: LintRule.Severity { rule.severity }

    public var description: String {
        let dialectName = dialect == .redshift ? "Redshift" : "PostgreSQL"
        return "\(path):\(line):\(column): \(severity.rawValue) [\(rule.id)] \(rule.message) "
            + "(\(dialectName): \(rule.alternative)) — \(rule.source.title) <\(rule.source.url)>"
    }
}

/// What `dwh migrate lint` found in a folder of migrations: the findings in file, line and
/// column order, then a count.
public struct LintReport: Sendable, Equatable {
    public let findings: [LintFinding]
    /// How many files were read.
    public let fileCount: Int

    public init(findings: [LintFinding], fileCount: Int) {
        self.findings = findings.sorted {
            ($0.path, $0.line, $0.column, $0.rule.id) < ($1.path, $1.line, $1.column, $1.rule.id)
        }
        self.fileCount = fileCount
    }

    public var errorCount: Int { findings.count(where: { $0.severity == .error }) }
    public var warningCount: Int { findings.count(where: { $0.severity == .warning }) }
    /// Whether the command should exit non-zero: any error; warnings alone do not fail.
    public var hasErrors: Bool { errorCount > 0 }

    /// `2 errors, 1 warning in 5 files`.
    public var summary: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return "\(count(errorCount, "error")), \(count(warningCount, "warning")) in \(count(fileCount, "file"))"
    }

    /// One line per finding, then the summary.
    public var text: String {
        (findings.map(\.description) + [summary]).joined(separator: "\n") + "\n"
    }
}
