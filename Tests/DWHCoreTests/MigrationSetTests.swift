@testable import DWHCore
import TestSupport
import XCTest

final class MigrationSetTests: XCTestCase {
    static let packageRoot = DWHBinary.packageRoot
    static let realFolder = packageRoot + "/migrations"

    var folder = ""

    override func setUpWithError() throws {
        folder = try temporaryFolder("migrations")
    }

    func write(_ name: String, _ text: String = "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 0;\n") throws {
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    func assertLoadFails(_ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try MigrationSet(folder: folder), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(expected), "\(error) does not name \(expected)", file: file, line: line)
        }
    }

    func testAMissingFolderIsAnError() {
        XCTAssertThrowsError(try MigrationSet(folder: folder + "/nope")) { error in
            XCTAssertEqual(error as? MigrationError, .folderMissing(path: folder + "/nope"))
        }
    }

    func testAFolderWithoutMigrationsIsAnError() throws {
        try write("README.md", "not a migration")
        XCTAssertThrowsError(try MigrationSet(folder: folder)) { error in
            XCTAssertEqual(error as? MigrationError, .folderEmpty(path: folder))
        }
    }

    func testBadFilesAreNamed() throws {
        try write("0001_ok.sql")
        try write("create_tables.sql")
        assertLoadFails(folder + "/create_tables.sql")
        try FileManager.default.removeItem(atPath: folder + "/create_tables.sql")
        try write("1_same.sql")
        XCTAssertThrowsError(try MigrationSet(folder: folder)) { error in
            XCTAssertEqual(error as? MigrationError, .duplicateVersion(version: 1, paths: [folder + "/0001_ok.sql", folder + "/1_same.sql"]))
        }
        try FileManager.default.removeItem(atPath: folder + "/1_same.sql")
        try write("0002_no_up.sql", "-- migrate:down\nDROP TABLE x;\n")
        assertLoadFails(folder + "/0002_no_up.sql")
    }

    func testDisplayPathDropsDotSlash() {
        XCTAssertEqual(MigrationSet.displayName("./migrations/"), "migrations")
        XCTAssertEqual(MigrationSet.displayName("/tmp/m"), "/tmp/m")
    }

    func testNewNumbersAfterTheHighestVersion() throws {
        XCTAssertEqual(try MigrationSet.create(in: folder, name: "Add load bookkeeping!"), folder + "/0001_add_load_bookkeeping.sql")
        try write("0041_x.sql")
        let path = try MigrationSet.create(in: folder, name: "next one")
        XCTAssertEqual(path, folder + "/0042_next_one.sql")
        let created = try MigrationFile(fileName: "0042_next_one.sql", displayPath: path,
                                        contents: try String(contentsOfFile: path, encoding: .utf8)
                                            .replacingOccurrences(of: "-- migrate:up\n", with: "-- migrate:up\nSELECT 1;\n"))
        XCTAssertEqual(created.version, 42)
        XCTAssertFalse(created.isReversible, "the template's down section is empty")
        XCTAssertThrowsError(try MigrationSet.create(in: folder, name: "!!!")) {
            XCTAssertEqual($0 as? MigrationError, .badName("!!!"))
        }
    }

    func testRealMigrationsLoadInVersionOrder() throws {
        let set = try MigrationSet(folder: Self.realFolder)
        XCTAssertEqual(Array(set.files.prefix(2).map(\.fileName)), ["0001_staging_tables.sql", "0002_star_schema.sql"])
    }

    func testRealMigrationsHaveNoDialectDrift() throws {
        let set = try MigrationSet(folder: Self.realFolder)
        XCTAssertNil(set.dialectDrift(), "\(set.dialectDrift()!)")
    }

    func testRealMigrationsBuildTheSparkifyTablesOnRedshift() throws {
        let set = try MigrationSet(folder: Self.realFolder)
        var outline = SchemaOutline()
        for file in set.files { outline.apply(file.render(.up, for: .redshift)) }
        XCTAssertEqual(outline.tables["songplays"], ["songplay_id", "start_time", "user_id", "level", "song_id", "artist_id", "session_id", "location", "user_agent", "file_id", "line_number", "track_id"])
        XCTAssertEqual(outline.tables["users"], ["user_id", "first_name", "last_name", "gender", "level"])
        XCTAssertEqual(outline.tables["songs"].map(Set.init), ["song_id", "title", "artist_id", "year", "duration"])
        XCTAssertEqual(outline.tables["artists"], ["artist_id", "name", "location", "latitude", "longitude"])
        XCTAssertEqual(outline.tables["time"], ["start_time", "hour", "day", "week", "month", "year", "weekday"])
        XCTAssertEqual(outline.tables["staging_songs"], ["num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location",
                                                         "artist_name", "song_id", "title", "duration", "year", "file_id",
                                                         "line_number"])
    }

    /// Redshift's COPY with JSONPaths fills columns by position: staging_events must follow
    /// log_json_path.json exactly.
    func testStagingEventsFollowsTheJSONPathsOrder() throws {
        let shared = SharedData.path
        let data = try Data(contentsOf: URL(fileURLWithPath: shared + "/log_json_path.json"))
        let paths = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["jsonpaths"] as? [String])
        let snake = paths.map { path -> String in
            let field = path.replacingOccurrences(of: "$['", with: "").replacingOccurrences(of: "']", with: "")
            return field.reduce(into: "") { $0 += $1.isUppercase ? "_" + $1.lowercased() : String($1) }
        }
        var outline = SchemaOutline()
        for file in try MigrationSet(folder: Self.realFolder).files { outline.apply(file.render(.up, for: .redshift)) }
        // After the data's columns come dwh's own (where each row comes from), which the COPY's column list leaves out.
        XCTAssertEqual(outline.tables["staging_events"].map { Array($0.prefix(snake.count)) }, snake)
        XCTAssertEqual(outline.tables["staging_events"]?.dropFirst(snake.count).map { $0 }, ["file_id", "line_number"])
        XCTAssertEqual(snake.count, 18)
    }

    func testDialectDriftNamesTheFileAndTheColumn() throws {
        let drifting = try MigrationFile(fileName: "0003_more.sql", displayPath: "m/0003_more.sql", contents: """
            -- migrate:up
            CREATE TABLE t (
                id int,
            -- dwh:postgres
                note text,
            -- dwh:end
                name varchar(10)
            );
            -- dwh:redshift
            CREATE TABLE only_here (x int);
            -- dwh:end
            """)
        let set = try MigrationSet(folder: "m", files: [drifting])
        XCTAssertEqual(set.dialectDrift(), .dialectsDiffer(path: "m/0003_more.sql", differences: [
            "table only_here exists on redshift only", "column t.note exists on postgres only",
        ]))
    }

    func testOutlineFollowsAlterAndDrop() {
        var outline = SchemaOutline()
        let script = RenderedScript(lines: [
            "CREATE TABLE IF NOT EXISTS \"Odd\" (a int, b int, PRIMARY KEY (a), CONSTRAINT c CHECK (b > 0));",
            "CREATE TABLE s.t (x numeric(10, 2), y int);",
            "ALTER TABLE \"Odd\" ADD COLUMN c int, DROP COLUMN b, ADD CONSTRAINT u UNIQUE (a);",
            "ALTER TABLE IF EXISTS s.t RENAME COLUMN x TO z;",
            "ALTER TABLE s.t RENAME TO u;",
            "CREATE TABLE gone (g int); DROP TABLE IF EXISTS gone CASCADE;",
        ], fileLines: Array(1...6))
        outline.apply(script)
        XCTAssertEqual(outline.tables, ["Odd": ["a", "c"], "u": ["z", "y"]])
    }
}
