@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh load`, `transform`, `check` and `generate` as a user runs them.
final class LoadCLITests: XCTestCase {
    func testGenerateLoadAndCheckFromTheCommandLine() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("load-cli")
        let url = ["--database-url", fixture.database.url]

        let empty = try DWHBinary.expect(1, ["check"] + url)
        XCTAssertTrue(empty.stdout.contains("FAIL"), empty.stdout)

        let generated = try DWHBinary.expect(0, ["generate", "--songs", "30", "--events", "900", "--out", folder, "--seed", "3"])
        XCTAssertTrue(generated.stdout.hasPrefix("wrote 30 song files and 900 events in 30 log files"), generated.stdout)

        let sources = ["--songs", folder + "/song_data", "--events", folder + "/log_data"]
        let plan = try DWHBinary.expect(0, ["load", "--dry-run"] + sources + url)
        XCTAssertTrue(plan.stdout.hasSuffix("60 files to load, 0 skipped\n"), plan.stdout)

        let load = try DWHBinary.expect(0, ["load", "--quiet"] + sources + url)
        XCTAssertTrue(load.stdout.contains("staging_events +900, staging_songs +30"), load.stdout)
        XCTAssertEqual(load.stderr, "")

        let check = try DWHBinary.expect(0, ["check"] + url)
        // The 7 built-in checks and checks/plays_have_a_level.sql of the checkout it runs in.
        XCTAssertTrue(check.stdout.hasSuffix("all 8 checks passed\n"), check.stdout)
    }

    /// A file of two events whose second has a ts that is not a number.
    private func badEvents() throws -> String {
        let path = try temporaryFolder("load-cli") + "/bad-events.json"
        try [event(), event(["ts": "\"soon\""])].joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testABadRecordFailsTheLoadNamingFileLineAndField() throws {
        let fixture = try LoadFixture(self)
        let path = try badEvents()
        let failed = try DWHBinary.expect(1, ["load", "--events", path, "--database-url", fixture.database.url])
        XCTAssertTrue(failed.stderr.contains("\(path):2: field ts: \"soon\" is not a bigint"), failed.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 0)
    }

    func testWithMaxErrorsABadRecordIsSkippedWithAWarning() throws {
        let fixture = try LoadFixture(self)
        let path = try badEvents()
        let skipped = try DWHBinary.expect(0, ["load", "--events", path, "--max-errors", "1", "--staging-only", "--database-url", fixture.database.url])
        XCTAssertTrue(skipped.stderr.contains("warning: skipped \(path):2: field ts"), skipped.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 1)
    }
}

/// Values that parse as their column's type but that the transform cannot convert.
final class LoadValueRangeCLITests: XCTestCase {
    /// 2018-11-03's events with the second line's ts far beyond what a timestamp holds.
    private func eventsBeyondTheTimestampRange() throws -> (path: String, events: Int) {
        let folder = try temporaryFolder("load-cli")
        let day = try String(contentsOfFile: SharedData.path + "/log_data/2018/11/2018-11-03-events.json", encoding: .utf8)
        var lines = day.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let ts = lines[1].range(of: #""ts":[0-9]+"#, options: .regularExpression) else { throw TestFailure(message: lines[1]) }
        lines[1].replaceSubrange(ts, with: #""ts":9000000000000000000"#)
        let path = folder + "/2018-11-03-events.json"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (path, lines.filter { !$0.isEmpty }.count)
    }

    /// A `ts` that fits a bigint but is no time PostgreSQL can hold (a real Sparkify day
    /// with one line's ts made huge): a bad record naming file, line and field, never a row
    /// that stops every later transform with "interval out of range".
    func testATimeBeyondTheTimestampRangeIsABadRecord() throws {
        let fixture = try LoadFixture(self)
        let path = try eventsBeyondTheTimestampRange().path
        let refused = try DWHBinary.expect(1, ["load", "--quiet", "--events", path, "--database-url", fixture.database.url])
        XCTAssertTrue(refused.stderr.contains("\(path):2: field ts: 9000000000000000000 is not a time dwh can store"), refused.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 0)
    }

    func testAfterATimeBeyondTheRangeIsSkippedTheNextTransformRuns() throws {
        let fixture = try LoadFixture(self)
        let (path, events) = try eventsBeyondTheTimestampRange()
        let url = ["--database-url", fixture.database.url]
        let skipped = try DWHBinary.expect(0, ["load", "--quiet", "--max-errors", "1", "--events", path] + url)
        XCTAssertTrue(skipped.stderr.contains("warning: skipped \(path):2: field ts:"), skipped.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), events - 1)
        let more = try DWHBinary.run(["load", "--quiet", "--events", SharedData.path + "/log_data/2018/11/2018-11-04-events.json"] + url)
        XCTAssertEqual(more.status, 0, "a later load and its transform run: " + more.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files WHERE transformed_at IS NULL"), 0)
        XCTAssertGreaterThan(try fixture.count("SELECT COUNT(*) FROM songplays"), 0)
    }
}
