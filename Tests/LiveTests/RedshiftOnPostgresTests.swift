@testable import DWHCore
import Foundation
import Postgres
import RedshiftEmulation
import TestSupport
import XCTest

/// The Redshift rendering of dwh's SQL, run on PostgreSQL through the documented rewrite
/// (`RedshiftOnPostgres`), so that no `-- dwh:redshift` block goes unexecuted. The
/// transform's is run in TransformIncrementalTests; the rest is here. Redshift's own system
/// views (SVV_*, STL_*, SYS_*) are stood in for by tables and views of the same columns.
final class RedshiftOnPostgresTests: XCTestCase {
    func testEveryMigrationsRedshiftRenderingAndTheTrackerRunUpAndDown() throws {
        let database = try freshDatabase(prefix: "rs")
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

    /// SVV_COLUMNS, SVV_REDSHIFT_COLUMNS, PG_CLASS_INFO, PG_PROC_INFO and
    /// PG_DATABASE_INFO, with the columns the REPL reads (the developer guide's names).
    /// In the stand-ins, `plays` is distributed by KEY on `id` and sorted by `title`.
    static let systemViews = """
        CREATE VIEW svv_columns AS
            SELECT table_schema, table_name, column_name, ordinal_position, data_type, is_nullable, column_default
            FROM information_schema.columns;
        CREATE VIEW svv_redshift_columns AS
            SELECT current_database()::text AS database_name, n.nspname::text AS schema_name, c.relname::text AS table_name,
                   a.attname::text AS column_name, a.attnum::int AS ordinal_position,
                   format_type(a.atttypid, a.atttypmod) AS data_type, pg_get_expr(d.adbin, d.adrelid) AS column_default,
                   CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable, 'raw'::text AS encoding,
                   c.relname = 'plays' AND a.attname = 'id' AS distkey,
                   CASE WHEN c.relname = 'plays' AND a.attname = 'title' THEN 1 ELSE 0 END AS sortkey,
                   col_description(c.oid, a.attnum) AS remarks
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped;
        CREATE VIEW pg_class_info AS
            SELECT c.*, c.oid AS reloid, CASE c.relname WHEN 'plays' THEN 1 ELSE 0 END AS reldiststyle,
                   0 AS releffectivediststyle
            FROM pg_class c;
        CREATE VIEW pg_proc_info AS SELECT p.*, p.oid AS prooid FROM pg_proc p;
        CREATE VIEW pg_database_info AS SELECT d.*, 0 AS datquota FROM pg_database d;
        """

    func testTheREPLsRedshiftCatalogQueriesAnswerAsPostgresOnesDo() throws {
        let database = try freshDatabase(prefix: "rs")
        let connection = try database.connect()
        try connection.execute("""
            CREATE TABLE plays (id int NOT NULL PRIMARY KEY, title text DEFAULT 'x', UNIQUE (title));
            CREATE TABLE listens (play int REFERENCES plays (id));
            CREATE VIEW recent AS SELECT id FROM plays;
            CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
            COMMENT ON COLUMN plays.title IS 'as given';
            """)
        try connection.execute(Self.systemViews)
        let postgres = SQLStatements("REPL/catalog.sql", for: .postgres)
        let redshift = SQLStatements("REPL/catalog.sql", for: .redshift)
        let schema = try XCTUnwrap(try connection.execute(redshift["schema"]).scalar)
        XCTAssertEqual(schema, "public")
        func both(_ name: String, _ parameters: [String], redshiftAlso extra: [String] = []) throws -> (postgres: [[String?]], redshift: [[String?]]) {
            (try connection.execute(postgres[name], parameters).rows, try connection.execute(redshift[name], parameters + extra).rows)
        }

        let columns = try connection.execute(redshift["columns"], [schema]).rows
        XCTAssertEqual(columns.filter { $0[0] == "plays" || $0[0] == "recent" },
                       try connection.execute(postgres["columns"]).rows.filter { $0[0] == "plays" || $0[0] == "recent" })
        let found = try both("find", ["", "^(plays|recent)$"], redshiftAlso: [schema])
        XCTAssertEqual(found.redshift, [["public", "plays", "r", "KEY"], ["public", "recent", "v", "EVEN"]])
        XCTAssertEqual(found.postgres.map { Array($0.prefix(3)) }, found.redshift.map { Array($0.prefix(3)) })
        let described = try both("describe", ["public", "plays"], redshiftAlso: [database.name])
        XCTAssertEqual(described.redshift, [["id", "integer", "not null", "", "", "t", "0"], ["title", "text", "", "'x'::text", "as given", "f", "1"]])
        XCTAssertEqual(described.postgres.map { Array($0.prefix(5)) }, described.redshift.map { Array($0.prefix(5)) })
        XCTAssertEqual(try both("indexes", ["public", "plays"]).redshift,
                       [["plays_pkey", "t", "t", "t", "PRIMARY KEY (id)"], ["plays_title_key", "f", "t", "t", "UNIQUE (title)"]])
        let constraints = try both("constraints", ["public", "plays"])
        XCTAssertEqual(constraints.redshift, [["r", "listens_play_fkey", "FOREIGN KEY (play) REFERENCES plays(id)", "public", "listens"]])
        XCTAssertEqual(constraints.postgres, constraints.redshift)
        let relations = try both("relations", ["", "^(listens|plays|recent)$", "", "rpvmSf"])
        XCTAssertEqual(relations.redshift.map { Array($0.prefix(3)) },
                       [["public", "listens", "table"], ["public", "plays", "table"], ["public", "recent", "view"]])
        XCTAssertEqual(relations.postgres.map { Array($0.prefix(4)) }, relations.redshift.map { Array($0.prefix(4)) })
        let indexList = try both("index_list", ["", "", ""])
        XCTAssertEqual(indexList.redshift.map { $0[1] }, ["plays_pkey", "plays_title_key"])
        XCTAssertEqual(indexList.postgres, indexList.redshift)
        let schemas = try both("schemas", ["", ""])
        XCTAssertEqual(schemas.redshift.map { $0[0] }, ["public"])
        XCTAssertEqual(schemas.postgres, schemas.redshift)
        let functions = try both("function_list", ["", "", ""])
        XCTAssertEqual(functions.redshift, [["public", "twice", "integer", "integer", "func", ""]])
        XCTAssertEqual(functions.postgres, functions.redshift)
        let databases = try both("databases", ["^(\(database.name))$"])
        XCTAssertEqual(databases.redshift.map { Array($0.prefix(3)) }, databases.postgres.map { Array($0.prefix(3)) })
        XCTAssertEqual(databases.redshift.count, 1)
        for name in ["functions", "keys"] {
            XCTAssertEqual(try both(name, []).postgres, try both(name, []).redshift, name)
        }
    }

    /// A failed COPY's refused rows are found by this session's query log, even after its
    /// transaction rolled back, and never those of an earlier COPY or another session.
    func testTheLoadErrorQueriesFindThisSessionsLastCopy() throws {
        let database = try freshDatabase(prefix: "rs")
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
        let fixture = try LoadFixture(self)
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
