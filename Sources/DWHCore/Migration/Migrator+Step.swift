import Foundation
import Postgres

/// One step of a plan: its SQL, its tracker row, and, for a file that runs outside a
/// transaction, the marker that says it has not finished.
extension Migrator {
    /// Runs one step and writes (or, going down, deletes) its tracker row; nil when another
    /// run got there first.
    func run(_ step: MigrationPlan.Step) throws -> Int64? {
        do {
            return step.transactional ? try connection.transaction { try apply(step) } : try apply(step)
        } catch MigrationError.statementFailed(let path, let line, let column, let source, let error) where error.sqlState == "55P03" {
            // Rolled back by now: who holds the tables the file names can be asked.
            let failed = SQLError(path: path, line: line, column: column, sourceLine: source, error: error).description
            throw MigrationError.lockTimeout(cause: failed, seconds: lockTimeout ?? 0, holders: lockHolders(of: step))
        } catch let error as PostgresError where error.isConnectionLoss {
            // Lost at COMMIT or in the bookkeeping: the step is still the one to name.
            throw MigrationError.connectionLost(path: step.path, line: nil, transactional: step.transactional, reason: error.message)
        } catch MigrationError.database(let error) where error.isConnectionLoss {
            throw MigrationError.connectionLost(path: step.path, line: nil, transactional: step.transactional, reason: error.message)
        }
    }

    /// The step's SQL and its bookkeeping, inside the step's transaction when it has one;
    /// the milliseconds the SQL took, or nil when the step is done already.
    private func apply(_ step: MigrationPlan.Step) throws -> Int64? {
        if dialect == .redshift && step.transactional { try databaseErrors { try tracker.lockTable() } }
        let isApplied = try databaseErrors { try tracker.isApplied(step.version) }
        guard isApplied == (step.direction == .down) else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        if step.transactional {
            try execute(step)
        } else {
            try markUnfinished(step)
            try executeOutsideTransaction(step)
        }
        let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        try recordDone(step, executionMs: elapsed)
        return elapsed
    }

    /// Recorded before a step outside a transaction runs, cleared when it has run: a run
    /// stopped by a signal or a kill in between leaves the version marked, as one that
    /// failed does.
    private func markUnfinished(_ step: MigrationPlan.Step) throws {
        try databaseErrors {
            try tracker.recordFailure(MigrationFailure(
                version: step.version, script: step.script, line: 0,
                error: "started \(step.direction.rawValue) and has not finished (still running, or stopped or killed)"))
        }
    }

    /// What ran before a failing statement stayed: say so, and keep the version from
    /// running on.
    private func executeOutsideTransaction(_ step: MigrationPlan.Step) throws {
        do {
            try execute(step)
        } catch MigrationError.statementFailed(let path, let line, let column, let source, let error) {
            let failed = MigrationError.statementFailed(path: path, line: line, column: column, sourceLine: source, error: error)
            // One transaction: a process ended by a signal in between keeps the earlier row.
            try databaseErrors {
                try connection.transaction {
                    try tracker.clearFailure(step.version)
                    try tracker.recordFailure(MigrationFailure(version: step.version, script: step.script, line: line,
                                                               error: error.headline))
                }
            }
            throw MigrationError.partlyApplied(version: step.version, cause: failed.description)
        }
    }

    /// The tracker row written (going up) or deleted (going down), and the unfinished
    /// marker cleared.
    private func recordDone(_ step: MigrationPlan.Step, executionMs elapsed: Int64) throws {
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
        try databaseErrors { step.transactional ? try bookkeeping() : try connection.transaction(bookkeeping) }
    }

    /// The sessions holding locks on the tables the step's SQL names.
    private func lockHolders(of step: MigrationPlan.Step) -> [String] {
        let names = SQLTokens(step.sql.text).tokens.compactMap { $0.split(separator: ".").last.map(String.init) }
            .filter { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
        return (try? tracker.lockHolders(of: Array(Set(names)).sorted())) ?? []
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
}
