import Postgres

/// What `dwh migrate repair` would change: checksums to re-record after an intended edit,
/// and tracker rows to forget whose files are gone. Shown to the user before it runs.
public struct RepairPlan: Sendable, Equatable {
    public struct Realignment: Sendable, Equatable {
        public let version: Int64
        public let path: String
        public let oldChecksum: String
        public let newChecksum: String
    }

    public let realign: [Realignment]
    public let forget: [AppliedMigration]
    /// Failures to clear, once the user has put the database right by hand.
    public let clear: [MigrationFailure]
    public var isEmpty: Bool { realign.isEmpty && forget.isEmpty && clear.isEmpty }

    public init(set: MigrationSet, applied: [AppliedMigration], failures: [MigrationFailure] = [], dialect: Dialect) {
        clear = failures
        realign = applied.compactMap { record in
            guard let file = set.file(version: record.version), file.checksum(for: dialect) != record.checksum else { return nil }
            return Realignment(version: record.version, path: file.displayPath,
                               oldChecksum: record.checksum, newChecksum: file.checksum(for: dialect))
        }
        forget = applied.filter { set.file(version: $0.version) == nil }
    }

    /// One line per change, for the confirmation prompt and the report after.
    public var lines: [String] {
        realign.map { "re-record \($0.path): \($0.oldChecksum.prefix(12))… → \($0.newChecksum.prefix(12))…" }
            + forget.map { "forget version \($0.version) (\($0.script)): no file on disk" }
            + clear.map { "clear the failure of version \($0.version) (\($0.script)\($0.line > 0 ? ", line \($0.line)" : ""))" }
    }
}

extension Migrator {
    /// Reverts the latest applied version, or every one above `target`, newest first.
    @discardableResult
    public func revert(to target: Int64? = nil,
                       progress: (MigrationPlan.Step, Int64) -> Void = { _, _ in }) throws -> [MigrationPlan.Step] {
        try locked {
            let failures = try failures()
            if !failures.isEmpty {
                throw MigrationError.failedPartWay(MigrationStatus(set: set, applied: [], failures: failures, dialect: dialect)
                    .entries(.failed).compactMap(\.failure))
            }
            return try run(MigrationPlan.down(set, applied: try applied(), dialect: dialect, target: target), progress: progress)
        }
    }

    /// Records every file up to `version` as applied without running it, for a database
    /// whose schema was built before dwh tracked it. Versions already recorded are kept.
    @discardableResult
    public func baseline(version: Int64) throws -> [MigrationPlan.Step] {
        let files = set.files.filter { $0.version <= version }
        guard !files.isEmpty else { throw MigrationError.unknownVersion(version) }
        return try locked {
            try databaseErrors { try tracker.create() }
            return try databaseErrors {
                try connection.transaction {
                    if dialect == .redshift { try tracker.lockTable() }
                    var recorded: [MigrationPlan.Step] = []
                    for file in files where try !tracker.isApplied(file.version) {
                        let step = MigrationPlan.Step(file: file, direction: .up, dialect: dialect)
                        try tracker.record(step, executionMs: 0)
                        recorded.append(step)
                    }
                    return recorded
                }
            }
        }
    }

    /// What `repair` would change, touching nothing.
    public func repairPlan() throws -> RepairPlan {
        RepairPlan(set: set, applied: try applied(), failures: try failures(), dialect: dialect)
    }

    /// Carries out `plan` in one transaction.
    public func repair(_ plan: RepairPlan) throws {
        try locked {
            try databaseErrors {
                try connection.transaction {
                    if dialect == .redshift { try tracker.lockTable() }
                    for change in plan.realign {
                        guard let file = set.file(version: change.version) else { continue }
                        try tracker.updateChecksum(version: change.version, checksum: change.newChecksum,
                                                   script: file.fileName, description: file.description)
                    }
                    for record in plan.forget { try tracker.remove(record.version) }
                    for failure in plan.clear { try tracker.clearFailure(failure.version) }
                }
            }
        }
    }
}
