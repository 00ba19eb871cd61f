@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh load`, `transform`, `check` and `generate` as a user runs them.
final class LoadCLITests: XCTestCase {
    func dwh(_ arguments: [String]) throws -> ProcessOutput {
        try Shell.run(DWHBinary.path, arguments)
    }

    func testGenerateLoadAndCheckFromTheCommandLine() throws {
        let fixture = try LoadFixture()
        defer { fixture.database.drop() }
        let folder = try temporaryFolder(self)
        let url = ["--database-url", fixture.database.url]

        let empty = try dwh(["check"] + url)
        XCTAssertEqual(empty.status, 1, empty.stdout + empty.stderr)
        XCTAssertTrue(empty.stdout.contains("FAIL"), empty.stdout)

        let generated = try dwh(["generate", "--songs", "30", "--events", "900", "--out", folder, "--seed", "3"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(generated.stdout.hasPrefix("wrote 30 song files and 900 events in 30 log files"), generated.stdout)

        let sources = ["--songs", folder + "/song_data", "--events", folder + "/log_data"]
        let plan = try dwh(["load", "--dry-run"] + sources + url)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.hasSuffix("60 files to load, 0 skipped\n"), plan.stdout)

        let load = try dwh(["load", "--quiet"] + sources + url)
        XCTAssertEqual(load.status, 0, load.stderr)
        XCTAssertTrue(load.stdout.contains("staging_events +900, staging_songs +30"), load.stdout)
        XCTAssertEqual(load.stderr, "")

        let check = try dwh(["check"] + url)
        XCTAssertEqual(check.status, 0, check.stdout)
        // The 7 built-in checks and checks/plays_have_a_level.sql of the checkout it runs in.
        XCTAssertTrue(check.stdout.hasSuffix("all 8 checks passed\n"), check.stdout)
    }

    func testABadRecordFailsTheLoadNamingFileLineAndField() throws {
        let fixture = try LoadFixture()
        defer { fixture.database.drop() }
        let folder = try temporaryFolder(self)
        let path = folder + "/bad-events.json"
        try [event(), event(["ts": "\"soon\""])].joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let failed = try dwh(["load", "--events", path, "--database-url", fixture.database.url])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("\(path):2: field ts: \"soon\" is not a bigint"), failed.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 0)

        let skipped = try dwh(["load", "--events", path, "--max-errors", "1", "--staging-only", "--database-url", fixture.database.url])
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("warning: skipped \(path):2: field ts"), skipped.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 1)
    }
}

/// Values that parse as their column's type but that the transform cannot convert.
final class LoadValueRangeCLITests: XCTestCase {
    /// A `ts` that fits a bigint but is no time PostgreSQL can hold (a real Sparkify day
    /// with one line's ts made huge): a bad record naming file, line and field, never a row
    /// that stops every later transform with "interval out of range".
    func testATimeBeyondTheTimestampRangeIsABadRecordAndTheNextTransformRuns() throws {
        let fixture = try LoadFixture()
        defer { fixture.database.drop() }
        let folder = try temporaryFolder(self)
        let day = try String(contentsOfFile: SharedData.path + "/log_data/2018/11/2018-11-03-events.json", encoding: .utf8)
        var lines = day.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let ts = lines[1].range(of: #""ts":[0-9]+"#, options: .regularExpression) else { return XCTFail(lines[1]) }
        lines[1].replaceSubrange(ts, with: #""ts":9000000000000000000"#)
        let path = folder + "/2018-11-03-events.json"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let url = ["--database-url", fixture.database.url]

        let refused = try Shell.run(DWHBinary.path, ["load", "--quiet", "--events", path] + url)
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("\(path):2: field ts: 9000000000000000000 is not a time dwh can store"), refused.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 0)

        let skipped = try Shell.run(DWHBinary.path, ["load", "--quiet", "--max-errors", "1", "--events", path] + url)
        XCTAssertEqual(skipped.status, 0, skipped.stdout + skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("warning: skipped \(path):2: field ts:"), skipped.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), lines.filter { !$0.isEmpty }.count - 1)
        let more = try Shell.run(DWHBinary.path, ["load", "--quiet", "--events", SharedData.path + "/log_data/2018/11/2018-11-04-events.json"] + url)
        XCTAssertEqual(more.status, 0, "a later load and its transform run: " + more.stderr)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files WHERE transformed_at IS NULL"), 0)
        XCTAssertGreaterThan(try fixture.count("SELECT COUNT(*) FROM songplays"), 0)
    }
}
