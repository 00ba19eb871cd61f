import Foundation
import Postgres

/// Carries out migration plans on one connection, each step in its own transaction together
/// with its tracker row, with runs serialised by a lock (advisory on PostgreSQL, the
/// tracker table on Redshift).
public final class Migrator {
    public let connection: Connection
    public let dialect: Dialect
    public let set: MigrationSet
    let tracker: Tracker
    /// Called when another run holds the migration lock and this one starts to wait.
    public var onWaitForLock: () -> Void = {}
    /// PostgreSQL: how many seconds a migration's statement may wait for a lock another
    /// session holds before the migration fails, naming who holds it (0: no limit; nil:
    /// the server's own setting).
    public var lockTimeout: Int?
    /// Given the NOTICEs and WARNINGs a migration's own statements raise (not the
    /// tracker's), each prefixed with the file it came from.
    public var onNotice: ((String) -> Void)?
    /// Applied to each statement of a migration before it is sent: tests run the Redshift
    /// rendering on PostgreSQL through it, and so does the Redshift load's benchmark. A
    /// statement it empties is not sent.
    public var rewrite: (String) -> String = { $0 }

    public init(connection: Connection, dialect: Dialect, set: MigrationSet) {
        self.connection = connection
        self.dialect = dialect
        self.set = set
        self.tracker = Tracker(connection: connection, dialect: dialect)
    }

    /// The tracker's rows, read without creating anything.
    public func applied() throws -> [AppliedMigration] {
        try databaseErrors { try tracker.applied() }
    }

    /// Files against tracker rows, read without creating anything.
    public func status() throws -> MigrationStatus {
        MigrationStatus(set: set, applied: try applied(), failures: try failures(), dialect: dialect)
    }

    /// Migrations that failed part-way outside a transaction and are not repaired.
    public func failures() throws -> [MigrationFailure] {
        try databaseErrors { try tracker.failures() }
    }

    /// Applies pending migrations up to `target`; returns the steps it ran. A step another
    /// run applied in the meantime is skipped.
    @discardableResult
    public func migrate(to target: Int64? = nil, allowOutOfOrder: Bool = false,
                        progress: (MigrationPlan.Step, Int64) -> Void = { _, _ in }) throws -> [MigrationPlan.Step] {
        try locked {
            try databaseErrors { try tracker.create() }
            let plan = try MigrationPlan.up(set, applied: try applied(), failures: try failures(), dialect: dialect,
                                            target: target, allowOutOfOrder: allowOutOfOrder)
            return try run(plan, progress: progress)
        }
    }

    /// Runs every step of `plan` in order; returns the steps that ran (not those another
    /// run got to first).
    func run(_ plan: MigrationPlan, progress: (MigrationPlan.Step, Int64) -> Void) throws -> [MigrationPlan.Step] {
        var ran: [MigrationPlan.Step] = []
        for step in plan.steps {
            if let elapsed = try run(step) {
                ran.append(step)
                progress(step, elapsed)
            }
        }
        return ran
    }

    /// Runs `body` holding the migration lock: on PostgreSQL a session advisory lock taken
    /// before the tracker is created; on Redshift each step locks the tracker itself.
    func locked<T>(_ body: () throws -> T) throws -> T {
        guard dialect == .postgres else { return try body() }
        try databaseErrors { try tracker.lockSession(waiting: onWaitForLock) }
        defer { tracker.unlockSession() }
        // After the run's own lock: waiting for another `dwh migrate` has no limit.
        if let lockTimeout { try databaseErrors { try tracker.setLockTimeout(seconds: lockTimeout) } }
        return try body()
    }

    func databaseErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw MigrationError.database(error)
        }
    }
}

extension PostgresError {
    /// The connection is gone (the server closed it, or ended this session with FATAL).
    var isConnectionLoss: Bool {
        kind == .connection || severity == "FATAL" || severity == "PANIC"
    }
}
