import DWHCore
import Foundation
import TestSupport
import XCTest

extension FreshDatabase {
    /// The migrated star schema with `Tests/Fixtures/report_star_schema.sql`'s 600 plays.
    func createReportFixture() throws {
        try migrate()
        let fixture = try String(contentsOfFile: DWHBinary.packageRoot + "/Tests/Fixtures/report_star_schema.sql", encoding: .utf8)
        let filled = try DWHBinary.run(["sql", "--database-url", url, "--", fixture])
        guard filled.succeeded else { throw TestFailure(message: "fixture failed: \(filled.stderr)") }
    }
}

/// `dwh report` as a user runs it: files written, exit codes, the error section, and
/// --fail-fast leaving the previous report in place.
final class ReportCLITests: XCTestCase {
    var database: FreshDatabase!
    var directory: String!

    override func setUpWithError() throws {
        database = try freshDatabase(prefix: "cli")
        try database.createReportFixture()
        directory = try temporaryFolder("cli-report")
    }

    /// Writes the report with its CSV folder and a parameter; returns the report's path.
    private func writtenReport() throws -> String {
        let report = directory + "/sparkify-report.html"
        let output = try database.expect(0, ["report", "-o", report, "--csv-dir", directory + "/csv", "--param", "top_songs.limit=3"])
        XCTAssertTrue(output.stderr.contains("wrote \(report): 22 sections, CSV in \(directory!)/csv"), output.stderr)
        return report
    }

    func testWritesTheReportWithEverySectionItsValuesEscaped() throws {
        let html = try String(contentsOfFile: try writtenReport(), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<section class=\"query\" id=").count - 1, 22)
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertFalse(html.contains("<script"))
    }

    func testTheReportParsesStrictly() throws {
        let lint = try Shell.run("/usr/bin/xmllint", ["--noout", "--nonet", try writtenReport()])
        XCTAssertEqual(lint.status, 0, "xmllint: \(lint.stderr)")
    }

    func testWritesEachSectionsCSVWithItsParameters() throws {
        _ = try writtenReport()
        let csv = try String(contentsOfFile: directory + "/csv/top_songs.csv", encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 4, csv)
        XCTAssertTrue(csv.hasPrefix("song,artist,plays,song_id,artist_id\n<script>alert(1)</script>,Ólafur Arnalds,97,SO9,AR9\n"), csv)
    }

    func testDryRunPrintsThePlan() throws {
        let dry = try DWHBinary.expect(0, ["report", "-o", directory + "/r.html", "--dry-run", "--param", "limit=5"])
        XCTAssertTrue(dry.stdout.contains("top_user_agents-browser: top_user_agents (limit = 5, by = browser, since = 2018-01-01), chart bars\n"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("plays_by_hour: plays_by_hour (since = 2018-01-01), chart hours label=hour value=plays\n"))
    }

    func testBadParametersFailBeforeConnectingOrWriting() throws {
        let bad = try DWHBinary.expect(1, ["report", "-o", directory + "/r.html", "--param", "since=yesterday",
                                           "--database-url", "postgresql://nobody@127.0.0.1:1/none"])
        XCTAssertTrue(bad.stderr.contains(#"plays_per_day: since must be a timestamp (2018-11-01 or 2018-11-01 08:00), got "yesterday""#), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/r.html"))
    }

    /// Drops songs, so two sections fail, and writes the report anyway; returns its path and text.
    private func reportWithFailedSections() throws -> (path: String, html: String, stderr: String) {
        _ = try database.run(["sql", "DROP TABLE songs CASCADE"])
        let report = directory + "/report.html"
        let output = try database.expect(1, ["report", "-o", report])
        return (report, try String(contentsOfFile: report, encoding: .utf8), output.stderr)
    }

    func testAFailedQueryIsAnErrorSectionOfTheReport() throws {
        let (report, html, stderr) = try reportWithFailedSections()
        XCTAssertTrue(stderr.contains("top_songs: "), stderr)
        XCTAssertTrue(stderr.contains(#"ERROR 42P01 relation "songs" does not exist"#), stderr)
        XCTAssertTrue(stderr.contains("wrote \(report), but 2 sections failed: top_songs, top_songs-only"), stderr)
        XCTAssertTrue(html.contains("<section class=\"query failed\" id=\"top_songs\""))
        XCTAssertTrue(html.contains("2 failed"))
        XCTAssertEqual(html.components(separatedBy: "<section class=\"query\" id=").count - 1, 20)
    }

    func testFailFastLeavesThePreviousReportAlone() throws {
        let (report, html, _) = try reportWithFailedSections()
        let failFast = try database.expect(1, ["report", "-o", report, "--fail-fast", "--csv-dir", directory + "/csv"])
        XCTAssertTrue(failFast.stderr.contains("top_songs failed, nothing written (--fail-fast):"), failFast.stderr)
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), html, "the previous report is left alone")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/csv"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["report.html"], "no temporary file left")
    }
}
