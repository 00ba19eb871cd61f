@testable import DWHCore
import Foundation
import TestSupport
import XCTest

final class LoadKillTests: XCTestCase {
    func testALoadKilledMidCopyLeavesNothingAndARerunEndsWithExactCounts() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("kill")
        let summary = try SyntheticDataGenerator(options: GeneratorOptions(songs: 200, events: 150_000, output: folder)).run()
        let watcher = try fixture.database.connect()
        func copying() throws -> Int {
            Int(try watcher.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY staging_events%'",
                                    [fixture.database.name]).scalar ?? "") ?? 0
        }

        let pid = try DWHBinary.start(["load", "--staging-only", "--quiet", "--database-url", fixture.database.url,
                                         "--songs", folder + "/song_data", "--events", folder + "/log_data"])
        let deadline = Date().addingTimeInterval(60)
        while try copying() == 0 && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(try copying(), 1, "the load never reached its COPY")
        usleep(300_000)
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        XCTAssertEqual(status & 0x7f, SIGKILL, "dwh finished before it was killed; use more data")

        // The server notices the lost client and rolls its transaction back.
        while try copying() > 0 && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 0)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 0)

        let result = try fixture.load(songs: folder + "/song_data", events: folder + "/log_data")
        XCTAssertEqual(result.filesLoaded, 230)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), summary.events)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_songs"), 200)
    }
}
