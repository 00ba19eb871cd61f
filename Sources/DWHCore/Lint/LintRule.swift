import Foundation

/// One static check, as it is kept in `Resources/Lint/<dialect>-rules.json`: a pattern over
/// one statement of masked SQL (see `SQLMask`), what is wrong, what to write instead, and
/// the documentation page that says so.
///
/// A pattern is an ICU regular expression (NSRegularExpression), matched against a single
/// statement, so `^` is the statement's start. A finding points at the match's start, or at
/// the group named `at` when the pattern has one: `[(,]\s*name\s+(?<at>serial)` points at
/// the type, not at the comma before the column.
public struct LintRule: Decodable, Sendable, Equatable {
    public enum Severity: String, Decodable, Sendable { case error, warning }

    /// The page a rule comes from.
    public struct Source: Decodable, Sendable, Equatable {
        public let title: String
        public let url: String
    }

    /// Unique across both rule files; what `-- dwh:lint-ignore` names.
    public let id: String
    public let category: String
    public let pattern: String
    public let message: String
    /// What to write instead, on the dialect the rule is for.
    public let alternative: String
    public let severity: Severity
    public let source: Source
    /// A statement the rule must report, and one it must not: the tests run both.
    public let bad: String
    public let good: String
    /// The sections the rule reads; nil for both. Destructive-change rules read up sections
    /// only: a down section exists to undo what its up section made.
    public let sections: [MigrationFile.Direction]?
}

extension MigrationFile.Direction: Decodable {}

/// The rules for one dialect, their patterns compiled: what `dwh migrate lint` checks the
/// SQL that will run on that dialect against.
public struct LintRuleSet: Sendable {
    public let dialect: Dialect
    public let rules: [LintRule]
    private let expressions: [NSRegularExpression]

    /// The rules shipped with dwh for `dialect` (`Resources/Lint/redshift-rules.json`).
    public static func bundled(_ dialect: Dialect) throws -> LintRuleSet {
        let path = "Lint/\(dialect.rawValue)-rules.json"
        return try LintRuleSet(dialect: dialect, path: path, json: Data(EmbeddedResource.text(path).utf8))
    }

    /// Decodes and compiles a rule file; every problem names the file and the rule.
    public init(dialect: Dialect, path: String, json: Data) throws {
        struct File: Decodable { let rules: [LintRule] }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw LintError.badRuleFile(path: path, reason: "\(error)")
        }
        var seen: Set<String> = []
        expressions = try file.rules.map { rule in
            guard seen.insert(rule.id).inserted else { throw LintError.badRule(path: path, id: rule.id, reason: "the id appears twice") }
            do {
                return try NSRegularExpression(pattern: rule.pattern)
            } catch {
                throw LintError.badRule(path: path, id: rule.id, reason: "its pattern is not an ICU regular expression (\(error))")
            }
        }
        self.dialect = dialect
        self.rules = file.rules
    }

    /// Each rule that matches `statement` (masked, see `SQLMask`) in a `direction` section,
    /// with the offset in `statement` the finding points at, in the order they occur.
    func matches(in statement: String, direction: MigrationFile.Direction) -> [(rule: LintRule, offset: Int)] {
        let range = NSRange(location: 0, length: (statement as NSString).length)
        var found: [(rule: LintRule, offset: Int)] = []
        for (rule, expression) in zip(rules, expressions) where rule.sections?.contains(direction) ?? true {
            let named = rule.pattern.contains("(?<at>")
            for match in expression.matches(in: statement, range: range) {
                let at = named ? match.range(withName: "at") : match.range
                found.append((rule, at.location == NSNotFound ? match.range.location : at.location))
            }
        }
        return found.sorted { $0.offset < $1.offset }
    }
}
