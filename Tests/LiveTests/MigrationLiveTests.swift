@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// A temporary migrations folder for one test, removed when it ends: failures are tried
/// here, never in migrations/.
struct ScratchMigrations {
    let path: String

    init(_ test: XCTestCase, _ files: [String: String] = [:]) throws {
        path = try test.temporaryFolder("live-migrations")
        for (name, text) in files { try write(name, text) }
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }
}

final class MigrationLiveTests: XCTestCase {
    static let realFolder = TestDatabase.packageRoot + "/migrations"

    func migrator(_ connection: Connection, _ folder: String = realFolder) throws -> Migrator {
        Migrator(connection: connection, dialect: .postgres, set: try MigrationSet(folder: folder))
    }

    func columns(_ connection: Connection, _ table: String) throws -> [String] {
        try connection.execute("SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", [table])
            .rows.compactMap { $0[0] }
    }

    func trackerVersions(_ connection: Connection) throws -> [String] {
        try connection.execute("SELECT version FROM dwh_schema_migrations ORDER BY version").rows.compactMap { $0[0] }
    }

    /// A fresh database with the checkout's migrations applied once.
    private func migratedOnce() throws -> (connection: Connection, migrator: Migrator, ran: [MigrationPlan.Step]) {
        let database = try freshDatabase()
        let connection = try database.connect()
        let migrator = try migrator(connection)
        return (connection, migrator, try migrator.migrate())
    }

    func testAppliesTheSparkifySchema() throws {
        let (connection, migrator, ran) = try migratedOnce()
        XCTAssertEqual(ran.map(\.version), migrator.set.files.map(\.version))
        XCTAssertEqual(try columns(connection, "staging_events"), ["artist", "auth", "first_name", "gender", "item_in_session", "last_name", "length", "level",
            "location", "method", "page", "registration", "session_id", "song", "status", "ts", "user_agent", "user_id", "file_id",
            "line_number"])
        XCTAssertEqual(try columns(connection, "songplays"), ["songplay_id", "start_time", "user_id", "level", "song_id", "artist_id", "session_id", "location", "user_agent",
                                                                 "file_id", "line_number", "track_id"])
        XCTAssertEqual(try columns(connection, "time"), ["start_time", "hour", "day", "week", "month", "year", "weekday"])
    }

    func testRecordsEachAppliedMigrationWithItsChecksumDialectAndUser() throws {
        let (connection, migrator, _) = try migratedOnce()
        let rows = try connection.execute("SELECT version, script, checksum, dialect, applied_by FROM dwh_schema_migrations ORDER BY version")
        XCTAssertEqual(rows.rowCount, migrator.set.files.count)
        XCTAssertEqual(rows[0, "script"], "0001_staging_tables.sql")
        XCTAssertEqual(rows[0, "checksum"], migrator.set.files[0].checksum(for: .postgres))
        XCTAssertEqual(rows[0, "dialect"], "postgres")
        XCTAssertEqual(rows[0, "applied_by"], connection.user)
    }

    func testASecondRunHasNothingToDo() throws {
        let migrator = try migratedOnce().migrator
        XCTAssertEqual(try migrator.migrate(), [], "a second run has nothing to do")
        XCTAssertEqual(try migrator.status().entries.map(\.state), migrator.set.files.map { _ in .applied })
    }

    func testTheSchemaTakesTheDataAsItIs() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        try migrator(connection).migrate()
        // The awkward values of the real logs: empty user id, registration as a float, nulls.
        try connection.execute("""
            INSERT INTO staging_events (artist, user_id, registration, ts, length, session_id)
            VALUES (NULL, '', 1540991795796.0, 1541105830796, NULL, 583)
            """)
        try connection.execute("INSERT INTO users VALUES ('39', 'Walter', 'Frye', 'M', 'free')")
        try connection.execute("INSERT INTO time VALUES ('2018-11-01 21:01:46', 21, 1, 44, 11, 2018, 4)")
        try connection.execute("INSERT INTO songplays (start_time, user_id, level, song_id, artist_id, session_id) VALUES ('2018-11-01 21:01:46', '39', 'free', NULL, NULL, 38)")
        XCTAssertThrowsError(try connection.execute("INSERT INTO songplays (start_time, user_id) VALUES ('2018-11-01 21:01:46', 'nobody')")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "23503", "songplays.user_id references users")
        }
    }

    /// A fine first file, then one whose second statement is a syntax error on line 7.
    private func failedRun() throws -> (connection: Connection, scratch: ScratchMigrations, error: Error?) {
        let database = try freshDatabase()
        let scratch = try ScratchMigrations(self, [
            "0001_fine.sql": "-- migrate:up\nCREATE TABLE fine (id int);\n",
            "0002_star_schema.sql": """
                -- a file that fails half way
                -- migrate:up
                CREATE TABLE half_done (id integer);

                CREATE TABLE broken (
                    id integer,
                    name x varchar(10)
                );
                -- migrate:down
                DROP TABLE broken;
                """,
        ])
        let connection = try database.connect()
        let migrator = try migrator(connection, scratch.path)
        var failure: Error?
        XCTAssertThrowsError(try migrator.migrate()) { failure = $0 }
        return (connection, scratch, failure)
    }

    func testAFailurePointsAtTheFileLineAndColumn() throws {
        let (_, scratch, error) = try failedRun()
        XCTAssertEqual(error.map { "\($0)" }, """
            \(scratch.path)/0002_star_schema.sql:7:12: ERROR 42601 syntax error at or near "varchar"
            LINE 7:     name x varchar(10)
                               ^
            """)
    }

    func testAFailureRollsBackTheWholeFile() throws {
        let connection = try failedRun().connection
        XCTAssertEqual(try trackerVersions(connection), ["1"], "no tracker row for the failed file")
        XCTAssertEqual(try connection.execute("SELECT to_regclass('half_done') IS NULL").scalar, "t", "its first statement rolled back too")
    }

    func testAFailureKeepsTheFilesBefore() throws {
        let connection = try failedRun().connection
        XCTAssertEqual(try connection.execute("SELECT to_regclass('fine') IS NULL").scalar, "f")
    }

    func testErrorLinesCountTheOtherDialectsBlocks() throws {
        let database = try freshDatabase()
        let scratch = try ScratchMigrations(self, ["0001_x.sql": """
            -- migrate:up
            -- dwh:redshift
            CREATE TABLE r (id int) DISTSTYLE ALL;
            CREATE TABLE s (id int) DISTSTYLE ALL;
            -- dwh:end
            CREATE TABLE ok (id int);
            -- dwh:postgres
            SELECT 1; SELECT id, café FROM ok;
            -- dwh:end
            """])
        XCTAssertThrowsError(try migrator(try database.connect(), scratch.path).migrate()) { error in
            let lines = "\(error)".split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.first, #"\#(scratch.path)/0001_x.sql:8:22: ERROR 42703 column "café" does not exist"#)
            XCTAssertEqual(lines.dropFirst().first, "LINE 8: SELECT 1; SELECT id, café FROM ok;")
            XCTAssertEqual(lines.dropFirst(2).first, String(repeating: " ", count: 8 + 21) + "^")
        }
    }

    func testAnErrorWithoutPositionPointsAtItsStatement() throws {
        let database = try freshDatabase()
        let scratch = try ScratchMigrations(self, ["0001_x.sql": "-- migrate:up\nCREATE TABLE t (id int);\n\n  INSERT INTO t\n  SELECT 1 / 0;\n"])
        let connection = try database.connect()
        XCTAssertThrowsError(try migrator(connection, scratch.path).migrate()) { error in
            XCTAssertEqual("\(error)", "\(scratch.path)/0001_x.sql:4:3: ERROR 22012 division by zero\nLINE 4:   INSERT INTO t\n          ^")
        }
        XCTAssertEqual(try connection.execute("SELECT to_regclass('t') IS NULL").scalar, "t")
    }

    /// 0001 applied, then edited on disk; 0002 new.
    private func drifted() throws -> (connection: Connection, scratch: ScratchMigrations, edited: Migrator) {
        let database = try freshDatabase()
        let scratch = try ScratchMigrations(self, ["0001_a.sql": "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n"])
        let connection = try database.connect()
        try migrator(connection, scratch.path).migrate()
        try scratch.write("0001_a.sql", "-- migrate:up\nCREATE TABLE a (id bigint);\n-- migrate:down\nDROP TABLE a;\n")
        try scratch.write("0002_b.sql", "-- migrate:up\nCREATE TABLE b (id int);\n")
        return (connection, scratch, try migrator(connection, scratch.path))
    }

    func testDriftIsCaught() throws {
        let (_, scratch, edited) = try drifted()
        XCTAssertEqual(try edited.status().entries.map(\.state), [.drifted, .pending])
        XCTAssertThrowsError(try edited.migrate()) { XCTAssertEqual($0 as? MigrationError, .drifted(paths: [scratch.path + "/0001_a.sql"])) }
    }

    func testNothingPastDriftIsApplied() throws {
        let (connection, _, edited) = try drifted()
        _ = try? edited.migrate()
        XCTAssertEqual(try connection.execute("SELECT to_regclass('b') IS NULL").scalar, "t", "nothing applied past drift")
    }

    func testRepairRecordsTheEditSoTheRestRuns() throws {
        let edited = try drifted().edited
        let plan = try edited.repairPlan()
        XCTAssertEqual(plan.realign.map(\.version), [1])
        try edited.repair(plan)
        XCTAssertEqual(try edited.status().entries.map(\.state), [.applied, .pending])
        XCTAssertEqual(try edited.migrate().map(\.version), [2])
    }

    func testDownRevertsEveryMigration() throws {
        let (connection, migrator, _) = try migratedOnce()
        let latest = migrator.set.files.last!.version
        XCTAssertEqual(try migrator.revert().map(\.version), [latest])
        XCTAssertFalse(try trackerVersions(connection).contains(String(latest)))
        XCTAssertEqual(try migrator.revert(to: 0).count, migrator.set.files.count - 1)
        XCTAssertEqual(try trackerVersions(connection), [])
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT IN ('dwh_schema_migrations', 'dwh_schema_migration_failures')").scalar, "0")
    }

    func testUpRebuildsWhatDownReverted() throws {
        let migrator = try migratedOnce().migrator
        try migrator.revert(to: 0)
        XCTAssertEqual(try migrator.migrate().count, migrator.set.files.count)
    }

    func testBaselineRecordsWithoutRunning() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        try connection.execute("CREATE TABLE staging_events (artist text)")  // a schema built by hand
        let migrator = try migrator(connection)
        XCTAssertEqual(try migrator.baseline(version: 1).map(\.version), [1])
        XCTAssertEqual(try migrator.baseline(version: 1), [], "already recorded")
        XCTAssertEqual(try trackerVersions(connection), ["1"])
        XCTAssertEqual(try connection.execute("SELECT execution_ms FROM dwh_schema_migrations").scalar, "0")
        XCTAssertEqual(try columns(connection, "staging_events"), ["artist"], "baseline runs nothing")
        XCTAssertEqual(try migrator.migrate(to: 2).map(\.version), [2])
    }

    func testNoTransactionFileRunsOutsideATransaction() throws {
        let database = try freshDatabase()
        // CREATE INDEX CONCURRENTLY refuses to run inside a transaction block.
        let scratch = try ScratchMigrations(self, [
            "0001_t.sql": "-- migrate:up\nCREATE TABLE t (id int);\n",
            "0002_index.sql": "-- dwh:no-transaction\n-- migrate:up\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n",
        ])
        let connection = try database.connect()
        try migrator(connection, scratch.path).migrate()
        XCTAssertEqual(try trackerVersions(connection), ["1", "2"])
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 't_id'").scalar, "1")
    }

    func testPlanAndStatusTouchNothing() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        let migrator = try migrator(connection)
        XCTAssertEqual(try migrator.status().entries.map(\.state), migrator.set.files.map { _ in .pending })
        _ = try MigrationPlan.up(migrator.set, applied: migrator.applied(), dialect: .postgres).transcript
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").scalar, "0")
    }
}
