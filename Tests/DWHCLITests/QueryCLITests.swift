import DWHCore
import Foundation
import TestSupport
import XCTest

/// A database of its own in the test PostgreSQL, reached with `--database-url`.
extension FreshDatabase {
    /// A tiny star schema: two locations, three plays.
    func createStarSchema() throws {
        let output = try run(["sql", """
            CREATE TABLE songplays (songplay_id serial, start_time timestamp, user_id varchar, level varchar, song_id varchar,
                                    artist_id varchar, session_id int, location varchar, user_agent varchar);
            INSERT INTO songplays (start_time, user_id, level, session_id, location, user_agent) VALUES
              ('2018-11-05 10:00', '1', 'paid', 1, 'Lansing, MI', 'Firefox/31.0'),
              ('2018-11-05 11:00', '1', 'paid', 1, 'Lansing, MI', 'Firefox/31.0'),
              ('2018-11-06 10:00', '2', 'free', 2, 'Tampa, "FL"', 'Chrome/36.0');
            """])
        guard output.succeeded else { throw TestFailure(message: "fixture failed: \(output.stderr)") }
    }
}

final class QueryCLITests: XCTestCase {
    func testQueryListGivesEachQueryItsDescriptionAndParameters() throws {
        let list = try DWHBinary.expect(0, ["query", "list"])
        XCTAssertTrue(list.stdout.contains("top_locations\n    Where people listen most"), list.stdout)
        XCTAssertTrue(list.stdout.contains("--param limit int = 10"), list.stdout)
    }

    func testQueryShowPrintsTheSQLWithItsParameters() throws {
        let show = try DWHBinary.run(["query", "show", "top_locations"])
        XCTAssertTrue(show.stdout.contains("FROM songplays"), show.stdout)
        XCTAssertTrue(show.stdout.contains("-- $1: limit int = 10"), show.stdout)
    }

    func testQueryShowOfAnUnknownNameFails() throws {
        let missing = try DWHBinary.run(["query", "show", "nope"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("no saved query named nope"), missing.stderr)
    }

    private func starSchemaDatabase() throws -> FreshDatabase {
        let database = try freshDatabase(prefix: "cli")
        try database.createStarSchema()
        return database
    }

    func testRunInEachFormat() throws {
        let database = try starSchemaDatabase()
        let csv = try database.expect(0, ["query", "run", "top_locations", "--format", "csv"])
        XCTAssertEqual(csv.stdout, "location,plays,listeners\n\"Lansing, MI\",2,1\n\"Tampa, \"\"FL\"\"\",1,1\n")
        let json = try database.run(["query", "run", "top_locations", "--param", "limit=1", "--format", "json"])
        XCTAssertEqual(json.stdout, "[\n  {\"location\": \"Lansing, MI\", \"plays\": 2, \"listeners\": 1}\n]\n")
        let table = try database.run(["query", "run", "paid_vs_free"])
        XCTAssertTrue(table.stdout.contains(" paid  │     2 │         1 │    66.7"), table.stdout)
        let chart = try database.run(["query", "run", "top_locations", "--chart"])
        XCTAssertTrue(chart.stdout.contains("Lansing, MI │████"), chart.stdout)
        let markdown = try database.run(["sql", "SELECT 1 AS n, 'a|b' AS s", "--format", "markdown"])
        XCTAssertEqual(markdown.stdout, "| n | s |\n| ---: | --- |\n| 1 | a\\|b |\n")
    }

    func testRunRefusesAParameterValueOfTheWrongType() throws {
        let bad = try starSchemaDatabase().expect(1, ["query", "run", "top_locations", "--param", "limit=ten"])
        XCTAssertTrue(bad.stderr.contains(#"top_locations: limit must be an integer, got "ten""#), bad.stderr)
    }

    func testRunRefusesAParameterTheQueryDoesNotTake() throws {
        let unknown = try starSchemaDatabase().run(["query", "run", "top_locations", "--param", "city=Tampa"])
        XCTAssertTrue(unknown.stderr.contains("top_locations has no parameter city"), unknown.stderr)
    }

    func testExportWritesTheWholeFileOrNothing() throws {
        let database = try freshDatabase(prefix: "cli")
        try database.createStarSchema()
        let directory = try temporaryFolder("cli-export")
        let file = directory + "/locations.csv"
        let export = try database.expect(0, ["export", "top_locations", "-o", file, "--param", "limit=1"])
        XCTAssertTrue(export.stderr.contains("wrote 1 row to \(file)"), export.stderr)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "location,plays,listeners\n\"Lansing, MI\",2,1\n")

        _ = try database.run(["sql", "DROP TABLE songplays"])
        let failed = try database.expect(1, ["export", "top_locations", "-o", directory + "/never.csv"])
        XCTAssertTrue(failed.stderr.contains(#"/queries/top_locations.sql:9:6: ERROR 42P01 relation "songplays" does not exist"#),
                      failed.stderr)
        XCTAssertTrue(failed.stderr.contains("LINE 9: FROM songplays\n             ^"), failed.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["locations.csv"])
    }

    func testSQLErrorShowsLineAndCaret() throws {
        let database = try freshDatabase(prefix: "cli")
        let output = try database.expect(1, ["sql", "SELECT 1\nFROM nowhere"])
        XCTAssertTrue(output.stderr.contains("ERROR 42P01 relation \"nowhere\" does not exist\nLINE 2: FROM nowhere\n             ^"),
                      output.stderr)
    }

    func testSQLErrorOnTheCOPYPathShowsTheSameCaret() throws {
        let database = try freshDatabase(prefix: "cli")
        let copy = try database.expect(1, ["sql", "SELECT 1\nFROM nowhere", "--format", "csv"])
        XCTAssertTrue(copy.stderr.contains("LINE 2: FROM nowhere\n             ^"), "COPY path: " + copy.stderr)
    }

    /// Runs a script with an error on its sixth line through `dwh repl` from a pipe, on a database of its own.
    private func pipedRepl(_ flags: [String]) throws -> ProcessOutput {
        let database = try freshDatabase(prefix: "cli")
        let script = "CREATE TABLE t (a int);\nINSERT INTO t\n  VALUES (1), (2);\n\\format csv\nSELECT * FROM t ORDER BY a;\nSELECT nope FROM t;\nSELECT 'after';\n"
        return try database.run(["repl"] + flags, environment: ["DWH_HISTORY": "/dev/null"], input: script)
    }

    func testReplRunsAPipedScriptUpToItsFirstError() throws {
        let stopped = try pipedRepl([])
        XCTAssertEqual(stopped.stdout, "CREATE TABLE\nINSERT 0 2\noutput format is csv\na\n1\n2\n")
    }

    func testReplFromAPipeStopsAtTheFirstErrorWithExit1() throws {
        let stopped = try pipedRepl([])
        XCTAssertEqual(stopped.status, 1)
        XCTAssertTrue(stopped.stderr.contains("ERROR 42703 column \"nope\" does not exist\nLINE 1: SELECT nope FROM t;\n               ^"),
                      stopped.stderr)
    }

    func testReplWithContinueOnErrorGoesOnPastAnErrorButExits1() throws {
        let continued = try pipedRepl(["--continue-on-error"])
        XCTAssertEqual(continued.status, 1)
        XCTAssertTrue(continued.stdout.hasSuffix("?column?\nafter\n"), continued.stdout)
    }
}

final class REPLMetaCommandTests: XCTestCase {
    func testMetaCommandsFromAPipe() throws {
        let database = try freshDatabase(prefix: "cli")
        try database.createStarSchema()
        let directory = try temporaryFolder("meta")
        try "SELECT 'included' AS source;\n".write(toFile: directory + "/more.sql", atomically: true, encoding: .utf8)
        let script = """
            SELECT 41 AS answer;
            \\e
            \\i \(directory)/more.sql
            \\run top_locations limit=2
            \\chart
            \\export \(directory)/locations.csv
            \\d songplays
            \\x
            SELECT 1 AS a, 2 AS b;

            """
        let output = try database.expect(0, ["repl"], environment: ["EDITOR": "sed -i s/41/42/", "COLUMNS": "40"], input: script)
        XCTAssertTrue(output.stdout.contains("SELECT 42 AS answer;\n answer\n────────\n     42\n(1 row)"), output.stdout)
        XCTAssertTrue(output.stdout.contains(" included\n(1 row)"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Lansing, MI │█████████████████████████ 2\nTampa, \"FL\" │████████████▌             1\n"),
                      output.stdout)
        XCTAssertTrue(output.stdout.contains("wrote 2 rows to \(directory)/locations.csv"), output.stdout)
        XCTAssertEqual(try String(contentsOfFile: directory + "/locations.csv", encoding: .utf8),
                       "location,plays,listeners\n\"Lansing, MI\",2,1\n\"Tampa, \"\"FL\"\"\",1,1\n")
        XCTAssertTrue(output.stdout.contains("Table \"public.songplays\"\n"), output.stdout)
        XCTAssertNotNil(output.stdout.range(of: #"\n user_agent +│ character varying +│ +│ *\n"#, options: .regularExpression), output.stdout)
        XCTAssertTrue(output.stdout.contains("-[ RECORD 1 ]---\na │ 1\nb │ 2\n"), output.stdout)
    }
}

final class REPLExportTests: XCTestCase {
    /// Runs an INSERT … RETURNING through `dwh repl`, then `\export FILE` of its rows and
    /// `\export FILE QUERY` of a count, on a database of its own.
    private func exported() throws -> (database: FreshDatabase, directory: String, output: ProcessOutput, lines: [String]) {
        let database = try freshDatabase(prefix: "cli")
        let directory = try temporaryFolder("kept")
        let script = """
            CREATE TABLE ev (id int GENERATED ALWAYS AS IDENTITY, at timestamptz);
            \\format csv
            INSERT INTO ev (at) VALUES (clock_timestamp()) RETURNING id, at;
            \\export \(directory)/returned.csv
            \\export \(directory)/count.csv SELECT count(*) AS n FROM ev;
            SELECT 'last' AS unterminated
            """
        let output = try database.expect(0, ["repl"], environment: ["DWH_HISTORY": "/dev/null"], input: script)
        return (database, directory, output, output.stdout.split(separator: "\n").map(String.init))
    }

    /// `\export FILE` writes the rows the last statement showed.
    func testExportWritesTheKeptRows() throws {
        let (_, directory, output, lines) = try exported()
        XCTAssertEqual(lines.count, 8, output.stdout)
        XCTAssertEqual(Array(lines.prefix(3)), ["CREATE TABLE", "output format is csv", "id,at"], output.stdout)
        XCTAssertTrue(lines[3].hasPrefix("1,"), output.stdout)
        XCTAssertEqual(Array(lines.suffix(4)), ["wrote 1 row to \(directory)/returned.csv", "wrote 1 row to \(directory)/count.csv",
                                                "unterminated", "last"], output.stdout)
        XCTAssertEqual(try String(contentsOfFile: directory + "/returned.csv", encoding: .utf8), "id,at\n" + lines[3] + "\n")
    }

    /// `\export FILE` never runs the statement again (an INSERT … RETURNING stays one row, its
    /// clock_timestamp() the one seen). `\export FILE QUERY` runs its own query.
    func testExportNeverRunsTheStatementAgain() throws {
        let (database, directory, _, _) = try exported()
        XCTAssertEqual(try String(contentsOfFile: directory + "/count.csv", encoding: .utf8), "n\n1\n")
        XCTAssertEqual(try database.run(["sql", "SELECT count(*) FROM ev", "--format", "csv"]).stdout, "count\n1\n")
    }
}

final class ExportInterruptTests: XCTestCase {
    func testCtrlCDuringAnExportCancelsItAndLeavesNoFile() throws {
        let database = try freshDatabase(prefix: "cli")
        let directory = try temporaryFolder("interrupt")
        // 50,000 rows stream out at once, then the server sleeps: the file is half written.
        let sql = "SELECT g, CASE WHEN g > 50000 THEN pg_sleep(30) END AS pause FROM generate_series(1, 50001) g"
        let terminal = try TmuxSession(command: [DWHBinary.path, "sql", sql, "--format", "csv", "-o", directory + "/plays.csv",
                                                 "--database-url", database.url], environment: [:])
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).isEmpty { usleep(50_000) }
        usleep(500_000)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).count, 1, "the temporary file")
        try terminal.type("", then: "C-c")
        terminal.waitFor("[exit 1]", timeout: 3)
        XCTAssertTrue(terminal.screen.contains("ERROR 57014 canceling statement due to user request"), terminal.screen)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }
}
