import DWHCore
import Foundation
import TestSupport
import XCTest

/// The report on the shared Sparkify data as its reader meets it: every section headed in
/// words from its query's `-- title:`, the period, the totals, the plays per day and the
/// share of plays matched to a known song stated at the top, a warning naming the
/// sections a `--param` does not reach, and a layout that holds in Chromium at a phone's,
/// a tablet's, a laptop's and a wide screen's width.
final class ReportReadingTests: XCTestCase {
    nonisolated(unsafe) static var loaded: FreshDatabase?

    /// One database with the shared data, loaded by `dwh load` once for the class.
    func database() throws -> FreshDatabase {
        if let database = Self.loaded { return database }
        let database = try TestDatabase.fresh(prefix: "cli")
        Self.loaded = database
        try database.migrate()
        let shared = SharedData.path
        try database.expect(0, ["load", "--quiet", "--songs", shared + "/song_data", "--events", shared + "/log_data"])
        return database
    }

    override class func tearDown() {
        loaded?.drop()
        loaded = nil
    }

    /// Runs `dwh report` with `arguments`; returns the page and what the command printed.
    func report(_ name: String, _ arguments: [String] = []) throws -> (html: String, output: ProcessOutput) {
        try FileManager.default.createDirectory(atPath: ReportBrowserTests.artifacts, withIntermediateDirectories: true)
        let path = ReportBrowserTests.artifacts + "/" + name
        let output = try database().expect(0, ["report", "-o", path] + arguments)
        return (try String(contentsOfFile: path, encoding: .utf8), output)
    }

    func testEverySectionIsTitledInWords() throws {
        let (html, _) = try report("reading-report.html")
        let catalog = try QueryCatalog(directory: DWHBinary.packageRoot + "/queries")
        XCTAssertEqual(catalog.queries.filter { $0.title == nil }.map(\.name), [], "every shipped query has a -- title:")
        let plan = try ReportPlan(definition: ReportDefinition(file: catalog.directory + "/report.txt"), catalog: catalog)
        for section in plan.sections {
            let title = try XCTUnwrap(section.query.title, section.id)
            let heading = section.variant.isEmpty ? title : "\(title) (\(section.variant))"
            XCTAssertTrue(html.contains("-heading\">\(HTML.escape(heading))</h2>"), "\(section.id) is headed \(heading)")
            XCTAssertTrue(html.contains("<a href=\"#\(section.id)\">\(HTML.escape(heading))</a>"), "\(section.id) in the contents")
        }
    }

    func testTheTopStatesPeriodTotalsAndMatchedShare() throws {
        let (html, _) = try report("reading-report.html")
        let page = try ReportPage(html)
        XCTAssertEqual(ReportPage.fact("Period", in: html), "2018-11-01 21:01 to 2018-11-30 19:54 (the first and last play)")
        XCTAssertEqual(ReportPage.fact("Plays", in: html), "6,820")
        XCTAssertEqual(ReportPage.fact("Listeners", in: html), "96")
        let paid = try XCTUnwrap(page.tables["paid_vs_free"]?.rows.first { $0.first == "paid" })
        XCTAssertEqual(ReportPage.fact("Paid plays", in: html), "\(paid[1].map { ReportReadingTests.grouped($0) } ?? "?") of 6,820 (\(paid[3] ?? "?")%)")
        XCTAssertEqual(ReportPage.fact("Matched to a known song", in: html), "1 of 6,820 plays (0.01%)")
        XCTAssertTrue(html.contains("<p class=\"note\">Matched to a known song: plays whose logged title, artist and length match"))
    }

    func testPlaysPerDayCoverEveryDayOfTheData() throws {
        let (html, _) = try report("reading-report.html")
        let page = try ReportPage(html)
        let days = try XCTUnwrap(page.tables["plays_per_day"])
        XCTAssertEqual(days.rows.count, 30)
        XCTAssertEqual(days.rows.first?.first, "2018-11-01")
        XCTAssertEqual(days.rows.compactMap { $0[1].flatMap { Int($0) } }.reduce(0, +), 6820)
        XCTAssertTrue(html.contains("<svg class=\"chart chart-trend\""), "a plays-per-day chart")
        XCTAssertTrue(html.contains("data-bars=\"30\""))
    }

    func testSinceIsStated() throws {
        let (html, _) = try report("reading-since.html", ["--param", "since=2018-11-15"])
        XCTAssertEqual(ReportPage.fact("Period", in: html), "2018-11-15 to 2018-11-30 19:54 (since = 2018-11-15, to the last play)")
    }

    func testTheSectionsSinceReachesTakeIt() throws {
        let (html, _) = try report("reading-since.html", ["--param", "since=2018-11-15"])
        let page = try ReportPage(html)
        let days = try XCTUnwrap(page.tables["plays_per_day"])
        XCTAssertEqual(days.rows.first?.first, "2018-11-15")
        let plays = days.rows.compactMap { $0[1].flatMap { Int($0) } }.reduce(0, +)
        XCTAssertEqual(ReportPage.fact("Plays", in: html), Self.grouped(String(plays)))
        XCTAssertLessThan(plays, 6820)
        let genders = page.tables["gender_split"]?.rows.compactMap { $0[1].flatMap { Int($0) } }.reduce(0, +)
        XCTAssertEqual(genders, plays, "gender_split takes since")
    }

    func testTheSectionsAParamDoesNotReachAreNamed() throws {
        let (html, output) = try report("reading-since.html", ["--param", "since=2018-11-15"])
        let ignoring = "active_listeners, listener_profile, recommend, playlists, audiences-os, audiences-browser"
        XCTAssertTrue(output.stderr.contains("warning: --param since is not taken by \(ignoring): they cover every play\n"),
                      output.stderr)
        XCTAssertTrue(html.contains("<p class=\"warning\" role=\"note\">--param since is not taken by \(ignoring)"))
        let dry = try database().expect(0, ["report", "-o", "/nonexistent/r.html", "--dry-run", "--param", "limit=3"])
        XCTAssertTrue(dry.stderr.contains("warning: --param limit is not taken by plays_per_day, "), dry.stderr)
        XCTAssertFalse(dry.stderr.contains("warning: --param since"), dry.stderr)
    }

    func testTheLayoutHoldsAtPhoneTabletLaptopAndWideWidths() throws {
        let (html, _) = try report("reading-layout.html")
        let charts = html.components(separatedBy: "<svg class=\"chart ").count - 1
        for width in [390, 768, 1200, 1920] {
            let verdict = try Chromium().measure(report: html, width: width)
            XCTAssertEqual(verdict["problems"] as? [String], [], "at \(width) px")
            XCTAssertEqual(verdict["width"] as? Int, width)
            XCTAssertEqual(verdict["charts"] as? Int, charts)
            XCTAssertGreaterThan(verdict["boxes"] as? Int ?? 0, 100, "the check measured the page's boxes")
            XCTAssertGreaterThan(verdict["words"] as? Int ?? 0, 1000, "and its words")
            XCTAssertEqual((verdict["summary"] as? [[String]])?.count, 5, "the summary's facts at \(width) px")
        }
    }

    /// `5,591`: how the summary writes a count.
    static func grouped(_ digits: String) -> String {
        var output = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { output += "," }
            output.append(digit)
        }
        return output
    }
}
