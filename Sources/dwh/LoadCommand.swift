import ArgumentParser
import DWHCore
import Foundation

struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load raw song and event JSON into staging, then build the star schema.",
        discussion: """
        A path is a folder (walked for *.json) or one file; the defaults are [S3] SONG_DATA and \
        LOG_DATA in dwh.cfg. A file is known by its bytes, and each is loaded exactly once: a \
        re-run skips loaded files (touched or not), a moved file keeps its rows under its new \
        path, a copy is not loaded twice, a changed file replaces its old rows, and an \
        interrupted run leaves nothing behind. Files gone from the source are reported; \
        --prune removes their rows. \
        Bad records are listed and kept in dwh_load_errors; past --max-errors nothing is kept. \
        On Redshift the cluster runs COPY from S3 itself.
        """
    )

    @Option(help: ArgumentHelp("Song files: a folder or a file.", valueName: "path")) var songs: String?
    @Option(help: ArgumentHelp("Event log files: a folder or a file.", valueName: "path")) var events: String?
    @Option(name: .customLong("max-errors"), help: "Bad records to skip before the load fails.") var maxErrors = 0
    @Flag(name: .customLong("full-refresh"), help: "Empty staging and the manifest first.") var fullRefresh = false
    @Flag(help: "Remove the rows of files gone from the sources, and the star rows made of them.") var prune = false
    @Flag(name: .customLong("staging-only"), help: "Stop after staging; do not run the transform.") var stagingOnly = false
    @Flag(name: .customLong("dry-run"), help: "Print what would be loaded and why other files are skipped.") var dryRun = false
    @Flag(help: "No progress output.") var quiet = false
    @Flag(help: "Log each S3 request dwh makes (method, URL, action, status, time) on stderr; never a key or secret.")
    var verbose = false
    @OptionGroup var connection: ConnectionOptionGroup

    func validate() throws {
        guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more") }
    }

    func run() throws {
        let context = try connection.context()
        let session = try context.openSession()
        stopOnSignal(session, "load stopped: nothing of this run was kept")
        let request = LoadJob.Request(songs: songs, events: events, maxErrors: maxErrors, fullRefresh: fullRefresh,
                                      stagingOnly: stagingOnly)
        let awsLog: (@Sendable (String) -> Void)? = verbose ? { @Sendable line in Console.info(line) } : nil
        let job = try LoadJob(request, dialect: session.dialect, config: context.config, awsLog: awsLog)
        switch job.method {
        case .stream(let sources):
            let loader = StagingLoader(connection: session.connection)
            if dryRun { return try printPlan(loader, sources) }
            try stream(loader, sources)
        case .redshiftCopy(let load):
            if dryRun { return print(load.statements.map { $0.statement.sql + ";" }.joined(separator: "\n\n")) }
            try load.run(on: session.connection)
            print("loaded staging_events and staging_songs with COPY from \(load.settings.logData) and \(load.settings.songData)")
        case .redshiftIncremental(let load, let incremental):
            if dryRun { return print("COPY through manifests under \(incremental.manifestFolder): the new and changed objects of "
                                     + "\(load.settings.logData) and \(load.settings.songData)") }
            for plan in try load.runIncremental(on: session.connection, incremental) {
                let copied = plan.new.count + plan.changed.count
                print("\(plan.table): \(copied) object\(copied == 1 ? "" : "s") copied in \(plan.copies.count) COPY"
                    + (plan.changed.isEmpty ? "" : ", \(plan.changed.count) of them changed")
                    + " (\(plan.unchanged) unchanged, skipped)")
            }
        }
        guard let options = job.transform else { return }
        // The load has committed: from here a signal stops the transform only.
        stopOnSignal(session, "transform stopped: the load was kept, the star schema is as it was")
        _ = try transform(session, options, quiet: quiet)
    }

    /// Streams the files in, with a progress line, and says what was loaded.
    private func stream(_ loader: StagingLoader, _ sources: StagingLoader.Sources) throws {
        let progress = ProgressLine(enabled: !quiet)
        let started = Date()
        // Counting first costs a walk of the sources: only for a live line, whose ETA needs it.
        let expected = progress.isLive ? try loader.survey(sources) : nil
        let options = LoadOptions(maxErrors: maxErrors, fullRefresh: fullRefresh, expected: expected, prune: prune)
        let result = try loader.load(sources, options: options) { progress.show($0) }
        progress.finish()
        for entry in result.skipped { Console.warn("skipped \(entry)") }
        for record in result.badRecords.prefix(20) { Console.warn("skipped \(record)") }
        if result.badRecords.count > 20 { Console.warn("… \(result.badRecords.count - 20) more in dwh_load_errors (run \(result.runID))") }
        report(result.outcome, pruned: result.pruned)
        let seconds = Date().timeIntervalSince(started)
        let loaded = result.filesLoaded
        let replaced = result.filesReplaced > 0 ? ", \(result.filesReplaced) of them changed" : ""
        print("loaded \(loaded) file\(loaded == 1 ? "" : "s")\(replaced) (\(result.filesSkipped) unchanged, skipped): "
            + ["staging_events", "staging_songs"].map { "\($0) +\(result.rows[$0] ?? 0)" }.joined(separator: ", ")
            + String(format: " in %.1f s, %.0f MB/s", seconds, Double(result.bytesRead) / 1e6 / max(seconds, 0.001)))
    }

    /// Moves, copies and files gone, which a load does not load, said (the first 20 of each).
    private func report(_ outcome: LoadOutcome, pruned: Bool) {
        for move in outcome.moved.prefix(20) { print("moved \(move.entry.path) → \(move.to.path): its rows stay, not loaded again") }
        if outcome.moved.count > 20 { print("… \(outcome.moved.count - 20) more moved") }
        for copy in outcome.copies.prefix(20) { Console.warn("skipped \(copy)") }
        if outcome.copies.count > 20 { Console.warn("… \(outcome.copies.count - 20) more copies skipped") }
        guard !outcome.gone.isEmpty else { return }
        let files = outcome.gone.count == 1 ? "1 file" : "\(outcome.gone.count) files"
        let rows = outcome.gone.reduce(0) { $0 + $1.rows }
        if pruned {
            print("pruned \(files) gone from the source: \(rows) staging rows removed, and the star rows made of them")
        } else {
            Console.warn("\(files) loaded before \(outcome.gone.count == 1 ? "is" : "are") gone from the source; "
                + "\(outcome.gone.count == 1 ? "its" : "their") \(rows) rows stay until `dwh load --prune` removes them:")
        }
        for entry in outcome.gone.prefix(20) { Console.info("  \(entry.path) (\(entry.rows) rows)") }
        if outcome.gone.count > 20 { Console.info("  … \(outcome.gone.count - 20) more") }
    }

    /// One line per file found, streamed as the sources are walked, then the counts.
    private func printPlan(_ loader: StagingLoader, _ sources: StagingLoader.Sources) throws {
        if fullRefresh { print("full refresh: staging tables and manifest emptied first") }
        var loads = 0, skips = 0
        let outcome = try loader.plan(sources, fullRefresh: fullRefresh, skipped: { print(VisibleText.message("skipped \($0)")) }) { file in
            print(VisibleText.message(file.description))
            if file.loads { loads += 1 } else { skips += 1 }
        }
        for move in outcome.moved { print("move      \(move.entry.path) → \(move.to.path) (\(move.entry.rows) rows stay)") }
        for copy in outcome.copies { print("copy      \(copy)") }
        for entry in outcome.gone {
            print("\(prune ? "prune" : "gone ")     \(entry.path) (\(entry.rows) rows\(prune ? " removed" : " stay; --prune removes them"))")
        }
        print("\(loads) file\(loads == 1 ? "" : "s") to load, \(skips) skipped")
    }
}
