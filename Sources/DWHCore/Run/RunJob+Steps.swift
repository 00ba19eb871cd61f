import Foundation
import Postgres

extension RunJob {
    /// Runs one step of a day on the job's session; what it did, for the ledger and the
    /// output.
    func perform(_ step: RunPlan.Step, day: RunDay) throws -> RunAttempt.Step {
        guard let session else { throw RunError.unreachable(attempts: 1, reason: "no connection") }
        stepStarted = Date()
        if step.writes { standing = StandingAnswers() }
        let (rows, detail): (Int, String)
        switch step {
        case .schema(let migrate): (rows, detail) = try schema(session, migrate: migrate)
        case .load(let events, let songs): (rows, detail) = try load(session, day: day, events: events, songs: songs)
        case .transform(let rebuild): (rows, detail) = try transform(session, TransformOptions(fullRefresh: rebuild))
        case .held(let until, _): (rows, detail) = (0, "with \(until)'s, one for the run's days")
        case .checks: (rows, detail) = try checks(session, day: day)
        case .report(let path): (rows, detail) = try report(session, path: path)
        case .export(let query, let parameters, let path):
            (rows, detail) = try export(session, query: query, parameters: parameters, path: path)
        }
        return RunAttempt.Step(step: step.name, seconds: stepSeconds, rows: rows, detail: detail)
    }

    var stepSeconds: Double { Date().timeIntervalSince(stepStarted) }

    /// The schema is current: no pending, failed, drifted or missing migration.
    private func schema(_ session: Session, migrate: Bool) throws -> (Int, String) {
        let set = try MigrationSet.locate(flag: options.migrationsFlag)
        let migrator = Migrator(connection: session.connection, dialect: session.dialect, set: set)
        var status = try migrator.status()
        if let problem = status.problem { throw RunError.schema("\(problem)") }
        var applied = 0
        let pending = status.entries(.pending)
        if !pending.isEmpty {
            guard migrate else { throw RunError.pendingMigrations(scripts: pending.map(\.script)) }
            applied = try migrator.migrate().count
            status = try migrator.status()
        }
        let current = status.entries(.applied).count
        return (applied, applied == 0 ? "current (\(current) migrations)" : "\(applied) migrations applied (--migrate), \(current) in all")
    }

    /// The day's events file and any new song files, each loaded exactly once (a changed
    /// file replaces its rows). On Redshift, see `RedshiftDayLoad`.
    private func load(_ session: Session, day: RunDay, events: String, songs: String?) throws -> (Int, String) {
        let eventsSource = try source(events)
        let present = events.hasPrefix("s3://") ? try !eventsSource.listFiles().isEmpty : FileManager.default.fileExists(atPath: events)
        if !present {
            guard options.request.allowEmpty else { throw RunError.inputMissing(day: day, path: events) }
            if songs == nil { return (0, "no events file at \(events): an empty day (--allow-empty)") }
        }
        if session.dialect == .redshift {
            switch try RedshiftDayLoad(events: events, songs: songs, settings: options.settings, config: options.config,
                                       maxErrors: options.request.maxErrors) {
            case .whole(let load):
                try load.run(on: session.connection)
                return (0, "COPY from \(load.settings.logData) and \(load.settings.songData) (whole: no [S3] STAGING_PREFIX)")
            case .incremental(let load, let incremental, let withSongs):
                let plans = try load.runIncremental(on: session.connection, incremental, songs: withSongs)
                let copied = plans.map { "\($0.table) \($0.new.count + $0.changed.count) copied, \($0.unchanged) unchanged" }
                return (0, "COPY through a manifest: " + copied.joined(separator: "; "))
            }
        }
        var sources: StagingLoader.Sources = present ? [(StagingTable.events, eventsSource)] : []
        if let songs { sources.append((StagingTable.songs, try source(songs))) }
        let result = try StagingLoader(connection: session.connection)
            .load(sources, options: LoadOptions(maxErrors: options.request.maxErrors))
        for record in result.badRecords.prefix(20) { warn("skipped \(record)") }
        let rows = result.rows.values.reduce(0, +)
        let replaced = result.filesReplaced > 0 ? ", \(result.filesReplaced) changed" : ""
        return (rows, "\(result.filesLoaded) file\(result.filesLoaded == 1 ? "" : "s") loaded\(replaced), \(result.filesSkipped) unchanged: "
            + ["staging_events", "staging_songs"].map { "\($0) +\(result.rows[$0] ?? 0)" }.joined(separator: ", ")
            + (present ? "" : " (no events file at \(events): an empty day, --allow-empty)"))
    }

    private func source(_ path: String) throws -> LoadSource {
        try Self.source(path, config: options.config)
    }

    static func source(_ path: String, config: ConfigFile?) throws -> LoadSource {
        path.hasPrefix("s3://")
            ? try S3LoadSource(url: path, settings: AWSSettings.resolve(endpointFlag: nil, config: config))
            : LocalFileSource(path: path)
    }

    private func transform(_ session: Session, _ options: TransformOptions) throws -> (Int, String) {
        let result = try Transformer(connection: session.connection, dialect: session.dialect).run(options)
        let rows = result.changes.values.reduce(0) { $0 + $1.inserted + $1.updated + $1.deleted }
        return (rows, "\(result.plan.mode.rawValue): \(result.summary)")
    }

    /// The built-in checks and the project's, on the day; a failing `error` check fails
    /// the day (65), a `warn` check is printed.
    private func checks(_ session: Session, day: RunDay) throws -> (Int, String) {
        let interval = (day.runStart, day.runEnd)
        let results = try QualityChecks.run(session.connection, dialect: session.dialect, interval: interval, standing: standing)
            + CheckCatalog.locate().run(session.connection, interval: interval, standing: standing)
            + TableHealth.run(session.connection, dialect: session.dialect)
        for result in results where !result.passed {
            let what = result.severity == .warn ? "warning" : "FAILED"
            say("  check \(result.name): \(what), \(result.violations) offending row\(result.violations == 1 ? "" : "s")")
            for row in result.sample { say("      \(row)") }
        }
        let failed = results.filter { !$0.passed && $0.severity == .error }
        if !failed.isEmpty { throw RunError.checksFailed(day: day, names: failed.map(\.name)) }
        let warned = results.filter { !$0.passed }.count
        return (0, "\(results.count) passed" + (warned == 0 ? "" : " (\(warned) with warnings)"))
    }

    private func report(_ session: Session, path: String) throws -> (Int, String) {
        let catalog = try QueryCatalog.locate()
        let definition = try ReportDefinition(file: catalog.directory + "/report.txt")
        let plan = try ReportPlan(definition: definition, catalog: catalog)
        let sections = try ReportRunner.run(plan, on: session.connection, failFast: true)
        let document = ReportDocument(title: plan.title, database: session.target.summary, generatedAt: Date(), sections: sections)
        try Self.makeFolder(for: path)
        try ReportRunner.write(document, to: path)
        return (sections.count, "wrote \(path) (\(sections.count) sections)")
    }

    private func export(_ session: Session, query name: String, parameters: [String], path: String) throws -> (Int, String) {
        let query = try QueryCatalog.locate().query(named: name)
        let values = try query.bind(QueryParameter.assignments(parameters))
        try Self.makeFolder(for: path)
        let rows = try AtomicFile.write(path) { output in
            try Interrupts.shared.cancelling(session.connection) {
                try CSVExport.run(session.connection, dialect: session.dialect, sql: query.sql, parameters: values, to: output)
            }
        }
        return (rows, "wrote \(path)")
    }

    static func makeFolder(for path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
}
