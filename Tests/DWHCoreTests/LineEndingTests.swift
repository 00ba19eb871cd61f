import DWHCore
import Foundation
import TestSupport
import XCTest

/// Every text file dwh reads takes Windows line ends and a UTF-8 byte order mark, and reads
/// the same as the plain file: the project's own saved queries and report definition, as
/// an editor on Windows would save them.
final class LineEndingTests: XCTestCase {
    func windows(_ text: String) -> String {
        "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n")
    }

    func testSavedQueriesReadTheSame() throws {
        let folder = DWHBinary.packageRoot + "/queries"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sql") }
        XCTAssertGreaterThan(names.count, 5)
        for name in names {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let plain = try SavedQuery(text: text, file: name), crlf = try SavedQuery(text: windows(text), file: name)
            XCTAssertEqual(crlf.name, plain.name, name)
            XCTAssertEqual(crlf.description, plain.description, name)
            XCTAssertEqual(crlf.parameters, plain.parameters, name)
            XCTAssertEqual(crlf.sql, plain.sql, name)
            XCTAssertEqual(crlf.firstLine, plain.firstLine, name)
        }
    }

    func testTheReportDefinitionReadsTheSame() throws {
        let text = try String(contentsOfFile: DWHBinary.packageRoot + "/queries/report.txt", encoding: .utf8)
        let plain = try ReportDefinition(text: text, file: "report.txt")
        let crlf = try ReportDefinition(text: windows(text), file: "report.txt")
        XCTAssertEqual(crlf.title, plain.title)
        XCTAssertEqual(crlf.entries.map(\.query), plain.entries.map(\.query))
        XCTAssertEqual(crlf.entries.map(\.line), plain.entries.map(\.line))
        XCTAssertEqual(crlf.entries.map(\.chart), plain.entries.map(\.chart))
        XCTAssertGreaterThan(plain.entries.count, 3)
    }
}
