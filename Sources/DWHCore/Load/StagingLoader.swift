import Foundation
import Postgres

/// How a load behaves.
public struct LoadOptions: Equatable, Sendable {
    /// Bad records to skip (and record) before the load fails as a whole.
    public var maxErrors: Int
    /// Empty staging and the manifest first, then load every file.
    public var fullRefresh: Bool

    public init(maxErrors: Int = 0, fullRefresh: Bool = false) {
        self.maxErrors = maxErrors
        self.fullRefresh = fullRefresh
    }
}

/// Where a running load is, for a progress line.
public struct LoadProgress: Sendable {
    public var filesDone: Int
    public var filesTotal: Int
    public var rows: Int
    public var bytesRead: Int64
    public var bytesTotal: Int64
    public var seconds: Double
}

/// What a finished load did.
public struct LoadResult: Equatable, Sendable {
    public var runID: String
    public var plan: LoadPlan
    /// Rows added per staging table.
    public var rows: [String: Int]
    public var badRecords: [BadRecord]
    public var bytesRead: Int64
}

/// Fills the staging tables on PostgreSQL by streaming COPY, exactly once per file.
///
/// A whole run is one transaction: the lock on the manifest, the removal of changed files'
/// old rows, every file's rows (one COPY per table), the manifest rows and the error rows.
/// A run that fails, exceeds `maxErrors` or is killed leaves nothing behind, and the next
/// run sees the same files as new.
public final class StagingLoader {
    public let connection: Connection
    public typealias Sources = [(table: StagingTable, source: LoadSource)]

    public init(connection: Connection) {
        self.connection = connection
    }

    /// The plan against the manifest as it is now (what `--dry-run` prints).
    public func plan(_ sources: Sources, fullRefresh: Bool) throws -> LoadPlan {
        try requireMigrated()
        return LoadPlan.make(files: try list(sources), manifest: fullRefresh ? [] : try readManifest(), fullRefresh: fullRefresh)
    }

    public func load(_ sources: Sources, options: LoadOptions = LoadOptions(),
                     progress: @escaping (LoadProgress) -> Void = { _ in }) throws -> LoadResult {
        try requireMigrated()
        let listings = try list(sources)
        let runID = UUID().uuidString.lowercased()
        var bad: [BadRecord] = []
        do {
            return try connection.transaction {
                try database("lock the manifest") { try connection.execute(LoadSQL.lockManifest) }
                let manifest = options.fullRefresh ? [] : try readManifest()
                let plan = LoadPlan.make(files: listings, manifest: manifest, fullRefresh: options.fullRefresh)
                try database("remove replaced rows") { try removeReplaced(plan) }
                // Indices into plan.items, not copies of them: a load can cover a million files.
                let toLoad = plan.items.indices.filter { plan.items[$0].fileID != nil }
                var streamer = FileStreamer(items: plan.items, toLoad: toLoad, sources: sources,
                                            maxErrors: options.maxErrors, progress: progress)
                var rows: [String: Int] = [:]
                var loaded: [(index: Int, summary: FileReadSummary)] = []
                loaded.reserveCapacity(toLoad.count)
                for table in [StagingTable.events, .songs] {
                    let indices = toLoad.filter { plan.items[$0].table.name == table.name }
                    guard !indices.isEmpty else { continue }
                    let summaries = try database("COPY \(table.name)") {
                        try streamer.copy(indices, table: table, into: connection) { bad.append($0) }
                    }
                    rows[table.name] = summaries.reduce(0) { $0 + $1.rows }
                    for (index, summary) in zip(indices, summaries) { loaded.append((index, summary)) }
                }
                let now = try database("read the time") { try connection.execute(LoadSQL.now).scalar ?? "" }
                try database("write the manifest") { try writeManifest(plan.items, loaded, runID: runID, at: now) }
                try database("record bad records") { try writeErrors(bad, runID: runID, at: now) }
                return LoadResult(runID: runID, plan: plan, rows: rows, badRecords: bad, bytesRead: streamer.bytesRead)
            }
        } catch let error as LoadError {
            guard case .tooManyErrors(let count, let maxErrors, _) = error else { throw error }
            // The rows are gone with the transaction; the reasons stay for the user to query.
            try? connection.transaction {
                let now = try connection.execute(LoadSQL.now).scalar ?? ""
                try writeErrors(bad, runID: runID, at: now)
            }
            throw LoadError.tooManyErrors(count: count, maxErrors: maxErrors, first: Array(bad.prefix(10)))
        }
    }

    private func list(_ sources: Sources) throws -> [(table: StagingTable, files: [SourceFile])] {
        try sources.map { ($0.table, try $0.source.listFiles()) }
    }

    private func requireMigrated() throws {
        let exists = try database("look for dwh_loaded_files") {
            try connection.execute(LoadSQL.tableExists, ["dwh_loaded_files"]).scalar
        }
        guard exists == "t" else { throw LoadError.notMigrated(table: "dwh_loaded_files") }
    }

    /// Runs `body`, turning a database error into one that says which step failed.
    func database<T>(_ step: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw LoadError.database(step: step, message: error.headline)
        }
    }
}
