@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// A project folder for `dwh run` over a fresh, migrated database: the given November days
/// of the shared sample copied into `events/` (so that a test may change one), the shared
/// song files, a `checks/` folder and a dwh.cfg whose [RUN] section points at them.
struct RunFixture {
    let test: XCTestCase
    let load: LoadFixture
    let folder: String
    var events: String { folder + "/events" }
    var config: String { folder + "/dwh.cfg" }

    init(_ test: XCTestCase, days: [Int], settings: String = "", checks: [String: String] = [:]) throws {
        self.test = test
        load = try LoadFixture(test)
        folder = try test.temporaryFolder("run")
        try FileManager.default.createDirectory(atPath: folder + "/events", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/checks", withIntermediateDirectories: true)
        for day in days {
            let name = String(format: "2018-11-%02d-events.json", day)
            try FileManager.default.copyItem(atPath: SharedData.path + "/log_data/2018/11/" + name, toPath: events + "/" + name)
        }
        for (name, text) in checks { try text.write(toFile: folder + "/checks/\(name).sql", atomically: true, encoding: .utf8) }
        try """
            [RUN]
            EVENTS = \(folder)/events/{date}-events.json
            SONGS = \(SharedData.path)/song_data
            \(settings)

            """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    var environment: [String: String] {
        ["DWH_CHECKS": folder + "/checks", "DWH_QUERIES": TestDatabase.packageRoot + "/queries"]
    }

    func arguments(_ command: String, _ arguments: [String]) -> [String] {
        [command] + arguments + ["--config", config, "--database-url", load.database.url]
            + (command == "run" ? ["--migrations-dir", TestDatabase.packageRoot + "/migrations"] : [])
    }

    /// Runs `dwh run ARGS` (or another command) and waits.
    func dwh(_ arguments: [String], command: String = "run", environment extra: [String: String] = [:]) throws -> ProcessOutput {
        try DWHBinary.run(self.arguments(command, arguments), environment: environment.merging(extra) { $1 })
    }

    /// Starts `dwh run ARGS` without waiting; its output goes to `log`.
    func start(_ arguments: [String], log: String) throws -> pid_t {
        try DWHBinary.start(self.arguments("run", arguments), environment: environment, log: log)
    }

    /// The ledger's attempts as (day, attempt, status).
    func ledger() throws -> [String] {
        try Ledger(connection: load.connection).attempts().map { "\($0.date) \($0.attempt) \($0.status.rawValue)" }
    }

    /// The star schema one clean load of the files now in `events/` (and the songs) gives.
    func oneShot() throws -> [String] {
        let reference = try LoadFixture(test)
        _ = try reference.load(songs: SharedData.path + "/song_data", events: events)
        _ = try reference.transform()
        return try reference.starSnapshot()
    }

    /// Holds ACCESS EXCLUSIVE on `table` until the blocking connection it returns commits: a
    /// run's step that reads it (the transform, for songplays) waits there, mid-step.
    func block(_ table: String = "songplays") throws -> Connection {
        let blocker = try load.database.connect()
        try blocker.execute("BEGIN")
        try blocker.execute("LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE")
        return blocker
    }

    /// Runs days 1 and 2 with retries; once the run waits for `blocker`'s lock, ends its
    /// session as a server shutdown does (SQLSTATE 57P01, the connection closed) and lets
    /// the lock go. The run's output, once it exited 0.
    func runWhoseSessionEnds(blockedBy blocker: Connection) throws -> String {
        let log = folder + "/retried.log"
        let run = try start(["--from", "2018-11-01", "--to", "2018-11-02", "--retries", "2", "--retry-delay", "1s"], log: log)
        let backend = try waitForBlockedRun()
        XCTAssertEqual(try load.connection.execute("SELECT pg_terminate_backend($1)", [backend]).scalar, "t")
        try blocker.execute("COMMIT")
        XCTAssertEqual(Shell.wait(run), 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        return try String(contentsOfFile: log, encoding: .utf8)
    }

    /// Waits until a session of the database waits for a lock; its backend pid.
    func waitForBlockedRun(seconds: Double = 60) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let pid = try load.connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
                [load.database.name]).scalar { return pid }
            usleep(20_000)
        }
        throw TestFailure(message: "no run came to wait for a table lock")
    }
}

final class RunLiveTests: XCTestCase {
    func testShuffledDaysThenARerunThenAChangedFileEachEqualOneCleanLoad() throws {
        let fixture = try RunFixture(self, days: [1, 2, 3])
        for day in ["2018-11-03", "2018-11-01", "2018-11-02"] {
            let output = try fixture.dwh(["--date", day])
            XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
            XCTAssertTrue(output.stdout.contains("\(day): succeeded"), output.stdout)
            for step in ["schema", "load", "transform", "checks"] { XCTAssertTrue(output.stdout.contains("  \(step) "), output.stdout) }
        }
        let clean = try fixture.oneShot()
        XCTAssertEqual(try fixture.load.starSnapshot(), clean)

        let again = try fixture.dwh(["--date", "2018-11-02"])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("2018-11-02: skipped: succeeded at"), again.stdout)
        let rerun = try fixture.dwh(["--date", "2018-11-02", "--rerun"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try fixture.load.starSnapshot(), clean)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 succeeded", "2018-11-02 1 succeeded", "2018-11-02 2 succeeded",
                                              "2018-11-03 1 succeeded"])

        // The day's file changes (a late correction drops its last 40 events): its rows are replaced.
        let path = fixture.events + "/2018-11-01-events.json"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        try (lines.dropLast(40).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        // No --rerun: the catch-up finds the changed day among the done ones, and runs it alone.
        let dryRun = try fixture.dwh(["--from", "2018-11-01", "--to", "2018-11-03", "--dry-run"])
        XCTAssertTrue(dryRun.stdout.contains("2018-11-01: run again: its events file \(path) changed"), dryRun.stdout)
        XCTAssertTrue(dryRun.stdout.contains("1 day to run, 2 already done"), dryRun.stdout)
        let changed = try fixture.dwh(["--from", "2018-11-01", "--to", "2018-11-03"])
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertTrue(changed.stdout.contains("1 changed"), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("run: 1 day succeeded, 2 already done"), changed.stdout)
        let corrected = try fixture.oneShot()
        XCTAssertNotEqual(corrected, clean)
        XCTAssertEqual(try fixture.load.starSnapshot(), corrected)

        // Catching up with no date: every day of the range is done, so nothing runs.
        let catchUp = try fixture.dwh(["--from", "2018-11-01", "--to", "2018-11-03"])
        XCTAssertEqual(catchUp.status, 0)
        XCTAssertTrue(catchUp.stdout.contains("run: 0 days succeeded, 3 already done"), catchUp.stdout)

        let json = try fixture.dwh(["--format", "json", "--date", "2018-11-02"], command: "runs")
        let attempts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(attempts.count, 2)
        for key in ["date", "status", "attempt", "started_at", "finished_at", "exit_code", "error", "steps"] {
            XCTAssertTrue(attempts[0].keys.contains(key), key)
        }
        XCTAssertEqual((attempts[1]["steps"] as? [[String: Any]])?.map { $0["step"] as? String }, ["schema", "load", "transform", "checks"])
        let missing = try fixture.dwh(["--missing", "--from", "2018-11-01", "--to", "2018-11-05"], command: "runs")
        XCTAssertEqual(missing.stdout, "2018-11-04\n2018-11-05\n")
        XCTAssertEqual(try fixture.dwh(["--freshness", "1h"], command: "runs").status, 0)
    }

    func testASecondRunWhileOneHoldsTheLockExits75AndChangesNothing() throws {
        let fixture = try RunFixture(self, days: [1, 2])
        let blocker = try fixture.block()
        let first = try fixture.start(["--date", "2018-11-01"], log: fixture.folder + "/first.log")
        _ = try fixture.waitForBlockedRun()
        // Not the star tables: the test's own lock on songplays would stop their count.
        let staged = "SELECT (SELECT COUNT(*) FROM staging_events) * 1000 + (SELECT COUNT(*) FROM dwh_loaded_files)"
        let before = try fixture.load.count(staged)

        let started = Date()
        let second = try fixture.dwh(["--date", "2018-11-02"])
        XCTAssertEqual(second.status, 75, second.stdout + second.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the second run waited instead of exiting at once")
        XCTAssertTrue(second.stderr.contains("another run holds the lock: host \(ProcessInfo.processInfo.hostName), pid \(first), since "),
                      second.stderr)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 running"])
        XCTAssertEqual(try fixture.load.count(staged), before)

        try blocker.execute("COMMIT")
        XCTAssertEqual(Shell.wait(first), 0)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 succeeded"])
    }

    func testAStepThatWaitsPastTheLockTimeoutIsRetriedThenExits75() throws {
        let fixture = try RunFixture(self, days: [1])
        let blocker = try fixture.block()
        defer { _ = try? blocker.execute("ROLLBACK") }
        let started = Date()
        let run = try fixture.dwh(["--date", "2018-11-01", "--lock-timeout", "1s", "--retries", "1", "--retry-delay", "1s"])
        XCTAssertEqual(run.status, 75, run.stdout + run.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "the run waited past its lock timeout")
        XCTAssertTrue(run.stderr.contains("transient failure"), run.stderr)
        XCTAssertTrue((run.stdout + run.stderr).contains("lock timeout"), run.stdout + run.stderr)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 failed", "2018-11-01 2 failed"])
    }

    /// Killed in the transform of a batch's last day: the day held before it stays running
    /// too, and the next run completes both.
    func testARunKilledMidStepIsCompletedByTheNextRun() throws {
        let fixture = try RunFixture(self, days: [1, 2])
        let blocker = try fixture.block()
        let run = try fixture.start(["--from", "2018-11-01", "--to", "2018-11-02"], log: fixture.folder + "/killed.log")
        _ = try fixture.waitForBlockedRun()
        XCTAssertEqual(kill(run, SIGKILL), 0)
        XCTAssertEqual(Shell.wait(run), 128 + SIGKILL)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 running", "2018-11-02 1 running"])
        try blocker.execute("COMMIT")

        // The killed run's session may outlive it a moment (the server notices when it next
        // writes to it): --wait waits for its lock to go with it.
        let next = try fixture.dwh(["--from", "2018-11-01", "--to", "2018-11-02", "--wait"])
        XCTAssertEqual(next.status, 0, next.stdout + next.stderr)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 abandoned", "2018-11-01 2 succeeded",
                                              "2018-11-02 1 abandoned", "2018-11-02 2 succeeded"])
        XCTAssertTrue(next.stderr.contains("2 attempts left running by a process that stopped, marked abandoned"), next.stderr)
        XCTAssertEqual(try fixture.load.starSnapshot(), try fixture.oneShot())
    }

    /// The fault hits the transform of a batch's last day: that day is tried again, and the
    /// day held before it is not taken for one left by a stopped process.
    func testATransientFaultIsRetried() throws {
        let fixture = try RunFixture(self, days: [1, 2])
        let output = try fixture.runWhoseSessionEnds(blockedBy: try fixture.block())
        XCTAssertTrue(output.contains("transient failure"), output)
        XCTAssertFalse(output.contains("abandoned"), output)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 succeeded", "2018-11-02 1 failed", "2018-11-02 2 succeeded"])
        let failed = try XCTUnwrap(try Ledger(connection: fixture.load.connection).attempts().first { $0.status == .failed })
        // libpq reports the server's 57P01 as the connection it then closes.
        XCTAssertTrue(failed.error?.hasPrefix("transform: server closed the connection unexpectedly") == true, failed.error ?? "")
        XCTAssertEqual(try fixture.load.starSnapshot(), try fixture.oneShot())
    }

    /// The fault hits the checks of a day held for the batch's transform: a new attempt of
    /// that day runs its checks again, and the batch's last day still succeeds.
    func testATransientFaultInAHeldDaysChecksIsRetried() throws {
        let gated = "-- check: gated\n-- severity: error\n-- param: run_start timestamp\n-- param: run_end timestamp\n"
            + "SELECT x FROM check_gate WHERE $1::timestamp < $2::timestamp;\n"
        let fixture = try RunFixture(self, days: [1, 2], checks: ["gated": gated])
        try fixture.load.connection.execute("CREATE TABLE check_gate (x int)")
        let output = try fixture.runWhoseSessionEnds(blockedBy: try fixture.block("check_gate"))
        XCTAssertTrue(output.contains("2018-11-01: attempt 2, its checks again"), output)
        XCTAssertFalse(output.contains("abandoned"), output)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 failed", "2018-11-01 2 succeeded", "2018-11-02 1 succeeded"])
        let retried = try XCTUnwrap(try Ledger(connection: fixture.load.connection).attempts().first { $0.date.description == "2018-11-01" && $0.attempt == 2 })
        XCTAssertEqual(retried.steps.map(\.step), ["checks"])
        XCTAssertEqual(try fixture.load.starSnapshot(), try fixture.oneShot())
    }

    func testASQLErrorIsNotRetried() throws {
        let fixture = try RunFixture(self, days: [1])
        XCTAssertEqual(try fixture.dwh(["--date", "2018-11-01"]).status, 0)
        try "-- check: broken\nSELECT * FROM no_such_table WHERE $1::timestamp < $2::timestamp\n-- param: run_start timestamp\n"
            .write(toFile: fixture.folder + "/checks/broken.sql", atomically: true, encoding: .utf8)
        let broken = try fixture.dwh(["--date", "2018-11-01", "--rerun", "--retries", "2", "--retry-delay", "1s"])
        XCTAssertEqual(broken.status, 1, broken.stdout + broken.stderr)
        XCTAssertFalse(broken.stderr.contains("transient"), broken.stderr)
        XCTAssertTrue(broken.stderr.contains("ERROR 42P01"), broken.stderr)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 succeeded", "2018-11-01 2 failed"], "a SQL error was retried")
    }

    /// Days 1 and 2 with an error check that fails for day 1's plays alone, a warn check that
    /// always warns, a report and an export; and the folder the deliverables go to.
    private func checkedFixture() throws -> (fixture: RunFixture, reports: String) {
        let scoped = """
            -- check: no_plays_on_the_first
            -- description: Fails for the plays of 2018-11-01 only.
            -- severity: error
            -- param: run_start timestamp
            -- param: run_end timestamp
            SELECT songplay_id, start_time FROM songplays
            WHERE start_time >= $1::timestamp AND start_time < $2::timestamp AND start_time < '2018-11-02'
            ORDER BY start_time;
            """
        let warn = "-- check: every_play_warns\n-- severity: warn\nSELECT songplay_id FROM songplays LIMIT 3;\n"
        let fixture = try RunFixture(self, days: [1, 2], settings: """
            REPORT = {REPORTS}/{date}.html
            EXPORTS = top_locations limit=3 since={run_start} -> {REPORTS}/{date}/top_locations.csv
            """.replacingOccurrences(of: "{REPORTS}", with: try temporaryFolder("run") + "/reports"),
            checks: ["no_plays_on_the_first": scoped, "every_play_warns": warn])
        let reports = try XCTUnwrap(try RunSettings(config: ConfigFile.load(fixture.config)).report?.text)
            .replacingOccurrences(of: "/{date}.html", with: "")
        return (fixture, reports)
    }

    func testAWarnCheckPrintsAndTheDayWritesItsDeliverables() throws {
        let (fixture, reports) = try checkedFixture()
        let second = try fixture.dwh(["--date", "2018-11-02"])
        XCTAssertEqual(second.status, 0, second.stdout + second.stderr)
        XCTAssertTrue(second.stdout.contains("check every_play_warns: warning, 3 offending rows"), second.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: reports + "/2018-11-02.html"))
        let csv = try String(contentsOfFile: reports + "/2018-11-02/top_locations.csv", encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("location,plays,listeners\n"), csv)
        XCTAssertEqual(csv.split(separator: "\n").count, 4, csv)
    }

    func testAFailedErrorCheckExits65ShowingFiveRowsAndWritesNoDeliverable() throws {
        let (fixture, reports) = try checkedFixture()
        let first = try fixture.dwh(["--date", "2018-11-01"])
        XCTAssertEqual(first.status, 65, first.stdout + first.stderr)
        let plays = try fixture.load.count("SELECT COUNT(*) FROM songplays WHERE start_time < '2018-11-02'")
        XCTAssertGreaterThan(plays, 5)
        XCTAssertTrue(first.stdout.contains("check no_plays_on_the_first: FAILED, \(plays) offending rows"), first.stdout)
        let shown = first.stdout.split(separator: "\n").filter { $0.hasPrefix("      songplay_id=") && $0.contains(", start_time=2018-11-01") }
        XCTAssertEqual(shown.count, 5, first.stdout)
        XCTAssertTrue(first.stderr.contains("2018-11-01: 1 check of severity error failed: no_plays_on_the_first"), first.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: reports + "/2018-11-01.html"), "a deliverable was written after a failed check")
        XCTAssertFalse(FileManager.default.fileExists(atPath: reports + "/2018-11-01"))
    }

    /// The same check by `dwh check`: on the second day it reads only that day.
    func testAScopedCheckReadsOnlyItsDay() throws {
        let fixture = try checkedFixture().fixture
        XCTAssertEqual(try fixture.dwh(["--date", "2018-11-02"]).status, 0)
        XCTAssertEqual(try fixture.dwh(["--date", "2018-11-01"]).status, 65)
        let environment = ["DWH_CHECKS": fixture.folder + "/checks"]
        try DWHBinary.expect(0, ["check", "--date", "2018-11-02", "--database-url", fixture.load.database.url], environment: environment)
        let all = try DWHBinary.expect(1, ["check", "--database-url", fixture.load.database.url], environment: environment)
        XCTAssertTrue(all.stdout.contains("no_plays_on_the_first"), all.stdout)
    }

    func testAMissingDayExits75NamingThePath() throws {
        let fixture = try RunFixture(self, days: [1])
        XCTAssertEqual(try fixture.dwh(["--date", "2018-11-01"]).status, 0)
        let missing = try fixture.dwh(["--date", "2018-11-30"])
        XCTAssertEqual(missing.status, 75, missing.stdout + missing.stderr)
        XCTAssertTrue(missing.stderr.contains(fixture.events + "/2018-11-30-events.json"), missing.stderr)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 succeeded", "2018-11-30 1 failed"])
    }

    func testAllowEmptyRunsAMissingDayAsAnEmptyOne() throws {
        let fixture = try RunFixture(self, days: [1])
        XCTAssertEqual(try fixture.dwh(["--date", "2018-11-01"]).status, 0)
        let empty = try fixture.dwh(["--date", "2018-11-30", "--allow-empty"])
        XCTAssertEqual(empty.status, 0, empty.stdout + empty.stderr)
        XCTAssertTrue(empty.stdout.contains("no events file at \(fixture.events)/2018-11-30-events.json: an empty day"), empty.stdout)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 succeeded", "2018-11-30 1 succeeded"])
    }

    /// The days of a run wait for one transform at its last; each is then checked on its
    /// own day, and a check that fails fails that day alone.
    func testARunOfManyDaysTransformsOnceAndChecksEachDayOnItsOwn() throws {
        let second = """
            -- check: no_plays_on_the_second
            -- severity: error
            -- param: run_start timestamp
            -- param: run_end timestamp
            SELECT songplay_id FROM songplays
            WHERE start_time >= $1::timestamp AND start_time < $2::timestamp AND start_time >= '2018-11-02'
              AND start_time < '2018-11-03';
            """
        let fixture = try RunFixture(self, days: [1, 2, 3], checks: ["no_plays_on_the_second": second])
        let run = try fixture.dwh(["--from", "2018-11-01", "--to", "2018-11-03"])
        XCTAssertEqual(run.status, 65, run.stdout + run.stderr)
        XCTAssertEqual(run.stdout.components(separatedBy: "  transform  full rebuild: ").count - 1, 1, run.stdout)
        XCTAssertEqual(run.stdout.components(separatedBy: "  transform  with 2018-11-03's, one for the run's days").count - 1, 2,
                       run.stdout)
        XCTAssertTrue(run.stderr.contains("2018-11-02: 1 check of severity error failed: no_plays_on_the_second"), run.stderr)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 succeeded", "2018-11-02 1 failed", "2018-11-03 1 succeeded"])
        let attempts = try Ledger(connection: fixture.load.connection).attempts()
        XCTAssertEqual(attempts.map { $0.steps.map(\.step) }, Array(repeating: ["schema", "load", "transform", "checks"], count: 3))
        XCTAssertEqual(attempts.map(\.exitCode), [0, 65, 0])
        XCTAssertEqual(try fixture.load.starSnapshot(), try fixture.oneShot())
    }

    /// A check that reads no day answers the same for every day of a batch: it runs once
    /// after the batch's transform, and its failure fails each day. One that reads the day
    /// runs for each.
    func testACheckThatReadsNoDayRunsOnceForABatchAndFailsEachDay() throws {
        let undated = """
            -- check: counted_once
            -- severity: error
            SELECT n FROM (SELECT nextval('dwh_test_undated') AS n) counted WHERE n > 0;
            """
        let dated = """
            -- check: counted_daily
            -- severity: warn
            -- param: run_start timestamp
            SELECT n FROM (SELECT nextval('dwh_test_dated') AS n, CAST($1 AS timestamp) AS day) counted WHERE n < 0;
            """
        let fixture = try RunFixture(self, days: [1, 2, 3], checks: ["counted_once": undated, "counted_daily": dated])
        try fixture.load.connection.execute("CREATE SEQUENCE dwh_test_undated")
        try fixture.load.connection.execute("CREATE SEQUENCE dwh_test_dated")
        let run = try fixture.dwh(["--from", "2018-11-01", "--to", "2018-11-03"])
        XCTAssertEqual(run.status, 65, run.stdout + run.stderr)
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 failed", "2018-11-02 1 failed", "2018-11-03 1 failed"])
        XCTAssertEqual(try fixture.load.count("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM dwh_test_undated"), 1)
        XCTAssertEqual(try fixture.load.count("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM dwh_test_dated"), 3)
    }

    /// When a day fails with days held before it, the run still transforms and checks
    /// those before it ends, listener tables included.
    func testADayThatFailsStillGetsTheDaysHeldBeforeItDone() throws {
        let fixture = try RunFixture(self, days: [1, 2, 3])
        let run = try fixture.dwh(["--from", "2018-11-01", "--to", "2018-11-04"])
        XCTAssertEqual(run.status, 75, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("transform of the 3 days held before 2018-11-04: transform  full rebuild: "), run.stdout)
        // The song files are looked for on the first day only (the sample has 71).
        XCTAssertEqual(run.stdout.components(separatedBy: "1 file loaded, 0 unchanged: staging_events +").count - 1, 2, run.stdout)
        XCTAssertFalse(run.stdout.contains("71 unchanged"), run.stdout)
        XCTAssertEqual(try fixture.load.count("SELECT COUNT(*) FROM dwh_pending_play_changes"), 0)
        XCTAssertEqual(try fixture.load.starSnapshot(), try fixture.oneShot())
        XCTAssertEqual(try fixture.ledger(), ["2018-11-01 1 succeeded", "2018-11-02 1 succeeded", "2018-11-03 1 succeeded",
                                              "2018-11-04 1 failed"])
    }

    func testAFailureIsPostedToTheWebhookAndToldToTheCommandWithNoSecret() throws {
        let server = try TinyHTTPServer()
        let fixture = try RunFixture(self, days: [1], settings: """
            WEBHOOK = http://127.0.0.1:\(server.port)/hook
            ON_FAILURE = env > "$(dirname "$DWH_CHECKS")/env.txt"
            """)
        // A password in the URL and secrets in the environment: none may reach the notifiers.
        let password = try String(contentsOfFile: TestDatabase.packageRoot + "/.dwh-test/pgpass", encoding: .utf8)
            .split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        XCTAssertFalse(password.isEmpty)
        var options = try ConnectionOptions(parsing: fixture.load.database.url)
        options["password"] = password
        options["passfile"] = nil
        let secrets = ["PGPASSWORD": password, "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-secret-value", "DWH_DATABASE_URL": options.conninfo]
        var arguments = fixture.arguments("run", ["--date", "2018-11-29"])
        arguments[arguments.firstIndex(of: fixture.load.database.url)!] = options.conninfo
        let output = try DWHBinary.expect(75, arguments, environment: fixture.environment.merging(secrets) { $1 })

        let request = try XCTUnwrap(server.requests.first, "the webhook received nothing")
        XCTAssertTrue(request.hasPrefix("POST /hook HTTP/1.1"), request)
        let body = String(try XCTUnwrap(request.components(separatedBy: "\r\n\r\n").last))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], body)
        XCTAssertEqual(json["date"] as? String, "2018-11-29")
        XCTAssertEqual(json["status"] as? String, "failed")
        XCTAssertEqual(json["exit_code"] as? Int, 75)
        XCTAssertTrue((json["error"] as? String)?.contains("2018-11-29-events.json") == true, body)
        XCTAssertTrue((json["text"] as? String)?.hasPrefix("dwh run 2018-11-29 failed (exit 75): ") == true, body)
        let told = try String(contentsOfFile: fixture.folder + "/env.txt", encoding: .utf8)
        for line in ["DWH_RUN_DATE=2018-11-29", "DWH_RUN_STATUS=failed", "DWH_RUN_EXIT=75",
                     "DWH_RUN_ERROR=load: 2018-11-29: the day's events are not there yet: \(fixture.events)/2018-11-29-events.json"] {
            XCTAssertTrue(told.contains(line), line)
        }
        for secret in [password, "wJalrXUtnFEMI-secret-value"] {
            XCTAssertFalse(request.contains(secret), "the webhook got a secret")
            XCTAssertFalse(told.contains(secret), "the command's environment holds a secret")
            XCTAssertFalse(output.stdout.contains(secret) || output.stderr.contains(secret))
        }

        // A webhook nobody answers is a warning; the exit status is the run's.
        let closed = try TinyHTTPServer.unusedPort()
        try (try String(contentsOfFile: fixture.config, encoding: .utf8))
            .replacingOccurrences(of: ":\(server.port)/", with: ":\(closed)/").write(toFile: fixture.config, atomically: true, encoding: .utf8)
        let unanswered = try fixture.dwh(["--date", "2018-11-29"])
        XCTAssertEqual(unanswered.status, 75)
        XCTAssertTrue(unanswered.stderr.contains("warning: the webhook at 127.0.0.1 did not answer"), unanswered.stderr)
    }

    func testTheSystemdScheduleVerifies() throws {
        guard let analyze = Shell.which("systemd-analyze") else { throw XCTSkip("systemd-analyze is not installed") }
        let folder = try temporaryFolder("run")
        let output = try DWHBinary.expect(0, ["run", "--print-schedule", "systemd", "--config", folder + "/dwh.cfg"])
        let schedule = try RunSchedule(kind: "systemd", folder: folder, executable: DWHBinary.path, config: folder + "/dwh.cfg")
        XCTAssertEqual(schedule.files.map(\.name), ["dwh-run.service", "dwh-run.timer"])
        for file in schedule.files { try file.text.write(toFile: folder + "/" + file.name, atomically: true, encoding: .utf8) }
        let verified = try Shell.run(analyze, ["verify", folder + "/dwh-run.service", folder + "/dwh-run.timer"])
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        XCTAssertTrue(output.stdout.contains("RestartPreventExitStatus=65 78"), output.stdout)
        let cron = try DWHBinary.run(["run", "--print-schedule", "cron"])
        XCTAssertTrue(cron.stdout.contains("15 2 * * * cd "), cron.stdout)
    }
}

/// The lock Redshift uses (a row with a heartbeat), run on PostgreSQL through the same
/// statements: what a Redshift run does, short of the cluster.
final class RunLockTableTests: XCTestCase {
    func testALockRowIsHeldUntilReleasedOrUntilItsHeartbeatIsOlderThanTheExpiry() throws {
        let database = try freshDatabase(prefix: "lock")
        let first = try database.connect(), second = try database.connect()
        try Ledger(connection: first).create()
        let holder = RunLock(connection: first, kind: .table(expiry: 600), host: "alpha")
        try holder.acquire(wait: false)
        XCTAssertThrowsError(try RunLock(connection: second, kind: .table(expiry: 600), host: "beta").acquire(wait: false)) { error in
            guard case RunError.lockHeld(let found) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(found.host, "alpha")
            XCTAssertEqual(found.pid, Int(getpid()))
            XCTAssertEqual(RunError.exitCode(for: error), 75)
        }
        try holder.beat()
        // A holder that stopped beating longer ago than the expiry is taken over.
        try first.execute("UPDATE dwh_run_lock SET heartbeat_at = heartbeat_at - interval '11 minutes'")
        let successor = RunLock(connection: second, kind: .table(expiry: 600), host: "beta")
        try successor.acquire(wait: false)
        XCTAssertEqual(try successor.currentHolder()?.host, "beta")
        successor.release()
        XCTAssertNil(try successor.currentHolder())
        try RunLock(connection: first, kind: .table(expiry: 600), host: "alpha").acquire(wait: false)
    }
}
