@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// The Redshift rendering of dwh's SQL, run on PostgreSQL through the documented rewrite
/// (`RedshiftOnPostgres`), so that no `-- dwh:redshift` block goes unexecuted. The
/// transform's is run in TransformIncrementalTests; the rest is here. Redshift's own system
/// views (SVV_*, STL_*, SYS_*) are stood in for by tables and views of the same columns.
final class RedshiftOnPostgresTests: XCTestCase {
    func testEveryMigrationsRedshiftRenderingAndTheTrackerRunUpAndDown() throws {
        let database = try TestDatabase.fresh(prefix: "rs")
        defer { database.drop() }
        let connection = try database.connect()
        let set = try MigrationSet(folder: TestDatabase.packageRoot + "/migrations")
        let migrator = Migrator(connection: connection, dialect: .redshift, set: set)
        migrator.rewrite = RedshiftOnPostgres.rewrite
        XCTAssertEqual(try migrator.migrate().count, set.files.count)
        let status = try migrator.status()
        XCTAssertEqual(status.entries(.applied).count, set.files.count)
        let dialects = try connection.execute("SELECT DISTINCT dialect FROM dwh_schema_migrations").rows.map { $0[0] }
        XCTAssertEqual(dialects, ["redshift"])
        for table in ["staging_events", "songplays", "users", "songs", "artists", "time", "dwh_loaded_files"] {
            XCTAssertEqual(try connection.execute("SELECT to_regclass($1) IS NOT NULL", [table]).scalar, "t", table)
        }
        XCTAssertEqual(try migrator.revert(to: 0).count, set.files.count)
        XCTAssertEqual(try connection.execute("SELECT to_regclass('songplays') IS NULL").scalar, "t")
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM dwh_schema_migrations").scalar, "0")
    }

    /// SVV_COLUMNS, SVV_TABLES and SVV_TABLE_INFO, with the columns the REPL reads.
    static let systemViews = """
        CREATE VIEW svv_columns AS
            SELECT table_schema, table_name, column_name, ordinal_position, data_type, is_nullable, column_default
            FROM information_schema.columns;
        CREATE VIEW svv_tables AS
            SELECT table_schema, table_name, table_type FROM information_schema.tables
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema');
        CREATE VIEW svv_table_info AS
            SELECT n.nspname AS "schema", c.relname AS "table", c.reltuples::bigint AS tbl_rows
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r';
        """

    func testTheREPLsRedshiftCatalogQueriesAnswerAsPostgresOnesDo() throws {
        let database = try TestDatabase.fresh(prefix: "rs")
        defer { database.drop() }
        let connection = try database.connect()
        try connection.execute("CREATE TABLE plays (id int NOT NULL, title text DEFAULT 'x'); CREATE VIEW recent AS SELECT id FROM plays")
        try connection.execute(Self.systemViews)
        let postgres = SQLStatements("REPL/catalog.sql", for: .postgres)
        let redshift = SQLStatements("REPL/catalog.sql", for: .redshift)
        let schema = try XCTUnwrap(try connection.execute(redshift["schema"]).scalar)
        XCTAssertEqual(schema, "public")

        let columns = try connection.execute(redshift["columns"], [schema]).rows
        XCTAssertEqual(columns.filter { $0[0] == "plays" || $0[0] == "recent" },
                       try connection.execute(postgres["columns"]).rows.filter { $0[0] == "plays" || $0[0] == "recent" })
        XCTAssertEqual(try connection.execute(redshift["describe"], ["plays", schema]).rows,
                       try connection.execute(postgres["describe"], ["plays"]).rows)
        let tables = try connection.execute(redshift["tables"], [schema]).rows.filter { $0[0] == "plays" || $0[0] == "recent" }
        XCTAssertEqual(tables.map { [$0[0], $0[1], $0[2]] }, [["plays", "table", "public"], ["recent", "view", "public"]])
    }

    /// A failed COPY's refused rows are found by this session's query log, even after its
    /// transaction rolled back, and never those of an earlier COPY or another session.
    func testTheLoadErrorQueriesFindThisSessionsLastCopy() throws {
        let database = try TestDatabase.fresh(prefix: "rs")
        defer { database.drop() }
        let connection = try database.connect()
        try connection.execute("""
            CREATE TABLE stl_query (query int, pid int, querytxt text);
            CREATE TABLE stl_load_errors (query int, filename text, line_number int, colname text, err_reason text);
            CREATE TABLE sys_query_history (query_id int, session_id int, query_type text);
            CREATE TABLE sys_load_error_detail (query_id int, file_name text, line_number int, column_name text, error_message text);
            """)
        let me = try XCTUnwrap(try connection.execute("SELECT pg_backend_pid()").scalar)
        try connection.execute("""
            INSERT INTO stl_query VALUES (10, \(me), 'COPY staging_events FROM ...'), (11, \(me), 'SELECT 1'),
                                         (12, \(me), 'copy staging_songs FROM ...'), (13, 1, 'COPY staging_songs FROM ...');
            INSERT INTO stl_load_errors VALUES (10, 's3://b/old.json ', 1, 'ts  ', 'old'), (12, 's3://b/songs.json', 7, 'year', 'Invalid digit'),
                                               (12, 's3://b/songs.json', 3, 'duration', 'Overflow'), (13, 'other', 1, 'x', 'theirs');
            INSERT INTO sys_query_history VALUES (20, \(me), 'COPY'), (21, \(me), 'SELECT'), (22, 1, 'COPY');
            INSERT INTO sys_load_error_detail VALUES (20, 's3://b/e.json', 2, 'ts', 'Invalid timestamp'), (22, 'other', 1, 'x', 'theirs');
            """)
        XCTAssertEqual(try connection.execute(RedshiftSQL.loadErrors).rows,
                       [["s3://b/songs.json", "3", "duration", "Overflow"], ["s3://b/songs.json", "7", "year", "Invalid digit"]])
        XCTAssertEqual(try connection.execute(RedshiftSQL.loadErrorsServerless).rows, [["s3://b/e.json", "2", "ts", "Invalid timestamp"]])
        XCTAssertEqual(RedshiftLoad.loadErrors(connection).map(\.reason), ["Overflow", "Invalid digit"])
    }

    /// The checks' Redshift rendering on a star schema the Redshift transform built.
    func testTheChecksRedshiftRenderingPassesOnTheRedshiftTransformsRows() throws {
        let fixture = try LoadFixture()
        defer { fixture.database.drop() }
        _ = try fixture.load(songs: SharedData.path + "/song_data", events: SharedData.path + "/log_data")
        var redshift = Transformer(connection: fixture.connection, dialect: .redshift)
        redshift.rewrite = RedshiftOnPostgres.rewrite
        try redshift.run()
        let results = try QualityChecks.run(fixture.connection, dialect: .redshift)
        XCTAssertEqual(results.count, QualityChecks.all(for: .redshift).count)
        XCTAssertTrue(results.allSatisfy(\.passed), QualityChecks.format(results))
        try fixture.connection.execute("INSERT INTO artists (artist_id) VALUES ('')")
        XCTAssertFalse(try QualityChecks.run(fixture.connection, dialect: .redshift).allSatisfy(\.passed))
    }
}
