import Foundation
import Postgres

/// `dwh run`: the daily job, one day after another, each as the steps of its `RunPlan`,
/// under the run lock, with every attempt in the ledger.
///
/// - A day that succeeded before is skipped (unless `rerun`).
/// - A step that fails for a transient reason (`TransientFault`) is tried again, after
///   `retryDelay`, as a new attempt of the day on a new connection, up to `retries` times.
/// - The days of a run without deliverables are one batch, transformed once at its last
///   day (`RunJob+Batch`).
/// - The first day that fails ends the run: later days wait for it. The failure is told
///   (`RunNotifier`) and the exit status says what kind it was (`RunExit`).
///
/// The loader loads each file exactly once and the transform is incremental, so a day
/// run again, or run after a kill, ends with the rows one clean run of it gives.
public final class RunJob {
    public struct Options: Sendable {
        public var request: RunRequest
        public var settings: RunSettings
        public var config: ConfigFile?
        /// `--migrations-dir`, for the schema step.
        public var migrationsFlag: String?
        /// Wait for the lock instead of exiting 75.
        public var wait: Bool
        /// `dwh --version`'s text, kept with each attempt.
        public var version: String

        public init(request: RunRequest, settings: RunSettings, config: ConfigFile?, migrationsFlag: String? = nil,
                    wait: Bool = false, version: String) {
            self.request = request
            self.settings = settings
            self.config = config
            self.migrationsFlag = migrationsFlag
            self.wait = wait
            self.version = version
        }
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        public var exitCode: Int32
        /// The failure, as the user reads it; nil on success.
        public var error: String?
        public var succeeded: [RunDay]
        public var skipped: [RunDay]
    }

    let options: Options
    let target: DatabaseTarget
    /// Lines for standard output: steps, days, the summary.
    let say: (String) -> Void
    /// Lines for standard error: warnings.
    let warn: (String) -> Void
    var session: Session?
    var lock: RunLock?
    let host = ProcessInfo.processInfo.hostName

    public init(_ options: Options, target: DatabaseTarget, say: @escaping (String) -> Void, warn: @escaping (String) -> Void) {
        self.options = options
        self.target = target
        self.say = say
        self.warn = warn
    }

    /// The plan as it stands, read without the lock and without creating anything.
    public static func plan(_ options: Options, connection: Connection?, dialect: Dialect) throws -> RunPlan {
        let succeeded = try connection.map { try Ledger(connection: $0).succeeded() } ?? [:]
        var changed: [RunDay: String] = [:]
        if let connection, !options.request.rerun, !succeeded.isEmpty, let events = options.settings.events {
            let inputs = try ChangedInputs(connection: connection)
            for day in try RunPlan.days(options.request, settings: options.settings) where succeeded[day] != nil {
                let path = events.render(day)
                changed[day] = inputs.change(path: path, source: try RunJob.source(path, config: options.config))
            }
        }
        return try RunPlan.make(options.request, settings: options.settings, dialect: dialect,
                                redshiftManifests: RedshiftCopyManifest.folder(config: options.config) != nil, succeeded: succeeded,
                                changed: changed, userChecks: try CheckCatalog.locate().checks.map(\.name))
    }

    /// Runs every day of the plan; never throws: the outcome carries the exit status.
    public func run() -> Outcome {
        let started = Date()
        var outcome = Outcome(exitCode: RunExit.done, error: nil, succeeded: [], skipped: [])
        defer {
            lock?.release()
            let seconds = Date().timeIntervalSince(started)
            let failed = outcome.exitCode == RunExit.done ? "" : ", failed (exit \(outcome.exitCode))"
            say(String(format: "run: %d day%@ succeeded, %d already done%@ in %.1f s", outcome.succeeded.count,
                       outcome.succeeded.count == 1 ? "" : "s", outcome.skipped.count, failed, seconds))
        }
        let plan: RunPlan
        do {
            try connectRetrying()
            plan = try Self.plan(options, connection: session?.connection, dialect: session?.dialect ?? .postgres)
        } catch {
            return fail(&outcome, error, day: nil)
        }
        for day in plan.days {
            if let skipped = day.skipped {
                say("\(day.day): skipped: \(skipped)")
                outcome.skipped.append(day.day)
                continue
            }
            if let again = day.again { say("\(day.day): runs again: \(again)") }
            let error = runDay(day)
            if error != nil { completeHeldDays(after: day.day, rebuild: plan.rebuilds) }
            let heldFailure = completed.first { $0.error != nil }
            outcome.succeeded += completed.filter { $0.error == nil }.map(\.attempt.date)
            completed = []
            if let error {
                return fail(&outcome, error, day: day.day)
            }
            if !day.isHeld { outcome.succeeded.append(day.day) }
            if let heldFailure, let error = heldFailure.error {
                lastAttempt = heldFailure.attempt
                return fail(&outcome, error, day: heldFailure.attempt.date)
            }
        }
        return outcome
    }

    /// Records a failure in the outcome and tells whoever asked to be told.
    private func fail(_ outcome: inout Outcome, _ error: Error, day: RunDay?) -> Outcome {
        outcome.exitCode = RunError.exitCode(for: error)
        let text = redact("\(error)")
        outcome.error = text
        RunNotifier(settings: options.settings, warn: warn)
            .failed(day: day, exitCode: outcome.exitCode, error: text, attempt: lastAttempt)
        return outcome
    }

    var lastAttempt: RunAttempt?
    /// The days of the batch loaded so far, waiting for its transform (`RunJob+Batch`).
    var held: [HeldDay] = []
    /// The held days that the batch's transform took in, as they ended; the run reads them.
    var completed: [CompletedDay] = []
    /// The answers of the checks that read no day, since the last step that wrote: the days
    /// of a batch, checked after one transform, share them.
    var standing = StandingAnswers()
    var stepStarted = Date()
    /// Sessions opened so far: the first may start the embedded server, the others not.
    private var connections = 0

    /// Hides the database password wherever an error might quote it: the session's (a
    /// temporary IAM password is only there) and the target's.
    func redact(_ text: String) -> String {
        Secrets.redact(session?.redact(text) ?? text, passwordOf: target.conninfo)
    }

    /// The first session, tried again after `retryDelay` while the server is unreachable,
    /// `retries` times at most.
    private func connectRetrying() throws {
        var tries = 0
        while true {
            tries += 1
            do {
                return try connect(waiting: options.wait)
            } catch {
                guard TransientFault.isTransient(error), !(error is RunError) else { throw error }
                guard tries <= options.settings.retries else {
                    throw RunError.unreachable(attempts: tries, reason: redact("\(error)"))
                }
                warn(String(format: "cannot connect (%@); attempt %d of %d in %.0f s",
                            redact("\(error)").split(separator: "\n").first.map(String.init) ?? "", tries + 1,
                            options.settings.retries + 1, options.settings.retryDelay))
                Thread.sleep(forTimeInterval: options.settings.retryDelay)
            }
        }
    }

    /// Opens a session (a first one may start the embedded server; later ones only connect,
    /// so that a server dwh starts never inherits the signals it has blocked), creates the
    /// ledger and takes the lock.
    func connect(waiting: Bool) throws {
        lock = nil
        session = nil
        var retarget = target
        defer { connections += 1 }
        if connections > 0, let embedded = target.embedded, let port = embedded.port {
            retarget.conninfo = embedded.url(port: port)
            retarget.embedded = nil
        }
        let session = try Session(target: retarget)
        self.session = session
        Interrupts.shared.install()
        Interrupts.shared.cancelOnSignal(session.connection, notice: "dwh: run stopped: the running step was cancelled on "
            + "the server and rolled back; the attempt stays `running` in the ledger, and the next run completes the day")
        try Ledger(connection: session.connection).create()
        let lock = RunLock(connection: session.connection, dialect: session.dialect, host: host)
        try lock.acquire(wait: waiting) { holder in
            self.warn("waiting for the run lock, held by \(holder.map(\.description) ?? "another run")")
        }
        let target = retarget
        lock.startHeartbeat { try Session(target: target).connection }
        self.lock = lock
        let ledger = Ledger(connection: session.connection)
        // This process's own attempts are not abandoned: the batch's held days, and the one
        // whose failure is recorded once this connection is open.
        let abandoned = try ledger.abandonRunning(except: held.map(\.attempt.runID) + [lastAttempt?.runID].compactMap { $0 })
        if abandoned > 0 {
            warn(Plural.count(abandoned, "attempt") + " left running by a process that stopped, marked abandoned (see dwh runs)")
        }
        if session.dialect == .postgres { try ledger.setLockTimeout(seconds: options.settings.lockTimeout) }
    }
}
