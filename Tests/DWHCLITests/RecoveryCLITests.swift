import DWHCore
import Foundation
import TestSupport
import XCTest

/// A `dwh db start` killed outright while it initialises a new home: the next start
/// recovers by itself, and the database it leaves can be connected to.
final class RecoveryCLITests: XCTestCase {
    func testAFirstStartKilledDuringInitdbIsRecoveredByTheNext() throws {
        let home = try temporaryFolder("kill")
        defer { _ = try? DWHBinary.run(["db", "stop"], environment: ["DWH_HOME": home]) }
        let pid = try DWHBinary.start(["db", "start"], environment: ["DWH_HOME": home])
        // Killed once initdb has begun writing the cluster, before it is done.
        let deadline = Date().addingTimeInterval(60)
        func initdbStarted() -> Bool {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: home)) ?? []
            return entries.contains { $0.hasPrefix("pgdata") && FileManager.default.fileExists(atPath: home + "/" + $0 + "/global") }
        }
        while !initdbStarted() && Date() < deadline { usleep(5_000) }
        XCTAssertTrue(initdbStarted(), "initdb never began")
        kill(pid, SIGKILL)
        XCTAssertEqual(Shell.wait(pid), 128 + SIGKILL)

        try DWHBinary.expect(0, ["db", "start"], environment: ["DWH_HOME": home])
        let query = try DWHBinary.run(["sql", "SELECT 6 * 7 AS answer", "--format", "csv"], environment: ["DWH_HOME": home])
        XCTAssertEqual(query.stdout, "answer\n42\n", query.stderr)
        XCTAssertFalse(query.stderr.contains("no password supplied"), query.stderr)
        // The killed run's initdb password does not stay on disk.
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: home + "/log")) ?? []
        XCTAssertEqual(logs.filter { $0.hasPrefix(".initdb") }, [])
    }
}
