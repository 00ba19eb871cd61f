import DWHCore
import Foundation
import TestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// A report page read back by a strict (XML) parser: each section's table, and every
/// attribute, so a test can compare rows and look for external references.
final class ReportPage: NSObject, XMLParserDelegate {
    private(set) var tables: [String: ResultTable] = [:]
    private(set) var attributes: [(name: String, value: String)] = []
    private var section: String?
    private var columns: [ResultTable.Column] = []
    private var rows: [[String?]] = []
    private var cell: String?
    private var isNull = false

    init(_ html: String) throws {
        super.init()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = self
        guard parser.parse() else { throw TestFailure(message: "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")") }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        self.attributes += attributes.map { ($0.key, $0.value) }
        switch name {
        case "section": section = attributes["id"]; columns = []; rows = []
        case "th", "td": cell = ""; isNull = attributes["class"] == "null"
        case "tr" where !columns.isEmpty: rows.append([])
        default: break
        }
        if name == "th" { columns.append(.init(name: "", isNumeric: attributes["class"] == "num")) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { cell? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "th": columns[columns.count - 1].name = cell ?? ""; cell = nil
        case "td": rows[rows.count - 1].append(isNull ? nil : cell); cell = nil
        case "section":
            if let section, !columns.isEmpty { tables[section] = ResultTable(columns: columns, rows: rows) }
            section = nil
        default: break
        }
    }
}

/// The report on the shared Sparkify data, loaded by `dwh load`: every section's rows are
/// exactly what `dwh query run … --format json` prints, and the page parses strictly with
/// no external reference.
final class ReportSharedDataTests: XCTestCase {
    func testTheReportOnTheSharedDataHoldsEachQuerysRows() throws {
        let database = try freshDatabase(prefix: "cli")
        let shared = SharedData.path
        try database.expect(0, ["migrate", "--migrations-dir", DWHBinary.packageRoot + "/migrations"])
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
