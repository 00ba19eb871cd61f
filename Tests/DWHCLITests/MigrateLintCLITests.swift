import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh migrate lint` as a user types it: findings as file:line:column, the exit code, and
/// no database at all.
final class MigrateLintCLITests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = try temporaryFolder("cli-lint")
    }

    /// A database nothing listens on: lint must not need one.
    let unreachable = ["DWH_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"]

    /// A migration with a serial column (an error on Redshift) and a DROP TABLE (a warning).
    private func writeEventsMigration() throws {
        try "-- migrate:up\nCREATE TABLE events (\n    id      serial,\n    payload varchar(256)\n);\nDROP TABLE old_events;\n-- migrate:down\nDROP TABLE events;\n"
            .write(toFile: folder + "/0001_events.sql", atomically: true, encoding: .utf8)
    }

    func testARedshiftErrorExitsOneAndNamesFileLineAndColumn() throws {
        try writeEventsMigration()
        let output = try DWHBinary.expect(1, ["migrate", "lint", "--migrations-dir", folder], environment: unreachable)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, output.stdout)
        XCTAssertTrue(lines[0].hasPrefix(folder + "/0001_events.sql:3:13: error [type-serial] "), lines[0])
        XCTAssertTrue(lines[0].hasSuffix("<https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-datatypes.html>"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix(folder + "/0001_events.sql:6:1: warning [destructive-drop-table] "), lines[1])
        XCTAssertEqual(lines[2], "1 error, 1 warning in 1 file")
    }

    func testOnPostgresWarningsAloneExitZero() throws {
        try writeEventsMigration()
        let postgres = try DWHBinary.run(["migrate", "lint", "--dialect", "postgres", "--migrations-dir", folder], environment: unreachable)
        XCTAssertEqual(postgres.status, 0, "warnings alone do not fail: \(postgres.stdout)")
        XCTAssertTrue(postgres.stdout.hasSuffix("0 errors, 1 warning in 1 file\n"), postgres.stdout)
    }

    func testDWHsOwnMigrationsPass() throws {
        let output = try DWHBinary.expect(0, ["migrate", "lint", "--migrations-dir", DWHBinary.packageRoot + "/migrations"], environment: unreachable)
        XCTAssertTrue(output.stdout.contains("0 errors, "), output.stdout)
    }

    func testHelpNamesTheOptionsAndTheIgnoreComment() throws {
        let help = try DWHBinary.expect(0, ["migrate", "lint", "--help"])
        for word in ["--dialect", "--migrations-dir", "dwh:lint-ignore"] {
            XCTAssertTrue(help.stdout.contains(word), "\(word) missing from:\n\(help.stdout)")
        }
    }

    func testAnUnknownDialectIsAUsageError() throws {
        XCTAssertEqual(try DWHBinary.run(["migrate", "lint", "--dialect", "oracle"]).status, 64)
    }

    func testAMissingFolderIsNamed() throws {
        let missing = try DWHBinary.expect(1, ["migrate", "lint", "--migrations-dir", folder + "/nope"])
        XCTAssertTrue(missing.stderr.contains(folder + "/nope: no such migrations folder"), missing.stderr)
    }
}
