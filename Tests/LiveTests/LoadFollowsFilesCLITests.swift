@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh load` run again after the files on disk were renamed, touched, edited in place and
/// deleted, on a copy of real Sparkify days: a file is its bytes, so each step keeps the
/// rows one load of the folder as it is then gives, and no songplay_id changes.
final class LoadFollowsFilesCLITests: XCTestCase {
    func testMovesTouchesSameSizeEditsAndDeletionsEndAsOneLoadOfWhatIsLeft() throws {
        let fixture = try LoadFixture(self)
        let root = try temporaryFolder("follow")
        let logs = root + "/log_data", days = SharedData.path + "/log_data/2018/11"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        for day in ["01", "02", "03"] {
            try FileManager.default.copyItem(atPath: "\(days)/2018-11-\(day)-events.json", toPath: "\(logs)/2018-11-\(day)-events.json")
        }
        let url = ["--database-url", fixture.database.url]
        let load = { (extra: [String]) throws -> ProcessOutput in
            let run = try DWHBinary.run(["load", "--quiet", "--events", logs, "--songs", SharedData.path + "/song_data"] + extra + url)
            XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
            return run
        }
        _ = try load([])
        let plays = try fixture.count("SELECT COUNT(*) FROM songplays"), staged = try fixture.count("SELECT COUNT(*) FROM staging_events")
        let ids = try fixture.songplayIDsByEvent()
        XCTAssertGreaterThan(plays, 0)

        // Renamed into a folder of its own: the same file, not loaded again.
        try FileManager.default.createDirectory(atPath: logs + "/archive", withIntermediateDirectories: true)
        XCTAssertEqual(rename("\(logs)/2018-11-01-events.json", "\(logs)/archive/day-one.json"), 0)
        let moved = try load([])
        XCTAssertTrue(moved.stdout.contains("moved \(logs)/2018-11-01-events.json → \(logs)/archive/day-one.json"), moved.stdout)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM songplays"), plays, "a renamed file doubled its plays")
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), staged)
        XCTAssertEqual(try DWHBinary.run(["check"] + url).status, 0)

        // Touched: nothing reloads, no songplay_id changes.
        XCTAssertEqual(try Shell.run("/usr/bin/touch", ["\(logs)/2018-11-02-events.json"]).status, 0)
        let touched = try load([])
        XCTAssertTrue(touched.stdout.hasPrefix("loaded 0 files"), touched.stdout)
        XCTAssertEqual(try fixture.songplayIDsByEvent(), ids, "touch renumbered songplays")

        // The same size and the same time, other bytes: reloaded (the content hash is compared).
        let edited = "\(logs)/2018-11-03-events.json"
        var text = try String(contentsOfFile: edited, encoding: .utf8)
        var info = stat()
        XCTAssertEqual(stat(edited, &info), 0)
        guard let name = text.range(of: "\"firstName\":\"") else { return XCTFail("no firstName in \(edited)") }
        let first = text[name.upperBound...].prefix { $0 != "\"" }, renamed = String(repeating: "Q", count: first.count)
        text = text.replacingOccurrences(of: "\"firstName\":\"\(first)\"", with: "\"firstName\":\"\(renamed)\"")
        try text.write(toFile: edited, atomically: false, encoding: .utf8)
        var times = [info.st_atim, info.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, edited, &times, 0), 0)
        let reloaded = try load([])
        XCTAssertTrue(reloaded.stdout.hasPrefix("loaded 1 file, 1 of them changed"), reloaded.stdout)
        XCTAssertGreaterThan(try fixture.count("SELECT COUNT(*) FROM staging_events WHERE first_name = '\(renamed)'"), 0)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), staged)

        // Deleted: said, and its rows kept until --prune removes them and their plays.
        try FileManager.default.removeItem(atPath: "\(logs)/2018-11-02-events.json")
        let gone = try load([])
        XCTAssertTrue(gone.stderr.contains("warning: 1 file loaded before is gone from the source; its "), gone.stderr)
        XCTAssertTrue(gone.stderr.contains("`dwh load --prune`"), gone.stderr)
        XCTAssertTrue(gone.stderr.contains("  \(logs)/2018-11-02-events.json ("), gone.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM songplays"), plays)
        let pruned = try load(["--prune"])
        XCTAssertTrue(pruned.stdout.contains("pruned 1 file gone from the source"), pruned.stdout)
        XCTAssertLessThan(try fixture.count("SELECT COUNT(*) FROM songplays"), plays)
        XCTAssertEqual(try DWHBinary.run(["check"] + url).status, 0)
        XCTAssertEqual(try load([]).stderr, "", "nothing is gone any more")

        // One load of the folder as it is now gives the same star schema.
        let oneShot = try LoadFixture(self)
        try DWHBinary.expect(0, ["load", "--quiet", "--events", logs, "--songs", SharedData.path + "/song_data",
                       "--database-url", oneShot.database.url])
        XCTAssertEqual(try fixture.starSnapshot(), try oneShot.starSnapshot())
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), try oneShot.count("SELECT COUNT(*) FROM staging_events"))
    }
}

extension LoadFixture {
    /// songplay_id by the play's event (file id and line): what a reload would renumber.
    func songplayIDsByEvent() throws -> [String: String] {
        let result = try connection.execute("SELECT file_id || ':' || line_number, songplay_id FROM songplays")
        return Dictionary(uniqueKeysWithValues: result.rows.map { ($0[0] ?? "", $0[1] ?? "") })
    }
}
