import DWHCore
import Foundation
import TestSupport
import XCTest

/// Escape sequences in data, in a server's message and in a hostile input file never reach
/// the reader's terminal raw: they show as psql shows them (`\x1B`), while CSV and JSON
/// files keep the exact bytes.
final class TerminalSafetyCLITests: XCTestCase {
    static let escape = "\u{1B}"

    func assertNoRawControl(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let raw = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
        XCTAssertTrue(raw.isEmpty, "\(what) holds raw control characters: \(text.debugDescription)", file: file, line: line)
    }

    /// Control characters in a value, in another value and in a column name.
    private let hostileSQL = "SELECT E'red\\x1b[31m!' AS \"t\\u001b\", E'bell\\x07c1\\u009b' AS b, 3 AS n"
        .replacingOccurrences(of: "\\u001b", with: TerminalSafetyCLITests.escape)

    func testTheTableShowsControlCharactersEscaped() throws {
        let table = try freshDatabase(prefix: "tty").expect(0, ["sql", hostileSQL])
        assertNoRawControl(table.stdout, "the table")
        XCTAssertTrue(table.stdout.contains("red\\x1B[31m!"), table.stdout)
        XCTAssertTrue(table.stdout.contains("bell\\x07c1\\u009B"), table.stdout)
        XCTAssertTrue(table.stdout.contains("t\\x1B"), table.stdout)
    }

    func testMarkdownShowsControlCharactersEscaped() throws {
        let markdown = try freshDatabase(prefix: "tty").run(["sql", hostileSQL, "--format", "markdown"])
        assertNoRawControl(markdown.stdout, "the markdown")
        XCTAssertTrue(markdown.stdout.contains("| red\\x1B[31m! | bell\\x07c1\\u009B | 3 |"), markdown.stdout)
    }

    func testTheChartShowsControlCharactersEscaped() throws {
        let chart = try freshDatabase(prefix: "tty").expect(0, ["sql", "SELECT E'\\x1b[2Jcity' AS place, 5 AS plays", "--chart"])
        assertNoRawControl(chart.stdout, "the chart")
        XCTAssertTrue(chart.stdout.contains("\\x1B[2Jcity"), chart.stdout)
    }

    func testTheServersErrorShowsControlCharactersEscaped() throws {
        let error = try freshDatabase(prefix: "tty").expect(1, ["sql", "SELECT E'\\x1b]0;owned\\x07'::int"])
        assertNoRawControl(error.stderr, "the server's error")
        XCTAssertTrue(error.stderr.contains("invalid input syntax for type integer: \"\\x1B]0;owned\\x07\""), error.stderr)
    }

    func testCSVAndJSONKeepTheBytesExactly() throws {
        let database = try freshDatabase(prefix: "tty")
        let folder = try temporaryFolder("tty")
        try database.expect(0, ["sql", "SELECT E'a\\x1bb' AS v", "--format", "csv", "-o", folder + "/v.csv"])
        XCTAssertEqual(try String(contentsOfFile: folder + "/v.csv", encoding: .utf8), "v\na\(Self.escape)b\n")
        let json = try database.run(["sql", "SELECT E'a\\x1bb' AS v", "--format", "json"])
        XCTAssertEqual(json.stdout, "[\n  {\"v\": \"a\\u001bb\"}\n]\n")
    }

    func testALoadErrorQuotingAHostileValueShowsItEscaped() throws {
        let database = try migratedDatabase(prefix: "tty")
        let folder = try temporaryFolder("tty")
        try FileManager.default.createDirectory(atPath: folder + "/events", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/songs", withIntermediateDirectories: true)
        try #"{"ts":"\u001b[2J\u001b]0;owned\u0007","page":"NextSong"}"#.appending("\n")
            .write(toFile: folder + "/events/hostile.json", atomically: true, encoding: .utf8)
        let load = try database.expect(0, ["load", "--events", folder + "/events", "--songs", folder + "/songs",
                                           "--staging-only", "--max-errors", "5", "--quiet"])
        assertNoRawControl(load.stderr, "the load's warnings")
        XCTAssertTrue(load.stderr.contains("hostile.json:1: field ts: \"\\x1B[2J\\x1B]0;owned\\x07\""), load.stderr)
    }
}
