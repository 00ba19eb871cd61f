import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh migrate` as a user types it, for what needs no database: help, bad input, plans, new files.
final class MigrateCLITests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = try temporaryFolder("cli-migrations")
    }

    /// A URL nothing listens on: a command that got past reading files would fail differently.
    let unreachable = ["--database-url", "postgresql://nobody:hunter2secret@127.0.0.1:1/none"]

    func testHelpTeachesEverySubcommand() throws {
        let help = try DWHBinary.expect(0, ["migrate", "--help"])
        for word in ["up", "status", "plan", "validate", "down", "baseline", "repair", "new", "-- migrate:up", "-- dwh:postgres"] {
            XCTAssertTrue(help.stdout.contains(word), "\(word) missing from:\n\(help.stdout)")
        }
        for subcommand in ["up", "status", "plan", "validate", "down", "baseline", "repair", "new"] {
            let output = try DWHBinary.run(["migrate", subcommand, "--help"])
            XCTAssertEqual(output.status, 0, subcommand)
            XCTAssertTrue(output.stdout.contains("--migrations-dir"), subcommand)
        }
        XCTAssertTrue(try DWHBinary.run(["--help"]).stdout.contains("migrate"))
    }

    func testUsageErrorsExit64() throws {
        XCTAssertEqual(try DWHBinary.run(["migrate", "--to", "two"]).status, 64)
        XCTAssertEqual(try DWHBinary.run(["migrate", "baseline"]).status, 64, "--version is required")
        XCTAssertEqual(try DWHBinary.run(["migrate", "plan", "--dialect", "oracle"]).status, 64)
    }

    func testAMissingFolderFailsBeforeConnectingAndNamesIt() throws {
        let missing = try DWHBinary.expect(1, ["migrate", "--migrations-dir", folder + "/nope"] + unreachable)
        XCTAssertTrue(missing.stderr.contains(folder + "/nope: no such migrations folder"), missing.stderr)
    }

    func testAFolderWithoutMigrationsFailsBeforeConnectingAndNamesIt() throws {
        let empty = try DWHBinary.expect(1, ["migrate", "status"] + unreachable, environment: ["DWH_MIGRATIONS_DIR": folder])
        XCTAssertTrue(empty.stderr.contains(folder + ": no migration files"), empty.stderr)
    }

    func testAFileWithoutAnUpSectionFailsBeforeConnectingAndNamesIt() throws {
        try "-- migrate:down\nDROP TABLE x;\n".write(toFile: folder + "/0001_no_up.sql", atomically: true, encoding: .utf8)
        let noUp = try DWHBinary.expect(1, ["migrate", "--migrations-dir", folder] + unreachable)
        XCTAssertTrue(noUp.stderr.contains(folder + "/0001_no_up.sql: no `-- migrate:up` line"), noUp.stderr)
        XCTAssertFalse((noUp.stdout + noUp.stderr).contains("hunter2secret"))
    }

    func testConnectionFailureKeepsThePasswordOut() throws {
        try "-- migrate:up\nSELECT 1;\n".write(toFile: folder + "/0001_a.sql", atomically: true, encoding: .utf8)
        let output = try DWHBinary.expect(1, ["migrate", "--migrations-dir", folder] + unreachable)
        XCTAssertTrue(output.stderr.contains("could not connect"), output.stderr)
        XCTAssertFalse((output.stdout + output.stderr).contains("hunter2secret"))
    }

    func testPlanForRedshiftNeedsNoDatabase() throws {
        let output = try DWHBinary.expect(0, ["migrate", "plan", "--dialect", "redshift", "--migrations-dir", DWHBinary.packageRoot + "/migrations"] + unreachable)
        XCTAssertTrue(output.stdout.contains("LOCK dwh_schema_migrations;"))
        XCTAssertTrue(output.stdout.contains("IDENTITY(0, 1)"))
        XCTAssertFalse(output.stdout.contains("pg_advisory_lock"))
    }

    func testNewWritesTheNextNumberedFile() throws {
        try "-- migrate:up\nSELECT 1;\n".write(toFile: folder + "/0007_seven.sql", atomically: true, encoding: .utf8)
        let output = try DWHBinary.expect(0, ["migrate", "new", "load", "bookkeeping", "--migrations-dir", folder])
        XCTAssertEqual(output.stdout, folder + "/0008_load_bookkeeping.sql\n")
        let text = try String(contentsOfFile: folder + "/0008_load_bookkeeping.sql", encoding: .utf8)
        XCTAssertTrue(text.contains("-- migrate:up\n") && text.contains("-- migrate:down\n"), text)
    }
}
