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
    /// rendering on PostgreSQL through it. A statement it empties is not sent.
    var rewrite: (String) -> String = { $0 }

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

    /// Runs one step and writes (or, going down, deletes) its tracker row; nil when another
    /// run got there first.
    func run(_ step: MigrationPlan.Step) throws -> Int64? {
        let body: () throws -> Int64? = {
            if self.dialect == .redshift && step.transactional { try self.databaseErrors { try self.tracker.lockTable() } }
            let isApplied = try self.databaseErrors { try self.tracker.isApplied(step.version) }
            guard isApplied == (step.direction == .down) else { return nil }
            let started = DispatchTime.now().uptimeNanoseconds
            if !step.transactional {
                // Recorded before it runs, cleared when it has run: a run stopped by a signal
                // or a kill in between leaves the version marked, as one that failed does.
                try self.databaseErrors {
                    try self.tracker.recordFailure(MigrationFailure(
                        version: step.version, script: step.script, line: 0,
                        error: "started \(step.direction.rawValue) and has not finished (still running, or stopped or killed)"))
                }
            }
            do {
                try self.execute(step)
            } catch MigrationError.statementFailed(let path, let line, let column, let source, let error) where !step.transactional {
                // What ran before this statement stayed: say so, and keep the version from running on.
                let failed = MigrationError.statementFailed(path: path, line: line, column: column, sourceLine: source, error: error)
                // One transaction: a process ended by a signal in between keeps the earlier row.
                try self.databaseErrors {
                    try self.connection.transaction {
                        try self.tracker.clearFailure(step.version)
                        try self.tracker.recordFailure(MigrationFailure(version: step.version, script: step.script, line: line,
                                                                        error: error.headline))
                    }
                }
                throw MigrationError.partlyApplied(version: step.version, cause: failed.description)
            }
            let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            let bookkeeping = {
                if step.direction == .up {
                    try self.tracker.record(step, executionMs: elapsed)
                } else {
                    try self.tracker.remove(step.version)
                }
                if !step.transactional { try self.tracker.clearFailure(step.version) }
            }
            // Outside a transaction, the row and the marker change together, or a signal's
            // exit in between could leave an applied version marked as unfinished.
            try self.databaseErrors { step.transactional ? try bookkeeping() : try self.connection.transaction(bookkeeping) }
            return elapsed
        }
        do {
            return step.transactional ? try connection.transaction(body) : try body()
        } catch MigrationError.statementFailed(let path, let line, let column, let source, let error) where error.sqlState == "55P03" {
            // Rolled back by now: who holds the tables the file names can be asked.
            let names = SQLTokens(step.sql.text).tokens.compactMap { $0.split(separator: ".").last.map(String.init) }
                .filter { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
            let holders = (try? tracker.lockHolders(of: Array(Set(names)).sorted())) ?? []
            let failed = SQLError(path: path, line: line, column: column, sourceLine: source, error: error).description
            throw MigrationError.lockTimeout(cause: failed, seconds: lockTimeout ?? 0, holders: holders)
        } catch let error as PostgresError where error.isConnectionLoss {
            // Lost at COMMIT or in the bookkeeping: the step is still the one to name.
            throw MigrationError.connectionLost(path: step.path, line: nil, transactional: step.transactional, reason: error.message)
        } catch MigrationError.database(let error) where error.isConnectionLoss {
            throw MigrationError.connectionLost(path: step.path, line: nil, transactional: step.transactional, reason: error.message)
        }
    }

    /// Sends the step's statements one by one, placing a failure in the file.
    func execute(_ step: MigrationPlan.Step) throws {
        if let onNotice {
            connection.onNotice = { onNotice("\(step.path): \($0)") }
        }
        defer { connection.onNotice = nil }
        for statement in step.sql.statements {
            let sql = rewrite(statement.sql)
            guard sql.contains(where: { !$0.isWhitespace && $0 != ";" }) else { continue }
            do {
                try connection.execute(sql)
            } catch let error as PostgresError where error.isConnectionLoss {
                throw MigrationError.connectionLost(path: step.path, line: step.sql.fileLocation(ofOffset: statement.offset).line,
                                                    transactional: step.transactional, reason: error.message)
            } catch let error as PostgresError where error.kind == .server {
                let offset = statement.offset + max(0, (error.position ?? 1) - 1)
                let (line, column) = step.sql.fileLocation(ofOffset: offset)
                throw MigrationError.statementFailed(path: step.path, line: line, column: column,
                                                     sourceLine: set.file(version: step.version)?.line(line) ?? "", error: error)
            }
        }
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
