/// What `migrate` or `down` would do, decided before anything runs: which versions, in which
/// order, with which SQL. `plan` prints it; the migrator carries it out step by step.
public struct MigrationPlan: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public let version: Int64
        public let description: String
        /// The file name the tracker records: `0001_staging_tables.sql`.
        public let script: String
        /// The path errors print: `migrations/0001_staging_tables.sql`.
        public let path: String
        public let direction: MigrationFile.Direction
        public let sql: RenderedScript
        /// SHA-256 of the up SQL for the dialect, recorded when the step applies.
        public let checksum: String
        public let transactional: Bool

        init(file: MigrationFile, direction: MigrationFile.Direction, dialect: Dialect) {
            version = file.version
            description = file.description
            script = file.fileName
            path = file.displayPath
            self.direction = direction
            sql = file.render(direction, for: dialect)
            checksum = file.checksum(for: dialect)
            transactional = file.transactional
        }
    }

    public let dialect: Dialect
    public let steps: [Step]

    /// Applies every pending version up to `target` (all when nil), oldest first.
    ///
    /// Refuses when a file changed since it was applied, when an applied file is gone, and,
    /// unless `allowOutOfOrder`, when a pending version is older than an applied one.
    public static func up(_ set: MigrationSet, applied: [AppliedMigration], failures: [MigrationFailure] = [],
                          dialect: Dialect, target: Int64? = nil, allowOutOfOrder: Bool = false) throws -> MigrationPlan {
        if let target, set.file(version: target) == nil { throw MigrationError.unknownVersion(target) }
        let status = MigrationStatus(set: set, applied: applied, failures: failures, dialect: dialect)
        if let problem = status.problem {
            if case .outOfOrder = problem, allowOutOfOrder {
                // Allowed: the older pending versions are applied in version order below.
            } else {
                throw problem
            }
        }
        let pending = Set(status.entries.filter { $0.state == .pending || $0.state == .outOfOrder }.map(\.version))
        let files = set.files.filter { pending.contains($0.version) && $0.version <= (target ?? Int64.max) }
        let steps = files.map { Step(file: $0, direction: .up, dialect: dialect) }
        try steps.forEach { try $0.refuseTransactionControl() }
        return MigrationPlan(dialect: dialect, steps: steps)
    }

    /// Reverts the latest applied version, or every applied version above `target`,
    /// newest first, using the files' down sections.
    public static func down(_ set: MigrationSet, applied: [AppliedMigration], dialect: Dialect,
                            target: Int64? = nil) throws -> MigrationPlan {
        let versions = applied.map(\.version).sorted(by: >)
        guard let latest = versions.first else { throw MigrationError.nothingApplied }
        if let target, target != 0, set.file(version: target) == nil, !versions.contains(target) {
            throw MigrationError.unknownVersion(target)
        }
        let chosen = target.map { target in versions.filter { $0 > target } } ?? [latest]
        let status = MigrationStatus(set: set, applied: applied, dialect: dialect)
        let steps = try chosen.map { version -> Step in
            guard let file = set.file(version: version) else { throw MigrationError.missingFromDisk(versions: [version]) }
            if status.entries.contains(where: { $0.version == version && $0.state == .drifted }) {
                throw MigrationError.drifted(paths: [file.displayPath])
            }
            guard file.isReversible else { throw MigrationError.notReversible(path: file.displayPath) }
            return Step(file: file, direction: .down, dialect: dialect)
        }
        try steps.forEach { try $0.refuseTransactionControl() }
        return MigrationPlan(dialect: dialect, steps: steps)
    }
}

extension MigrationPlan.Step {
    /// A step that runs in a transaction may not end or restart it: a COMMIT would keep the
    /// half before it and leave the version pending. Checked for every step before any runs.
    func refuseTransactionControl() throws {
        guard transactional else { return }
        for statement in sql.statements {
            let tokens = SQLTokens(statement.sql).tokens
            guard let first = tokens.first else { continue }
            let second = tokens.dropFirst().first
            let ends = ["commit", "end", "abort", "begin"].contains(first)
                || (first == "rollback" && second != "to")
                || (["start", "prepare"].contains(first) && second == "transaction")
            guard ends else { continue }
            let line = sql.fileLocation(ofOffset: statement.offset).line
            throw MigrationError.transactionControl(path: path, line: line, statement: first.uppercased())
        }
    }
}
