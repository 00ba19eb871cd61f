import Foundation

/// What `dwh run` asks for on the command line.
public struct RunRequest: Equatable, Sendable {
    public var date: RunDay?
    public var from: RunDay?
    public var to: RunDay?
    /// Run days that already succeeded again.
    public var rerun: Bool
    /// Apply pending migrations instead of refusing to run.
    public var migrate: Bool
    /// A day whose events file is not there is run as an empty day instead of exiting 75.
    public var allowEmpty: Bool
    public var maxErrors: Int

    public init(date: RunDay? = nil, from: RunDay? = nil, to: RunDay? = nil, rerun: Bool = false, migrate: Bool = false,
                allowEmpty: Bool = false, maxErrors: Int = 0) {
        self.date = date
        self.from = from
        self.to = to
        self.rerun = rerun
        self.migrate = migrate
        self.allowEmpty = allowEmpty
        self.maxErrors = maxErrors
    }
}

/// The days a run will work on and the steps of each, decided before anything runs:
/// `dwh run --dry-run` prints it, and tests compare it without a database.
public struct RunPlan: Equatable, Sendable {
    /// One step of a day, in the order they run.
    public enum Step: Equatable, Sendable, CustomStringConvertible {
        /// The schema is current; pending migrations are applied only with `migrate`.
        case schema(migrate: Bool)
        /// The day's events file, and any new files of the songs folder (nil on the days
        /// after a run's first: a run looks for new song files once).
        case load(events: String, songs: String?)
        /// The star schema from what was loaded (incremental; a rebuild on Redshift when the
        /// load copies whole prefixes, without a COPY manifest folder). On the last day of a
        /// batch, one transform for the batch's days.
        case transform(rebuild: Bool)
        /// The built-in checks and the user's `checks/*.sql`, bound to the day.
        case checks(user: [String])
        /// A day of a batch before its last: its transform and checks wait for that day
        /// (`RunPlan.make`), whose transform takes in every day of the batch at once, and
        /// which then checks each of them on its own interval.
        case held(until: RunDay, checks: [String])
        case report(path: String)
        case export(query: String, parameters: [String], path: String)

        public var name: String {
            switch self {
            case .schema: "schema"
            case .load: "load"
            case .transform: "transform"
            case .checks: "checks"
            case .held: "transform"
            case .report: "report"
            case .export: "export"
            }
        }

        /// Whether the step may change what a check reads.
        public var writes: Bool {
            switch self {
            case .schema, .load, .transform: true
            case .held, .checks, .report, .export: false
            }
        }

        public var description: String {
            switch self {
            case .schema(let migrate): "schema     current" + (migrate ? ", pending migrations applied (--migrate)" : "; pending migrations are an error")
            case .load(let events, let songs): "load       \(events)" + (songs.map { " + new files of \($0)" } ?? "")
            case .transform(let rebuild): "transform  " + (rebuild ? "rebuild (Redshift, whole-prefix COPY)" : "incremental")
            case .checks(let user): "checks     built-in, scoped to the day" + Self.userChecks(user)
            case .held(let day, let user):
                "transform  with \(day)'s, one for the run's days; then checks, scoped to this day" + Self.userChecks(user)
            case .report(let path): "report     \(path)"
            case .export(let query, let parameters, let path):
                "export     \(query)" + parameters.map { " \($0)" }.joined() + " -> \(path)"
            }
        }

        private static func userChecks(_ names: [String]) -> String {
            names.isEmpty ? "" : " + " + names.joined(separator: ", ")
        }
    }

    public struct Day: Equatable, Sendable {
        public var day: RunDay
        /// Why the day is not run (it succeeded before), or nil when it runs.
        public var skipped: String?
        public var steps: [Step]
        /// Why a day that succeeded runs again without `--rerun` (its input changed).
        public var again: String?

        public init(day: RunDay, skipped: String?, steps: [Step], again: String? = nil) {
            self.day = day
            self.skipped = skipped
            self.steps = steps
            self.again = again
        }

        /// A day of a batch before its last (`Step.held`).
        public var isHeld: Bool {
            steps.contains { if case .held = $0 { true } else { false } }
        }
    }

    public let days: [Day]

    /// Plans `request` against `settings`. `succeeded` maps each day the ledger holds a
    /// success for to when it finished; `userChecks` names the `checks/` files.
    /// `changed` gives, for days that succeeded, why their input is no longer what they
    /// loaded: those run again without `rerun`.
    /// `redshiftManifests`: on Redshift, the load copies through COPY manifests ([S3]
    /// STAGING_PREFIX or UNLOAD_PREFIX), so that the transform is incremental.
    public static func make(_ request: RunRequest, settings: RunSettings, dialect: Dialect, redshiftManifests: Bool = false,
                            succeeded: [RunDay: String], changed: [RunDay: String] = [:], userChecks: [String]) throws -> RunPlan {
        guard let events = settings.events else {
            throw RunError.config(key: "[RUN] EVENTS", reason: "not set; it says where each day's events are, "
                + "e.g. log_data/{yyyy}/{mm}/{date}-events.json or s3://bucket/log_data/{yyyy}/{mm}/{date}-events.json")
        }
        let range = try days(request, settings: settings)
        let skipped = range.map { day in
            request.rerun || changed[day] != nil ? nil : succeeded[day].map { "succeeded at \($0); --rerun runs it again" }
        }
        let running = range.indices.filter { skipped[$0] == nil }
        let deliverables = settings.report != nil || !settings.exports.isEmpty
        return RunPlan(days: range.enumerated().map { index, day in
            // New song files are looked for once, on the run's first day. The days that run
            // are one batch, transformed once at the last, unless a day's report or exports
            // read the star tables of that day.
            let songs = index == running.first ? settings.songs : nil
            let again = request.rerun ? nil : succeeded[day].flatMap { _ in changed[day] }
            var steps: [Step] = [.schema(migrate: request.migrate), .load(events: events.render(day), songs: songs)]
            if !deliverables, let last = running.last, index < last {
                steps.append(.held(until: range[last], checks: userChecks))
                return Day(day: day, skipped: skipped[index], steps: steps, again: again)
            }
            steps += [.transform(rebuild: dialect == .redshift && !redshiftManifests), .checks(user: userChecks)]
            if let report = settings.report { steps.append(.report(path: report.render(day))) }
            for export in settings.exports {
                steps.append(.export(query: export.query, parameters: export.parameters.map { "\($0.name)=\($0.value.render(day))" },
                                     path: export.path.render(day)))
            }
            return Day(day: day, skipped: skipped[index], steps: steps, again: again)
        })
    }

    /// `--date`, else `--from`/`--to`, else [RUN] START_DATE to END_DATE.
    static func days(_ request: RunRequest, settings: RunSettings) throws -> [RunDay] {
        if let date = request.date { return [date] }
        guard let first = request.from ?? settings.startDate else {
            throw RunError.config(key: "[RUN] START_DATE", reason: "not set; with no --date or --from, dwh catches up from START_DATE")
        }
        let last = request.to ?? settings.endDate
        guard first <= last else {
            throw RunError.config(key: request.from == nil ? "[RUN] START_DATE" : "--from", reason: "\(first) is after \(last)")
        }
        return first.through(last)
    }

    /// Whether the run's transform rebuilds (on Redshift, copying whole prefixes).
    var rebuilds: Bool { days.contains { $0.steps.contains(.transform(rebuild: true)) } }

    /// The days that will run.
    public var toRun: [Day] { days.filter { $0.skipped == nil } }

    /// What `--dry-run` prints.
    public var transcript: String {
        var lines: [String] = []
        for day in days {
            if let skipped = day.skipped {
                lines.append("\(day.day): skip (\(skipped))")
                continue
            }
            lines.append("\(day.day): run" + (day.again.map { " again: \($0)" } ?? ""))
            lines += day.steps.enumerated().map { "  \($0.offset + 1). \($0.element)" }
        }
        let skipped = days.count - toRun.count
        lines.append("\(toRun.count) day\(toRun.count == 1 ? "" : "s") to run, \(skipped) already done")
        return lines.joined(separator: "\n") + "\n"
    }
}
