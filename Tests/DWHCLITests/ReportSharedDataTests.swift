import DWHCore
import Foundation
import TestSupport
import XCTest

/// The report on the shared Sparkify data, loaded by `dwh load`: every section's rows are
/// exactly what `dwh query run … --format json` prints, and the page parses strictly with
/// no external reference.
final class ReportSharedDataTests: XCTestCase {
    func testTheReportOnTheSharedDataHoldsEachQuerysRows() throws {
        let database = try migratedDatabase(prefix: "cli")
        let shared = SharedData.path
        try database.expect(0, ["load", "--quiet", "--songs", shared + "/song_data", "--events", shared + "/log_data"])

        let report = ReportBrowserTests.artifacts + "/sparkify-report.html"
        try FileManager.default.createDirectory(atPath: ReportBrowserTests.artifacts, withIntermediateDirectories: true)
        try database.expect(0, ["report", "-o", report])
        let html = try String(contentsOfFile: report, encoding: .utf8)
        let page = try ReportPage(html)

        let catalog = try QueryCatalog(directory: DWHBinary.packageRoot + "/queries")
        let plan = try ReportPlan(definition: ReportDefinition(file: catalog.directory + "/report.txt"), catalog: catalog)
        XCTAssertEqual(Set(page.tables.keys), Set(plan.sections.map(\.id)))
        for section in plan.sections {
            let parameters = zip(section.query.parameters, section.values).flatMap { ["--param", "\($0.name)=\($1)"] }
            let json = try database.expect(0, ["query", "run", section.query.name, "--format", "json"] + parameters)
            let table = try XCTUnwrap(page.tables[section.id], section.id)
            XCTAssertEqual(JSONRenderer.render(table), json.stdout, section.id)
        }
        XCTAssertEqual(page.tables["top_locations"]?.rows.first, ["San Francisco-Oakland-Hayward, CA", "691", "2"])
        XCTAssertEqual(page.tables["plays_by_hour"]?.rows.count, 24)

        for attribute in page.attributes {
            XCTAssertFalse(attribute.value.contains("://") || attribute.value.hasPrefix("//"), "\(attribute)")
            if ["href", "src"].contains(attribute.name) { XCTAssertTrue(attribute.value.hasPrefix("#"), "\(attribute)") }
        }
        let lint = try Shell.run("/usr/bin/xmllint", ["--noout", "--nonet", report])
        XCTAssertEqual(lint.status, 0, lint.stderr)

        let verdict = try Chromium().measure(report: html, width: 390)
        XCTAssertEqual(verdict["problems"] as? [String], [])
        _ = try Chromium().screenshot(report, width: 1280, to: ReportBrowserTests.artifacts + "/sparkify-report-1280.png")
    }
}
