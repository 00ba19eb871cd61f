import Foundation
import Postgres

/// Fills the staging tables on PostgreSQL by streaming COPY, exactly once per file.
///
/// A whole run is one transaction: the lock on the manifest, every file's rows (one COPY
/// per table), the removal of changed files' old rows, the manifest rows and the error
/// rows. A run that fails, exceeds `maxErrors` or is killed leaves nothing behind, and the
/// next run sees the same files as new.
///
/// Each source is walked, read and converted on a thread of its own (`TableFeed`): the
/// first table's rows stream to the server as they are made (binary COPY), the others' go to a
/// temporary file sent after it. Memory stays flat in the number of files: the manifest
/// is read in path order from a temporary file, in step with the sorted walk.
public final class StagingLoader {
    public let connection: Connection
    public typealias Sources = [(table: StagingTable, source: LoadSource)]

    public init(connection: Connection) {
        self.connection = connection
    }

    /// What a load would do with each file, against the manifest as it is now (what
    /// `--dry-run` prints), file by file in the order of `sources` and of paths, then what
    /// it would find about the files it does not load (moves, copies, files gone). Local
    /// files are read to hash them, as a load does.
    @discardableResult
    public func plan(_ sources: Sources, fullRefresh: Bool, skipped: (SkippedEntry) -> Void = { _ in },
                     _ body: (PlannedFile) throws -> Void) throws -> LoadOutcome {
        try Self.requireDistinct(sources)
        try requireMigrated()
        // Adopting resolved paths writes: a dry run does it in a transaction it rolls back as
        // soon as the manifest is read (into a local file), holding no lock while it walks.
        try connection.execute("BEGIN")
        let manifest: SpoolFile?
        do {
            try adoptResolvedPaths(sources)
            manifest = fullRefresh ? nil : try spoolManifest(for: sources)
            try connection.execute("ROLLBACK")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
        var outcome = LoadOutcome()
        for (table, source) in sources {
            var cursor = try manifest.map(ManifestCursor.init(spool:)) ?? .empty
            let decider = FileDecider(table: table, root: source.manifestRoot,
                                      index: { try IdentityIndex(manifest: manifest, table: table.name) })
            cursor.onPassed = { decider.passed($0) }
            let opener = source.makeOpener()
            try source.forEachFile(skipped: skipped) { file in
                let previous = try cursor.entry(for: file.path)
                let identity = try file.etag.map { FileIdentity(size: file.size, etag: $0) }
                    ?? FileIdentity.of(file, bytes: nil, opener: opener)
                try body(PlannedFile(table: table, file: file, action: try decider.decide(file, identity: identity, previous: previous)))
            }
            try cursor.drain()
            outcome = outcome + (try decider.finish(manifest: manifest, exists: Self.fileExists))
        }
        return outcome
    }

    /// Files and bytes under the sources, for a progress line's ETA (a walk of its own).
    public func survey(_ sources: Sources) throws -> LoadSurvey {
        var survey = LoadSurvey()
        for (_, source) in sources {
            try source.forEachFile { file in
                survey.files += 1
                survey.bytes += max(file.size, 0)
            }
        }
        return survey
    }

    public func load(_ sources: Sources, options: LoadOptions = LoadOptions(),
                     progress: @escaping (LoadProgress) -> Void = { _ in }) throws -> LoadResult {
        try Self.requireDistinct(sources)
        try requireMigrated()
        let runID = UUID().uuidString.lowercased()
        var run: LoadRun?
        do {
            return try connection.transaction {
                try database("lock the manifest") { try connection.execute(LoadSQL.lockManifest) }
                try adoptResolvedPaths(sources)
                let time = try database("read the time") { try connection.execute(LoadSQL.now).rows.first ?? [] }
                let now = time.first.flatMap { $0 } ?? "", nowMicros = Int64(time.last.flatMap { $0 } ?? "") ?? 0
                var manifest: SpoolFile?
                if options.fullRefresh {
                    try database("empty staging") { try connection.execute(LoadSQL.fullRefresh) }
                } else {
                    manifest = try spoolManifest(for: sources)
                }
                let firstID = try database("read the last file id") { try connection.execute(LoadSQL.lastFileID).scalar }
                let shared = LoadRun(maxErrors: options.maxErrors, firstFileID: (Int(firstID ?? "") ?? 0) + 1)
                run = shared
                let context = TableFeed.Context(run: shared, manifest: manifest, runID: runID, loadedAtMicros: nowMicros)
                let feeds = try sources.enumerated().map { index, pair in
                    try TableFeed(table: pair.table, source: pair.source,
                                  output: index == 0 ? .queue(ChunkQueue()) : .spool(try SpoolFile()), context: context)
                }
                let started = DispatchTime.now().uptimeNanoseconds
                let report = {
                    let counters = shared.snapshot
                    progress(LoadProgress(filesDone: counters.filesDone, rows: counters.rows, bytesRead: counters.bytesRead,
                                          bytesSkipped: counters.bytesSkipped, expected: options.expected,
                                          seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
                }
                for feed in feeds { feed.start() }
                defer {
                    // On any failure: stop the threads before the transaction rolls back.
                    shared.stop(LoadRun.Stopped())
                    for feed in feeds { feed.join() }
                }
                for feed in feeds { try send(feed, report: report) }
                let outcome = try feeds.reduce(LoadOutcome()) {
                    $0 + (try $1.decider.finish(manifest: manifest, exists: Self.fileExists))
                }
                try recordOutcome(outcome, of: feeds, run: shared, prune: options.prune, runID: runID, at: now)
                return Self.result(runID: runID, feeds: feeds, outcome: outcome, run: shared, pruned: options.prune)
            }
        } catch {
            throw cause(of: error, in: run, runID: runID)
        }
    }

    /// Writes what a load changed besides its staged rows: the replaced (and, with `prune`,
    /// gone) files' rows removed, moved and touched files, the manifest, the bad records.
    private func recordOutcome(_ outcome: LoadOutcome, of feeds: [TableFeed], run: LoadRun, prune: Bool,
                               runID: String, at now: String) throws {
        try database("remove replaced rows") {
            try removeReplaced(outcome.replaced + (prune ? outcome.gone.map(\.fileID) : []))
        }
        try database("record moved and touched files") { try recordMovesAndTouches(outcome) }
        try database("write the manifest") {
            try connection.copyIn(LoadSQL.copyManifest) { writer in
                try writer.write(CopyFormat.binaryHeader)
                for feed in feeds { try feed.manifestRows.forEachChunk { try writer.write($0) } }
                try writer.write(CopyFormat.binaryTrailer)
            }
        }
        try database("record bad records") { try writeErrors(run.badRecords, runID: runID, at: now) }
    }

    private static func result(runID: String, feeds: [TableFeed], outcome: LoadOutcome, run: LoadRun,
                               pruned: Bool) -> LoadResult {
        LoadResult(runID: runID, rows: Dictionary(feeds.map { ($0.table.name, $0.rows) }, uniquingKeysWith: +),
                   filesLoaded: feeds.reduce(0) { $0 + $1.filesLoaded },
                   filesSkipped: feeds.reduce(0) { $0 + $1.filesSkipped },
                   filesReplaced: outcome.replaced.count, badRecords: run.badRecords, skipped: run.skipped,
                   bytesRead: feeds.reduce(0) { $0 + $1.bytesRead }, outcome: outcome, pruned: pruned)
    }

    /// What a failed load throws. A thread's failure is the cause; what the others saw
    /// (stopped) is not. Past `maxErrors` the rows are gone with the transaction, but the
    /// reasons are written in a transaction of their own, for the user to query.
    private func cause(of error: Error, in run: LoadRun?, runID: String) -> Error {
        let cause = run?.firstFailure ?? error
        guard case LoadError.tooManyErrors(let count, let maxErrors, _) = cause, let run else { return cause }
        let bad = run.badRecords
        try? connection.transaction {
            let now = try connection.execute(LoadSQL.now).scalar ?? ""
            try writeErrors(bad, runID: runID, at: now)
        }
        return LoadError.tooManyErrors(count: count, maxErrors: maxErrors, first: Array(bad.prefix(10)))
    }

    /// One table's COPY: from the queue as its feed fills it, or from its spool file once
    /// its feed is done. A feed that loads no file sends no COPY.
    private func send(_ feed: TableFeed, report: () -> Void) throws {
        switch feed.output {
        case .queue(let queue):
            try database("COPY \(feed.table.name)") {
                try connection.copyIn(feed.table.copyStatement(.binary)) { writer in
                    try writer.write(CopyFormat.binaryHeader)
                    while let chunk = try queue.take(waiting: report) {
                        try writer.send(chunk.bytes)
                        queue.recycle(chunk)
                        report()
                    }
                    try writer.write(CopyFormat.binaryTrailer)
                }
            }
        case .spool(let spool):
            feed.join(waiting: report)
            if let failure = feed.failure { throw failure }
            guard feed.filesLoaded > 0 else { return }
            try database("COPY \(feed.table.name)") {
                try connection.copyIn(feed.table.copyStatement(.binary)) { writer in
                    try writer.write(CopyFormat.binaryHeader)
                    try spool.forEachChunk { try writer.send($0) }
                    try writer.write(CopyFormat.binaryTrailer)
                }
            }
        }
        feed.join(waiting: report)
        if let failure = feed.failure { throw failure }
        report()
    }

    /// No file may be reached from two sources (the same folder as --songs and --events,
    /// or one inside the other).
    static func requireDistinct(_ sources: Sources) throws {
        let places = sources.map { pair in
            (pair.source as? LocalFileSource).flatMap { try? $0.resolved().path } ?? pair.source.location
        }
        for (index, place) in places.enumerated() {
            for other in places[(index + 1)...] {
                let inside = { (inner: String, outer: String) in inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/") }
                guard place == other || inside(place, other) || inside(other, place) else { continue }
                throw LoadError.overlappingSources(first: sources[index].source.location,
                                                   second: sources[places.firstIndex(of: other) ?? index].source.location)
            }
        }
    }

    /// Manifest paths recorded under a local source's name as given, when that name holds a
    /// link (what dwh recorded before it resolved links), move to the real path the walk now
    /// reports: otherwise every file would look new and load again. A file moves only if it
    /// is at its real path with the size and time recorded, so a link pointed elsewhere
    /// since cannot hand its old files' rows to other files.
    func adoptResolvedPaths(_ sources: Sources) throws {
        for case let local as LocalFileSource in sources.map(\.source) {
            guard let real = try? local.resolved().path else { continue }
            let given = URL(fileURLWithPath: local.location).standardizedFileURL.path
            guard given != real else { continue }
            try database("adopt the real path of \(local.location)") {
                var ids: [String] = [], paths: [String] = []
                for row in try connection.execute(LoadSQL.recordedUnder, [given]).rows {
                    guard let id = row[0], let recorded = row[1] else { continue }
                    let path = real + recorded.dropFirst(given.count)
                    var info = stat()
                    guard stat(path, &info) == 0 else { continue }
                    let file = LocalFileSource.describe(path, info)
                    guard String(file.size) == row[2], String(file.modifiedMicros) == row[3] else { continue }
                    ids.append(id)
                    paths.append(path)
                }
                guard !ids.isEmpty else { return }
                let quoted = paths.map(Self.arrayElement)
                try connection.execute(LoadSQL.adoptPaths, ["{" + ids.joined(separator: ",") + "}",
                                                           "{" + quoted.joined(separator: ",") + "}"])
            }
        }
    }

    private func requireMigrated() throws {
        let exists = try database("look for dwh_loaded_files") {
            try connection.execute(LoadSQL.tableExists, ["dwh_loaded_files"]).scalar
        }
        guard exists == "t" else { throw LoadError.notMigrated(table: "dwh_loaded_files") }
    }

    /// Runs `body`, turning a database error into one that says which step failed.
    @discardableResult
    func database<T>(_ step: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLError {
            throw LoadError.database(step: step, error: error)
        } catch let error as PostgresError {
            throw LoadError.database(step: step, error: error)
        }
    }
}
