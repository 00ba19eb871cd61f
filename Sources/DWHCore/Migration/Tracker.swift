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
        do {
            try connection.execute(TrackerSQL.create)
        } catch let error as PostgresError where error.sqlState == "42P07" || error.sqlState == "23505" {
            return
        }
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
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return formatter.string(from: date)
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

    func unlockSession() {
        _ = try? connection.execute(TrackerSQL.unlockPostgres, [TrackerSQL.advisoryLockKey])
    }

    /// Redshift only, inside a transaction: serialises runs on the tracker table itself.
    func lockTable() throws {
        try connection.execute(TrackerSQL.lockRedshift)
    }
}
