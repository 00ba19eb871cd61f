import DWHCore
import Postgres
import TestSupport
import XCTest

final class EmbeddedDatabaseTests: XCTestCase {
    /// A whole life: init, start, connect, restart on the same port, survive a stale pid file.
    func testLifecycleInItsOwnHome() throws {
        let home = try temporaryFolder("embedded") + "/home"
        let database = EmbeddedDatabase(home: home)
        XCTAssertEqual(try database.status(), .notInitialized)
        let url = try database.start()
        defer { _ = try? database.stop() }
        XCTAssertFalse(url.contains(try String(contentsOfFile: database.passwordFile, encoding: .utf8)
            .split(separator: ":").last!.trimmingCharacters(in: .whitespacesAndNewlines)))
        let connection = try Connection(url)
        XCTAssertEqual(try connection.execute("SELECT current_database()").scalar, "dwh")
        XCTAssertEqual(try database.start(), url, "a second start reuses the running server")

        XCTAssertTrue(try database.stop())
        XCTAssertEqual(try database.status(), .stopped)
        // A pid file left behind by a crash, naming a process that is not PostgreSQL.
        try "\(getpid())\n\(database.dataDirectory)\n".write(
            toFile: database.dataDirectory + "/postmaster.pid", atomically: true, encoding: .utf8)
        XCTAssertEqual(try database.start(), url)
        guard case .running = try database.status() else { return XCTFail("not running after restart") }
    }

    func testTakenPortMovesToAFreeOne() throws {
        let home = try temporaryFolder("port") + "/home"
        let database = EmbeddedDatabase(home: home)
        try database.start()
        let firstPort = database.port!
        try database.stop()
        // Somebody else listens on our port now.
        let squatter = EmbeddedDatabase(home: home + "-squatter")
        try FileManager.default.createDirectory(atPath: squatter.home, withIntermediateDirectories: true)
        try String(firstPort).write(toFile: squatter.home + "/port", atomically: true, encoding: .utf8)
        try squatter.start()
        defer { _ = try? squatter.stop() }
        XCTAssertEqual(squatter.port, firstPort)
        let url = try database.start()
        defer { _ = try? database.stop() }
        XCTAssertNotEqual(database.port, firstPort)
        XCTAssertNoThrow(try Connection(url))
    }
}
