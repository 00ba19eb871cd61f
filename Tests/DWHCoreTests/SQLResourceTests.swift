@testable import DWHCore
import Postgres
import TestSupport
import XCTest

/// The one way in for shipped SQL (`SQLFile`, `SQLStatement`) and the one way out for a
/// failing statement (`SQLError`).
final class SQLResourceTests: XCTestCase {
    /// Every SQL file shipped in the resources, parsed.
    private func shippedFiles() throws -> [(path: String, file: SQLFile)] {
        try SQLResource.paths.map { path in
            (path, try SQLFile(path: path, contents: XCTUnwrap(EmbeddedResource.data(path).map { String(decoding: $0, as: UTF8.self) })))
        }
    }

    func testEveryShippedSQLFileParses() throws {
        let paths = SQLResource.paths
        XCTAssertTrue(paths.contains("Transform/60_songplays.sql") && paths.contains("REPL/catalog.sql"), "\(paths)")
        XCTAssertNoThrow(try shippedFiles())
    }

    func testEveryShippedSQLFileHasSQLForBothDialects() throws {
        for (path, file) in try shippedFiles() {
            for dialect in [Dialect.postgres, .redshift] {
                let named = file.statements(for: dialect)
                if named.isEmpty {
                    XCTAssertFalse(file.render(for: dialect).text.isEmpty, "\(path) for \(dialect)")
                }
                for statement in named {
                    XCTAssertFalse(statement.sql.isEmpty, "\(path): \(statement.name) is empty for \(dialect)")
                }
            }
        }
    }

    func testEveryShippedStatementKnowsTheFileLineOfEachOfItsLines() throws {
        for (_, file) in try shippedFiles() {
            for dialect in [Dialect.postgres, .redshift] {
                for statement in file.statements(for: dialect) {
                    XCTAssertEqual(statement.sql.split(separator: "\n", omittingEmptySubsequences: false).count,
                                   statement.fileLines.count)
                }
            }
        }
    }

    func testNamedStatementsKeepTheirFileLinesAcrossDialectBlocks() throws {
        let file = try SQLFile(path: "x.sql", contents: """
            -- A file of two statements.

            -- name: first
            -- what it does
            SELECT a,
            -- dwh:postgres
                   b::text
            -- dwh:end
            -- dwh:redshift
                   b::varchar
            -- dwh:end
            FROM t

            -- name: second
            SELECT 2
            """)
        let postgres = file.statements(for: .postgres), redshift = file.statements(for: .redshift)
        XCTAssertEqual(postgres.map(\.name), ["first", "second"])
        XCTAssertEqual(postgres[0].sql, "SELECT a,\n       b::text\nFROM t")
        XCTAssertEqual(redshift[0].sql, "SELECT a,\n       b::varchar\nFROM t")
        XCTAssertEqual(redshift[0].fileLines, [5, 10, 12])
        XCTAssertEqual(postgres[1].fileLines, [15])

        // The server's position 18 is the b on the second line sent: line 10 of the file on Redshift.
        let error = PostgresError(kind: .server, message: "type \"varchar\" is odd", sqlState: "42704", position: 18)
        XCTAssertEqual(redshift[0].place(error).description,
                       "x.sql:10:8: ERROR 42704 type \"varchar\" is odd\nLINE 10:        b::varchar\n" + String(repeating: " ", count: 16) + "^")
        XCTAssertThrowsError(try SQLFile(path: "y.sql", contents: "-- dwh:postgres\n-- name: x\nSELECT 1\n-- dwh:end")) {
            XCTAssertEqual("\($0)", "y.sql:2: `-- name: x` starts a statement inside the block opened on line 1")
        }
    }

    func testTypedSQLErrorsShowTheLineACaretAndTheHint() {
        let error = PostgresError(kind: .server, message: "column \"nope\" does not exist", sqlState: "42703",
                                  hint: "Perhaps you meant \"note\".", position: 8)
        XCTAssertEqual(QueryText.report(error, sql: "SELECT nope FROM t"), """
            ERROR 42703 column "nope" does not exist
            LINE 1: SELECT nope FROM t
                           ^
            HINT: Perhaps you meant "note".
            """)
    }

    func testErrorsInAFileShowTheSameCaretUnderTheFilesLineAndColumn() {
        let inFile = PostgresError(kind: .server, message: "column \"nope\" does not exist", sqlState: "42703", position: 15)
        XCTAssertEqual(QueryText.report(inFile, sql: "-- top\nSELECT nope FROM t", source: SQLSource(file: "queries/q.sql", firstLine: 3)),
                       """
            queries/q.sql:4:8: ERROR 42703 column "nope" does not exist
            LINE 4: SELECT nope FROM t
                           ^
            """)
    }

    func testTheCaretLandsUnderTheWordAfterWideText() {
        // East Asian text is two columns wide: the caret still lands under the word.
        let wide = PostgresError(kind: .server, message: "bad", sqlState: "42000", position: 14)
        XCTAssertEqual(QueryText.report(wide, sql: "SELECT '東京', x"),
                       "ERROR 42000 bad\nLINE 1: SELECT '東京', x\n" + String(repeating: " ", count: 23) + "^")
    }

    func testAFailingCheckIsPlacedInChecksSQL() throws {
        let checks = QualityChecks.all(for: .postgres)
        XCTAssertGreaterThan(checks.count, 3)
        XCTAssertTrue(checks.allSatisfy { $0.path == "Check/checks.sql" })
        let first = try XCTUnwrap(checks.first)
        let error = PostgresError(kind: .server, message: "relation \"staging_events\" does not exist", sqlState: "42P01", position: 1)
        let shown = "\(LoadError.database(step: "check \"\(QualityChecks.title(first))\"", error: first.place(error)))"
        XCTAssertTrue(shown.hasPrefix("check \"every table has rows\": Check/checks.sql:5:1: ERROR 42P01"), shown)
    }
}
