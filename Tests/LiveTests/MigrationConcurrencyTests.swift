@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Runs of the built `dwh` binary against a fresh database, as users and CI start them.
final class MigrationConcurrencyTests: XCTestCase {
    func testFourRunsStartedTogetherApplyEachVersionOnce() throws {
        let database = try freshDatabase()
        let arguments = ["migrate", "--database-url", database.url, "--migrations-dir", MigrationLiveTests.realFolder]
        final class Outputs: @unchecked Sendable {
            let lock = NSLock()
            var all: [ProcessOutput] = []
            var errors: [Error] = []
        }
        let outputs = Outputs()
        let group = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        for _ in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                start.wait()
                do {
                    let output = try DWHBinary.run(arguments)
                    outputs.lock.withLock { outputs.all.append(output) }
                } catch {
                    outputs.lock.withLock { outputs.errors.append(error) }
                }
                group.leave()
            }
        }
        for _ in 0..<4 { start.signal() }
        XCTAssertEqual(group.wait(timeout: .now() + 120), .success)
        XCTAssertTrue(outputs.errors.isEmpty, "\(outputs.errors)")
        XCTAssertEqual(outputs.all.map(\.status), [0, 0, 0, 0], outputs.all.map(\.stderr).joined(separator: "\n"))
        let files = try MigrationSet(folder: MigrationLiveTests.realFolder).files
        for file in files {
            let appliedBy = outputs.all.filter { $0.stdout.contains("applied \(file.displayPath) (") }
            XCTAssertEqual(appliedBy.count, 1, "\(file.fileName) applied by exactly one run")
        }
        XCTAssertEqual(outputs.all.filter { $0.stdout.contains("nothing to apply") }.count, 3)
        let connection = try database.connect()
        XCTAssertEqual(try connection.execute("SELECT count(*), count(DISTINCT version) FROM dwh_schema_migrations").rows.first,
                       [String(files.count), String(files.count)])
    }

    func testARunWaitsForTheLockAnotherRunHolds() throws {
        let database = try freshDatabase()
        let holder = try database.connect()
        XCTAssertEqual(try holder.execute("SELECT pg_try_advisory_lock(\(TrackerSQL.advisoryLockKey))").scalar, "t")
        let waiting = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let url = database.url
        Thread.detachNewThread {
            do {
                let migrator = Migrator(connection: try Connection(url), dialect: .postgres,
                                        set: try MigrationSet(folder: MigrationLiveTests.realFolder))
                migrator.onWaitForLock = { waiting.signal() }
                try migrator.migrate()
            } catch {
                XCTFail("\(error)")
            }
            finished.signal()
        }
        XCTAssertEqual(waiting.wait(timeout: .now() + 30), .success, "the second run noticed the lock")
        XCTAssertEqual(finished.wait(timeout: .now() + 1), .timedOut, "and waits while it is held")
        XCTAssertEqual(try holder.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'dwh_schema_migrations'").scalar, "0",
                       "not even the tracker is created before the lock is taken")
        try holder.execute("SELECT pg_advisory_unlock(\(TrackerSQL.advisoryLockKey))")
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(try holder.execute("SELECT count(*) FROM dwh_schema_migrations").scalar,
                       String(try MigrationSet(folder: MigrationLiveTests.realFolder).files.count))
    }

    func testAFailedRunExitsNonZeroWithTheCaretBlockOnStderr() throws {
        let database = try freshDatabase()
        let scratch = try ScratchMigrations(self, ["0001_bad.sql": "-- migrate:up\nCREATE TABLE t (\n  id intx\n);\n"])
        let output = try DWHBinary.expect(1, ["migrate", "--database-url", database.url, "--migrations-dir", scratch.path])
        XCTAssertEqual(output.stderr, """
            \(scratch.path)/0001_bad.sql:3:6: ERROR 42704 type "intx" does not exist
            LINE 3:   id intx
                         ^

            """)
        let status = try DWHBinary.expect(0, ["migrate", "status", "--format", "json", "--database-url", database.url, "--migrations-dir", scratch.path])
        XCTAssertTrue(status.stdout.contains(#""state" : "pending""#), status.stdout)
    }

    /// Applies 0001, checks that validate passes, then edits 0001; returns the arguments that reach them.
    private func appliedThenEdited() throws -> [String] {
        let database = try freshDatabase()
        let scratch = try ScratchMigrations(self, ["0001_a.sql": "-- migrate:up\nCREATE TABLE a (id int);\n"])
        let common = ["--database-url", database.url, "--migrations-dir", scratch.path]
        XCTAssertEqual(try DWHBinary.run(["migrate"] + common).status, 0)
        XCTAssertEqual(try DWHBinary.run(["migrate", "validate"] + common).status, 0)
        try scratch.write("0001_a.sql", "-- migrate:up\nCREATE TABLE a (id bigint);\n")
        return common
    }

    func testValidateExitsNonZeroOnDrift() throws {
        let validate = try DWHBinary.expect(1, ["migrate", "validate"] + appliedThenEdited())
        XCTAssertTrue(validate.stderr.contains("0001_a.sql: changed since applied"), validate.stderr)
    }

    func testRepairWithoutYesRefusesFromAPipe() throws {
        let common = try appliedThenEdited()
        let asked = try DWHBinary.run(["migrate", "repair"] + common)
        XCTAssertEqual(asked.status, 1, "stdin is not a terminal, so repair refuses without --yes")
        XCTAssertTrue(asked.stderr.contains("--yes"), asked.stderr)
        XCTAssertEqual(try DWHBinary.run(["migrate", "validate"] + common).status, 1)
    }

    func testRepairWithYesClearsTheDrift() throws {
        let common = try appliedThenEdited()
        XCTAssertEqual(try DWHBinary.run(["migrate", "repair", "--yes"] + common).status, 0)
        XCTAssertEqual(try DWHBinary.run(["migrate", "validate"] + common).status, 0)
    }
}
