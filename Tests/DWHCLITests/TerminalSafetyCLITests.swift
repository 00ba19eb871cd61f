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

    func testTableMarkdownChartAndErrorsShowControlCharactersEscaped() throws {
        let database = try TestDatabase.fresh(prefix: "tty")
        defer { database.drop() }
        let hostile = "SELECT E'red\\x1b[31m!' AS \"t\\u001b\", E'bell\\x07c1\\u009b' AS b, 3 AS n"
        let hostileSQL = hostile.replacingOccurrences(of: "\\u001b", with: Self.escape)
        let table = try database.run(["sql", hostileSQL])
        XCTAssertEqual(table.status, 0, table.stderr)
        assertNoRawControl(table.stdout, "the table")
        XCTAssertTrue(table.stdout.contains("red\\x1B[31m!"), table.stdout)
        XCTAssertTrue(table.stdout.contains("bell\\x07c1\\u009B"), table.stdout)
        XCTAssertTrue(table.stdout.contains("t\\x1B"), table.stdout)

        let markdown = try database.run(["sql", hostileSQL, "--format", "markdown"])
        assertNoRawControl(markdown.stdout, "the markdown")
        XCTAssertTrue(markdown.stdout.contains("| red\\x1B[31m! | bell\\x07c1\\u009B | 3 |"), markdown.stdout)

        let chart = try database.run(["sql", "SELECT E'\\x1b[2Jcity' AS place, 5 AS plays", "--chart"])
        XCTAssertEqual(chart.status, 0, chart.stderr)
        assertNoRawControl(chart.stdout, "the chart")
        XCTAssertTrue(chart.stdout.contains("\\x1B[2Jcity"), chart.stdout)

        let error = try database.run(["sql", "SELECT E'\\x1b]0;owned\\x07'::int"])
        XCTAssertEqual(error.status, 1)
        assertNoRawControl(error.stderr, "the server's error")
        XCTAssertTrue(error.stderr.contains("invalid input syntax for type integer: \"\\x1B]0;owned\\x07\""), error.stderr)

        // A file of CSV or JSON keeps the bytes exactly.
        let folder = NSTemporaryDirectory() + "dwh-tty-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = try database.run(["sql", "SELECT E'a\\x1bb' AS v", "--format", "csv", "-o", folder + "/v.csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertEqual(try String(contentsOfFile: folder + "/v.csv", encoding: .utf8), "v\na\(Self.escape)b\n")
        let json = try database.run(["sql", "SELECT E'a\\x1bb' AS v", "--format", "json"])
        XCTAssertEqual(json.stdout, "[\n  {\"v\": \"a\\u001bb\"}\n]\n")
    }

    func testALoadErrorQuotingAHostileValueShowsItEscaped() throws {
        let database = try TestDatabase.fresh(prefix: "tty")
        defer { database.drop() }
        let migrated = try database.run(["migrate", "--migrations-dir", DWHBinary.packageRoot + "/migrations"])
        XCTAssertEqual(migrated.status, 0, migrated.stderr)
        let folder = NSTemporaryDirectory() + "dwh-tty-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder + "/events", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/songs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try #"{"ts":"\u001b[2J\u001b]0;owned\u0007","page":"NextSong"}"#.appending("\n")
            .write(toFile: folder + "/events/hostile.json", atomically: true, encoding: .utf8)
        let load = try database.run(["load", "--events", folder + "/events", "--songs", folder + "/songs",
                                     "--staging-only", "--max-errors", "5", "--quiet"])
        XCTAssertEqual(load.status, 0, load.stderr)
        assertNoRawControl(load.stderr, "the load's warnings")
        XCTAssertTrue(load.stderr.contains("hostile.json:1: field ts: \"\\x1B[2J\\x1B]0;owned\\x07\""), load.stderr)
    }
}
