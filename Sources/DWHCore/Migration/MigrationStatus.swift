/// Every version the files and the tracker know of, and what state each is in: a plain
/// value `status` prints, `validate` judges and `migrate` checks before it runs anything.
public struct MigrationStatus: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// Applied, and the file still renders to the SQL that ran.
        case applied
        /// Not applied yet, and newer than every applied version.
        case pending
        /// Not applied, but older than an applied version: a gap.
        case outOfOrder = "out-of-order"
        /// Applied, but the file has changed since.
        case drifted
        /// Applied, but its file is no longer on disk.
        case missing
        /// Ran outside a transaction and failed part-way: what ran before the failing
        /// statement stayed. Nothing runs until `dwh migrate repair` clears it.
        case failed
    }

    public struct Entry: Sendable, Equatable, Codable {
        public var version: Int64
        public var description: String
        public var script: String
        public var state: State
        public var appliedAt: String?
        public var executionMs: Int64?
        /// For a failed version: where it stopped and why.
        public var failure: String?
    }

    public let entries: [Entry]

    /// Compares the files, rendered for `dialect`, with the tracker's rows.
    public init(set: MigrationSet, applied: [AppliedMigration], failures: [MigrationFailure] = [], dialect: Dialect) {
        let failed = Dictionary(failures.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let appliedByVersion = Dictionary(applied.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let highestApplied = applied.map(\.version).max() ?? 0
        var entries: [Entry] = set.files.map { file in
            // A failure shows whether the file failed going up (not applied) or down (applied).
            if let failure = failed[file.version] {
                let place = failure.line > 0 ? "\(file.displayPath):\(failure.line)" : file.displayPath
                return Entry(version: file.version, description: file.description, script: file.displayPath, state: .failed,
                             appliedAt: appliedByVersion[file.version]?.appliedAt,
                             failure: "\(place): \(failure.error) (at \(failure.failedAt) UTC)")
            }
            guard let record = appliedByVersion[file.version] else {
                return Entry(version: file.version, description: file.description, script: file.displayPath,
                             state: file.version < highestApplied ? .outOfOrder : .pending)
            }
            return Entry(version: file.version, description: file.description, script: file.displayPath,
                         state: record.checksum == file.checksum(for: dialect) ? .applied : .drifted,
                         appliedAt: record.appliedAt, executionMs: record.executionMs)
        }
        for record in applied where set.file(version: record.version) == nil {
            entries.append(Entry(version: record.version, description: record.description, script: set.folder + "/" + record.script,
                                 state: .missing, appliedAt: record.appliedAt, executionMs: record.executionMs))
        }
        self.entries = entries.sorted { $0.version < $1.version }
    }

    /// The entries in one state, in version order.
    public func entries(_ state: State) -> [Entry] {
        entries.filter { $0.state == state }
    }

    /// The first problem `validate` reports and `migrate` refuses to run past, if any.
    public var problem: MigrationError? {
        if !entries(.failed).isEmpty { return .failedPartWay(entries(.failed).compactMap(\.failure)) }
        if !entries(.drifted).isEmpty { return .drifted(paths: entries(.drifted).map(\.script)) }
        if !entries(.missing).isEmpty { return .missingFromDisk(versions: entries(.missing).map(\.version)) }
        if !entries(.outOfOrder).isEmpty {
            let highest = entries.filter { $0.appliedAt != nil }.map(\.version).max() ?? 0
            return .outOfOrder(pending: entries(.outOfOrder).map(\.script), highestApplied: highest)
        }
        return nil
    }
}
