import Foundation
import Postgres

/// A row of `dwh_schema_migrations`: one applied migration.
public struct AppliedMigration: Sendable, Equatable, Codable {
    public var version: Int64
    public var description: String
    public var script: String
    public var checksum: String
    public var dialect: String
    public var appliedBy: String
    public var appliedAt: String
    public var executionMs: Int64

    public init(version: Int64, description: String, script: String, checksum: String, dialect: String,
                appliedBy: String = "", appliedAt: String = "", executionMs: Int64 = 0) {
        self.version = version
        self.description = description
        self.script = script
        self.checksum = checksum
        self.dialect = dialect
        self.appliedBy = appliedBy
        self.appliedAt = appliedAt
        self.executionMs = executionMs
    }
}

/// A migration that ran outside a transaction and failed part-way: where it stopped.
public struct MigrationFailure: Sendable, Equatable, Codable {
    public var version: Int64
    public var script: String
    /// The line of the file where the failing statement is.
    public var line: Int
    public var error: String
    public var failedAt: String

    public init(version: Int64, script: String, line: Int, error: String, failedAt: String = "") {
        self.version = version
        self.script = script
        self.line = line
        self.error = error
        self.failedAt = failedAt
    }
}

/// Reads and writes the tracker table on one connection.
struct Tracker {
    let connection: Connection
    let dialect: Dialect

    func exists() throws -> Bool {
        try connection.execute(TrackerSQL.exists).scalar != "0"
    }

    /// Creates the table if needed. On Redshift two runs may race here; the loser's
    /// "already exists" is the outcome it wanted.
    func create() throws {
        for statement in [TrackerSQL.create, TrackerSQL.createFailures] {
            do {
                try connection.execute(statement)
            } catch let error as PostgresError where error.sqlState == "42P07" || error.sqlState == "23505" {
                continue
            }
        }
    }

    /// Migrations that failed part-way and are not repaired yet; none before the table exists.
    func failures() throws -> [MigrationFailure] {
        guard try connection.execute(TrackerSQL.failuresExist).scalar != "0" else { return [] }
        let result = try connection.execute(TrackerSQL.selectFailures)
        return (0..<result.rowCount).map { row in
            MigrationFailure(version: Int64(result[row, 0] ?? "") ?? 0, script: result[row, 1] ?? "",
                             line: Int(result[row, 2] ?? "") ?? 0, error: result[row, 3] ?? "", failedAt: result[row, 4] ?? "")
        }
    }

    func recordFailure(_ failure: MigrationFailure) throws {
        try connection.execute(TrackerSQL.insertFailure, [String(failure.version), failure.script, String(failure.line),
                                                          String(failure.error.prefix(2000)), Self.timestamp(Date())])
    }

    func clearFailure(_ version: Int64) throws {
        try connection.execute(TrackerSQL.deleteFailure, [String(version)])
    }

    /// Every applied migration, oldest version first; none when the table does not exist yet.
    func applied() throws -> [AppliedMigration] {
        guard try exists() else { return [] }
        let result = try connection.execute(TrackerSQL.select)
        return (0..<result.rowCount).map { row in
            AppliedMigration(
                version: Int64(result[row, 0] ?? "") ?? 0, description: result[row, 1] ?? "",
                script: result[row, 2] ?? "", checksum: result[row, 3] ?? "", dialect: result[row, 4] ?? "",
                appliedBy: result[row, 5] ?? "", appliedAt: result[row, 6] ?? "",
                executionMs: Int64(result[row, 7] ?? "") ?? 0)
        }
    }

    func isApplied(_ version: Int64) throws -> Bool {
        try connection.execute(TrackerSQL.isApplied, [String(version)]).scalar != "0"
    }

    func record(_ step: MigrationPlan.Step, executionMs: Int64) throws {
        try connection.execute(TrackerSQL.insert, [String(step.version), step.description, step.script, step.checksum,
                                                   dialect.rawValue, connection.user, Self.timestamp(Date()), String(executionMs)])
    }

    /// `2026-11-24 16:35:00.123` in UTC, the tracker's `applied_at`.
    static func timestamp(_ date: Date) -> String {
        UTCDate.formatter("yyyy-MM-dd HH:mm:ss.SSS").string(from: date)
    }

    func remove(_ version: Int64) throws {
        try connection.execute(TrackerSQL.delete, [String(version)])
    }

    func updateChecksum(version: Int64, checksum: String, script: String, description: String) throws {
        try connection.execute(TrackerSQL.updateChecksum, [String(version), checksum, script, description])
    }

    /// PostgreSQL only: the session lock that serialises whole runs. `waiting` is called
    /// once if another run holds it, before queueing for it.
    func lockSession(waiting: () -> Void) throws {
        if try connection.execute(TrackerSQL.tryLockPostgres, [TrackerSQL.advisoryLockKey]).scalar == "t" { return }
        waiting()
        try connection.execute(TrackerSQL.lockPostgres, [TrackerSQL.advisoryLockKey])
    }

    /// PostgreSQL: a statement waiting longer than `seconds` for a lock fails (0: no limit).
    func setLockTimeout(seconds: Int) throws {
        try connection.execute(TrackerSQL.setLockTimeout, ["\(seconds)s"])
    }

    /// `pid 4242 (user dwh, idle in transaction, transaction open for 00:02:13) holds AccessShareLock on songplays: SELECT …`
    /// for each session holding a lock on one of `tables`.
    func lockHolders(of tables: [String]) throws -> [String] {
        let result = try connection.execute(TrackerSQL.lockHolders, [tables.joined(separator: " ")])
        return (0..<result.rowCount).map { row in
            let field = { (column: Int) in result[row, column] ?? "" }
            let age = field(5).isEmpty ? "" : ", transaction open for \(field(5))"
            return "pid \(field(0)) (user \(field(3)), \(field(4))\(age)) holds \(field(2)) on \(field(1)): \(field(6))"
        }
    }

    func unlockSession() {
        _ = try? connection.execute(TrackerSQL.unlockPostgres, [TrackerSQL.advisoryLockKey])
    }

    /// Redshift only, inside a transaction: serialises runs on the tracker table itself.
    func lockTable() throws {
        try connection.execute(TrackerSQL.lockRedshift)
    }
}
