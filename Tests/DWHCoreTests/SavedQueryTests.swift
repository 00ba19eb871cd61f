import DWHCore
import TestSupport
import XCTest

final class SavedQueryTests: XCTestCase {
    static let packageRoot = DWHBinary.packageRoot

    private func topSongs() throws -> SavedQuery {
        try SavedQuery(text: """
            -- name: top_songs
            -- description: The most played songs.
            -- param: limit int = 10
            -- param: since timestamp = 2018-01-01
            -- param: by a|b = a
            SELECT 1 LIMIT $1;

            """, file: "queries/top_songs.sql")
    }

    func testHeaderGivesNameDescriptionAndTypedParameters() throws {
        let query = try topSongs()
        XCTAssertEqual(query.name, "top_songs")
        XCTAssertEqual(query.description, "The most played songs.")
        XCTAssertEqual(query.parameters.map(\.signature), ["limit int = 10", "since timestamp = 2018-01-01", "by a|b = a"])
    }

    func testTheSQLIsWhatFollowsTheHeader() throws {
        XCTAssertEqual(try topSongs().sql, "SELECT 1 LIMIT $1")
    }

    func testTheSQLKnowsItsFirstLine() throws {
        XCTAssertEqual(try topSongs().source, SQLSource(file: "queries/top_songs.sql", firstLine: 6))
    }

    func testBindingGivesEachParameterItsValueOrItsDefault() throws {
        let query = try topSongs()
        XCTAssertEqual(try query.bind([:]), ["10", "2018-01-01", "a"])
        XCTAssertEqual(try query.bind(["limit": " 3", "since": "2018-11-05 10:00", "by": "b"]), ["3", "2018-11-05 10:00", "b"])
    }

    func testValuesThatDoNotParseAreRefusedBeforeRunning() throws {
        let query = try SavedQuery(text: "-- name: q\n-- param: limit int = 10\n-- param: since timestamp = 2018-01-01\n-- param: by a|b = a\nSELECT $1, $2, $3", file: "q.sql")
        XCTAssertThrowsError(try query.bind(["limit": "10; DROP TABLE users"])) { error in
            XCTAssertEqual("\(error)", #"q: limit must be an integer, got "10; DROP TABLE users""#)
        }
        XCTAssertThrowsError(try query.bind(["since": "yesterday"]))
        XCTAssertThrowsError(try query.bind(["since": "2018-13-45"]))
        XCTAssertThrowsError(try query.bind(["by": "c"])) { error in
            XCTAssertEqual("\(error)", #"q: by must be one of a, b, got "c""#)
        }
        XCTAssertThrowsError(try query.bind(["nope": "1"])) { error in
            XCTAssertEqual("\(error)", "q has no parameter nope; it takes limit, since, by")
        }
    }

    func testTextValuesAreKeptExactlyForTheServerToBind() throws {
        let query = try SavedQuery(text: "-- name: q\n-- param: who text\nSELECT $1", file: "q.sql")
        let hostile = "'); DROP TABLE songplays; --"
        XCTAssertEqual(try query.bind(["who": hostile]), [hostile])
        XCTAssertThrowsError(try query.bind([:])) { error in
            XCTAssertEqual("\(error)", "q needs a value for who (text): --param who=…")
        }
    }

    func testBadHeadersNameFileAndLine() {
        XCTAssertThrowsError(try SavedQuery(text: "-- name: q\n-- param: limit integer = 1\nSELECT 1", file: "queries/q.sql")) { error in
            XCTAssertTrue("\(error)".hasPrefix("queries/q.sql:2: parameter limit has unknown type integer"), "\(error)")
        }
        XCTAssertThrowsError(try SavedQuery(text: "-- name: q\n-- param: limit int = ten\nSELECT 1", file: "q.sql")) { error in
            XCTAssertEqual("\(error)", #"q.sql:2: default "ten" of limit is not a valid int"#)
        }
        XCTAssertThrowsError(try SavedQuery(text: "SELECT 1", file: "q.sql")) { error in
            XCTAssertEqual("\(error)", "q.sql:1: missing `-- name:` line")
        }
    }

    func testAssignments() throws {
        XCTAssertEqual(try QueryParameter.assignments(["limit=5", "who=a=b"]), ["limit": "5", "who": "a=b"])
        XCTAssertThrowsError(try QueryParameter.assignments(["limit"]))
        XCTAssertThrowsError(try QueryParameter.assignments(["limit=5", "limit=6"])) { error in
            XCTAssertEqual("\(error)", "parameter limit is given twice (limit=5, then limit=6): give it once")
        }
    }

    /// The saved queries of the project's queries/ folder.
    private func projectQueries() throws -> [SavedQuery] {
        try QueryCatalog(directory: Self.packageRoot + "/queries").queries
    }

    func testTheProjectsSavedQueriesAllParse() throws {
        let queries = try projectQueries()
        let required = ["gender_split", "paid_vs_free", "plays_by_hour", "plays_by_weekday", "session_lengths",
                        "top_artists", "top_locations", "top_songs", "top_user_agents", "top_users"]
        XCTAssertEqual(Set(required).subtracting(queries.map(\.name)), [])
    }

    func testTheProjectsSavedQueriesMatchTheirFileNames() throws {
        for query in try projectQueries() {
            XCTAssertTrue(query.file.hasSuffix("/\(query.name).sql"), query.file)
        }
    }

    func testTheProjectsSavedQueriesEachHaveADescription() throws {
        for query in try projectQueries() {
            XCTAssertFalse(query.description.isEmpty, query.name)
        }
    }

    func testTheProjectsSavedQueriesBindWithoutArguments() throws {
        for query in try projectQueries() {
            XCTAssertNoThrow(try query.bind([:]), query.name)
        }
    }

    func testTheProjectsSavedQueriesUseEachOfTheirParameters() throws {
        for query in try projectQueries() {
            for index in query.parameters.indices {
                XCTAssertTrue(query.sql.contains("$\(index + 1)"), "\(query.name) never uses $\(index + 1)")
            }
        }
    }

    func testAnUnknownSavedQueryNameIsAnError() throws {
        let catalog = try QueryCatalog(directory: Self.packageRoot + "/queries")
        XCTAssertThrowsError(try catalog.query(named: "nope")) { error in
            XCTAssertTrue("\(error)".contains("no saved query named nope"), "\(error)")
        }
    }

    /// Found by `make fuzz` (saved-query target, after 5,037 runs): a parameter line with
    /// nothing before its `=`, or nothing at all, trapped instead of being refused.
    func testAParameterLineWithoutADeclarationIsRefusedByLine() {
        for line in ["-- param: =", "-- param:", "-- param: = 10"] {
            XCTAssertThrowsError(try SavedQuery(text: "-- name: q\n\(line)\nSELECT 1;", file: "queries/q.sql")) { error in
                XCTAssertTrue("\(error)".hasPrefix("queries/q.sql:2:"), "\(error)")
                XCTAssertTrue("\(error)".contains("a parameter reads `-- param: NAME TYPE [= DEFAULT]`"), "\(error)")
            }
        }
    }

    /// Found by `make fuzz` (saved-query target, after 114,426 runs): a timestamp with a
    /// combining character made Foundation's DateFormatter trap.
    func testADateWithNonASCIITextIsRefusedNotATrap() throws {
        let timestamp = QueryParameter(name: "since", kind: .timestamp, defaultValue: nil)
        XCTAssertNil(timestamp.normalize("2018-11-01 08:00-\u{351}amearam"))
        XCTAssertNil(QueryParameter(name: "day", kind: .date, defaultValue: nil).normalize("2018-11-0\u{661}"))
        XCTAssertEqual(timestamp.normalize("2018-11-01 08:00"), "2018-11-01 08:00")
        XCTAssertThrowsError(try SavedQuery(text: "-- name: q\n-- param: since timestamp = 2018-11-01 08:00-\u{351}x\nSELECT $1;",
                                            file: "q.sql"))
    }
}
