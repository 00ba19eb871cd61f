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
        XCTAssertEqual(try MetaCommand.parse("\\d songs"), .catalog(CatalogCommand(kind: .describe, pattern: CatalogPattern("songs"))))
        XCTAssertEqual(try MetaCommand.parse("\\dt+"), .catalog(CatalogCommand(kind: .tables, verbose: true)))
        XCTAssertEqual(try MetaCommand.parse("\\dfS+ low*"),
                       .catalog(CatalogCommand(kind: .functions, verbose: true, system: true, pattern: CatalogPattern("low*"))))
        XCTAssertEqual(try MetaCommand.parse("\\l"), .catalog(CatalogCommand(kind: .databases, system: true)))
        XCTAssertEqual(try MetaCommand.parse("\\c postgres"), .connect(database: "postgres", user: nil))
        XCTAssertEqual(try MetaCommand.parse("\\h create  table;"), .sqlHelp("create  table"))
        XCTAssertEqual(try MetaCommand.parse("\\help"), .sqlHelp(nil))
        XCTAssertThrowsError(try MetaCommand.parse("\\dx"))
        XCTAssertEqual(try MetaCommand.parse("\\export out.csv"), .export(path: "out.csv", query: nil))
        XCTAssertEqual(try MetaCommand.parse("\\export  out.csv  SELECT  1 AS a ; "), .export(path: "out.csv", query: "SELECT  1 AS a"))
        XCTAssertThrowsError(try MetaCommand.parse("\\format xml"))
        XCTAssertThrowsError(try MetaCommand.parse("\\export"))
        XCTAssertThrowsError(try MetaCommand.parse("\\frob")) { error in
            XCTAssertEqual("\(error)", "unknown command \\frob; \\? lists them")
        }
    }

    private func savedQueryCompleter() throws -> Completer {
        let query = try SavedQuery(text: "-- name: top_songs\n-- param: limit int = 10\n-- param: since timestamp = 2018-01-01\nSELECT $1, $2", file: "q.sql")
        return Completer(columns: ["songs": ["song_id", "title"], "songplays": ["songplay_id", "start_time"]],
                         savedQueries: [query])
    }

    func testCompletionOffersMetaCommands() throws {
        XCTAssertEqual(try savedQueryCompleter().complete("\\ru").candidates, ["\\run"])
    }

    func testCompletionOffersSavedQueryNamesAfterRun() throws {
        XCTAssertEqual(try savedQueryCompleter().complete("\\run top").candidates, ["top_songs"])
    }

    func testCompletionOffersTheParametersNotYetGiven() throws {
        XCTAssertEqual(try savedQueryCompleter().complete("\\run top_songs limit=3 ").candidates, ["since="])
    }

    func testCompletionOffersTablesAfterFrom() throws {
        XCTAssertEqual(try savedQueryCompleter().complete("SELECT * FROM so").candidates, ["songplays", "songs"])
    }

    func testCompletionOffersColumnsOnlyOfTheTablesTheStatementNames() throws {
        let completer = try savedQueryCompleter()
        XCTAssertEqual(completer.complete("SELECT ti", statement: "").candidates, [])
        XCTAssertEqual(completer.complete("ti", statement: "SELECT * FROM songs WHERE").candidates, ["title"])
        XCTAssertEqual(completer.complete("SELECT songs.s").candidates, ["songs.song_id"])
    }

    func testCompletionOffersKeywordsInTheCaseTyped() throws {
        let completer = try savedQueryCompleter()
        XCTAssertEqual(completer.complete("sel").candidates, ["select"])
        XCTAssertEqual(completer.complete("SEL").candidates, ["SELECT"])
    }

    static let sparkify = ["songs": ["song_id", "title", "artist_id"], "songplays": ["songplay_id", "song_id", "user_id", "start_time"],
                           "users": ["user_id", "level"]]

    func testCompletionOffersTheColumnsOfAliases() {
        let completer = Completer(columns: Self.sparkify, savedQueries: [])
        XCTAssertEqual(completer.complete("SELECT * FROM songs s WHERE s.").candidates, ["s.song_id", "s.title", "s.artist_id"])
        XCTAssertEqual(completer.complete("SELECT * FROM songs AS s, users u WHERE u.l").candidates, ["u.level"])
        XCTAssertEqual(completer.complete("WHERE sp.st", statement: "SELECT *\nFROM public.songplays sp").candidates, ["sp.start_time"])
        XCTAssertEqual(completer.complete("SELECT x.").candidates, [])
    }

    func testCompletionOffersTheColumnsOfTheTablesAfterTheCursor() {
        let completer = Completer(columns: Self.sparkify, savedQueries: [])
        XCTAssertEqual(completer.complete("SELECT s.ti", after: " FROM songs s").candidates, ["s.title"])
        XCTAssertEqual(completer.complete("SELECT ti", after: " FROM songs").candidates, ["title"])
        XCTAssertEqual(completer.complete("SELECT ti").candidates, [])
    }

    func testCompletionSuggestsTheJoinConditionFromForeignKeys() {
        let keys = [Completer.ForeignKey(table: "songplays", columns: ["song_id"], referenced: "songs", referencedColumns: ["song_id"]),
                    Completer.ForeignKey(table: "songplays", columns: ["user_id"], referenced: "users", referencedColumns: ["user_id"])]
        let completer = Completer(columns: Self.sparkify, savedQueries: [], foreignKeys: keys)
        XCTAssertEqual(completer.complete("SELECT * FROM songplays sp JOIN songs s ON ").candidates, ["sp.song_id = s.song_id"])
        XCTAssertEqual(completer.complete("ON ", statement: "SELECT * FROM songs s\nJOIN songplays AS sp").candidates, ["s.song_id = sp.song_id"])
        XCTAssertEqual(completer.complete("SELECT * FROM songplays sp JOIN songs s ON sp.song_id = s.song_id JOIN users ON ").candidates,
                       ["sp.user_id = users.user_id"])
        XCTAssertEqual(completer.complete("SELECT * FROM songs s JOIN users u ON ").candidates, [])
    }

    func testWithoutForeignKeysTheJoinConditionComesFromSameNamedKeysAndSaysSo() {
        let completer = Completer(columns: Self.sparkify, savedQueries: [], primaryKeys: ["songs": ["song_id"], "users": ["user_id"]])
        XCTAssertEqual(completer.complete("SELECT * FROM songplays sp JOIN users u ON ").candidates,
                       ["sp.user_id = u.user_id /* same name: no foreign key declared */"])
    }

    private func projectCompleter() throws -> Completer {
        Completer(columns: Self.sparkify, savedQueries: [
            try SavedQuery(text: "-- name: plays_by\n-- param: by agent|browser|os = agent\n-- param: limit int = 5\nSELECT $1, $2", file: "q.sql"),
        ], functions: ["length", "lower", "date_trunc"], listFolder: { folder in
            folder == "" ? [("data", true), ("notes.sql", false), (".hidden", false)]
                : folder == "data/" ? [("songs.csv", false), ("songplays.csv", false)] : []
        })
    }

    func testCompletionOffersFunctions() throws {
        let completer = try projectCompleter()
        XCTAssertEqual(completer.complete("SELECT len").candidates, ["length"])
        XCTAssertEqual(completer.complete("SELECT date_").candidates, ["date_trunc"])
    }

    func testCompletionOffersFilesAfterFileCommands() throws {
        let completer = try projectCompleter()
        XCTAssertEqual(completer.complete("\\i ").candidates, ["data/", "notes.sql"])
        XCTAssertEqual(completer.complete("\\export data/song").candidates, ["data/songplays.csv", "data/songs.csv"])
        XCTAssertEqual(completer.complete("\\o n").candidates, ["notes.sql"])
        XCTAssertEqual(completer.complete("\\i .").candidates, [".hidden"])
        XCTAssertEqual(completer.complete("\\copy songs FROM data/songs").candidates, ["data/songs.csv"])
        XCTAssertEqual(completer.complete("\\copy songs TO ").candidates, ["data/", "notes.sql"])
        XCTAssertEqual(completer.complete("\\copy son").candidates, [])
        XCTAssertEqual(completer.complete("\\dn").candidates, ["\\dn"])
    }

    func testCompletionOffersTheChoicesOfAParameter() throws {
        let completer = try projectCompleter()
        XCTAssertEqual(completer.complete("\\run plays_by by=").candidates, ["by=agent", "by=browser", "by=os"])
        XCTAssertEqual(completer.complete("\\run plays_by by=b").candidates, ["by=browser"])
        XCTAssertEqual(completer.complete("\\run plays_by limit=").candidates, [])
        XCTAssertEqual(completer.complete("\\run plays_by by=os ").candidates, ["limit="])
    }

    func testKnowledgeReadsKeysAsTheServerWritesThem() {
        let knowledge = CompletionKnowledge(functions: ["lower"], keys: [
            ["songplays", "f", "FOREIGN KEY (start_time) REFERENCES \"time\"(start_time)"],
            ["songplays", "f", "FOREIGN KEY (a, b) REFERENCES etl.pairs(x, y)"],
            ["songs", "p", "PRIMARY KEY (song_id)"],
        ])
        XCTAssertEqual(knowledge.foreignKeys, [
            Completer.ForeignKey(table: "songplays", columns: ["start_time"], referenced: "time", referencedColumns: ["start_time"]),
            Completer.ForeignKey(table: "songplays", columns: ["a", "b"], referenced: "pairs", referencedColumns: ["x", "y"]),
        ])
        XCTAssertEqual(knowledge.primaryKeys, ["songs": ["song_id"]])
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
