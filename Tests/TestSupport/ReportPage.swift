import DWHCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A report page read back by a strict (XML) parser: each section's table, and every
/// attribute, so a test can compare rows and look for external references.
public final class ReportPage: NSObject, XMLParserDelegate {
    public private(set) var tables: [String: ResultTable] = [:]
    public private(set) var attributes: [(name: String, value: String)] = []
    private var section: String?
    private var columns: [ResultTable.Column] = []
    private var rows: [[String?]] = []
    private var cell: String?
    private var isNull = false

    public init(_ html: String) throws {
        super.init()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = self
        guard parser.parse() else { throw TestFailure(message: "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")") }
    }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
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

    public func parser(_ parser: XMLParser, foundCharacters string: String) { cell? += string }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "th": columns[columns.count - 1].name = cell ?? ""; cell = nil
        case "td": rows[rows.count - 1].append(isNull ? nil : cell); cell = nil
        case "section":
            if let section, !columns.isEmpty { tables[section] = ResultTable(columns: columns, rows: rows) }
            section = nil
        default: break
        }
    }

    /// What the page states at the top for `label` (its `<dt>`), as written in the page.
    public static func fact(_ label: String, in html: String) -> String? {
        guard let start = html.range(of: "<dt>\(label)</dt><dd>"),
              let end = html.range(of: "</dd>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }
}
