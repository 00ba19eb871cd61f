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

    /// The checks by name, in the order they run.
    static let all: [(name: String, sql: String)] = TrackerSQL.parse(LoadSQL.resource("checks", in: "Check"))
        .sorted { $0.key < $1.key }
        .map { (String($0.key.drop { $0.isNumber || $0 == " " }), $0.value) }

    public static func run(_ connection: Connection) throws -> [Result] {
        try all.map { check in
            do {
                let value = try connection.execute(check.sql).scalar ?? ""
                return Result(name: check.name, violations: Int(value) ?? -1)
            } catch let error as PostgresError {
                throw LoadError.database(step: "check \"\(check.name)\"", message: error.headline)
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
        lines.append(failed == 0 ? "all \(results.count) checks passed" : "\(failed) of \(results.count) checks failed")
        return lines.joined(separator: "\n")
    }
}
