import Foundation
import Postgres

/// The run ledger, `dwh_runs`: a table dwh owns in the warehouse, as it owns the migration
/// tracker, so that every machine that runs the job sees the same history. It is created on
/// first use, on PostgreSQL and Redshift alike.
public struct Ledger {
    public let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    static let sql = SQLStatements("Run/ledger.sql")

    /// Creates the ledger and the lock table if they are not there. Two runs racing here
    /// both get what they wanted.
    public func create() throws {
        for statement in [Self.sql["create"], Self.sql["create_lock"]] {
            do {
                try connection.execute(statement)
            } catch let error as SQLError where ["42P07", "23505"].contains(error.error.sqlState ?? "") {
                continue
            }
        }
    }

    public func exists() throws -> Bool {
        try connection.execute(Self.sql["exists"]).scalar != "0"
    }

    /// Every attempt, by day then attempt; none before the ledger exists.
    public func attempts() throws -> [RunAttempt] {
        guard try exists() else { return [] }
        let result = try connection.execute(Self.sql["select"])
        return result.rows.map { row in
            let text = { (index: Int) in row[index] ?? nil }
            return RunAttempt(runID: text(0) ?? "", date: RunDay(text(1) ?? "") ?? RunDay(containing: Date(timeIntervalSince1970: 0)),
                              attempt: Int(text(2) ?? "") ?? 0, status: RunAttempt.Status(rawValue: text(3) ?? "") ?? .failed,
                              startedAt: text(4) ?? "", finishedAt: text(5), exitCode: text(6).flatMap { Int($0) },
                              error: text(7), steps: RunAttempt.decode(text(8)), host: text(9) ?? "",
                              pid: Int(text(10) ?? "") ?? 0, dwhVersion: text(11) ?? "")
        }
    }

    /// The days with a successful attempt, each with when its last success finished.
    public func succeeded() throws -> [RunDay: String] {
        guard try exists() else { return [:] }
        var days: [RunDay: String] = [:]
        for row in try connection.execute(Self.sql["succeeded"]).rows {
            guard let text = row[0], let day = RunDay(text) else { continue }
            days[day] = row[1] ?? ""
        }
        return days
    }

    /// Records a new attempt at `day`, running; returns it.
    func start(_ day: RunDay, host: String, version: String, now: Date = Date()) throws -> RunAttempt {
        let number = Int(try connection.execute(Self.sql["next_attempt"], [day.description]).scalar ?? "") ?? 1
        let attempt = RunAttempt(runID: UUID().uuidString.lowercased(), date: day, attempt: number, status: .running,
                                 startedAt: Self.timestamp(now), steps: [], host: host, pid: Int(getpid()), dwhVersion: version)
        try connection.execute(Self.sql["insert"], [attempt.runID, day.description, String(number), attempt.startedAt,
                                                    RunAttempt.encode([]), host, String(attempt.pid), version])
        return attempt
    }

    /// Marks the attempts that their process left running as abandoned; how many there were.
    /// Only for a run that holds the run lock; `except` names attempts of its own that
    /// still run (a batch's held days, when a retry connects again).
    @discardableResult
    func abandonRunning(except own: [String] = []) throws -> Int {
        try connection.execute(Self.sql["abandon"], [own.joined(separator: ",")]).affectedRows ?? 0
    }

    /// How long a step may wait for another session's table lock (PostgreSQL only).
    func setLockTimeout(seconds: Double) throws {
        try connection.execute(Self.sql["set_lock_timeout"], [String(Int((seconds * 1000).rounded())) + "ms"])
    }

    /// Saves the steps done so far, so that a killed attempt shows how far it got.
    func progress(_ attempt: RunAttempt) throws {
        try connection.execute(Self.sql["progress"], [attempt.runID, RunAttempt.encode(attempt.steps)])
    }

    func finish(_ attempt: RunAttempt) throws {
        try connection.execute(Self.sql["finish"], [attempt.runID, attempt.status.rawValue, attempt.finishedAt ?? Self.timestamp(Date()),
                                                    attempt.exitCode.map(String.init), attempt.error.map { String($0.prefix(4000)) },
                                                    RunAttempt.encode(attempt.steps)])
    }

    /// `2026-12-03 11:45:00` in UTC.
    static func timestamp(_ date: Date) -> String {
        UTCDate.formatter("yyyy-MM-dd HH:mm:ss").string(from: date)
    }
}
