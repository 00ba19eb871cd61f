import ArgumentParser
import DWHCore
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daily job: for each day, check the schema, load, transform, check, deliver; idempotent.",
        discussion: """
        Each day runs as five steps: the schema is current (pending migrations are an error \
        unless --migrate), the day's [RUN] EVENTS file and any new SONGS files are loaded, the \
        star schema is transformed, the checks run on the day (built-in and checks/*.sql), and \
        [RUN] REPORT and EXPORTS are written. Every attempt is recorded in the warehouse \
        (`dwh runs`); a day that succeeded is skipped unless --rerun. With no date, every day \
        from [RUN] START_DATE to END_DATE (default: yesterday, UTC) not done yet is run. Without \
        REPORT or EXPORTS, a run of many days is one batch: each day is loaded, the last one \
        transforms once for all, and each day is then checked on its own. One run at a time: a \
        second one exits 75 (or waits, with --wait).

        Exit status:
          0    done, or nothing to do
          65   a check of severity error failed, or bad records went over --max-errors
          75   temporary: the lock is held, the day's input is not there yet (its path is
               named), or the server stayed unreachable after the retries
          78   configuration error (dwh.cfg [RUN] or a flag)
          1    any other failure
          130  SIGINT, 143 SIGTERM: the running step is cancelled on the server
        """
    )

    @Option(help: ArgumentHelp("Run one day.", valueName: "YYYY-MM-DD")) var date: String?
    @Option(help: ArgumentHelp("Run every day from this one …", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("… to this one (default [RUN] END_DATE, or yesterday).", valueName: "YYYY-MM-DD")) var to: String?
    @Flag(help: "Run days that already succeeded again.") var rerun = false
    @Flag(help: "Apply pending migrations first instead of failing.") var migrate = false
    @Flag(name: .customLong("allow-empty"), help: "A day with no events file is an empty day, not exit 75.") var allowEmpty = false
    @Option(name: .customLong("max-errors"), help: "Bad records to skip before the day fails (65).") var maxErrors = 0
    @Option(help: "Retries of a step that failed for a transient reason (default [RUN] RETRIES, or 0).") var retries: Int?
    @Option(name: .customLong("retry-delay"), help: ArgumentHelp("Pause before a retry: 90, 30s, 5m, 1h (default [RUN] RETRY_DELAY, or 5m).", valueName: "duration"))
    var retryDelay: String?
    @Option(name: .customLong("on-failure"), help: ArgumentHelp("A shell command to run when the run fails (default [RUN] ON_FAILURE).", valueName: "command"))
    var onFailure: String?
    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp("How long a step waits for a table lock another session holds, then fails as transient: 0 (for ever), 30s, 10m (default [RUN] LOCK_TIMEOUT, or 10m; PostgreSQL).", valueName: "duration"))
    var lockTimeout: String?
    @Flag(help: "Wait for another run's lock instead of exiting 75.") var wait = false
    @Flag(name: .customLong("dry-run"), help: "Print the days and steps; touch nothing.") var dryRun = false
    @Option(name: .customLong("print-schedule"), help: ArgumentHelp("Print a crontab line, or a systemd service and timer, for this folder.", valueName: "cron|systemd"))
    var printSchedule: String?
    @Option(name: .customLong("migrations-dir"), help: ArgumentHelp("The migrations folder (default: migrations).", valueName: "dir"))
    var migrationsDirectory: String?
    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        do {
            try runJob()
        } catch let error as RunError {
            Console.info("Error: \(error)")
            throw ExitCode(error.exitCode)
        } catch let error as ConfigError {
            Console.info("Error: \(error)")
            throw ExitCode(RunExit.config)
        }
    }

    private func runJob() throws {
        let context = try connection.context()
        let config = context.config
        let settings = try RunSettings(config: config, overrides: .init(retries: retries, retryDelay: retryDelay, onFailure: onFailure, lockTimeout: lockTimeout))
        if let printSchedule {
            return print(try RunSchedule(kind: printSchedule, folder: FileManager.default.currentDirectoryPath,
                                         executable: ProjectSearch.runningExecutable() ?? "dwh", config: connection.configPath).text,
                         terminator: "")
        }
        func day(_ text: String?, _ flag: String) throws -> RunDay? {
            guard let text else { return nil }
            guard let day = RunDay(text) else { throw RunError.config(key: flag, reason: "\"\(text)\" is not a day (YYYY-MM-DD)") }
            return day
        }
        let request = RunRequest(date: try day(date, "--date"), from: try day(from, "--from"), to: try day(to, "--to"),
                                 rerun: rerun, migrate: migrate, allowEmpty: allowEmpty, maxErrors: maxErrors)
        let options = RunJob.Options(request: request, settings: settings, config: config, migrationsFlag: migrationsDirectory,
                                     wait: wait, version: DWH.version)
        let target = try context.target()
        if dryRun {
            let session = try Session(target: target)
            return print(try RunJob.plan(options, connection: session.connection, dialect: session.dialect).transcript, terminator: "")
        }
        let outcome = RunJob(options, target: target, say: { print($0) }, warn: { Console.warn($0) }).run()
        if let error = outcome.error { Console.info("Error: \(error)") }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    func validate() throws {
        guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more") }
        if date != nil && (from != nil || to != nil) { throw ValidationError("--date runs one day: give it, or --from/--to, not both") }
        if let retries, retries < 0 { throw ValidationError("--retries must be 0 or more") }
    }
}
