import DWHCore
import Foundation
import TestSupport
import XCTest

/// The report in headless Chromium at a laptop's and a phone's width: screenshots kept
/// as artifacts in the build folder (`report-artifacts/`), and a check of the DOM that
/// every chart has its bars and that no two pieces of chart text overlap, with hostile
/// values in the data (script tags, quotes, non-ASCII, 500-character titles).
final class ReportBrowserTests: XCTestCase {
    static let widths = [1280, 390]
    static let artifacts = URL(fileURLWithPath: DWHBinary.path).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("report-artifacts").path

    var database: FreshDatabase!
    let chromium = Chromium()
    var report = ""
    var html = ""

    override func setUpWithError() throws {
        database = try freshDatabase(prefix: "cli")
        try database.createReportFixture()
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        report = Self.artifacts + "/report.html"
        try database.expect(0, ["report", "-o", report])
        html = try String(contentsOfFile: report, encoding: .utf8)
    }

    override func tearDown() {
        chromium.remove()
    }

    func testScreenshotsAtLaptopAndPhoneWidth() throws {
        for width in Self.widths {
            let png = Self.artifacts + "/report-\(width).png"
            try? FileManager.default.removeItem(atPath: png)
            XCTAssertEqual(try chromium.screenshot(report, width: width, to: png), width)
            let size = try FileManager.default.attributesOfItem(atPath: png)[.size] as? Int ?? 0
            XCTAssertGreaterThan(size, 20_000, "a screenshot of a page with charts and tables")
        }
    }

    func testEveryChartHasItsBarsAndNoTextOverlaps() throws {
        let expectedBars = html.components(separatedBy: "<rect class=\"bar ").count - 1
        for width in Self.widths {
            let verdict = try chromium.measure(report: html, width: width)
            XCTAssertEqual(verdict["problems"] as? [String], [], "at \(width) px")
            XCTAssertEqual(verdict["width"] as? Int, width)
            XCTAssertEqual(verdict["charts"] as? Int, 18, "every section but the four drawn as none has a chart")
            XCTAssertEqual(verdict["bars"] as? Int, expectedBars)
            XCTAssertGreaterThan(verdict["texts"] as? Int ?? 0, 2 * 18)
            for chartWidth in verdict["chartWidths"] as? [Int] ?? [] {
                XCTAssertTrue((300...480).contains(chartWidth), "a chart \(chartWidth) px wide at \(width) px")
            }
        }
    }

    func testHostileValuesShowAsTextAndKeepTheLayout() throws {
        for width in Self.widths {
            let verdict = try chromium.measure(report: html, width: width)
            let cells = verdict["cells"] as? [String] ?? []
            let tooltips = verdict["tooltips"] as? [String] ?? []
            XCTAssertEqual(verdict["scripts"] as? Int, 0)
            XCTAssertTrue(cells.contains("<script>alert(1)</script>"), "the song title is text")
            XCTAssertTrue(cells.contains("<img src=x onerror=alert(2)>"), "the first name is text")
            XCTAssertTrue(cells.contains("O'Brien's \"Song\" & more"))
            XCTAssertTrue(cells.contains("東京の夜 🎵"))
            let long = String(repeating: "Ünïcödé lyric ", count: 40).prefix(500)
            XCTAssertTrue(cells.contains(String(long)), "the 500-character title in full in the table")
            XCTAssertTrue(tooltips.contains(long + ": 88"), "and in full in the chart's tooltip")
            XCTAssertTrue(cells.contains { $0.hasSuffix("…") && long.hasPrefix($0.dropLast()) }, "shortened on the chart")
            XCTAssertEqual(verdict["problems"] as? [String], [], "at \(width) px")
            XCTAssertLessThanOrEqual(verdict["pageScrollWidth"] as? Int ?? .max, width)
        }
    }

    func testTheBrowserCheckFindsOverlapsWhenThereAreSome() throws {
        let verdict = try chromium.measure(report: html, width: 390, extraStyle: "svg.chart text { font-size: 40px; }")
        let problems = verdict["problems"] as? [String] ?? []
        XCTAssertTrue(problems.contains { $0.contains("overlaps") }, "\(problems.prefix(3))")
        XCTAssertTrue(problems.contains { $0.contains("leaves the chart") }, "\(problems.prefix(3))")
    }
}
