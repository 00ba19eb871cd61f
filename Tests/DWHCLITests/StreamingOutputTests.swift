import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Results of any size: every format streams in flat memory, and on a terminal a long
/// result goes through the pager, as psql's does.
final class StreamingOutputTests: XCTestCase {
    /// 300,000 rows of about 120 bytes: 36 MB of table, more as JSON. A renderer that held
    /// the rows (as dwh once did) needs several times that.
    let bigQuery = "SELECT g AS n, repeat('x', 100) || g AS text, g % 2 = 0 AS even FROM generate_series(1, 300000) g"

    func testEveryFormatStreamsWithPeakMemoryUnder64MB() throws {
        let database = try freshDatabase(prefix: "cli")
        let folder = try temporaryFolder("stream")
        for format in ["table", "json", "markdown", "csv"] {
            let measured = try Shell.run("/usr/bin/time", [
                "-f", "%M", "-o", folder + "/peak", "/bin/sh", "-c", "exec \"$0\" \"$@\" > \"$OUT\"",
                DWHBinary.path, "sql", bigQuery, "--format", format, "--database-url", database.url,
            ], environment: ProcessInfo.processInfo.environment.merging(["OUT": folder + "/" + format]) { $1 })
            XCTAssertEqual(measured.status, 0, measured.stderr)
            let peakKB = Int(try String(contentsOfFile: folder + "/peak", encoding: .utf8)
                .split(separator: "\n").last.map(String.init) ?? "") ?? .max
            let size = (try FileManager.default.attributesOfItem(atPath: folder + "/" + format)[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size, 30_000_000, format)
            XCTAssertLessThan(peakKB, 64 * 1024, "\(format): peak RSS \(peakKB) KB for \(size) bytes of output")
        }
        let lines = try String(contentsOfFile: folder + "/table", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 300_002)
        // Widths come from the first 1,000 rows; later, wider numbers push their line out.
        XCTAssertEqual(lines[0], "    n │ text" + String(repeating: " ", count: 101) + "│ even")
        XCTAssertEqual(lines[1001], " 1000 │ " + String(repeating: "x", count: 100) + "1000 │ t")
        XCTAssertEqual(lines.last, " 300000 │ " + String(repeating: "x", count: 100) + "300000 │ t")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/json"))) as? [[String: Any]]
        XCTAssertEqual(json?.count, 300_000)
        XCTAssertEqual(json?.last?["even"] as? Bool, true)
    }

    func testAFailurePartWayReportsTheErrorAndExits1() throws {
        let database = try freshDatabase(prefix: "cli")
        let output = try database.expect(1, ["sql", "SELECT 10 / (3 - g) AS q FROM generate_series(1, 5) g", "--format", "json"])
        XCTAssertTrue(output.stderr.contains("ERROR 22012 division by zero"), output.stderr)
    }

    // MARK: The pager

    func pagedSession(_ arguments: [String], environment: [String: String] = [:], height: Int = 20) throws -> TmuxSession {
        var environment = environment
        environment["DWH_HOME"] = DWHBinary.packageRoot + "/.dwh-test"
        environment["DWH_PAGER"] = environment["DWH_PAGER"] ?? "less -S"
        environment["LESS"] = ""
        return try TmuxSession(command: [DWHBinary.path] + arguments, environment: environment, width: 80, height: height)
    }

    func testALongResultOpensThePagerAndQuittingItCancelsTheQuery() throws {
        let database = try freshDatabase(prefix: "cli")
        let endless = "SELECT g AS n, 'play ' || g AS label FROM generate_series(1, 50000000) g"
        let terminal = try pagedSession(["sql", endless, "--database-url", database.url])
        terminal.waitFor(" 17 │ play 17")
        XCTAssertEqual(terminal.count("[exit"), 0, "dwh waits for the pager:\n\(terminal.screen)")
        XCTAssertTrue(terminal.screen.split(separator: "\n").last?.hasPrefix(":") == true, terminal.screen)
        let watcher = try Connection(database.adminURL)
        let running = "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%generate_series(1, 50000000)%' AND pid <> pg_backend_pid()"
        XCTAssertEqual(try watcher.execute(running, [database.name]).scalar, "1", "the query runs while the pager shows its first rows")
        try terminal.type("q")
        // Fifty million rows would take minutes to drain: an early exit means the query was cancelled.
        let seconds = terminal.waitFor("[exit 0]", timeout: 20)
        XCTAssertLessThan(seconds, 15)
        XCTAssertEqual(try watcher.execute(running, [database.name]).scalar, "0")
    }

    /// A statement that changes data runs to its end when the pager is quitted early: its
    /// rows are not shown, and nothing it did is undone.
    func testQuittingThePagerNeverUndoesAStatementThatWrites() throws {
        let database = try freshDatabase(prefix: "cli")
        XCTAssertEqual(try database.run(["sql", "CREATE TABLE written (n int)"]).status, 0)
        let insert = "INSERT INTO written SELECT g FROM generate_series(1, 200000) g RETURNING n"
        let terminal = try pagedSession(["sql", insert, "--database-url", database.url])
        terminal.waitFor(" 17\n")
        try terminal.type("q")
        terminal.waitFor("[exit 0]", timeout: 30)
        XCTAssertEqual(try database.run(["sql", "SELECT count(*) AS n FROM written", "--format", "csv"]).stdout, "n\n200000\n")
    }

    func testAShortResultOrNoPagerPrintsStraightToTheTerminal() throws {
        let database = try freshDatabase(prefix: "cli")
        let short = try pagedSession(["sql", "SELECT g AS n FROM generate_series(1, 5) g", "--database-url", database.url])
        short.waitFor(" 5\n(5 rows")
        short.waitFor("[exit 0]")

        let long = "SELECT g AS n FROM generate_series(1, 300) g"
        let unpaged = try pagedSession(["sql", long, "--no-pager", "--database-url", database.url])
        unpaged.waitFor(" 300\n(300 rows")
        unpaged.waitFor("[exit 0]")
        let off = try pagedSession(["sql", long, "--database-url", database.url], environment: ["DWH_PAGER": ""])
        off.waitFor("[exit 0]")
        XCTAssertTrue(off.screen.contains(" 300\n(300 rows"), off.screen)
    }

    func testTheREPLPagesLongResultsUntilPagerOff() throws {
        let database = try freshDatabase(prefix: "cli")
        let history = try temporaryFolder("history") + "/history"
        let repl = try pagedSession(["repl", "--database-url", database.url], environment: ["DWH_HISTORY": history])
        repl.waitFor("postgres=>")
        try repl.type("SELECT g AS n FROM generate_series(1, 400) g;", then: "Enter")
        repl.waitFor(" 17\n")
        XCTAssertEqual(repl.count("(400 rows"), 0, "the footer comes after the pager:\n\(repl.screen)")
        try repl.type("q")
        repl.waitFor("(400 rows")
        try repl.type("\\pager off", then: "Enter")
        repl.waitFor("pager is off")
        try repl.type("SELECT g AS m FROM generate_series(1, 400) g;", then: "Enter")
        repl.waitFor(" 400\n(400 rows")
        try repl.type("\\q", then: "Enter")
        repl.waitFor("[exit 0]")
    }
}
