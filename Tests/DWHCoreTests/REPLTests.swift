@testable import DWHCore
import Postgres
import TestSupport
import XCTest

final class REPLTests: XCTestCase {
    func testStatementsEndAtSemicolonsOutsideQuotesAndComments() {
        var buffer = StatementBuffer()
        XCTAssertEqual(buffer.append(line: "SELECT 'a;b', \"c;d\" -- e;f"), [])
        XCTAssertFalse(buffer.isEmpty)
        XCTAssertEqual(buffer.append(line: "FROM t /* ; */ ; SELECT $$x;y$$; SELECT $1"),
                       ["SELECT 'a;b', \"c;d\" -- e;f\nFROM t /* ; */ ;", "SELECT $$x;y$$;"])
        XCTAssertEqual(buffer.pending.trimmingCharacters(in: .whitespacesAndNewlines), "SELECT $1")
        XCTAssertEqual(buffer.append(line: ";"), ["SELECT $1\n;"])
        XCTAssertTrue(buffer.isEmpty)
        XCTAssertEqual(buffer.append(line: "SELECT $fn$ a; $x$ ; $fn$;"), ["SELECT $fn$ a; $x$ ; $fn$;"])
        XCTAssertEqual(buffer.append(line: "SELECT 'it''s;'; ;"), ["SELECT 'it''s;';"])
    }

    func testMetaCommandsParse() throws {
        XCTAssertEqual(try MetaCommand.parse("\\run top_songs limit=3"), .run(name: "top_songs", assignments: ["limit=3"]))
        XCTAssertEqual(try MetaCommand.parse("\\format csv"), .format(.csv))
        XCTAssertEqual(try MetaCommand.parse("\\d songs"), .describe(table: "songs"))
        XCTAssertEqual(try MetaCommand.parse("\\export out.csv"), .export(path: "out.csv", query: nil))
        XCTAssertEqual(try MetaCommand.parse("\\export  out.csv  SELECT  1 AS a ; "), .export(path: "out.csv", query: "SELECT  1 AS a"))
        XCTAssertThrowsError(try MetaCommand.parse("\\format xml"))
        XCTAssertThrowsError(try MetaCommand.parse("\\export"))
        XCTAssertThrowsError(try MetaCommand.parse("\\frob")) { error in
            XCTAssertEqual("\(error)", "unknown command \\frob; \\? lists them")
        }
    }

    func testCompletionOffersMetaCommandsQueriesParametersTablesAndColumns() throws {
        let query = try SavedQuery(text: "-- name: top_songs\n-- param: limit int = 10\n-- param: since timestamp = 2018-01-01\nSELECT $1, $2", file: "q.sql")
        let completer = Completer(columns: ["songs": ["song_id", "title"], "songplays": ["songplay_id", "start_time"]],
                                  savedQueries: [query])
        XCTAssertEqual(completer.complete("\\ru").candidates, ["\\run"])
        XCTAssertEqual(completer.complete("\\run top").candidates, ["top_songs"])
        XCTAssertEqual(completer.complete("\\run top_songs limit=3 ").candidates, ["since="])
        XCTAssertEqual(completer.complete("SELECT * FROM so").candidates, ["songplays", "songs"])
        XCTAssertEqual(completer.complete("SELECT ti", statement: "").candidates, [])
        XCTAssertEqual(completer.complete("ti", statement: "SELECT * FROM songs WHERE").candidates, ["title"])
        XCTAssertEqual(completer.complete("SELECT songs.s").candidates, ["songs.song_id"])
        XCTAssertEqual(completer.complete("sel").candidates, ["select"])
        XCTAssertEqual(completer.complete("SEL").candidates, ["SELECT"])
    }

    func testErrorReportPutsCaretUnderPosition() {
        let error = PostgresError(kind: .server, message: #"relation "nowhere" does not exist"#, sqlState: "42P01",
                                  severity: "ERROR", position: 25)
        XCTAssertEqual(QueryText.report(error, sql: "SELECT 1;\nSELECT * FROM nowhere"), """
            ERROR 42P01 relation "nowhere" does not exist
            LINE 2: SELECT * FROM nowhere
                                  ^
            """)
    }
}

final class KeptResultTests: XCTestCase {
    func testAResultPastTheLimitIsNotKeptAndSaysWhy() throws {
        let kept = try KeptResult(statement: "SELECT g FROM generate_series(1, 100) g", limit: 64)
        try kept.begin([ResultTable.Column(name: "g", isNumeric: true)])
        for value in 1...100 { try kept.row([String(value)]) }
        try kept.end()
        XCTAssertFalse(kept.isWhole)
        XCTAssertEqual(kept.missingReason, "its rows came to more than 64 bytes")
    }

    func testAResultNotReadToItsEndIsNotKept() throws {
        let kept = try KeptResult(statement: "SELECT 1")
        try kept.begin([ResultTable.Column(name: "a", isNumeric: true)])
        try kept.row(["1"])
        XCTAssertFalse(kept.isWhole)
        XCTAssertEqual(kept.missingReason, "it was not read to its end")
        try kept.end()
        XCTAssertTrue(kept.isWhole)
        let memory = MemorySink()
        try kept.copy(to: memory)
        XCTAssertEqual(memory.text, "a\n1\n")
    }
}
