import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// CSV from dwh, both paths, against psql's `\copy … CSV HEADER` for the same query.
final class ExportTests: XCTestCase {
    var database: FreshDatabase!
    var directory: String!

    override func setUpWithError() throws {
        database = try freshDatabase(prefix: "export")
        directory = try temporaryFolder("export")
        let connection = try database.connect()
        try connection.execute("""
            CREATE TABLE awkward (id int, label text, amount numeric, ratio float8, at timestamp, ok bool);
            INSERT INTO awkward VALUES
              (1, 'plain', 1.50, 0.1, '2018-11-01 21:01:46.796', true),
              (2, 'with "quotes"', -2, 1e-10, NULL, false),
              (3, 'comma, separated', NULL, 3.14159265358979, '2018-11-30 00:00:00', NULL),
              (4, E'two\\nlines and a\\r\\nCRLF', 0, 'NaN', '2018-11-02 01:25:34', true),
              (5, NULL, 100000000000000000000.123, 'Infinity', NULL, true),
              (6, '', 7, -0.0, NULL, false),
              (7, 'Beyoncé – 東京 ☃ 🎵', 8, 1, NULL, true),
              (8, '\\.', 9, 2, NULL, true),
              (9, ' leading and trailing ', 10, 3, NULL, true);
            """)
    }

    func psqlCopy(_ query: String) throws -> Data {
        let path = directory + "/psql.csv"
        let output = try Shell.run("/usr/bin/psql", [database.url, "-X", "-q", "-c", "\\copy (\(query)) TO '\(path)' CSV HEADER"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func dwhExport(_ query: String, parameters: [String]) throws -> Data {
        let path = directory + "/dwh.csv"
        let connection = try database.connect()
        let outcome = try QueryRunner.run(QueryRequest(sql: query, parameters: parameters, format: .csv, outputPath: path),
                                          on: connection, standardOutput: .standardOutput())
        let counted = try connection.execute("SELECT count(*) FROM (\(QueryText.stripped(query))) AS q", parameters.map { Optional($0) })
        XCTAssertEqual(outcome.rows, counted.scalar.flatMap { Int($0) }, "the row count dwh reports is the query's")
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func testCopyPathMatchesPsqlByteForByte() throws {
        let query = "SELECT * FROM awkward ORDER BY id"
        let expected = try psqlCopy(query)
        XCTAssertTrue(String(decoding: expected, as: UTF8.self).contains("\"with \"\"quotes\"\"\""))
        XCTAssertEqual(try dwhExport(query + ";", parameters: []), expected)
    }

    func testRowsPathWithParametersMatchesPsqlByteForByte() throws {
        let expected = try psqlCopy("SELECT * FROM awkward WHERE id >= 2 ORDER BY id")
        let data = try dwhExport("SELECT * FROM awkward WHERE id >= $1::int ORDER BY id", parameters: ["2"])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), String(decoding: expected, as: UTF8.self))
        XCTAssertEqual(data, expected)
        let single = try psqlCopy("SELECT label FROM awkward WHERE id = 8")
        XCTAssertEqual(try dwhExport("SELECT label FROM awkward WHERE id = $1::int", parameters: ["8"]), single)
        let none = try psqlCopy("SELECT id, label FROM awkward WHERE id > 100")
        XCTAssertEqual(try dwhExport("SELECT id, label FROM awkward WHERE id > $1::int", parameters: ["100"]), none)
    }

    func testRedshiftDialectStreamsRowsWithTheSameBytes() throws {
        let query = "SELECT * FROM awkward ORDER BY id"
        let output = directory + "/redshift.csv"
        let descriptor = open(output, O_WRONLY | O_CREAT, 0o644)
        let sink = BufferedOutput(fileDescriptor: descriptor)
        XCTAssertEqual(CSVExport.path(dialect: .redshift, parameters: []), .rows)
        XCTAssertEqual(CSVExport.path(dialect: .postgres, parameters: []), .copy)
        XCTAssertEqual(CSVExport.path(dialect: .postgres, parameters: ["1"]), .rows)
        let rows = try CSVExport.run(try database.connect(), dialect: .redshift, sql: query, parameters: [], to: sink)
        try sink.flush()
        close(descriptor)
        XCTAssertEqual(rows, 9)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), try psqlCopy(query))
    }

    /// As COPY and the old cursor did, the rows path takes a query only, and refuses
    /// anything else before it runs.
    func testTheRowsPathRefusesWhatIsNotAQuery() throws {
        let connection = try database.connect()
        let sink = MemorySink()
        for sql in ["DELETE FROM awkward", "SELECT 1; DELETE FROM awkward", "SELECT * INTO copied FROM awkward",
                    "WITH gone AS (DELETE FROM awkward RETURNING id) SELECT * FROM gone"] {
            XCTAssertThrowsError(try CSVExport.run(connection, dialect: .redshift, sql: sql, parameters: [], to: sink), sql) {
                XCTAssertEqual("\($0)", "\(QueryError.exportNeedsQuery)")
            }
        }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM awkward").scalar, "9")
        XCTAssertEqual(try CSVExport.run(connection, dialect: .redshift, sql: "VALUES (1)", parameters: [], to: sink), 1)
    }

    func testTheRowsPathKeepsEveryRowOfALargeResult() throws {
        let count = 20_017
        let query = "SELECT g AS n, md5(g::text) AS hash FROM generate_series(1, \(count)) g"
        let expected = try psqlCopy(query + " WHERE g > 0")
        XCTAssertEqual(try dwhExport(query + " WHERE g > $1::int", parameters: ["0"]), expected)
    }

    func testHostileParameterIsBoundNotPasted() throws {
        let connection = try database.connect()
        let hostile = "x'; DROP TABLE awkward; --"
        let outcome = try QueryRunner.run(
            QueryRequest(sql: "SELECT count(*) AS n FROM awkward WHERE label = $1::text", parameters: [hostile], format: .json,
                         outputPath: directory + "/out.json"),
            on: connection, standardOutput: .standardOutput())
        XCTAssertEqual(outcome.table?.rows, [["0"]])
        let exported = try dwhExport("SELECT $1::text AS value, count(*) AS n FROM awkward", parameters: [hostile])
        XCTAssertEqual(String(decoding: exported, as: UTF8.self), "value,n\nx'; DROP TABLE awkward; --,9\n")
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM awkward").scalar, "9")
    }

    func testFailedExportLeavesNoFileOnEitherPath() throws {
        let connection = try database.connect()
        let failing = "SELECT g, 1 / (g - 150000) AS boom FROM generate_series(1, 200000) g"
        for (sql, parameters) in [(failing, [String]()), (failing + " WHERE g > $1::int", ["0"])] {
            let path = directory + "/never.csv"
            XCTAssertThrowsError(try QueryRunner.run(QueryRequest(sql: sql, parameters: parameters, format: .csv, outputPath: path),
                                                     on: connection, standardOutput: .standardOutput())) { error in
                XCTAssertEqual((error as? PostgresError)?.sqlState, "22012", "\(error)")
            }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
            XCTAssertEqual(connection.transactionState, .idle)
        }
    }
}
