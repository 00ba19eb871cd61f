import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Migrations a demanding user writes or runs into: bytes that are not UTF-8, in a file or
/// its name; transaction control in a transactional file; a lock another session holds;
/// a connection that goes while a file runs.
final class MigrateHardeningCLITests: XCTestCase {
    func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func tableExists(_ database: FreshDatabase, _ name: String) throws -> Bool {
        try database.connect().execute("SELECT to_regclass($1) IS NOT NULL", [name]).scalar == "t"
    }

    func testBytesThatAreNotUTF8AreAnErrorNamingTheFileAndLine() throws {
        let database = try freshDatabase(prefix: "mig")
        let migrations = try temporaryFolder("mig")
        try write(Array("-- migrate:up\nCREATE TABLE caf".utf8) + [0xE9] + Array(" (a int);\n-- migrate:down\n".utf8),
                  to: migrations + "/0001_latin1.sql")
        let content = try database.expect(1, ["migrate", "--migrations-dir", migrations])
        XCTAssertTrue(content.stderr.contains("/0001_latin1.sql:2:17: not valid UTF-8 text"), content.stderr)
        XCTAssertFalse(try tableExists(database, "caf\u{FFFD}"))
    }

    func testAFileNameThatIsNotUTF8IsAnErrorNamingTheFile() throws {
        let database = try freshDatabase(prefix: "mig")
        let migrations = try temporaryFolder("mig")
        let rawName = Array((migrations + "/0001_caf").utf8) + [0xE9] + Array(".sql".utf8) + [0]
        let descriptor = rawName.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                                                                O_WRONLY | O_CREAT, 0o644) }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        let text = Array("-- migrate:up\nCREATE TABLE x (a int);\n".utf8)
        XCTAssertEqual(Foundation.write(descriptor, text, text.count), text.count)
        close(descriptor)
        let fileName = try database.expect(1, ["migrate", "status", "--migrations-dir", migrations])
        XCTAssertTrue(fileName.stderr.contains("/0001_caf\\xE9.sql: the file name is not valid UTF-8; rename it"), fileName.stderr)
        XCTAssertFalse(fileName.stderr.contains("no such migrations folder"), fileName.stderr)
    }

    func testASavedQueryWhoseBytesAreNotUTF8IsAnErrorNamingTheFileAndLine() throws {
        let queries = try temporaryFolder("mig")
        try write(Array("-- name: bad\nSELECT 'na".utf8) + [0xEF, 0xBF] + Array("ve'\n".utf8), to: queries + "/bad.sql")
        let query = try DWHBinary.expect(1, ["query", "list"], environment: ["DWH_QUERIES": queries])
        XCTAssertTrue(query.stderr.contains("/bad.sql:2:11: not valid UTF-8 text"), query.stderr)
    }

    func testTransactionControlInATransactionalMigrationIsRefusedBeforeAnythingRuns() throws {
        let database = try freshDatabase(prefix: "mig")
        let migrations = try temporaryFolder("mig")
        try "-- migrate:up\nCREATE TABLE first (a int);\n-- migrate:down\nDROP TABLE first;\n"
            .write(toFile: migrations + "/0001_first.sql", atomically: true, encoding: .utf8)
        try "-- migrate:up\nCREATE TABLE half (a int);\n  commit;\nCREATE TABLE other (a int);\n-- migrate:down\n"
            .write(toFile: migrations + "/0002_commit.sql", atomically: true, encoding: .utf8)
        let output = try database.expect(1, ["migrate", "--migrations-dir", migrations])
        XCTAssertTrue(output.stderr.contains("/0002_commit.sql:3: COMMIT in a migration that runs in a transaction"), output.stderr)
        XCTAssertFalse(try tableExists(database, "first"))
        XCTAssertFalse(try tableExists(database, "half"))

        for (statement, keyword) in [("ROLLBACK;", "ROLLBACK"), ("BEGIN;", "BEGIN"), ("END;", "END")] {
            try "-- migrate:up\nCREATE TABLE half (a int);\n\(statement)\n-- migrate:down\n"
                .write(toFile: migrations + "/0002_commit.sql", atomically: true, encoding: .utf8)
            let again = try database.run(["migrate", "--migrations-dir", migrations])
            XCTAssertTrue(again.stderr.contains("/0002_commit.sql:3: \(keyword) in a migration"), again.stderr)
        }
        // Outside a transaction it is the file's own business; a savepoint is no ending.
        try "-- migrate:up\n-- dwh:no-transaction\nCREATE TABLE half (a int);\nBEGIN;\nCREATE TABLE other (a int);\nCOMMIT;\n-- migrate:down\n"
            .write(toFile: migrations + "/0002_commit.sql", atomically: true, encoding: .utf8)
        try "-- migrate:up\nSAVEPOINT s;\nCREATE TABLE third (a int);\nROLLBACK TO SAVEPOINT s;\n-- migrate:down\n"
            .write(toFile: migrations + "/0003_savepoint.sql", atomically: true, encoding: .utf8)
        try database.expect(0, ["migrate", "--migrations-dir", migrations])
        XCTAssertTrue(try tableExists(database, "other"))
        XCTAssertFalse(try tableExists(database, "third"))
    }

    /// A migration waiting on a lock fails after --lock-timeout, naming the session in the way.
    func testALockHeldElsewhereTimesOutNamingItsHolder() throws {
        let database = try freshDatabase(prefix: "mig")
        let holder = try database.connect()
        try holder.execute("CREATE TABLE busy (a int)")
        let pid = try XCTUnwrap(try holder.execute("SELECT pg_backend_pid()").scalar)
        try holder.execute("BEGIN")
        try holder.execute("SELECT * FROM busy")
        let migrations = try temporaryFolder("mig")
        try "-- migrate:up\nCREATE TABLE before_it (a int);\nALTER TABLE busy ADD COLUMN b int;\n-- migrate:down\n"
            .write(toFile: migrations + "/0001_alter.sql", atomically: true, encoding: .utf8)
        let started = Date()
        let output = try database.run(["migrate", "--migrations-dir", migrations, "--lock-timeout", "1"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(output.status, 1, output.stderr)
        XCTAssertTrue(output.stderr.contains("0001_alter.sql:3:1: ERROR 55P03 canceling statement due to lock timeout"), output.stderr)
        XCTAssertTrue(output.stderr.contains("the migration waited 1 s for a lock and was rolled back; held by:"), output.stderr)
        XCTAssertTrue(output.stderr.contains("pid \(pid) (user "), output.stderr)
        XCTAssertTrue(output.stderr.contains("idle in transaction, transaction open for 00:00:0"), output.stderr)
        XCTAssertTrue(output.stderr.contains("holds AccessShareLock on busy: SELECT * FROM busy"), output.stderr)
        try holder.execute("ROLLBACK")
        XCTAssertFalse(try tableExists(database, "before_it"))
        try database.expect(0, ["migrate", "--migrations-dir", migrations, "--lock-timeout", "1"])
    }

    /// The connection going while a file runs: the error names the file and says so.
    func testALostConnectionNamesTheMigration() throws {
        let database = try freshDatabase(prefix: "mig")
        let migrations = try temporaryFolder("mig")
        try "-- migrate:up\nCREATE TABLE kept (a int);\nSELECT pg_terminate_backend(pg_backend_pid());\n-- migrate:down\n"
            .write(toFile: migrations + "/0001_gone.sql", atomically: true, encoding: .utf8)
        let output = try database.expect(1, ["migrate", "--migrations-dir", migrations])
        XCTAssertTrue(output.stderr.contains("/0001_gone.sql:3: the connection to the server was lost while this migration ran"),
                      output.stderr)
        XCTAssertTrue(output.stderr.contains("nothing of it was kept"), output.stderr)
        XCTAssertFalse(try tableExists(database, "kept"))
    }
}
