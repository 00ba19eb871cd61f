import DWHCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

/// The report page rendered from known sections: escaped everywhere, well-formed for a
/// strict XML parser, and free of scripts and external references.
final class ReportDocumentTests: XCTestCase {
    static let hostile = "<script>alert(1)</script>"

    /// Elements, attributes and text of a page, read by a strict (XML) parser.
    final class StrictPage: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var attributes: [(element: String, name: String, value: String)] = []
        var text = ""
        var error: Error?

        init(_ html: String) {
            super.init()
            let parser = XMLParser(data: Data(html.utf8))
            parser.delegate = self
            if !parser.parse() { error = parser.parserError ?? NSError(domain: "xml", code: 1) }
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            elements.append(name)
            for (key, value) in attributes { self.attributes.append((name, key, value)) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func section(_ name: String, table: ResultTable?, chart: ChartLayout.Kind = .bars, error: String? = nil) throws -> ReportSection {
        let query = try SavedQuery(text: "-- name: \(name)\n-- description: Plays by \(Self.hostile) & \"more\".\n-- param: limit int = 10\nSELECT 1",
                                   file: "queries/\(name).sql")
        let plan = ReportPlan.Section(id: name, variant: "", query: query, values: ["10"], chart: chart,
                                      labelColumn: nil, valueColumn: nil)
        guard let table else { return ReportSection(plan: plan, table: nil, error: error) }
        return ReportSection(plan: plan, table: table, milliseconds: 1.5)
    }

    func hostileDocument() throws -> ReportDocument {
        let long = String(repeating: "Ünïcödé 東京 ", count: 50)
        let table = ResultTable(columns: [.init(name: "song <b>"), .init(name: "plays", isNumeric: true)],
                                rows: [[Self.hostile, "97"], ["O'Brien's \"Song\" & more", "88"], [long, "5"],
                                       [nil, "1"], ["bell\u{7} and \u{1}control", "0"]])
        return ReportDocument(title: "Report " + Self.hostile, database: "dwh@127.0.0.1:5432/dwh\"><x",
                              generatedAt: Date(timeIntervalSince1970: 1_543_622_400),
                              sections: [try section("top_songs", table: table),
                                         try section("paid_vs_free", table: table, chart: .share),
                                         try section("broken", table: nil, error: "ERROR 42P01 relation \"<songs>\" does not exist\n          ^")])
    }

    func testEscapesMarkupInTextAndAttributes() {
        XCTAssertEqual(HTML.escape(Self.hostile), "&lt;script&gt;alert(1)&lt;/script&gt;")
        XCTAssertEqual(HTML.escape(#"a "b" & 'c'"#), "a &quot;b&quot; &amp; &#39;c&#39;")
        XCTAssertEqual(HTML.escape("tab\tnew\nline bell\u{7} ü 東京"), "tab\tnew\nline bell\u{FFFD} ü 東京")
    }

    func testHostileValuesRenderAsTextInAWellFormedPage() throws {
        let document = try hostileDocument()
        let html = document.html
        let page = StrictPage(html)
        XCTAssertNil(page.error, "\(page.error.map { "\($0)" } ?? "")")
        XCTAssertFalse(page.elements.contains("script"))
        XCTAssertFalse(page.elements.contains("b"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertTrue(page.text.contains("Report " + Self.hostile), "the title reads as text")
        XCTAssertTrue(page.text.contains("O'Brien's \"Song\" & more"))
        XCTAssertTrue(page.text.contains("bell\u{FFFD} and \u{FFFD}control"))
        XCTAssertTrue(page.text.contains("relation \"<songs>\" does not exist"))
        XCTAssertTrue(page.attributes.contains { $0.name == "id" && $0.value == "top_songs" })
        XCTAssertEqual(document.failedSections.map(\.plan.id), ["broken"])
        XCTAssertTrue(html.contains("<td class=\"null\">∅</td>"))
        XCTAssertTrue(html.contains("<td class=\"num\">97</td>"))
        XCTAssertEqual(page.elements.filter { $0 == "svg" }.count, 2)
        XCTAssertEqual(page.elements.filter { $0 == "table" }.count, 2)
    }

    func testThePageHasNoScriptNorEventHandler() throws {
        let page = StrictPage(try hostileDocument().html)
        for attribute in page.attributes {
            XCTAssertFalse(attribute.name.lowercased().hasPrefix("on"), "event handler \(attribute)")
        }
        XCTAssertFalse(page.elements.contains { ["script", "link", "img", "iframe", "object", "embed"].contains($0) })
    }

    func testThePageReferencesNothingOutsideItself() throws {
        let html = try hostileDocument().html
        for attribute in StrictPage(html).attributes {
            XCTAssertFalse(attribute.value.contains("://") || attribute.value.hasPrefix("//"), "\(attribute)")
            if ["href", "src", "xlink:href", "action"].contains(attribute.name) {
                XCTAssertTrue(attribute.value.hasPrefix("#"), "\(attribute)")
            }
        }
        XCTAssertFalse(html.lowercased().contains("url("))
        XCTAssertFalse(html.lowercased().contains("@import"))
    }

    func testPageStartsWithTitleDatabaseAndTime() throws {
        let html = try hostileDocument().html
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<h1>Report &lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
        XCTAssertTrue(html.contains("Database <strong>dwh@127.0.0.1:5432/dwh&quot;&gt;&lt;x</strong> · run 2018-12-01 00:00:00 UTC"))
        XCTAssertTrue(html.contains("3 sections, <strong class=\"failed\">1 failed</strong>"))
        XCTAssertTrue(html.contains("<li><a href=\"#broken\">broken</a> <span class=\"failed\">(failed)</span></li>"))
    }
}
