import Foundation
import Postgres

/// The data-quality checks of `Resources/Check/checks.sql`: each query counts the rows
/// (or tables) that break its rule, and a check passes at zero.
public enum QualityChecks {
    public struct Result: Equatable, Sendable {
        public var name: String
        public var violations: Int
        public var passed: Bool { violations == 0 }
    }

    /// The checks in the order they run (that of the file), for a dialect.
    static func all(for dialect: Dialect) -> [SQLStatement] {
        SQLResource.file("Check/checks.sql").statements(for: dialect)
    }

    /// A check's name without its number: `every table has rows`.
    static func title(_ statement: SQLStatement) -> String {
        String(statement.name.drop { $0.isNumber || $0 == " " })
    }

    /// Runs every check; a failing query is shown in checks.sql with its line and caret.
    public static func run(_ connection: Connection, dialect: Dialect = .postgres) throws -> [Result] {
        try all(for: dialect).map { check in
            do {
                let value = try connection.execute(check).scalar ?? ""
                return Result(name: title(check), violations: Int(value) ?? -1)
            } catch let error as SQLError {
                throw LoadError.database(step: "check \"\(title(check))\"", error: error)
            }
        }
    }

    /// A table of the results, as `dwh check` prints it.
    public static func format(_ results: [Result]) -> String {
        let width = max(5, results.map(\.name.count).max() ?? 0)
        var lines = ["check".padding(toLength: width, withPad: " ", startingAt: 0) + "  result  violations"]
        for result in results {
            lines.append(result.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  " + (result.passed ? "pass  " : "FAIL  ") + "  " + String(result.violations))
        }
        let failed = results.filter { !$0.passed }.count
        lines.append(failed == 0 ? "all \(Plural.count(results.count, "check")) passed"
            : "\(failed) of \(Plural.count(results.count, "check")) failed")
        return lines.joined(separator: "\n")
    }
}
