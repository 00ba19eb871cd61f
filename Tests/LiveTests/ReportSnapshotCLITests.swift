@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh report` reads one snapshot: a Sparkify day loaded (and transformed) while the
/// report runs is in all of its sections or in none.
final class ReportSnapshotCLITests: XCTestCase {
    func testALoadCommittingDuringAReportIsInNoneOfItsSections() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("snapshot")
        let days = SharedData.path + "/log_data/2018/11"
        let url = ["--database-url", fixture.database.url]
        try DWHBinary.expect(0, ["load", "--quiet", "--events", days + "/2018-11-01-events.json",
                                  "--songs", SharedData.path + "/song_data"] + url)
        let plays = try fixture.count("SELECT COUNT(*) FROM songplays")

        // Two sections count the plays; one between them waits, and a day is loaded meanwhile.
        let queries = folder + "/queries"
        try FileManager.default.createDirectory(atPath: queries, withIntermediateDirectories: true)
        for name in ["plays_before", "plays_after"] {
            try "-- name: \(name)\n-- description: Plays.\nSELECT COUNT(*) AS plays FROM songplays;\n"
                .write(toFile: "\(queries)/\(name).sql", atomically: true, encoding: .utf8)
        }
        try "-- name: pause\n-- description: A wait.\nSELECT pg_sleep(3) IS NULL AS waited;\n"
            .write(toFile: queries + "/pause.sql", atomically: true, encoding: .utf8)
        try "title: Snapshot\nplays_before | none\npause | none\nplays_after | none\n"
            .write(toFile: queries + "/report.txt", atomically: true, encoding: .utf8)
        let report = try DWHBinary.start(["report", "-o", folder + "/report.html", "--csv-dir", folder + "/csv"] + url,
                                         environment: ["DWH_QUERIES": queries], log: folder + "/report.log")
        var waited = 0
        while try fixture.count("SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()") == 0 {
            guard waited < 200 else { break }
            usleep(50_000)
            waited += 1
        }
        try DWHBinary.expect(0, ["load", "--quiet", "--events", days + "/2018-11-02-events.json"] + url)
        XCTAssertGreaterThan(try fixture.count("SELECT COUNT(*) FROM songplays"), plays, "the second day added plays")
        XCTAssertEqual(Shell.wait(report), 0, (try? String(contentsOfFile: folder + "/report.log", encoding: .utf8)) ?? "")

        let before = try String(contentsOfFile: folder + "/csv/plays_before.csv", encoding: .utf8)
        let after = try String(contentsOfFile: folder + "/csv/plays_after.csv", encoding: .utf8)
        XCTAssertEqual(before, "plays\n\(plays)\n")
        XCTAssertEqual(after, before, "the report mixed two states of the database")
    }
}
