@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// Starting the built `dwh` (found by `DWHBinary`) without waiting for it.
enum BuiltBinary {
    /// Starts `dwh` with `arguments`, output discarded; returns its process id.
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor in [0, 1, 2] as [Int32] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = ([DWHBinary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, DWHBinary.path, &actions, nil, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return pid
    }
}

final class LoadKillTests: XCTestCase {
    func testALoadKilledMidCopyLeavesNothingAndARerunEndsWithExactCounts() throws {
        let fixture = try LoadFixture()
        defer { fixture.database.drop() }
        let folder = try temporaryFolder(self)
        let summary = try SyntheticDataGenerator(options: GeneratorOptions(songs: 200, events: 150_000, output: folder)).run()
        let watcher = try fixture.database.connect()
        func copying() throws -> Int {
            Int(try watcher.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY staging_events%'",
                                    [fixture.database.name]).scalar ?? "") ?? 0
        }

        let pid = try BuiltBinary.spawn(["load", "--staging-only", "--quiet", "--database-url", fixture.database.url,
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
