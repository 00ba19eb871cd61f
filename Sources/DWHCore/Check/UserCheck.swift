import Foundation
import Postgres

/// A check the project writes, `checks/NAME.sql`, in the saved queries' form (read by the
/// same parser):
///
/// ```sql
/// -- check: no_empty_sessions
/// -- description: Every session of the day has a play.
/// -- severity: error
/// -- param: run_start timestamp
/// -- param: run_end timestamp
/// SELECT session_id FROM songplays WHERE start_time >= $1 AND start_time < $2 AND …;
/// ```
///
/// The query returns the offending rows and the check passes when it returns none (dbt's
/// convention). `run_start` and `run_end`, when declared, are bound to the day inside
/// `dwh run` and `dwh check --date`, and to the whole of time otherwise.
public struct UserCheck: Equatable, Sendable {
    public let query: SavedQuery
    public let severity: CheckResult.Severity

    public var name: String { query.name }

    public init(text: String, file: String) throws {
        query = try SavedQuery(text: text, file: file, nameKey: "check", extraKeys: ["severity"])
        let given = query.fields["severity"] ?? "error"
        guard let severity = CheckResult.Severity(rawValue: given) else {
            throw CheckError.badFile(file: file, reason: "severity must be error or warn, got \"\(given)\"")
        }
        self.severity = severity
        for parameter in query.parameters where parameter.defaultValue == nil && !Self.bound.contains(parameter.name) {
            throw CheckError.badFile(file: file, reason: "parameter \(parameter.name) needs a default: a check is given only run_start and run_end")
        }
    }

    static let bound = ["run_start", "run_end"]

    /// Whether the check reads the interval: one that does not answers the same for any day.
    public var readsInterval: Bool { query.parameters.contains { Self.bound.contains($0.name) } }

    /// Runs the check on `[start, end)`, counting every offending row and keeping five.
    public func run(_ connection: Connection, interval: (start: String, end: String) = QualityChecks.everything) throws -> CheckResult {
        let values = try query.bind(Dictionary(uniqueKeysWithValues: query.parameters.compactMap { parameter -> (String, String)? in
            switch parameter.name {
            case "run_start": ("run_start", interval.start)
            case "run_end": ("run_end", interval.end)
            default: nil
            }
        }))
        var columns: [String] = []
        var sample: [String] = []
        var count = 0
        do {
            try Interrupts.shared.cancelling(connection) {
                try connection.stream(query.sql, parameters: values.map { Optional($0) }) { event in
                    switch event {
                    case .columns(let described): columns = described.map(\.name)
                    case .row(let row):
                        count += 1
                        guard sample.count < 5 else { return }
                        sample.append(columns.indices.map { "\(columns[$0])=\(row[0, $0] ?? "NULL")" }.joined(separator: ", "))
                    case .end: break
                    }
                }
            }
        } catch {
            throw CheckError.query(check: name, error: error, sql: query.sql, source: query.source)
        }
        return CheckResult(name: name, severity: severity, violations: count, sample: sample)
    }
}

/// The `checks/` folder of a project: every `*.sql` in it, by name.
public struct CheckCatalog: Equatable, Sendable {
    public let directory: String
    public let checks: [UserCheck]

    public init(directory: String) throws {
        self.directory = directory
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        checks = try files.sorted().filter { $0.hasSuffix(".sql") }.map { file in
            let path = directory + "/" + file
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CheckError.badFile(file: path, reason: "cannot be read as UTF-8 text")
            }
            return try UserCheck(text: text, file: path)
        }
        if let duplicate = Dictionary(grouping: checks, by: \.name).first(where: { $0.value.count > 1 }) {
            throw CheckError.badFile(file: duplicate.value[1].query.file, reason: "check \(duplicate.key) is also in \(duplicate.value[0].query.file)")
        }
    }

    /// `DWH_CHECKS`, else `checks/` in the current folder; no folder means no checks of
    /// the project's own.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> CheckCatalog {
        if let given = environment["DWH_CHECKS"], !given.isEmpty { return try CheckCatalog(directory: given) }
        return try CheckCatalog(directory: currentDirectory + "/checks")
    }

    /// Runs every check of the folder on the interval; one that reads no interval answers
    /// from `standing` when it holds its answer.
    public func run(_ connection: Connection, interval: (start: String, end: String) = QualityChecks.everything,
                    standing: StandingAnswers = StandingAnswers()) throws -> [CheckResult] {
        try checks.map { check in
            guard check.readsInterval else { return try standing.answer("checks/ " + check.name) { try check.run(connection) } }
            return try check.run(connection, interval: interval)
        }
    }
}
