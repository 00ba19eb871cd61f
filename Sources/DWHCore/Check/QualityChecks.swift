import Foundation
import Postgres

/// The built-in data-quality checks of `Resources/Check/checks.sql`: each query counts the
/// rows (or tables) that break its rule, and a check passes at zero. Each is bound to
/// an interval of time (a day inside `dwh run` and with `dwh check --date`, so that a daily
/// check reads what the day added rather than all of history), except those of the dimensions,
/// which have no time and are checked whole.
public enum QualityChecks {
    public typealias Result = CheckResult

    /// The interval that covers everything, for a check of the whole warehouse.
    public static let everything = (start: "1900-01-01 00:00:00", end: "9999-12-31 00:00:00")

    /// The checks in the order they run (that of the file), for a dialect.
    static func all(for dialect: Dialect) -> [SQLStatement] {
        SQLResource.file("Check/checks.sql").statements(for: dialect)
    }

    /// A check's name without its number: `every table has rows`.
    static func title(_ statement: SQLStatement) -> String {
        String(statement.name.drop { $0.isNumber || $0 == " " })
    }

    /// Runs every check on `[start, end)` (everything by default); a failing query is shown
    /// in checks.sql with its line and caret. Ctrl-C cancels the one running. A check with no
    /// interval to bind answers from `standing` when it holds its answer.
    public static func run(_ connection: Connection, dialect: Dialect = .postgres,
                           interval: (start: String, end: String) = everything,
                           standing: StandingAnswers = StandingAnswers()) throws -> [Result] {
        // One snapshot (`ConsistentRead`): a load committing meanwhile cannot make one check
        // see it and the next not.
        try ConsistentRead.run(connection, dialect: dialect) { _ in
            try all(for: dialect).map { check in
                // A check of the dimensions alone has no interval to bind.
                guard check.sql.contains("$1") else {
                    return try standing.answer("built-in " + check.name) { try run(check, on: connection, parameters: nil) }
                }
                return try run(check, on: connection, parameters: [interval.start, interval.end])
            }
        }
    }

    private static func run(_ check: SQLStatement, on connection: Connection, parameters: [String]?) throws -> Result {
        do {
            let value = try Interrupts.shared.cancelling(connection) { try connection.execute(check, parameters).scalar ?? "" }
            return Result(name: title(check), severity: .error, violations: Int(value) ?? -1)
        } catch let error as SQLError {
            throw LoadError.database(step: "check \"\(title(check))\"", error: error)
        }
    }

    /// A table of the results, as `dwh check` prints it, with up to five offending rows
    /// under each failing check that returns rows.
    public static func format(_ results: [Result]) -> String {
        let width = max(5, results.map(\.name.count).max() ?? 0)
        var lines = ["check".padding(toLength: width, withPad: " ", startingAt: 0) + "  result  violations"]
        for result in results {
            let verdict = result.passed ? "pass  " : result.severity == .warn ? "WARN  " : "FAIL  "
            lines.append(result.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + verdict + "  " + String(result.violations))
            lines += result.sample.map { "    " + $0 }
            if result.violations > result.sample.count, !result.sample.isEmpty {
                lines.append("    … \(result.violations - result.sample.count) more")
            }
        }
        let failed = results.filter { !$0.passed && $0.severity == .error }.count
        let warned = results.filter { !$0.passed && $0.severity == .warn }.count
        let warnings = warned == 0 ? "" : " (\(warned) warning\(warned == 1 ? "" : "s"))"
        lines.append((failed == 0 ? "all \(Plural.count(results.count - warned, "check")) passed"
            : "\(failed) of \(Plural.count(results.count, "check")) failed") + warnings)
        return lines.joined(separator: "\n")
    }
}

/// One check's outcome, built-in or from `checks/`.
public struct CheckResult: Equatable, Sendable {
    public enum Severity: String, Sendable {
        /// A failure fails `dwh check` (exit 1) and `dwh run` (exit 65).
        case error
        /// A failure is printed; the command succeeds.
        case warn
    }

    public var name: String
    public var severity: Severity
    /// Offending rows (or, for a built-in check, the count it returned).
    public var violations: Int
    /// Up to five offending rows, as `column=value, …`.
    public var sample: [String]
    public var passed: Bool { violations == 0 }

    public init(name: String, severity: Severity, violations: Int, sample: [String] = []) {
        self.name = name
        self.severity = severity
        self.violations = violations
        self.sample = sample
    }
}
