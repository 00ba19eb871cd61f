@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Ctrl-C and SIGTERM sent to the built `dwh` while the server works for it: the work is
/// cancelled on the server, dwh exits with 128 + the signal, and the previous state stays.
final class SignalTests: XCTestCase {
    /// Waits until a statement starting with `prefix` runs on `database` for another client.
    func waitForStatement(_ prefix: String, on database: FreshDatabase, _ watcher: Connection) throws {
        let deadline = Date().addingTimeInterval(60)
        func running() throws -> Bool {
            try watcher.execute("""
                SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE $2
                """, [database.name, prefix + "%"]).scalar != "0"
        }
        while try !running() {
            guard Date() < deadline else { throw TestFailure(message: "no statement \(prefix)… started") }
            usleep(5_000)
        }
        usleep(200_000)
    }

    /// Sends `signal` to `pid`; returns its exit status and how long it took to exit.
    func stop(_ pid: pid_t, with signal: Int32) -> (status: Int32, seconds: Double) {
        let sent = Date()
        XCTAssertEqual(kill(pid, signal), 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        XCTAssertEqual(status & 0x7f, 0, "dwh died of signal \(status & 0x7f) instead of exiting")
        return ((status >> 8) & 0xff, Date().timeIntervalSince(sent))
    }

    /// No statement of this database still runs (the server has rolled back).
    func waitUntilIdle(_ database: FreshDatabase, _ watcher: Connection) throws {
        let deadline = Date().addingTimeInterval(10)
        while try watcher.execute("""
            SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND state <> 'idle'
            """, [database.name]).scalar != "0" && Date() < deadline { usleep(20_000) }
    }

    func testCtrlCStopsATransformAndSIGTERMStopsALoadAndEachKeepsThePreviousState() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("signal")
        _ = try SyntheticDataGenerator(options: GeneratorOptions(songs: 200, events: 150_000, output: folder)).run()
        let files = try eventFiles(under: folder + "/log_data")
        _ = try fixture.load(songs: folder + "/song_data", events: files[0])
        try fixture.transform()
        for file in files.dropFirst() { _ = try fixture.load(events: file) }
        let star = try fixture.starSnapshot()
        let staged = try fixture.count("SELECT COUNT(*) FROM staging_events")
        let watcher = try fixture.database.connect()

        let transform = try DWHBinary.start(["transform", "--quiet", "--database-url", fixture.database.url])
        try waitForStatement("INSERT INTO songplays", on: fixture.database, watcher)
        let stopped = stop(transform, with: SIGINT)
        XCTAssertEqual(stopped.status, 130)
        XCTAssertLessThan(stopped.seconds, 2)
        try waitUntilIdle(fixture.database, watcher)
        XCTAssertEqual(try fixture.starSnapshot(), star)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files WHERE transformed_at IS NULL"), files.count - 1)

        let load = try DWHBinary.start(["load", "--full-refresh", "--quiet", "--database-url", fixture.database.url,
                                          "--songs", folder + "/song_data", "--events", folder + "/log_data"])
        try waitForStatement("COPY staging_events", on: fixture.database, watcher)
        let terminated = stop(load, with: SIGTERM)
        XCTAssertEqual(terminated.status, 143)
        XCTAssertLessThan(terminated.seconds, 2)
        try waitUntilIdle(fixture.database, watcher)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), staged)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), files.count + 200)
        XCTAssertEqual(try fixture.starSnapshot(), star)
    }

    func testCtrlCStopsAMigrationAndRecordsNothing() throws {
        let database = try freshDatabase()
        let folder = try temporaryFolder("signal")
        try "-- migrate:up\nCREATE TABLE kept (id int);\n-- migrate:down\nDROP TABLE kept;\n"
            .write(toFile: folder + "/0001_kept.sql", atomically: true, encoding: .utf8)
        try "-- migrate:up\nCREATE TABLE slow (id int);\nSELECT pg_sleep(60);\n-- migrate:down\nDROP TABLE slow;\n"
            .write(toFile: folder + "/0002_slow.sql", atomically: true, encoding: .utf8)
        let watcher = try database.connect()
        let migrate = try DWHBinary.start(["migrate", "--database-url", database.url, "--migrations-dir", folder])
        try waitForStatement("SELECT pg_sleep", on: database, watcher)
        let stopped = stop(migrate, with: SIGINT)
        XCTAssertEqual(stopped.status, 130)
        XCTAssertLessThan(stopped.seconds, 2)
        try waitUntilIdle(database, watcher)
        XCTAssertEqual(try watcher.execute("SELECT version FROM dwh_schema_migrations ORDER BY 1").rows, [["1"]])
        XCTAssertEqual(try watcher.execute("SELECT to_regclass('slow') IS NULL, to_regclass('kept') IS NOT NULL").rows.first,
                       ["t", "t"])
    }

    /// Outside a transaction, what ran stays: the version is marked, and nothing runs on.
    func testSIGTERMDuringAMigrationOutsideATransactionKeepsWhatRanMarkedUnfinished() throws {
        let database = try freshDatabase()
        let folder = try temporaryFolder("signal")
        try "-- migrate:up\nCREATE TABLE kept (id int);\n-- migrate:down\nDROP TABLE kept;\n"
            .write(toFile: folder + "/0001_kept.sql", atomically: true, encoding: .utf8)
        try DWHBinary.expect(0, ["migrate", "--database-url", database.url, "--migrations-dir", folder])
        let watcher = try database.connect()
        try "-- migrate:up transaction:false\nCREATE TABLE half (id int);\nSELECT pg_sleep(60);\n-- migrate:down\nDROP TABLE half;\n"
            .write(toFile: folder + "/0002_slow.sql", atomically: true, encoding: .utf8)
        let again = try DWHBinary.start(["migrate", "--database-url", database.url, "--migrations-dir", folder])
        try waitForStatement("SELECT pg_sleep", on: database, watcher)
        XCTAssertEqual(stop(again, with: SIGTERM).status, 143)
        try waitUntilIdle(database, watcher)
        XCTAssertEqual(try watcher.execute("SELECT to_regclass('half') IS NOT NULL").scalar, "t")
        let status = try DWHBinary.expect(1, ["migrate", "status", "--database-url", database.url, "--migrations-dir", folder])
        // Marked either as started and not finished, or with the cancelled statement's line,
        // as the signal's exit and the statement's error race.
        XCTAssertTrue(status.stdout.contains("0002_slow.sql: started up and has not finished (still running, or stopped or killed)")
                      || status.stdout.contains("0002_slow.sql:3: ERROR 57014"), status.stdout)
    }

    /// SIGTERM while an export waits for its query: the unfinished file goes, and the file
    /// asked for never appears.
    func testSIGTERMRemovesAnExportsTemporaryFile() throws {
        let database = try freshDatabase()
        let folder = try temporaryFolder("signal")
        let target = folder + "/plays.csv"
        let watcher = try database.connect()
        let export = try DWHBinary.start(["sql", "SELECT pg_sleep(30) AS nap", "--format", "csv", "-o", target,
                                            "--database-url", database.url])
        // CSV streams as COPY (query) TO STDOUT.
        try waitForStatement("COPY (\nSELECT pg_sleep", on: database, watcher)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).count, 1)
        let stopped = stop(export, with: SIGTERM)
        XCTAssertEqual(stopped.status, 143)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }

    /// A temporary file left by a run killed outright goes at the next export of the same
    /// file; the one of a run still going (this process's pid) stays.
    func testAnExportRemovesTheStaleTemporaryFilesOfItsFile() throws {
        let database = try freshDatabase()
        let folder = try temporaryFolder("signal")
        let target = folder + "/plays.csv"
        let stale = folder + "/.plays.csv.999999.tmp", running = folder + "/.plays.csv.\(getpid()).tmp"
        for path in [stale, running] { XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
        try DWHBinary.expect(0, ["sql", "SELECT 1 AS one", "--format", "csv", "-o", target, "--database-url", database.url])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), [".plays.csv.\(getpid()).tmp", "plays.csv"])
    }
}
