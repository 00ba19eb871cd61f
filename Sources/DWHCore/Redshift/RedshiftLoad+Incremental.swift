import Foundation
import Postgres

/// The incremental Redshift load: only the prefix's new and changed objects are copied,
/// exactly once (`RedshiftLoadPlan` decides which). One transaction holds the lock on the
/// manifest, the removal of changed objects' old rows, each COPY (through a manifest dwh
/// writes to S3 and removes afterwards), the check of `STL_LOAD_COMMITS` against the
/// manifest, the file ids given to the new rows, and the manifest rows: a failed or killed
/// load leaves none of them.
extension RedshiftLoad {
    /// Where an incremental load writes its COPY manifests, and how it reaches S3.
    public struct Incremental: Sendable {
        public var aws: AWSSettings
        /// `RedshiftCopyManifest.folder(config:)`.
        public var manifestFolder: String

        /// Empty staging and the manifest first, then copy every object.
        public var fullRefresh: Bool

        /// Receives a line per S3 request (`AWSClient`'s log: method, URL, action, status).
        public var log: (@Sendable (String) -> Void)?

        /// The objects one statement of `record_files` records: 9 parameters each, far below
        /// the 32,767 a statement can bind.
        var objectsPerRecord = 500

        public init(aws: AWSSettings, manifestFolder: String, fullRefresh: Bool = false) {
            self.aws = aws
            self.manifestFolder = manifestFolder
            self.fullRefresh = fullRefresh
        }

        /// From dwh.cfg: [AWS] (credentials, region, endpoint) and the manifest folder; nil
        /// when neither [S3] STAGING_PREFIX nor UNLOAD_PREFIX is set (the load then copies
        /// the whole prefix, as before).
        public init?(config: ConfigFile?, fullRefresh: Bool = false) throws {
            guard let folder = RedshiftCopyManifest.folder(config: config) else { return nil }
            self.init(aws: try AWSSettings.resolve(endpointFlag: nil, config: config), manifestFolder: folder,
                      fullRefresh: fullRefresh)
        }
    }

    /// Loads the new and changed objects of SONG_DATA and LOG_DATA (of LOG_DATA alone without
    /// `songs`: a day of `dwh run` after its first); returns each table's plan. LOG_DATA may
    /// name one object (a day's key): only it is listed and copied. Each table the load
    /// changed by a tenth of its rows or more is analysed after the commit (`TableLoad`).
    @discardableResult
    public func runIncremental(on connection: Connection, _ incremental: Incremental, songs: Bool = true,
                               rewrite: @escaping (String) -> String = { $0 }) throws -> [RedshiftLoadPlan] {
        let client = try AWSClient(settings: incremental.aws, log: incremental.log)
        let runID = UUID().uuidString.lowercased()
        let sources = (songs ? [("staging_songs", settings.songData)] : []) + [("staging_events", settings.logData)]
        var written: [S3Location] = []
        defer { for location in written { try? client.deleteObject(location) } }
        func run(_ statement: SQLStatement, _ parameters: [String?] = []) throws -> QueryResult {
            do {
                return try connection.execute(rewrite(statement.sql), parameters)
            } catch let error as PostgresError where error.kind == .server {
                throw statement.place(error) // as every shipped statement's error: copy.sql:line
            }
        }
        let loads = try connection.transaction {
            try begin(incremental, run: run)
            var nextID = (Int(try run(RedshiftSQL.lastFileID).scalar ?? "") ?? 0) + 1
            var loads: [TableLoad] = []
            for (table, url) in sources {
                let load = try load(table, from: url, incremental, firstFileID: nextID, runID: runID, client: client,
                                    written: &written, run: run)
                nextID += load.plan.fileCount
                loads.append(load)
            }
            return loads
        }
        for load in loads where load.needsAnalyze || incremental.fullRefresh {
            _ = try run(load.plan.table == "staging_events" ? RedshiftSQL.analyzeEvents : RedshiftSQL.analyzeSongs)
        }
        return loads.map(\.plan)
    }

    /// What a load did to one table: its plan, and the rows it held and changed, which decide
    /// whether it is analysed. Redshift's own ANALYZE skips a table where fewer than
    /// analyze_threshold_percent (10 %) of the rows changed, and its automatic analyze
    /// renews the statistics of small changes in the background: dwh does not send one for
    /// them, but does after a load that changed a tenth of the table or more.
    struct TableLoad {
        var plan: RedshiftLoadPlan
        /// The manifest's rows for the table before the load.
        var rowsBefore: Int
        /// The rows copied, and those of the replaced groups, which went.
        var rowsChanged = 0

        var needsAnalyze: Bool { rowsChanged > 0 && (rowsBefore == 0 || rowsChanged * 10 >= rowsBefore) }
    }

    /// A statement sent in the load's transaction, and its parameters.
    typealias Send = (SQLStatement, [String?]) throws -> QueryResult

    /// The load's first statements: the manifest locked, then staging emptied (a full
    /// refresh) or checked to hold no rows a whole-prefix COPY left.
    private func begin(_ incremental: Incremental, run: Send) throws {
        _ = try run(RedshiftSQL.lockManifest, [])
        if incremental.fullRefresh {
            for statement in [RedshiftSQL.clearEvents, RedshiftSQL.clearSongs, RedshiftSQL.clearManifest, RedshiftSQL.clearRemoved] {
                _ = try run(statement, [])
            }
            return
        }
        // Rows a whole-prefix COPY left have no file id: tag_* would give them the id of the
        // first object copied now. Only a full refresh can place them.
        let untracked = try run(RedshiftSQL.untrackedRows, []).rows.first ?? []
        let events = Int(untracked.first.flatMap { $0 } ?? "") ?? 0
        let songs = Int(untracked.dropFirst().first.flatMap { $0 } ?? "") ?? 0
        if events > 0 || songs > 0 { throw LoadError.untrackedStagingRows(events: events, songs: songs) }
    }

    /// One staging table's part of the transaction: the prefix at `url` listed and planned
    /// against the manifest, the replaced groups' rows and manifest rows removed, then each
    /// COPY through a manifest written to S3 (added to `written`, which the caller removes),
    /// and its objects recorded.
    private func load(_ table: String, from url: String, _ incremental: Incremental, firstFileID: Int, runID: String,
                      client: AWSClient, written: inout [S3Location], run: Send) throws -> TableLoad {
        let before = Int(try run(RedshiftSQL.recordedRows, [table]).scalar ?? "") ?? 0
        let source = try S3LoadSource(url: url, settings: incremental.aws, log: incremental.log)
        var listed: [SourceFile] = []
        try source.forEachFile(skipped: { _ in }) { listed.append($0) }
        let recorded = try run(RedshiftSQL.recordedObjects, [table, source.manifestRoot ?? url]).rows.map { row in
            ManifestEntry(fileID: Int(row[0] ?? "") ?? 0, table: row[1] ?? "", path: row[2] ?? "",
                          size: Int64(row[3] ?? "") ?? 0, modifiedMicros: Int64(row[4] ?? "") ?? 0,
                          rows: Int(row[5] ?? "") ?? 0, loadedAt: "", etag: row[6], contentHash: row[7] ?? "")
        }
        let plan = RedshiftLoadPlan(table: table, listed: listed, recorded: recorded, firstFileID: firstFileID,
                                    folder: incremental.manifestFolder, runID: runID)
        let groups = Set(plan.replacedRowGroups)
        var result = TableLoad(plan: plan, rowsBefore: before,
                               rowsChanged: recorded.filter { groups.contains(RedshiftLoadPlan.group(of: $0)) }.map(\.rows).reduce(0, +))
        // A group's rows go together, and so do its manifest rows: three statements a group,
        // however many objects it holds.
        for group in plan.replacedRowGroups {
            let tag = [String(group), RedshiftLoadPlan.groupTag(group)]
            _ = try run(table == "staging_events" ? RedshiftSQL.deleteEventRows : RedshiftSQL.deleteSongRows, [String(group)])
            _ = try run(RedshiftSQL.rememberRemovedGroup, tag)
            _ = try run(RedshiftSQL.forgetGroup, tag)
        }
        for copy in plan.copies {
            let location = try S3Location(parsing: copy.manifest.location)
            do {
                try client.putObject(location, body: copy.manifest.json)
            } catch let error as AWSError {
                throw LoadError.manifestUnwritable(location: copy.manifest.location, reason: error.descriptionWithoutResource)
            }
            written.append(location)
            let commits = try self.copy(copy, table: table, source: source, run: run)
            try record(copy, commits, table: table, runID: runID, perStatement: incremental.objectsPerRecord, run: run)
            result.rowsChanged += commits.lines.values.reduce(0, +)
        }
        return result
    }

    /// One COPY through its manifest, checked against STL_LOAD_COMMITS, its rows then given
    /// their file id. A failed COPY whose object is gone says which one.
    private func copy(_ copy: RedshiftLoadPlan.Copy, table: String, source: S3LoadSource,
                      run: Send) throws -> RedshiftLoadCommits {
        let events = table == "staging_events"
        var values = ["manifest": copy.manifest.location, "role": settings.iamRole, "region": settings.region]
        if events { values["jsonpaths"] = settings.logJSONPath }
        let statement = Self.fill(events ? RedshiftSQL.copyEventsManifest : RedshiftSQL.copySongsManifest, values,
                                  maxErrors: settings.maxErrors)
        do {
            _ = try run(statement, [])
        } catch let error as SQLError {
            // The prefix is listed again (as the load listed it): the objects still there.
            var present = Set<String>()
            if (try? source.forEachFile(skipped: { _ in }, { present.insert($0.path) })) != nil {
                for url in copy.manifest.urls where !present.contains(url) {
                    throw LoadError.objectVanished(url: url, table: table)
                }
            }
            throw LoadError.redshiftCopyFailed(table: table, error: error, details: [])
        }
        let copied = Int(try run(RedshiftSQL.copyCount, []).scalar ?? "") ?? 0
        let commits = RedshiftLoadCommits(try run(RedshiftSQL.loadCommits, []).rows.map {
            (file: $0[0] ?? "", lines: Int($0[1] ?? "") ?? 0)
        })
        try commits.verify(copy, table: table, copied: copied, skipped: 0)
        _ = try run(events ? RedshiftSQL.tagEvents : RedshiftSQL.tagSongs, [String(copy.tagFileID)])
        return commits
    }

    /// The manifest rows of one COPY's objects, `perStatement` to a statement.
    private func record(_ copy: RedshiftLoadPlan.Copy, _ commits: RedshiftLoadCommits, table: String, runID: String,
                        perStatement: Int, run: Send) throws {
        let tag = RedshiftLoadPlan.groupTag(copy.tagFileID)
        let step = max(1, perStatement)
        let fields = { (fileID: Int, file: SourceFile) -> [String?] in
            [String(fileID), table, file.path, String(file.size), String(file.modifiedMicros), tag,
             String(commits.lines[file.path] ?? 0), runID, file.etag]
        }
        for start in stride(from: 0, to: copy.files.count, by: step) {
            let files = copy.files[start..<min(start + step, copy.files.count)]
            let parameters = files.flatMap { fields($0.fileID, $0.file) }
            let width = parameters.count / files.count
            let rows = (0..<files.count).map { object in
                SQLScanner.replacingParameters(in: RedshiftSQL.recordFileRow.sql) { "$\(object * width + $0)" }
            }
            _ = try run(RedshiftSQL.recordFiles.filling(["rows": rows.joined(separator: ", ")]), parameters)
        }
    }
}
