@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// `dwh check`'s upkeep warning on Redshift, run on PostgreSQL with SVV_TABLE_INFO stood in
/// for by a table of the developer guide's columns, filled here.
final class TableHealthTests: XCTestCase {
    static let standIn = """
        CREATE TABLE svv_table_info ("schema" text, "table" text, unsorted numeric(5,2), stats_off numeric(5,2),
                                     tbl_rows numeric(38,0), estimated_visible_rows numeric(38,0));
        """

    func connection() throws -> Connection {
        let database = try freshDatabase(prefix: "health")
        let connection = try database.connect()
        try connection.execute(Self.standIn)
        return connection
    }

    func testEachDriftedTableOfTheSchemaGetsItsStatementAndTheRestAreLeftOut() throws {
        let connection = try connection()
        try connection.execute("""
            INSERT INTO svv_table_info VALUES
              ('public', 'songplays', 34.50, 2.00, 1204332, 1204332),   -- unsorted: VACUUM
              ('public', 'time', 0.00, 15.00, 8056, 8056),              -- stale statistics: ANALYZE
              ('public', 'staging_events', 5.00, 12.50, 1000, 700),     -- 30 % deleted and stale: both
              ('public', 'users', 20.00, 10.00, 104, 104),              -- at the limits: fine
              ('public', 'songs', NULL, NULL, 71, NULL),                -- no sort key, no estimate: fine
              ('public', 'odd"name', 60.00, 0.00, 10, 10),              -- a name that needs quoting
              ('other', 'songplays', 90.00, 90.00, 10, 1)               -- another schema: not ours
            """)
        let results = try TableHealth.run(connection, dialect: .redshift)
        XCTAssertEqual(results.map(\.severity), [.warn])
        XCTAssertEqual(results.first?.violations, 4)
        XCTAssertEqual(results.first?.sample, [
            #"odd"name: 60.00 % unsorted, 0.00 % deleted, stats 0.00 % off (10 rows): run VACUUM "odd""name";"#,
            #"songplays: 34.50 % unsorted, 0.00 % deleted, stats 2.00 % off (1204332 rows): run VACUUM "songplays";"#,
            #"staging_events: 5.00 % unsorted, 30.00 % deleted, stats 12.50 % off (1000 rows): run VACUUM "staging_events"; ANALYZE "staging_events";"#,
            #"time: 0.00 % unsorted, 0.00 % deleted, stats 15.00 % off (8056 rows): run ANALYZE "time";"#,
        ])
    }

    /// The statements it prints run as printed (here on PostgreSQL, which takes them too).
    func testThePrintedStatementsRunAsPrinted() throws {
        let connection = try connection()
        try connection.execute(#"CREATE TABLE "odd""name" (id int)"#)
        // One at a time, as psql or the REPL sends them: VACUUM runs outside a transaction.
        try connection.execute(#"VACUUM "odd""name";"#)
        try connection.execute(#"ANALYZE "odd""name";"#)
    }

    func testAWarehouseInGoodShapePasses() throws {
        let connection = try connection()
        try connection.execute("INSERT INTO svv_table_info VALUES ('public', 'songplays', 1.00, 0.00, 100, 100)")
        let results = try TableHealth.run(connection, dialect: .redshift)
        XCTAssertEqual(results.map(\.violations), [0])
        XCTAssertTrue(results.allSatisfy(\.passed))
    }

    /// PostgreSQL has autovacuum; the view is not even read (dropping it changes nothing).
    func testPostgreSQLIsNotAsked() throws {
        let connection = try connection()
        try connection.execute("INSERT INTO svv_table_info VALUES ('public', 'songplays', 1.00, 0.00, 100, 100)")
        try connection.execute("DROP TABLE svv_table_info")
        XCTAssertEqual(try TableHealth.run(connection, dialect: .postgres), [])
    }

    /// SVV_TABLE_INFO is shown to superusers only: a user without the grant gets a warning
    /// that says how to grant it, and the check goes on.
    func testAUserWhoMayNotReadTheViewIsToldHowToGrantIt() throws {
        let connection = try connection()
        let role = "dwh_health_\(UInt32.random(in: 0...UInt32.max))"
        try connection.execute("CREATE ROLE \(role); REVOKE ALL ON svv_table_info FROM PUBLIC; SET ROLE \(role)")
        defer { _ = try? connection.execute("RESET ROLE; DROP ROLE \(role)") }
        let results = try TableHealth.run(connection, dialect: .redshift)
        XCTAssertEqual(results.map(\.severity), [.warn])
        XCTAssertEqual(results.first?.passed, false)
        XCTAssertTrue(results.first?.sample.first?.contains("GRANT SELECT ON svv_table_info") == true, "\(results)")
        XCTAssertEqual(try connection.execute("SELECT 1").scalar, "1", "the connection is still usable")
    }
}
