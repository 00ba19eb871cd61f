/// Files and bytes the sources hold.
public struct LoadSurvey: Equatable, Sendable {
    public var files = 0
    public var bytes: Int64 = 0
}

/// Where a running load is, for a progress line. Skipped files count as done.
public struct LoadProgress: Sendable {
    public var filesDone: Int
    public var rows: Int
    public var bytesRead: Int64
    public var bytesSkipped: Int64
    public var expected: LoadSurvey?
    public var seconds: Double
}

/// What a finished load did.
public struct LoadResult: Equatable, Sendable {
    public var runID: String
    /// Rows added per staging table.
    public var rows: [String: Int]
    public var filesLoaded: Int
    public var filesSkipped: Int
    /// Files loaded in place of an older version (counted in `filesLoaded` too).
    public var filesReplaced: Int
    public var badRecords: [BadRecord]
    /// Entries of the source folders that are not loaded (links, FIFOs, …), with why.
    public var skipped: [SkippedEntry]
    public var bytesRead: Int64
    /// Files moved, copied, touched or gone (`outcome.gone` were removed if `pruned`).
    public var outcome: LoadOutcome
    public var pruned: Bool
}
