import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh repl` in a real terminal (tmux), typed at as a person would.
final class REPLTerminalTests: XCTestCase {
    func startRepl(_ arguments: [String], environment: [String: String]) throws -> TmuxSession {
        let session = try TmuxSession(command: [DWHBinary.path, "repl"] + arguments, environment: environment)
        session.waitFor("postgres=>")
        return session
    }

    /// A history file of its own for a test (never /dev/null: see `LineEditor.saveHistory`).
    func temporaryHistory() throws -> String {
        try temporaryFolder("history") + "/history"
    }

    func testCompletionMultiLineErrorsAndHistoryAcrossSessions() throws {
        let database = try freshDatabase(prefix: "cli")
        try database.createStarSchema()
        let history = try temporaryHistory()
        let environment = ["DWH_HISTORY": history, "DWH_HOME": DWHBinary.packageRoot + "/.dwh-test"]

        var repl: TmuxSession? = try startRepl(["--database-url", database.url], environment: environment)
        try repl!.type("\\run top_l", then: "Tab")
        repl!.waitFor("=> \\run top_locations")
        try repl!.type("li", then: "Tab")
        repl!.waitFor("top_locations limit=")
        try repl!.type("1", then: "Enter")
        repl!.waitFor("Lansing, MI │     2 │         1\n(1 row)")

        try repl!.type("SELECT count(*) AS n", then: "Enter")
        repl!.waitFor("->")
        try repl!.type("FROM songp", then: "Tab")
        repl!.waitFor("-> FROM songplays")
        try repl!.type(";", then: "Enter")
        repl!.waitFor(" n\n───\n 3\n(1 row)")

        try repl!.type("SELECT nope FROM songplays;", then: "Enter")
        repl!.waitFor("ERROR 42703 column \"nope\" does not exist\nLINE 1: SELECT nope FROM songplays;\n               ^")
        try repl!.type("\\q", then: "Enter")
        repl!.waitFor("[exit 0]")
        repl = nil

        let saved = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertTrue(saved.contains("SELECT\\040count(*)\\040AS\\040n\\012FROM\\040songplays\\040;"), saved)

        let second = try startRepl(["--database-url", database.url], environment: environment)
        try second.type("", then: "Up", "Up", "Up")
        second.waitFor("=> SELECT count(*) AS n")
        try second.type("", then: "Enter")
        second.waitFor(" 3\n(1 row)")
        try second.type("", then: "C-r")
        try second.type("top_lo")
        second.waitFor("top_locations limit=1")
        try second.type("", then: "Enter")
        second.waitFor("Lansing, MI │     2 │         1\n(1 row)")
    }

    /// Accents, CJK and an emoji, typed, pasted, edited by character and recalled from
    /// history, run as they were written: in a UTF-8 locale and in the C locale alike.
    func testNonASCIITextRunsAsTypedAndComesBackFromHistoryByteExact() throws {
        let database = try freshDatabase(prefix: "cli")
        for locale in ["C.UTF-8", "C"] {
            let history = try temporaryHistory()
            let environment = ["DWH_HISTORY": history, "LC_ALL": locale, "LANG": locale]
            var repl: TmuxSession? = try startRepl(["--database-url", database.url], environment: environment)
            try repl!.type("SELECT 'Béla Fleck' AS artist, octet_length('Béla Fleck') AS bytes;", then: "Enter")
            repl!.waitFor(" Béla Fleck │    11\n(1 row)")
            try repl!.paste("SELECT '日本語' AS j, '😀' AS e, octet_length('日本語😀') AS bytes;")
            try repl!.type("", then: "Enter")
            repl!.waitFor(" 日本語 │ 😀 │    13\n(1 row)")
            // Two characters left of the end is before `y`; one backspace takes 語 whole.
            try repl!.type("SELECT '日本語y'", then: "Left", "Left", "BSpace", "End")
            try repl!.type(" AS k;", then: "Enter")
            repl!.waitFor(" 日本y\n(1 row)")
            try repl!.type("", then: "C-r")
            try repl!.type("Béla")
            repl!.waitFor("octet_length('Béla Fleck')")
            try repl!.type("", then: "Enter")
            let deadline = Date().addingTimeInterval(10)
            while repl!.count(" Béla Fleck │    11\n(1 row)") < 2 && Date() < deadline { usleep(50_000) }
            XCTAssertEqual(repl!.count(" Béla Fleck │    11\n(1 row)"), 2, "\(locale):\n\(repl!.screen)")
            try repl!.type("\\q", then: "Enter")
            repl!.waitFor("[exit 0]")
            repl = nil

            let saved = try String(contentsOfFile: history, encoding: .utf8)
            XCTAssertTrue(saved.contains("SELECT\\040'日本y'\\040AS\\040k;"), "\(locale): \(saved)")
            XCTAssertTrue(saved.contains("'Béla\\040Fleck'"), "\(locale): \(saved)")
            let second = try startRepl(["--database-url", database.url], environment: environment)
            // Newest first: \q, the search's re-run, the edited line, then the paste.
            try second.type("", then: "Up", "Up", "Up", "Up")
            second.waitFor("=> SELECT '日本語' AS j")
            try second.type("", then: "Enter")
            second.waitFor(" 日本語 │ 😀 │    13\n(1 row)")
        }
    }

    /// `dwh repl` in tmux on a database of its own, at its first prompt.
    private func replOnItsOwnDatabase() throws -> (database: FreshDatabase, repl: TmuxSession) {
        let database = try freshDatabase(prefix: "cli")
        return (database, try startRepl(["--database-url", database.url], environment: ["DWH_HISTORY": try temporaryHistory()]))
    }

    func testCtrlCCancelsARunningQueryWithinASecond() throws {
        let repl = try replOnItsOwnDatabase().repl
        try repl.type("SELECT pg_sleep(30);", then: "Enter")
        usleep(700_000)
        XCTAssertFalse(repl.screen.contains("canceling"))
        try repl.type("", then: "C-c")
        let seconds = repl.waitFor("ERROR 57014 canceling statement due to user request", timeout: 5)
        XCTAssertLessThan(seconds, 1.0)
    }

    func testCtrlCClearsTheLine() throws {
        let repl = try replOnItsOwnDatabase().repl
        try repl.type("SELECT 'half typed", then: "C-c")
        try repl.type("SELECT 'still here' AS s;", then: "Enter")
        repl.waitFor(" still here\n(1 row)")
        XCTAssertFalse(repl.screen.contains("half typedSELECT"))
    }

    func testThePromptShowsTheTransactionState() throws {
        let (database, repl) = try replOnItsOwnDatabase()
        try repl.type("BEGIN;", then: "Enter")
        repl.waitFor("postgres*=>")
        try repl.type("SELECT 1/0;", then: "Enter")
        repl.waitFor("postgres!=>")
        try repl.type("ROLLBACK;", then: "Enter")
        repl.waitFor("ROLLBACK\n" + database.name + " postgres=>")
        try repl.type("", then: "C-d")
        repl.waitFor("[exit 0]")
    }

    func testReconnectsAfterTheServerRestarts() throws {
        let home = try temporaryFolder("restart") + "/home"
        let server = EmbeddedDatabase(home: home)
        defer { _ = try? server.stop() }
        try server.start()
        let repl = try startRepl([], environment: ["DWH_HOME": home, "DWH_HISTORY": try temporaryHistory()])
        try repl.type("SELECT 'before' AS phase;", then: "Enter")
        repl.waitFor(" before\n(1 row)")
        XCTAssertTrue(try server.stop())
        try server.start()
        // A saved query the lost connection interrupts: said as such, with no caret under it.
        try repl.type("\\run top_locations", then: "Enter")
        repl.waitFor("reconnect")
        XCTAssertTrue(repl.screen.contains("the connection to the server was lost"), repl.screen)
        XCTAssertFalse(repl.screen.contains("LINE 1:"), repl.screen)
        try repl.type("SELECT 'again' AS phase;", then: "Enter")
        repl.waitFor(" again\n(1 row)")
        XCTAssertTrue(repl.screen.contains("reconnected to dwh on 127.0.0.1:"), repl.screen)
    }

    /// `\watch` runs the statement again until Ctrl-C, and the REPL stays.
    func testWatchRepeatsUntilCtrlC() throws {
        let database = try freshDatabase(prefix: "cli")
        let repl = try startRepl(["--database-url", database.url], environment: ["DWH_HISTORY": try temporaryHistory()])
        try repl.type("SELECT 'tick' AS t", then: "Enter")
        try repl.type("\\watch 0.2", then: "Enter")
        let deadline = Date().addingTimeInterval(10)
        while repl.count("(every 0.2s)") < 3 && Date() < deadline { usleep(50_000) }
        XCTAssertGreaterThanOrEqual(repl.count("(every 0.2s)"), 3, repl.screen)
        try repl.type("", then: "C-c")
        usleep(500_000)
        let stopped = repl.count("(every 0.2s)")
        usleep(600_000)
        XCTAssertEqual(repl.count("(every 0.2s)"), stopped, "still watching after Ctrl-C:\n\(repl.screen)")
        try repl.type("SELECT 'alive' AS a;", then: "Enter")
        repl.waitFor(" alive\n(1 row)")
    }

    /// `\timing` measures the query: the seconds a person spends in the pager are not in it.
    func testTimingLeavesOutTheTimeInThePager() throws {
        let database = try freshDatabase(prefix: "cli")
        let repl = try startRepl(["--database-url", database.url],
                                 environment: ["DWH_HISTORY": try temporaryHistory(), "DWH_PAGER": "sleep 3; cat"])
        try repl.type("\\timing on", then: "Enter")
        try repl.type("SELECT g AS n FROM generate_series(1, 100) g;", then: "Enter")
        repl.waitFor("(100 rows, ", timeout: 15)
        let screen = repl.screen
        guard let range = screen.range(of: #"\(100 rows, [0-9.]+ (ms|s)\)"#, options: .regularExpression) else {
            return XCTFail(screen)
        }
        XCTAssertTrue(screen[range].hasSuffix(" ms)"), "the pager's 3 s counted: \(screen[range])")
    }

    /// At a terminal, a DELETE without WHERE, a DROP or a TRUNCATE asks first; no means not
    /// run, and `\\set confirm off` stops the asking. A WHERE in a comment does not count.
    func testDestructiveStatementsAskFirstAtATerminal() throws {
        let database = try freshDatabase(prefix: "cli")
        _ = try database.run(["sql", "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2)"])
        let repl = try startRepl(["--database-url", database.url], environment: ["DWH_HISTORY": try temporaryHistory()])
        try repl.type("DELETE FROM t -- where a = 1", then: "Enter")
        try repl.type(";", then: "Enter")
        repl.waitFor("DELETE without WHERE deletes every row of t. Run it? [y/N]")
        try repl.type("n", then: "Enter")
        repl.waitFor("not run")
        try repl.type("DELETE FROM t WHERE a = 1;", then: "Enter")
        repl.waitFor("DELETE 1")
        try repl.type("DROP TABLE t;", then: "Enter")
        repl.waitFor("DROP TABLE t: it cannot be undone. Run it? [y/N]")
        try repl.type("", then: "Enter")
        try repl.type("\\set confirm off", then: "Enter")
        try repl.type("TRUNCATE t;", then: "Enter")
        repl.waitFor("TRUNCATE TABLE")
        XCTAssertFalse(repl.screen.contains("TRUNCATE empties"), repl.screen)
        XCTAssertEqual(try database.run(["sql", "SELECT count(*) FROM t", "--format", "csv"]).stdout, "count\n0\n")
    }
}

