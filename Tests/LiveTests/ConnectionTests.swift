import DWHCore
import Postgres
import TestSupport
import XCTest

final class ConnectionTests: XCTestCase {
    func testParametersAreBoundByTheServer() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        let hostile = "'); DROP TABLE x; --"
        let result = try connection.execute("SELECT $1::text AS value, $2::text IS NULL AS missing", [hostile, nil])
        XCTAssertEqual(result[0, "value"], hostile)
        XCTAssertEqual(result[0, "missing"], "t")
    }

    func testQuotingThatLibpqRefusesThrowsInsteadOfPassingTheNameThrough() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        XCTAssertEqual(try connection.escapeIdentifier("my \"table\""), "\"my \"\"table\"\"\"")
        // U+0080 is C2 80 in UTF-8: not a character in EUC_JP, whose second bytes start at A1.
        try connection.execute("SET client_encoding TO 'EUC_JP'")
        XCTAssertThrowsError(try connection.escapeIdentifier("x\u{80}; DROP TABLE y")) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot quote the name"), "\(error)")
        }
    }

    func testNoticesGoToTheHandlerOneAtATime() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        try connection.execute("DO $$ BEGIN RAISE NOTICE 'dropped'; END $$")
        var seen: [String] = []
        connection.onNotice = { seen.append($0) }
        try connection.execute("DROP TABLE IF EXISTS nowhere")
        try connection.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$")
        XCTAssertEqual(seen, [#"NOTICE:  table "nowhere" does not exist, skipping"#, "NOTICE:  hello 42"])
    }

    func testServerErrorKeepsStateAndPosition() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        XCTAssertThrowsError(try connection.execute("SELECT * FROM nowhere")) { error in
            guard let error = error as? PostgresError else { return XCTFail("not a PostgresError: \(error)") }
            XCTAssertEqual(error.sqlState, "42P01")
            XCTAssertEqual(error.position, 15)
            XCTAssertEqual(error.headline, #"ERROR 42P01 relation "nowhere" does not exist"#)
        }
    }

    func testCopyInAndOutRoundTrip() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        try connection.execute("CREATE TABLE t (a int, b text)")
        let rows = try connection.copyIn("COPY t FROM STDIN") { writer in
            for i in 0..<1000 { try writer.write("\(i)\tvalue \(i)\n") }
        }
        XCTAssertEqual(rows, 1000)
        var csv: [UInt8] = []
        try connection.copyOut("COPY (SELECT * FROM t WHERE a < 2 ORDER BY a) TO STDOUT WITH CSV HEADER") { chunk in
            csv.append(contentsOf: chunk)
        }
        XCTAssertEqual(String(decoding: csv, as: UTF8.self), "a,b\n0,value 0\n1,value 1\n")
    }

    func testFailedCopyKeepsNothing() throws {
        let database = try freshDatabase()
        let connection = try database.connect()
        try connection.execute("CREATE TABLE t (a int)")
        struct Stop: Error {}
        XCTAssertThrowsError(try connection.copyIn("COPY t FROM STDIN") { writer in
            try writer.write("1\n2\n")
            throw Stop()
        })
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM t").scalar, "0")
    }

    func testConnectionErrorNamesTargetNotPassword() throws {
        let target = try DatabaseTarget.resolve(
            flag: "postgresql://alice:sup3rsecret@127.0.0.1:1/nowhere", config: nil, environment: [:])
        XCTAssertThrowsError(try Session(target: target)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("alice@127.0.0.1:1/nowhere"), text)
            XCTAssertFalse(text.contains("sup3rsecret"), text)
        }
    }
}
