@testable import DWHCore
import Foundation
import Postgres
import XCTest

final class RunPlanTests: XCTestCase {
    func config(_ lines: String) throws -> ConfigFile {
        try ConfigFile(path: "dwh.cfg", text: "[RUN]\n" + lines)
    }

    let november = "EVENTS = log_data/{yyyy}/{mm}/{date}-events.json\nSONGS = song_data\nSTART_DATE = 2018-11-01\nEND_DATE = 2018-11-03\n"

    func testATemplateRendersTheDay() throws {
        let template = try PathTemplate("s3://bucket/log_data/{yyyy}/{mm}/{dd}/{date}-events.json", key: "[RUN] EVENTS")
        XCTAssertEqual(template.render(try XCTUnwrap(RunDay("2018-11-05"))), "s3://bucket/log_data/2018/11/05/2018-11-05-events.json")
    }

    func testATemplateWithAnUnknownPlaceholderOrAStrayBraceIsRefusedNamingTheKey() throws {
        for (text, reason) in [("log_data/{yyy}/{date}.json", "unknown placeholder {yyy}"), ("log_data/{date.json", "`{` without `}`"),
                               ("log_data/date}.json", "`}` without `{`")] {
            XCTAssertThrowsError(try RunSettings(config: config("EVENTS = \(text)\n"))) { error in
                XCTAssertEqual(RunError.exitCode(for: error), 78)
                XCTAssertTrue("\(error)".contains("[RUN] EVENTS"), "\(error)")
                XCTAssertTrue("\(error)".contains(reason), "\(error)")
            }
        }
    }

    func testATemplateThatDoesNotNameTheDayIsRefused() throws {
        XCTAssertThrowsError(try RunSettings(config: config("EVENTS = log_data/{yyyy}/{mm}/events.json\n"))) { error in
            XCTAssertTrue("\(error)".contains("does not name the day"), "\(error)")
        }
    }

    func testBadValuesOfTheOtherKeysAreConfigurationErrorsNamingThem() throws {
        for (line, key) in [("START_DATE = 2018-11-31", "[RUN] START_DATE"), ("END_DATE = yesterday", "[RUN] END_DATE"),
                            ("RETRIES = -1", "[RUN] RETRIES"), ("RETRY_DELAY = 5 minutes", "[RUN] RETRY_DELAY"),
                            ("WEBHOOK = hooks.slack.com/x", "[RUN] WEBHOOK"), ("REPORT = reports/{day}.html", "[RUN] REPORT"),
                            ("EXPORTS = top_songs exports/x.csv", "[RUN] EXPORTS"),
                            ("EXPORTS = plays_by_hour since={start} -> x.csv", "[RUN] EXPORTS")] {
            // The bad line replaces the good one of the same key: a key given twice is refused
            // (as configparser refuses it) before its value is read.
            let name = line.prefix { $0 != " " }
            let settings = november.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix(name + " ") }.joined(separator: "\n")
            XCTAssertThrowsError(try RunSettings(config: config(settings + line + "\n")), line) { error in
                XCTAssertEqual(RunError.exitCode(for: error), 78, line)
                XCTAssertTrue("\(error)".hasPrefix("configuration: \(key):"), "\(error)")
            }
        }
    }

    /// Settings of every [RUN] key, with --retries 1 and --retry-delay 30s given.
    private func everyKeySettings() throws -> RunSettings {
        try RunSettings(config: config(november + """
            REPORT = reports/{date}.html
            EXPORTS = top_songs -> exports/{date}/top.csv, plays_by_hour since={run_start} -> exports/{date}/hours.csv
            RETRIES = 3
            RETRY_DELAY = 5m
            ON_FAILURE = echo failed
            WEBHOOK = http://127.0.0.1:9/hook

            """), overrides: .init(retries: 1, retryDelay: "30s"))
    }

    func testTheSettingsReadEveryKey() throws {
        let settings = try everyKeySettings()
        XCTAssertEqual(settings.onFailure, "echo failed")
        XCTAssertEqual(settings.exports.map(\.query), ["top_songs", "plays_by_hour"])
    }

    func testTheFlagsWinOverTheSettings() throws {
        let settings = try everyKeySettings()
        XCTAssertEqual(settings.retries, 1)
        XCTAssertEqual(settings.retryDelay, 30)
    }

    func testARetryDelayBecomesSeconds() throws {
        XCTAssertEqual(try RunSettings(config: config(november + "RETRY_DELAY = 2h\n")).retryDelay, 7200)
        XCTAssertEqual(try RunSettings.seconds("90", key: "x"), 90)
    }

    func testThereAreNoRetriesUnlessSet() throws {
        XCTAssertEqual(try RunSettings(config: config(november)).retries, 0)
    }

    func testEndDateDefaultsToYesterdayInUTC() throws {
        let now = try XCTUnwrap(ISO8601DateFormatter().date(from: "2018-11-06T00:30:00Z"))
        XCTAssertEqual(try RunSettings(config: config("START_DATE = 2018-11-01\n"), now: now).endDate, RunDay("2018-11-05"))
    }

    func testThePlanRunsTheDaysNotDoneInOrderWithEveryStep() throws {
        let settings = try RunSettings(config: config(november + "REPORT = reports/{date}.html\n"
            + "EXPORTS = plays_by_hour since={run_start} -> exports/{date}/hours.csv\n"))
        let done = [try XCTUnwrap(RunDay("2018-11-02")): "2026-12-01 02:15:00"]
        let plan = try RunPlan.make(RunRequest(), settings: settings, dialect: .postgres, succeeded: done, userChecks: ["plays_have_a_level"])
        XCTAssertEqual(plan.days.map(\.day.description), ["2018-11-01", "2018-11-02", "2018-11-03"])
        XCTAssertEqual(plan.toRun.map(\.day.description), ["2018-11-01", "2018-11-03"])
        XCTAssertEqual(plan.days[0].steps, [
            .schema(migrate: false), .load(events: "log_data/2018/11/2018-11-01-events.json", songs: "song_data"),
            .transform(rebuild: false), .checks(user: ["plays_have_a_level"]),
            .report(path: "reports/2018-11-01.html"),
            .export(query: "plays_by_hour", parameters: ["since=2018-11-01 00:00:00"], path: "exports/2018-11-01/hours.csv"),
        ])
        XCTAssertEqual(plan.transcript, """
            2018-11-01: run
              1. schema     current; pending migrations are an error
              2. load       log_data/2018/11/2018-11-01-events.json + new files of song_data
              3. transform  incremental
              4. checks     built-in, scoped to the day + plays_have_a_level
              5. report     reports/2018-11-01.html
              6. export     plays_by_hour since=2018-11-01 00:00:00 -> exports/2018-11-01/hours.csv
            2018-11-02: skip (succeeded at 2026-12-01 02:15:00; --rerun runs it again)
            2018-11-03: run
              1. schema     current; pending migrations are an error
              2. load       log_data/2018/11/2018-11-03-events.json
              3. transform  incremental
              4. checks     built-in, scoped to the day + plays_have_a_level
              5. report     reports/2018-11-03.html
              6. export     plays_by_hour since=2018-11-03 00:00:00 -> exports/2018-11-03/hours.csv
            2 days to run, 1 already done

            """)
        let rerun = try RunPlan.make(RunRequest(date: RunDay("2018-11-02"), rerun: true, migrate: true), settings: settings,
                                     dialect: .redshift, succeeded: done, userChecks: [])
        XCTAssertEqual(rerun.toRun.map(\.day.description), ["2018-11-02"])
        XCTAssertEqual(rerun.days[0].steps.prefix(3), [.schema(migrate: true), .load(events: "log_data/2018/11/2018-11-02-events.json", songs: "song_data"),
                                                       .transform(rebuild: true)])
        let manifests = try RunPlan.make(RunRequest(date: RunDay("2018-11-02"), rerun: true), settings: settings,
                                         dialect: .redshift, redshiftManifests: true, succeeded: done, userChecks: [])
        XCTAssertEqual(manifests.days[0].steps[2], .transform(rebuild: false),
                       "through COPY manifests, the day's transform is incremental on Redshift too")
        let range = try RunPlan.make(RunRequest(from: RunDay("2018-10-30"), to: RunDay("2018-11-02")), settings: settings,
                                     dialect: .postgres, succeeded: [:], userChecks: [])
        XCTAssertEqual(range.days.map(\.day.description), ["2018-10-30", "2018-10-31", "2018-11-01", "2018-11-02"])
    }

    /// The plan for 2018-11-01 to 2018-11-03 with the 3rd done already.
    private func manyDaysPlan() throws -> RunPlan {
        let done = [try XCTUnwrap(RunDay("2018-11-03")): "2026-12-01 02:15:00"]
        return try RunPlan.make(RunRequest(), settings: RunSettings(config: config(november)), dialect: .postgres,
                                succeeded: done, userChecks: [])
    }

    /// A run of many days looks for new song files once, at its first day.
    func testARunOfManyDaysLoadsTheSongsOnce() throws {
        XCTAssertEqual(try manyDaysPlan().days.map { $0.steps[1] }, [
            .load(events: "log_data/2018/11/2018-11-01-events.json", songs: "song_data"),
            .load(events: "log_data/2018/11/2018-11-02-events.json", songs: nil),
            .load(events: "log_data/2018/11/2018-11-03-events.json", songs: nil),
        ])
    }

    /// A run of many days transforms once, at the last day that runs, which then checks
    /// each day.
    func testARunOfManyDaysTransformsAtItsLastDay() throws {
        let plan = try manyDaysPlan()
        // The 3rd is skipped: the 2nd is the last that runs.
        let second = try XCTUnwrap(RunDay("2018-11-02"))
        XCTAssertEqual(plan.days.map { Array($0.steps.dropFirst(2)) }, [[.held(until: second, checks: [])],
                                                                       [.transform(rebuild: false), .checks(user: [])],
                                                                       [.transform(rebuild: false), .checks(user: [])]])
        XCTAssertEqual(plan.toRun.map(\.isHeld), [true, false])
        XCTAssertTrue(plan.transcript.contains("""
              2. load       log_data/2018/11/2018-11-02-events.json
              3. transform  incremental
              4. checks     built-in, scoped to the day

            """), plan.transcript)
        XCTAssertTrue(plan.transcript.contains("3. transform  with 2018-11-02's, one for the run's days; then checks, scoped to this day\n"),
                      plan.transcript)
    }

    func testARunOfOneDayLoadsWithItsSongsThenTransforms() throws {
        let one = try RunPlan.make(RunRequest(date: RunDay("2018-11-02")), settings: RunSettings(config: config(november)),
                                   dialect: .postgres, succeeded: [:], userChecks: [])
        XCTAssertEqual(one.days[0].steps[1...2], [.load(events: "log_data/2018/11/2018-11-02-events.json", songs: "song_data"),
                                                 .transform(rebuild: false)])
    }

    /// A day's report or exports read the star tables as that day left them, so a run
    /// with deliverables transforms every day.
    func testARunWithDeliverablesTransformsEachDay() throws {
        let settings = try RunSettings(config: config(november + "REPORT = reports/{date}.html\n"))
        let plan = try RunPlan.make(RunRequest(), settings: settings, dialect: .postgres, succeeded: [:], userChecks: [])
        XCTAssertEqual(plan.days.map { $0.steps[2] }, Array(repeating: .transform(rebuild: false), count: 3))
        XCTAssertFalse(plan.days.contains(where: \.isHeld))
    }

    func testAPlanWithoutItsSettingsSaysWhichKeyIsMissing() throws {
        XCTAssertThrowsError(try RunPlan.make(RunRequest(), settings: RunSettings(config: config("START_DATE = 2018-11-01\n")),
                                              dialect: .postgres, succeeded: [:], userChecks: [])) { error in
            XCTAssertTrue("\(error)".hasPrefix("configuration: [RUN] EVENTS: not set"), "\(error)")
            XCTAssertEqual(RunError.exitCode(for: error), 78)
        }
        XCTAssertThrowsError(try RunPlan.make(RunRequest(), settings: RunSettings(config: config("EVENTS = x/{date}.json\n")),
                                              dialect: .postgres, succeeded: [:], userChecks: [])) { error in
            XCTAssertTrue("\(error)".hasPrefix("configuration: [RUN] START_DATE: not set"), "\(error)")
        }
    }

    func testOnlyTransientFaultsAreRetried() {
        let transient = ["57P01", "57P03", "08006", "08001", "40001", "40P01"].map {
            PostgresError(kind: .server, message: "x", sqlState: $0)
        } + [PostgresError(kind: .connection, message: "server closed the connection unexpectedly")]
        for error in transient { XCTAssertTrue(TransientFault.isTransient(error), "\(error.sqlState ?? "lost")") }
        XCTAssertTrue(TransientFault.isTransient(LoadError.database(step: "COPY", error: transient[0])))
        XCTAssertTrue(TransientFault.isTransient(AWSError.api(service: "s3", action: "GetObject", status: 503, code: "SlowDown",
                                                              message: "", credentialSource: "")))
        XCTAssertTrue(TransientFault.isTransient(AWSError.api(service: "s3", action: "GetObject", status: 400, code: "Throttling",
                                                              message: "", credentialSource: "")))
        let permanent: [Error] = [
            PostgresError(kind: .server, message: "relation does not exist", sqlState: "42P01"),
            PostgresError(kind: .server, message: "protocol violation", sqlState: "08P01"),
            PostgresError(kind: .server, message: "invalid input", sqlState: "22P02"),
            LoadError.tooManyErrors(count: 2, maxErrors: 0, first: []),
            RunError.checksFailed(day: RunDay("2018-11-01")!, names: ["x"]),
            AWSError.api(service: "s3", action: "GetObject", status: 403, code: "AccessDenied", message: "", credentialSource: ""),
        ]
        for error in permanent { XCTAssertFalse(TransientFault.isTransient(error), "\(error)") }
        XCTAssertEqual(RunError.exitCode(for: permanent[3]), 65)
        XCTAssertEqual(RunError.exitCode(for: permanent[4]), 65)
        XCTAssertEqual(RunError.exitCode(for: permanent[0]), 1)
        XCTAssertEqual(RunError.exitCode(for: RunError.inputMissing(day: RunDay("2018-11-01")!, path: "x")), 75)
    }

    func testTheChildEnvironmentHoldsNoSecret() {
        let environment = Secrets.childEnvironment([
            "PATH": "/usr/bin", "HOME": "/home/u", "PGPASSWORD": "hunter2", "AWS_SECRET_ACCESS_KEY": "abc",
            "AWS_SESSION_TOKEN": "tok", "DWH_DATABASE_URL": "postgresql://u:hunter2@db/x", "PGHOST": "db",
            "DWH_PASSWRD": "typo",
        ])
        XCTAssertEqual(environment, ["PATH": "/usr/bin", "HOME": "/home/u", "PGHOST": "db"])
    }

    func testTheWebhookBodyIsJSONWithATextLine() throws {
        let body = RunNotifier.payload(day: RunDay("2018-11-05"), exitCode: 75, error: "2018-11-05: the day's events are not there yet: x\nmore",
                                       attempt: nil)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        XCTAssertEqual(object["date"] as? String, "2018-11-05")
        XCTAssertEqual(object["status"] as? String, "failed")
        XCTAssertEqual(object["exit_code"] as? Int, 75)
        XCTAssertEqual(object["text"] as? String, "dwh run 2018-11-05 failed (exit 75): 2018-11-05: the day's events are not there yet: x")
    }

    func testTheSchedulesRunThisFolder() throws {
        let cron = try RunSchedule(kind: "cron", folder: "/srv/sparkify", executable: "/usr/local/bin/dwh", config: "dwh.cfg")
        XCTAssertTrue(cron.text.contains("15 2 * * * cd /srv/sparkify && /usr/local/bin/dwh run --config dwh.cfg >> .dwh/run.log 2>&1\n"), cron.text)
        let systemd = try RunSchedule(kind: "systemd", folder: "/srv/my project", executable: "/usr/local/bin/dwh", config: "dwh.cfg")
        XCTAssertEqual(systemd.files.map(\.name), ["dwh-run.service", "dwh-run.timer"])
        let service = systemd.files[0].text, timer = systemd.files[1].text
        XCTAssertTrue(service.contains("WorkingDirectory=\"/srv/my project\"\n"))
        XCTAssertTrue(service.contains("RestartPreventExitStatus=65 78\n"))
        XCTAssertTrue(service.contains("SuccessExitStatus="))
        XCTAssertTrue(timer.contains("Persistent=true\n"))
        XCTAssertThrowsError(try RunSchedule(kind: "launchd", folder: "/", executable: "dwh", config: "dwh.cfg")) { error in
            XCTAssertEqual(RunError.exitCode(for: error), 78)
        }
    }

    func testAUserCheckIsReadWithTheSavedQueriesParser() throws {
        let check = try UserCheck(text: """
            -- check: no_late_plays
            -- description: Nothing after midnight.
            -- severity: warn
            -- param: run_start timestamp
            -- param: run_end timestamp
            SELECT 1 WHERE $1::timestamp > $2::timestamp;
            """, file: "checks/no_late_plays.sql")
        XCTAssertEqual(check.name, "no_late_plays")
        XCTAssertEqual(check.severity, .warn)
        XCTAssertEqual(check.query.description, "Nothing after midnight.")
        XCTAssertEqual(check.query.parameters.map(\.name), ["run_start", "run_end"])
        XCTAssertThrowsError(try UserCheck(text: "-- check: x\n-- severity: fatal\nSELECT 1", file: "checks/x.sql")) { error in
            XCTAssertEqual("\(error)", "checks/x.sql: severity must be error or warn, got \"fatal\"")
        }
        XCTAssertThrowsError(try UserCheck(text: "-- name: x\nSELECT 1", file: "checks/x.sql")) { error in
            XCTAssertTrue("\(error)".contains("missing `-- check:` line"), "\(error)")
        }
        XCTAssertThrowsError(try UserCheck(text: "-- check: x\n-- param: limit int\nSELECT $1", file: "checks/x.sql")) { error in
            XCTAssertTrue("\(error)".contains("parameter limit needs a default"), "\(error)")
        }
    }

    func testRunDaysAreRealDays() {
        XCTAssertNil(RunDay("2018-02-29"))
        XCTAssertNil(RunDay("2018-1-05"))
        XCTAssertEqual(RunDay("2018-12-31")?.adding(days: 1).description, "2019-01-01")
        XCTAssertEqual(RunDay("2018-11-05")?.runEnd, "2018-11-06 00:00:00")
    }
}
