import DWHCore
import Foundation
import TestSupport
import XCTest

/// psql's daily meta-commands in `dwh repl`, from a pipe, each checked against what psql
/// itself does with the same input where psql has the command.
final class REPLCommandTests: XCTestCase {
    var database: FreshDatabase!
    var directory = ""

    override func setUpWithError() throws {
        database = try freshDatabase(prefix: "cli")
        directory = try temporaryFolder("repl-commands")
        try FileManager.default.createDirectory(atPath: directory + "/queries", withIntermediateDirectories: true)
    }

    /// `dwh repl` reading `script` from a pipe, in the test's folder (its `queries/`).
    func repl(_ script: String, environment: [String: String] = [:]) throws -> ProcessOutput {
        try database.run(["repl"], environment: ["DWH_HISTORY": "/dev/null", "DWH_QUERIES": directory + "/queries"]
            .merging(environment) { $1 }, input: script, in: directory)
    }

    /// psql on the same script and database, when psql is installed.
    func psql(_ script: String) throws -> ProcessOutput {
        guard let psql = Shell.which("psql") else { throw XCTSkip("psql is not installed") }
        try script.write(toFile: directory + "/psql-script", atomically: true, encoding: .utf8)
        // From the test's folder, as dwh runs, so that relative file names land in the same place.
        return try Shell.run("/bin/sh", ["-c", "cd \"$1\" && exec \"$0\" -X -v ON_ERROR_STOP=1 -f psql-script \"$2\"", psql, directory, database.url])
    }

    func testSettingsSayWhatPsqlSays() throws {
        let script = """
            \\timing on
            \\x auto
            \\pset null (nil)
            \\x
            \\x
            \\pset format aligned
            \\pset pager off
            \\x off
            \\timing off
            \\set who 'it''s Béla'
            \\set n 1 2 3
            \\set
            \\unset n
            \\set

            """
        let dwh = try repl(script)
        XCTAssertEqual(dwh.status, 0, dwh.stderr)
        let reference = try psql(script)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        // psql also lists its own variables (AUTOCOMMIT, PROMPT1, …); dwh has only the user's.
        let psqlLines = reference.stdout.split(separator: "\n").map(String.init)
            .filter { !$0.contains(" = ") || $0.hasPrefix("who = ") || $0.hasPrefix("n = ") }
        XCTAssertEqual(dwh.stdout.split(separator: "\n").map(String.init), psqlLines)
        XCTAssertEqual(psqlLines, ["Timing is on.", "Expanded display is used automatically.", "Null display is \"(nil)\".",
                                   "Expanded display is off.", "Expanded display is on.", "Output format is aligned.",
                                   "Pager usage is off.", "Expanded display is off.", "Timing is off.",
                                   "n = '123'", "who = 'it's Béla'", "who = 'it's Béla'"])
    }

    /// `\x auto`, `\pset null` and `\timing on` over three results, in an 80-column terminal.
    private func shapedTables() throws -> ProcessOutput {
        let output = try repl("""
            \\x auto
            \\pset null (nil)
            SELECT 1 AS a, NULL AS b;
            SELECT repeat('x', 200) AS wide, 2 AS n;
            \\timing on
            SELECT 3 AS c;

            """, environment: ["COLUMNS": "80"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return output
    }

    func testNullTextStandsForNulls() throws {
        let output = try shapedTables()
        XCTAssertTrue(output.stdout.contains(" a │ b\n───┼───────\n 1 │ (nil)\n(1 row)\n"), output.stdout)
    }

    func testExpandedAutoExpandsAResultWiderThanTheTerminal() throws {
        let output = try shapedTables()
        XCTAssertTrue(output.stdout.contains("-[ RECORD 1 ]----\nwide │ " + String(repeating: "x", count: 200) + "\nn    │ 2\n"),
                      output.stdout)
    }

    func testTimingAddsTheTimeToTheFooter() throws {
        let output = try shapedTables()
        XCTAssertNotNil(output.stdout.range(of: #" c\n───\n 3\n\(1 row, [0-9.]+ ms\)\n"#, options: .regularExpression), output.stdout)
    }

    /// `\o FILE` takes the results and leaves the messages on the screen; `\g FILE` and
    /// `\gx` run the statement typed so far, as psql does.
    private let outputScript = """
        \\o o.txt
        SELECT 42 AS answer;
        \\o
        SELECT 7 AS seven
        \\g g.txt
        SELECT 8 AS eight
        \\gx
        \\g

        """

    private func outputScriptRun() throws -> ProcessOutput {
        let output = try repl(outputScript)
        XCTAssertEqual(output.status, 0, output.stderr)
        return output
    }

    func testOutputToAFileTakesTheResultsUntilReset() throws {
        _ = try outputScriptRun()
        XCTAssertEqual(try String(contentsOfFile: directory + "/o.txt", encoding: .utf8), " answer\n────────\n     42\n(1 row)\n")
    }

    func testGoWithAFileWritesThatOneResultToIt() throws {
        _ = try outputScriptRun()
        XCTAssertEqual(try String(contentsOfFile: directory + "/g.txt", encoding: .utf8), " seven\n───────\n     7\n(1 row)\n")
    }

    func testGxThenGShowsTheStatementExpandedThenAsATable() throws {
        let output = try outputScriptRun()
        // \gx shows its statement expanded once; the \g after it runs the same statement again, as a table.
        XCTAssertEqual(output.stdout, "-[ RECORD 1 ]-----\neight │ 8\n(1 row)\n eight\n───────\n     8\n(1 row)\n")
    }

    func testPsqlReadsTheOutputScriptTheSameWay() throws {
        let reference = try psql(outputScript.replacingOccurrences(of: "o.txt", with: "psql-o.txt").replacingOccurrences(of: "g.txt", with: "psql-g.txt"))
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertTrue(reference.stdout.hasPrefix("-[ RECORD 1 ]\neight | 8\n"), reference.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/psql-o.txt"))
    }

    /// One session from a pipe: `\save`, `\show`, `\edit` (an EDITOR turning 7 into 8) and
    /// `\run` of a query, a query file written by `\o` and run, then `\save` of the same
    /// name again.
    private func savedQuerySession() throws -> (output: ProcessOutput, saved: String) {
        let output = try repl("""
            SELECT 7 AS seven;
            \\save sevens
            \\show sevens
            \\edit sevens
            \\run sevens
            \\format csv
            \\o queries/fresh.sql
            SELECT v AS "-- name: fresh" FROM (VALUES ('SELECT 99 AS fresh;')) AS t (v);
            \\o
            \\run fresh
            \\save sevens

            """, environment: ["EDITOR": "sed -i s/7/8/"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return (output, directory + "/queries/sevens.sql")
    }

    /// `\save` writes the last statement with a header, and `\show` prints it.
    func testSaveWritesTheLastStatementWithAHeader() throws {
        let (output, saved) = try savedQuerySession()
        XCTAssertTrue(try String(contentsOfFile: saved, encoding: .utf8).hasPrefix("-- name: sevens\n-- description: saved from the REPL on "))
        XCTAssertTrue(output.stdout.contains("saved \(directory)/queries/sevens.sql; \\run sevens runs it\n-- name: sevens\n"), output.stdout)
    }

    /// `\edit` edits the file itself, and `\run` runs the edited file.
    func testEditEditsTheSavedFileItself() throws {
        let (output, saved) = try savedQuerySession()
        XCTAssertTrue(try String(contentsOfFile: saved, encoding: .utf8).hasSuffix("\nSELECT 8 AS seven;\n"))
        XCTAssertTrue(output.stdout.contains(" seven\n───────\n     8\n(1 row)\n"), "the edited file runs: " + output.stdout)
    }

    /// A query file that appears during the session is there at once.
    func testAQueryFileWrittenDuringTheSessionRunsWithoutARestart() throws {
        let output = try savedQuerySession().output
        XCTAssertTrue(output.stdout.contains("output format is csv\nfresh\n99\n"), "the new file runs: " + output.stdout)
    }

    /// From a pipe, an existing query is not replaced: there is nobody to ask.
    func testSaveFromAPipeLeavesAnExistingQueryAsItWas() throws {
        let output = try savedQuerySession().output
        XCTAssertTrue(output.stdout.contains("exists: replace it? not without a terminal"), output.stdout)
        XCTAssertTrue(output.stdout.hasSuffix("queries/sevens.sql left as it was\n"), output.stdout)
    }

    /// `:NAME`, `:'NAME'` and `:"NAME"` in code only, quoted by libpq: dwh gives what psql
    /// gives on the same script (both in CSV, so the bytes can be compared).
    func testVariablesAreFilledInAsPsqlFillsThem() throws {
        let body = """
            \\set who 'Béla Fleck'
            \\set evil 'x'' OR ''1''=''1'
            \\set tab 'Odd Table'
            \\set n 2
            DROP TABLE IF EXISTS :"tab";
            CREATE TABLE :"tab" (title text);
            INSERT INTO :"tab" VALUES (:'who'), ('it''s :who'), ($$:'who'$$), (:'evil');
            SELECT title, :n AS n, title = :'who' AS same, '7'::int AS cast, ':missing_one' AS kept -- :n
            FROM "Odd Table" WHERE title <> :'evil' ORDER BY title;
            SELECT count(*) AS evil FROM :"tab" WHERE title = :'evil';

            """
        let script = body
        let dwh = try repl("\\format csv\n" + script)
        XCTAssertEqual(dwh.status, 0, dwh.stderr)
        let reference = try psql("\\pset format csv\n" + script)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        let results = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("CREATE") && !$0.hasPrefix("DROP") && !$0.hasPrefix("INSERT") && !$0.hasPrefix("output format") && !$0.hasPrefix("Output format") } }
        XCTAssertEqual(results(dwh.stdout), results(reference.stdout))
        XCTAssertEqual(results(dwh.stdout), ["title,n,same,cast,kept", ":'who',2,f,7,:missing_one", "Béla Fleck,2,t,7,:missing_one",
                                             "it's :who,2,f,7,:missing_one", "evil", "1"])
        // An unset name in code stays as typed, and the server says what it is.
        let unset = try repl("SELECT :nope AS x;\n")
        XCTAssertTrue(unset.stderr.contains("syntax error at or near \":\""), unset.stderr)
    }

    /// `\copy` streams a file on this side to and from the server, as psql's does: the
    /// same files come out of both.
    func testClientCopyReadsAndWritesFilesHere() throws {
        try "a,1\nb,2\n".write(toFile: directory + "/in.csv", atomically: true, encoding: .utf8)
        let script = """
            CREATE TABLE t (name text, n int);
            \\copy t (name, n) FROM 'in.csv' WITH (FORMAT csv)
            \\copy t FROM stdin CSV
            c,3
            d,4
            \\.
            \\copy (SELECT name, n * 10 AS tens FROM t ORDER BY name) TO 'OUT' CSV HEADER
            \\copy t TO stdout

            """
        let dwh = try repl(script.replacingOccurrences(of: "OUT", with: "dwh-out.csv"))
        XCTAssertEqual(dwh.status, 0, dwh.stderr)
        XCTAssertEqual(dwh.stdout, "CREATE TABLE\nCOPY 2\nCOPY 2\nCOPY 4\na\t1\nb\t2\nc\t3\nd\t4\n")
        _ = try repl("DROP TABLE t;\n")
        let reference = try psql(script.replacingOccurrences(of: "OUT", with: "psql-out.csv"))
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertEqual(reference.stdout, dwh.stdout)
        XCTAssertEqual(try String(contentsOfFile: directory + "/dwh-out.csv", encoding: .utf8), "name,tens\na,10\nb,20\nc,30\nd,40\n")
        XCTAssertEqual(try String(contentsOfFile: directory + "/dwh-out.csv", encoding: .utf8),
                       try String(contentsOfFile: directory + "/psql-out.csv", encoding: .utf8))
    }

    func testClientCopyFromAMissingFileSaysSo() throws {
        let missing = try repl("CREATE TABLE t (name text, n int);\n\\copy t FROM 'nowhere.csv'\n")
        XCTAssertTrue(missing.stderr.contains("cannot read nowhere.csv: No such file or directory"), missing.stderr)
    }

    func testAParameterGivenTwiceIsRefused() throws {
        try "-- name: echo\n-- param: v text = x\nSELECT $1::text AS v;\n".write(toFile: directory + "/queries/echo.sql", atomically: true, encoding: .utf8)
        let twice = try repl("\\run echo v=a v=b\n")
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("parameter v is given twice (v=a, then v=b): give it once"), twice.stderr)
        let cli = try database.expect(1, ["query", "run", "echo", "--param", "v=a", "--param", "v=b"],
                                         environment: ["DWH_QUERIES": directory + "/queries"])
        XCTAssertTrue(cli.stderr.contains("parameter v is given twice"), cli.stderr)
    }

    /// The server's NOTICEs and WARNINGs reach the screen (stderr), as in psql.
    func testNoticesAndWarningsAreShown() throws {
        let output = try repl("""
            DROP TABLE IF EXISTS never_there;
            DO $$ BEGIN RAISE WARNING 'careful: %', 'Béla'; END $$;

            """)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stderr.contains("NOTICE:  table \"never_there\" does not exist, skipping"), output.stderr)
        XCTAssertTrue(output.stderr.contains("WARNING:  careful: Béla"), output.stderr)
    }
}

