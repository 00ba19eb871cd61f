import DWHCore
import Foundation
import TestSupport
import XCTest

/// A migration outside a transaction that fails part-way, and `status --exit-code`, through
/// the built binary against a database of their own.
final class MigrateFailureCLITests: XCTestCase {
    func testAFailedNoTransactionMigrationIsRecordedShownAndRefusedUntilRepaired() throws {
        let database = try freshDatabase(prefix: "cli")
        let folder = try temporaryFolder("dirty")
        func migrate(_ arguments: [String]) throws -> ProcessOutput {
            try database.run(["migrate"] + arguments + ["--migrations-dir", folder])
        }
        try "-- migrate:up\nCREATE TABLE a (x int);\n-- migrate:down\nDROP TABLE a;\n"
            .write(toFile: folder + "/0001_a.sql", atomically: true, encoding: .utf8)
        let broken = "-- migrate:up transaction:false\nCREATE TABLE b (x int);\n\nINSERT INTO nowhere VALUES (1);\n"
            + "-- migrate:down\nDROP TABLE b;\n"
        try broken.write(toFile: folder + "/0002_b.sql", atomically: true, encoding: .utf8)

        let pending = try migrate(["status", "--exit-code"])
        XCTAssertEqual(pending.status, 1, pending.stderr)
        XCTAssertEqual(try migrate(["status"]).status, 0)

        let failed = try migrate([])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stdout.contains("applied \(folder)/0001_a.sql"), failed.stdout)
        XCTAssertTrue(failed.stderr.hasPrefix("\(folder)/0002_b.sql:4:13: ERROR 42P01"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("the statements before this one stayed"), failed.stderr)
        // What ran before the failing statement stayed.
        XCTAssertEqual(try database.run(["sql", "SELECT to_regclass('b') IS NOT NULL AS kept", "--format", "csv"]).stdout, "kept\nt\n")

        let status = try migrate(["status"])
        XCTAssertEqual(status.status, 1)
        XCTAssertTrue(status.stdout.contains("2        failed"), status.stdout)
        XCTAssertTrue(status.stdout.contains("\(folder)/0002_b.sql:4: ERROR 42P01"), status.stdout)
        for refused in [try migrate([]), try migrate(["validate"]), try migrate(["down"])] {
            XCTAssertEqual(refused.status, 1)
            XCTAssertTrue(refused.stderr.contains("a migration failed part-way and is not repaired"), refused.stderr)
        }

        // Put right by hand, repaired, fixed: the next run applies it.
        XCTAssertEqual(try database.run(["sql", "DROP TABLE b"]).status, 0)
        let repair = try migrate(["repair", "--yes"])
        XCTAssertEqual(repair.status, 0, repair.stderr)
        XCTAssertTrue(repair.stdout.contains("clear the failure of version 2 (0002_b.sql, line 4)"), repair.stdout)
        XCTAssertEqual(try migrate(["status"]).status, 0, "repaired: version 2 is pending again")
        try broken.replacingOccurrences(of: "INSERT INTO nowhere", with: "INSERT INTO b")
            .write(toFile: folder + "/0002_b.sql", atomically: true, encoding: .utf8)
        let fixed = try migrate([])
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        XCTAssertEqual(try migrate(["status", "--exit-code"]).status, 0)

        // Going down fails part-way too: the version is still applied, and shown as failed.
        try broken.replacingOccurrences(of: "INSERT INTO nowhere", with: "INSERT INTO b")
            .replacingOccurrences(of: "DROP TABLE b;", with: "DROP TABLE b;\nDROP TABLE nowhere;")
            .write(toFile: folder + "/0002_b.sql", atomically: true, encoding: .utf8)
        XCTAssertEqual(try migrate(["repair", "--yes"]).status, 0)
        let down = try migrate(["down"])
        XCTAssertEqual(down.status, 1)
        let afterDown = try migrate(["status"])
        XCTAssertEqual(afterDown.status, 1)
        XCTAssertTrue(afterDown.stdout.contains("\(folder)/0002_b.sql:7: ERROR 42P01"), afterDown.stdout)
    }
}
