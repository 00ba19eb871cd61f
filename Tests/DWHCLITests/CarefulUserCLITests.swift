import DWHCore
import Foundation
import TestSupport
import XCTest

/// What a careful user tries once: an empty saved query, a home that cannot be written,
/// several statements in a one-result format, the server's notices, a count of one.
final class CarefulUserCLITests: XCTestCase {
    func testACommentOnlySavedQueryIsAnErrorNamingItsFileAndLine() throws {
        let queries = try temporaryFolder("careful")
        try "-- name: nothing\n-- description: to be written\n\n-- SELECT 1;\n/* later */\n"
            .write(toFile: queries + "/nothing.sql", atomically: true, encoding: .utf8)
        for command in [["query", "run", "nothing"], ["export", "nothing", "-o", queries + "/out.csv"]] {
            let output = try DWHBinary.expect(1, command + ["--database-url", "postgresql://u@127.0.0.1:1/d"],
                                                 environment: ["DWH_QUERIES": queries])
            XCTAssertTrue(output.stderr.contains("nothing.sql:4: only comments after the header: the query has no SQL statement to run"),
                          output.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: queries + "/out.csv"))
    }

    func testSeveralStatementsInCSVOrJSONAreRefusedBeforeTheyRun() throws {
        let database = try freshDatabase(prefix: "careful")
        for format in ["json", "csv"] {
            let output = try database.expect(1, ["sql", "CREATE TABLE t_\(format) (a int); SELECT 2 AS b", "--format", format])
            XCTAssertEqual(output.stdout, "")
            XCTAssertTrue(output.stderr.contains("--format \(format) writes one result, and this SQL holds 2 statements"), output.stderr)
            XCTAssertFalse(output.stderr.contains("syntax error"), output.stderr)
        }
        let tables = try database.run(["sql", "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\\_%'", "--format", "csv"])
        XCTAssertEqual(tables.stdout, "count\n0\n", tables.stderr)
        let table = try database.expect(0, ["sql", "SELECT 1 AS a; SELECT 2 AS b"])
        XCTAssertTrue(table.stdout.contains(" a\n───\n 1\n") && table.stdout.contains(" b\n───\n 2\n"), table.stdout)
    }

    func testNoticesAndWarningsOfSQLReachStandardError() throws {
        let database = try freshDatabase(prefix: "careful")
        let sql = try database.expect(0, ["sql", "DO $$BEGIN RAISE NOTICE 'half done'; RAISE WARNING 'look out'; END$$"])
        XCTAssertTrue(sql.stderr.contains("NOTICE:  half done\nWARNING:  look out\n"), sql.stderr)
    }

    /// A folder with one migration that raises a notice.
    private func noisyMigrations() throws -> String {
        let migrations = try temporaryFolder("careful")
        try "-- migrate:up\nDO $$BEGIN RAISE NOTICE 'from the migration'; END$$;\nCREATE TABLE IF NOT EXISTS n (a int);\n-- migrate:down\nDROP TABLE n;\n"
            .write(toFile: migrations + "/0001_noisy.sql", atomically: true, encoding: .utf8)
        return migrations
    }

    func testAMigrationsNoticesReachStandardErrorNamingTheFile() throws {
        let database = try freshDatabase(prefix: "careful")
        let migrate = try database.expect(0, ["migrate", "--migrations-dir", try noisyMigrations()])
        XCTAssertTrue(migrate.stderr.contains("0001_noisy.sql: NOTICE:  from the migration"), migrate.stderr)
    }

    func testTheTrackersOwnNoticesAreNotShown() throws {
        let database = try freshDatabase(prefix: "careful")
        let migrations = try noisyMigrations()
        try database.expect(0, ["migrate", "--migrations-dir", migrations])
        // The tracker's own "already exists, skipping" is not the user's business.
        let again = try database.run(["migrate", "--migrations-dir", migrations])
        XCTAssertEqual(again.stderr, "", again.stderr)
    }

    func testOneRowIsOneRow() throws {
        let database = try freshDatabase(prefix: "careful")
        let here = try temporaryFolder("careful")
        let output = try database.run(["sql", "SELECT 1 AS a", "-o", here + "/one.txt"])
        XCTAssertEqual(output.stderr, "wrote 1 row to \(here)/one.txt\n")
        let two = try database.run(["sql", "VALUES (1), (2)", "--format", "csv", "-o", here + "/two.csv"])
        XCTAssertEqual(two.stderr, "wrote 2 rows to \(here)/two.csv\n")
    }

    /// A home that cannot be created is a sentence saying why and what to do, not an NSError.
    func testDBStartInAFolderThatCannotBeWrittenSaysSo() throws {
        let here = try temporaryFolder("careful")
        XCTAssertEqual(chmod(here, 0o555), 0)
        defer { chmod(here, 0o755) }
        let home = here + "/.dwh"
        // Root may write anywhere: the unprivileged `nobody` runs it then.
        let output = getuid() == 0
            ? try Shell.run("/usr/sbin/runuser", ["-u", "nobody", "--", DWHBinary.path, "db", "start"],
                            environment: ["DWH_HOME": home, "PATH": "/usr/bin:/bin"])
            : try DWHBinary.run(["db", "start"], environment: ["DWH_HOME": home])
        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertEqual(output.stderr, "Error: cannot create the local database's folder \(home): Permission denied; "
            + "run dwh in a folder you may write to, or set DWH_HOME to one\n")
    }
}
