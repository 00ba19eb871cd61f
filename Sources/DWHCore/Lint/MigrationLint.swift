/// `dwh migrate lint`: static checks of migration files, with no database.
///
/// For each dialect it checks the SQL that will run there, as `MigrationFile` renders it:
/// on Redshift the shared lines and the `-- dwh:redshift` blocks, on PostgreSQL the shared
/// lines and the `-- dwh:postgres` blocks; up and down sections alike, unless a rule reads
/// only one of them. Each statement is masked (`SQLMask`) so that comments, strings and
/// quoted names never match, and each match is placed at its line and column in the file.
/// `-- dwh:lint-ignore RULE_ID` on the line before silences that rule on that line.
public struct MigrationLint: Sendable {
    public let ruleSets: [LintRuleSet]

    /// Lints with these rule sets; a rule id may appear in only one of them, since
    /// `-- dwh:lint-ignore` names a rule by its id alone.
    public init(ruleSets: [LintRuleSet]) throws {
        var seen: Set<String> = []
        for set in ruleSets {
            for rule in set.rules where !seen.insert(rule.id).inserted {
                throw LintError.badRule(path: "Lint/\(set.dialect.rawValue)-rules.json", id: rule.id,
                                        reason: "the id is also a rule of another dialect")
            }
        }
        self.ruleSets = ruleSets
    }

    /// Lints with the rules dwh ships for each of `dialects`.
    public init(dialects: [Dialect]) throws {
        try self.init(ruleSets: dialects.map { try LintRuleSet.bundled($0) })
    }

    /// Every finding in one file, in the order the rule sets and sections are read.
    public func findings(in file: MigrationFile) -> [LintFinding] {
        var found: [LintFinding] = []
        for set in ruleSets {
            for direction in [MigrationFile.Direction.up, .down] {
                found += findings(in: file.render(direction, for: set.dialect), path: file.displayPath, set: set,
                                  direction: direction, ignores: file.lintIgnores)
            }
        }
        return found
    }

    /// The findings of the rules for `dialect` in SQL that is not a migration (the SQL dwh
    /// ships, a saved query), as it will be sent, placed in `path`.
    public func findings(in script: RenderedScript, path: String, dialect: Dialect) -> [LintFinding] {
        ruleSets.filter { $0.dialect == dialect }.flatMap {
            findings(in: script, path: path, set: $0, direction: .up, ignores: [:])
        }
    }

    private func findings(in script: RenderedScript, path: String, set: LintRuleSet, direction: MigrationFile.Direction,
                          ignores: [Int: Set<String>]) -> [LintFinding] {
        var found: [LintFinding] = []
        let mask = Array(SQLMask(script.text).text.utf8)
        for statement in script.statements {
            let end = min(mask.count, statement.offset + statement.sql.unicodeScalars.count)
            let masked = String(decoding: mask[statement.offset..<end], as: UTF8.self)
            for (rule, offset) in set.matches(in: masked, direction: direction) {
                let (line, column) = script.fileLocation(ofOffset: statement.offset + offset)
                if ignores[line]?.contains(rule.id) == true { continue }
                found.append(LintFinding(path: path, line: line, column: column, dialect: set.dialect, rule: rule))
            }
        }
        return found
    }

    /// Every finding in every file of `set`.
    public func report(for set: MigrationSet) -> LintReport {
        LintReport(findings: set.files.flatMap(findings(in:)), fileCount: set.files.count)
    }
}
