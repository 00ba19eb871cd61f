@testable import DWHCore
import Foundation
import Postgres
import RedshiftEmulation
import TestSupport
import XCTest

extension LoadFixture {
    /// `StarSnapshot.of` this fixture's database.
    func starSnapshot() throws -> [String] {
        try StarSnapshot.of(connection)
    }

    func transform(_ options: TransformOptions = TransformOptions()) throws -> TransformResult {
        try Transformer(connection: connection, dialect: .postgres).run(options)
    }

    /// track_id by the track's logged artist, title and length.
    func trackIDs() throws -> [String: String] {
        let result = try connection.execute("SELECT ROW(logged_artist, logged_title, length)::text, track_id FROM tracks")
        return Dictionary(uniqueKeysWithValues: result.rows.map { ($0[0] ?? "", $0[1] ?? "") })
    }

    /// songplay_id by the play's source file and line.
    func songplayIDs() throws -> [String: String] {
        let result = try connection.execute("""
            SELECT f.path || ':' || p.line_number, p.songplay_id FROM songplays p JOIN dwh_loaded_files f USING (file_id)
            """)
        return Dictionary(uniqueKeysWithValues: result.rows.map { ($0[0] ?? "", $0[1] ?? "") })
    }
}

final class TransformIncrementalTests: XCTestCase {
    let songData = SharedData.path + "/song_data"
    let logData = SharedData.path + "/log_data/2018/11"

    /// The shared sample loaded a day at a time, the songs in two parts (the part with the
    /// one matching song after the plays of its day): the same star schema as one load of
    /// everything, and no songplay_id ever changes.
    func testTheSharedDataDayByDayEqualsOneLoad() throws {
        let oneShot = try LoadFixture(self)
        _ = try oneShot.load(songs: songData, events: logData)
        XCTAssertEqual(try oneShot.transform().plan.mode, .full)

        let daily = try LoadFixture(self)
        let days = try FileManager.default.contentsOfDirectory(atPath: logData).sorted()
        XCTAssertEqual(days.count, 30)
        var ids: [String: String] = [:], tracks: [String: String] = [:]
        for (index, day) in days.enumerated() {
            let songs = index == 0 ? songData + "/A/B" : index == 20 ? songData + "/A/A" : nil
            _ = try daily.load(songs: songs, events: logData + "/" + day)
            let result = try daily.transform()
            XCTAssertEqual(result.plan.mode, index == 0 ? .full : .incremental, day)
            let now = try daily.songplayIDs()
            for (source, id) in ids { XCTAssertEqual(now[source], id, "songplay \(source) changed its id") }
            ids = now
            let tracksNow = try daily.trackIDs()
            for (track, id) in tracks { XCTAssertEqual(tracksNow[track], id, "track \(track) changed its id") }
            tracks = tracksNow
        }
        XCTAssertEqual(try daily.starSnapshot(), try oneShot.starSnapshot())
        XCTAssertEqual(try daily.count("SELECT COUNT(*) FROM songplays WHERE song_id IS NOT NULL"), 1)
        XCTAssertEqual(try daily.count("SELECT COUNT(*) FROM songplays WHERE track_id IS NULL"), 0)
        XCTAssertEqual(try daily.count("SELECT COUNT(*) FROM tracks"), 5324)
        XCTAssertTrue(try QualityChecks.run(daily.connection).allSatisfy(\.passed))
        XCTAssertEqual(try daily.transform().plan.mode, .upToDate)
    }

    /// Two days loaded latest first, then one full rebuild: the plays are numbered and the
    /// times stored in time order, so that a day's rows sit together on disk.
    func testARebuildStoresPlaysAndTimesInTimeOrder() throws {
        let fixture = try LoadFixture(self)
        _ = try fixture.load(songs: songData, events: logData + "/2018-11-02-events.json")
        _ = try fixture.load(events: logData + "/2018-11-01-events.json")
        XCTAssertEqual(try fixture.transform().plan.mode, .full)
        XCTAssertGreaterThan(try fixture.count("SELECT COUNT(DISTINCT start_time::date) FROM songplays"), 1)
        let backwards = "SELECT COUNT(*) FROM (SELECT start_time < lag(start_time) OVER (ORDER BY %@) AS back FROM %@) steps WHERE back"
        XCTAssertEqual(try fixture.count(String(format: backwards, "songplay_id", "songplays")), 0)
        XCTAssertEqual(try fixture.count(String(format: backwards, "ctid", "songplays")), 0)
        XCTAssertEqual(try fixture.count(String(format: backwards, "ctid", "time")), 0)
    }

    /// Generated data (a third of the plays match a song) loaded in uneven chunks, songs
    /// arriving before, between and after the plays that match them, then files changed
    /// in place: after each step, the same rows as a full rebuild of the same staging.
    func testGeneratedDataInUnevenChunksEqualsAFullRebuildAfterEachStep() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("transform")
        _ = try SyntheticDataGenerator(options: GeneratorOptions(songs: 300, events: 20_000, output: folder)).run()
        let logs = try eventFiles(under: folder + "/log_data")
        let songFolders = try FileManager.default.contentsOfDirectory(atPath: folder + "/song_data").sorted()
            .flatMap { top in try FileManager.default.contentsOfDirectory(atPath: folder + "/song_data/" + top).sorted()
                .map { folder + "/song_data/" + top + "/" + $0 } }
        XCTAssertGreaterThan(songFolders.count, 2)

        func step(_ name: String, songs: [String] = [], events: [String] = []) throws {
            for path in songs { _ = try fixture.load(songs: path) }
            for path in events { _ = try fixture.load(events: path) }
            try fixture.transform()
            let incremental = try fixture.starSnapshot()
            let ids = try fixture.songplayIDs()
            try fixture.transform(TransformOptions(fullRefresh: true))
            XCTAssertEqual(incremental, try fixture.starSnapshot(), "after \(name)")
            XCTAssertEqual(ids.count, try fixture.count("SELECT COUNT(*) FROM songplays"), "after \(name)")
        }
        try step("the first events, no songs", events: Array(logs.prefix(3)))
        try step("some songs", songs: [songFolders[0]])
        try step("more events", events: Array(logs[3..<11]))
        try step("the other songs and the last events", songs: Array(songFolders.dropFirst()), events: Array(logs.dropFirst(11)))
        XCTAssertGreaterThan(try fixture.count("SELECT COUNT(*) FROM songplays WHERE song_id IS NOT NULL"), 1000)

        // A day's file changes: plays dropped, a level flipped. A song file changes its title.
        let day = logs[5]
        let lines = try String(contentsOfFile: day, encoding: .utf8).split(separator: "\n")
        try (lines.dropFirst(40).map { $0.replacingOccurrences(of: "\"level\":\"free\"", with: "\"level\":\"paid\"") })
            .joined(separator: "\n").write(toFile: day, atomically: true, encoding: .utf8)
        let song = try songFile(under: songFolders[0])
        guard var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: song))) as? [String: Any]
        else { return XCTFail("\(song) is not a JSON object") }
        object["title"] = "Renamed \(object["title"] ?? "")"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: song))
        try step("changed files", songs: [songFolders[0]], events: [day])
        XCTAssertTrue(try QualityChecks.run(fixture.connection).allSatisfy(\.passed))
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_transform_removed"), 0)
    }

    /// Two event files of plays of one song, transformed; then the first file changed (user
    /// 2's only play gone, user 1's moved) and transformed again. `kept` is the songplay_id
    /// of user 3's play in the other file, before the change.
    private func changedEventFile() throws -> (scenario: StarScenario, kept: [String], result: TransformResult) {
        let scenario = try StarScenario(self)
        try scenario.song("s", ["song_id": "\"SO1\"", "artist_id": "\"AR1\"", "title": "\"Hit\"", "artist_name": "\"Band\"", "duration": "200.0"])
        let play = { (ts: String, user: String, song: String) in
            ["ts": ts, "userId": "\"\(user)\"", "song": "\"\(song)\"", "artist": "\"Band\"", "length": "200.0"]
        }
        try scenario.events("a", [play("1000", "1", "Hit"), play("2000", "2", "Miss")])
        try scenario.events("b", [play("3000", "3", "Hit")])
        try scenario.loadAndTransform()
        let kept = try scenario.rows("SELECT songplay_id FROM songplays WHERE user_id = '3'")

        try scenario.events("a", [play("1500", "1", "Miss")])
        return (scenario, kept, try scenario.loadAndTransform())
    }

    func testAChangedFileReplacesItsStarRows() throws {
        let (scenario, _, result) = try changedEventFile()
        XCTAssertEqual(result.plan.mode, .incremental)
        XCTAssertEqual(result.plan.backlog.removedEventFiles, 1)
        XCTAssertEqual(try scenario.rows("SELECT user_id, start_time, song_id FROM songplays ORDER BY user_id"),
                       ["1|1970-01-01 00:00:01.5|∅", "3|1970-01-01 00:00:03|SO1"])
        // User 2's only event is gone, and so is the user and the time of the play.
        XCTAssertEqual(try scenario.rows("SELECT user_id FROM users ORDER BY 1"), ["1", "3"])
        XCTAssertEqual(try scenario.rows("SELECT start_time FROM time ORDER BY 1"),
                       ["1970-01-01 00:00:01.5", "1970-01-01 00:00:03"])
    }

    func testAChangedFileKeepsTheOtherFilesIDs() throws {
        let (scenario, kept, _) = try changedEventFile()
        XCTAssertEqual(try scenario.rows("SELECT songplay_id FROM songplays WHERE user_id = '3'"), kept)
    }

    /// The song's title changes: its plays lose the match, in place.
    func testAChangedSongFileUnmatchesItsPlaysInPlace() throws {
        let (scenario, kept, _) = try changedEventFile()
        try scenario.song("s", ["song_id": "\"SO1\"", "artist_id": "\"AR1\"", "title": "\"Other\"", "artist_name": "\"Band\"", "duration": "200.0"])
        try scenario.loadAndTransform()
        XCTAssertEqual(try scenario.rows("SELECT songplay_id, song_id FROM songplays WHERE user_id = '3'"), [kept[0] + "|∅"])
        XCTAssertEqual(try scenario.rows("SELECT song_id, title FROM songs"), ["SO1|Other"])
    }

    /// The Redshift rendering (DELETE instead of TRUNCATE, temporary tables instead of
    /// views, no DDL, SYSDATE) run on PostgreSQL: a rebuild gives the same star rows as
    /// PostgreSQL's own, twice over. (Its incremental runs, on rows staged as Redshift stages
    /// them: RedshiftIncrementalTransformTests.)
    func testTheRedshiftRenderingBuildsTheSameStarSchema() throws {
        let fixture = try LoadFixture(self)
        _ = try fixture.load(songs: songData, events: logData)
        try fixture.transform()
        let postgres = try fixture.starSnapshot()
        var redshift = Transformer(connection: fixture.connection, dialect: .redshift)
        redshift.rewrite = RedshiftOnPostgres.rewrite
        for _ in 0..<2 {
            XCTAssertEqual(try redshift.run(TransformOptions(fullRefresh: true)).plan.mode, .full)
            XCTAssertEqual(try fixture.starSnapshot(), postgres)
        }
        XCTAssertTrue(try QualityChecks.run(fixture.connection).allSatisfy(\.passed))
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM pg_class WHERE relpersistence = 't'"), 0, "temporary tables left")
    }

    /// A warehouse staged before migration 0005 (no line numbers), then migrated to the latest.
    private func upgradedWarehouse() throws -> (database: FreshDatabase, connection: Connection) {
        let database = try freshDatabase(prefix: "upgrade")
        let connection = try database.connect()
        let migrator = Migrator(connection: connection, dialect: .postgres,
                                set: try MigrationSet(folder: TestDatabase.packageRoot + "/migrations"))
        try migrator.migrate(to: 4)
        try connection.execute("""
            INSERT INTO dwh_loaded_files (file_id, table_name, path, size_bytes, mtime_us, content_hash, rows_loaded, run_id, loaded_at)
            VALUES (1, 'staging_events', '/old/day.json', 1, 1, 'x', 3, 'r', now());
            INSERT INTO staging_events (page, ts, user_id, level, song, artist, length, file_id) VALUES
              ('NextSong', 1000, '7', 'free', 'Hit', 'Band', 200, 1),
              ('NextSong', 2000, '7', 'paid', 'Hit', 'Band', 200, 1),
              ('Home', 3000, '8', 'free', NULL, NULL, NULL, 1);
            """)
        try migrator.migrate()
        return (database, connection)
    }

    /// The migration numbers the rows staged before it.
    func testAnUpgradedWarehouseNumbersItsOldRows() throws {
        let connection = try upgradedWarehouse().connection
        XCTAssertEqual(try connection.execute("SELECT line_number FROM staging_events ORDER BY ts").rows, [["1"], ["2"], ["3"]])
    }

    /// The first transform after the upgrade rebuilds, and a song loaded later re-matches the
    /// old plays exactly as a full rebuild does.
    func testAnUpgradedWarehouseRematchesItsOldPlays() throws {
        let (database, connection) = try upgradedWarehouse()
        let fixture = try LoadFixture(database: database, connection: connection)
        XCTAssertEqual(try fixture.transform().plan.mode, .full)

        let folder = try temporaryFolder("transform")
        try #"{"song_id": "SO1", "artist_id": "AR1", "title": "Hit", "artist_name": "Band", "duration": 200.0}"#
            .write(toFile: folder + "/s.json", atomically: true, encoding: .utf8)
        _ = try fixture.load(songs: folder)
        XCTAssertEqual(try fixture.transform().plan.mode, .incremental)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM songplays WHERE song_id = 'SO1'"), 2)
        let incremental = try fixture.starSnapshot()
        try fixture.transform(TransformOptions(fullRefresh: true))
        XCTAssertEqual(try fixture.starSnapshot(), incremental)
    }

    /// A warehouse transformed before migration 0007: `dwh migrate` then `dwh transform`
    /// give every play its track and fill the listener tables, with nothing done by hand.
    func testAWarehouseFromBefore0007GetsItsTracksByMigrateAndTransform() throws {
        let database = try freshDatabase(prefix: "upgrade")
        let connection = try database.connect()
        let migrator = Migrator(connection: connection, dialect: .postgres,
                                set: try MigrationSet(folder: TestDatabase.packageRoot + "/migrations"))
        try migrator.migrate(to: 6)
        let fixture = try LoadFixture(database: database, connection: connection)
        _ = try fixture.load(songs: songData, events: logData)
        // As the transform before 0007 left it: plays without tracks, every file transformed.
        try connection.execute("""
            INSERT INTO users (user_id) SELECT DISTINCT user_id FROM staging_events WHERE page = 'NextSong';
            INSERT INTO time (start_time)
            SELECT DISTINCT TIMESTAMP 'epoch' + ts / 1000.0 * INTERVAL '1 second' FROM staging_events WHERE page = 'NextSong';
            INSERT INTO songplays (start_time, user_id, file_id, line_number)
            SELECT TIMESTAMP 'epoch' + ts / 1000.0 * INTERVAL '1 second', user_id, file_id, line_number
            FROM staging_events WHERE page = 'NextSong';
            UPDATE dwh_loaded_files SET transformed_at = now();
            """)
        try migrator.migrate()
        XCTAssertEqual(try fixture.transform().plan.mode, .full)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM songplays"), 6820)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM songplays WHERE track_id IS NULL"), 0)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM tracks"), 5324)
        XCTAssertEqual(try fixture.count("SELECT SUM(plays) FROM listener_artists"), 6820)
        XCTAssertEqual(try fixture.transform().plan.mode, .upToDate)
    }

    /// A transform started while a load holds the manifest waits for the load's commit,
    /// then transforms what it loaded, instead of failing on half-visible rows.
    func testATransformWaitsForALoadThatIsWriting() throws {
        let scenario = try StarScenario(self)
        try scenario.song("s", [:])
        try scenario.events("a", [[:]])
        try scenario.loadAndTransform()
        let load = try scenario.fixture.database.connect()
        try load.execute("BEGIN")
        try load.execute(LoadSQL.lockManifest)

        let url = scenario.fixture.database.url
        let finished = DispatchSemaphore(value: 0)
        final class Outcome: @unchecked Sendable { var mode: TransformPlan.Mode?; var error: Error? }
        let outcome = Outcome()
        Thread.detachNewThread {
            do {
                outcome.mode = try Transformer(connection: try Connection(url), dialect: .postgres).run().plan.mode
            } catch {
                outcome.error = error
            }
            finished.signal()
        }
        let watcher = try scenario.fixture.database.connect()
        let deadline = Date().addingTimeInterval(30)
        while try watcher.execute("""
            SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE dwh_loaded_files%'
            """, [scenario.fixture.database.name]).scalar == "0" && Date() < deadline { usleep(10_000) }
        XCTAssertEqual(finished.wait(timeout: .now() + 0.3), .timedOut, "the transform did not wait for the load")
        // What the load writes before it commits: a file's rows and its manifest row.
        try load.execute("""
            INSERT INTO staging_events (page, ts, user_id, level, file_id, line_number) VALUES ('NextSong', 9000, '73', 'free', 99, 1)
            """)
        try load.execute("""
            INSERT INTO dwh_loaded_files (file_id, table_name, path, size_bytes, mtime_us, content_hash, rows_loaded, run_id, loaded_at)
            VALUES (99, 'staging_events', '/late.json', 1, 1, 'x', 1, 'r', now())
            """)
        try load.execute("COMMIT")
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.mode, .incremental)
        XCTAssertEqual(try scenario.rows("SELECT file_id, line_number, level FROM songplays WHERE start_time < '2000-01-01'"),
                       ["99|1|free"])
    }

    /// SIGKILL while the transform writes: the star schema is as before, and the next run
    /// ends where one clean run would.
    func testATransformKilledMidWayLeavesThePreviousStateAndARerunFinishes() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("transform")
        let logs = folder + "/log_data"
        _ = try SyntheticDataGenerator(options: GeneratorOptions(songs: 200, events: 150_000, output: folder)).run()
        let files = try eventFiles(under: logs)
        _ = try fixture.load(songs: folder + "/song_data", events: files[0])
        try fixture.transform()
        let before = try fixture.starSnapshot()
        for file in files.dropFirst() { _ = try fixture.load(events: file) }

        let watcher = try fixture.database.connect()
        func transforming() throws -> Int {
            Int(try watcher.execute("""
                SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'INSERT INTO songplays%'
                """, [fixture.database.name]).scalar ?? "") ?? 0
        }
        let pid = try DWHBinary.start(["transform", "--quiet", "--database-url", fixture.database.url])
        let deadline = Date().addingTimeInterval(60)
        while try transforming() == 0 && Date() < deadline { usleep(5_000) }
        XCTAssertEqual(try transforming(), 1, "the transform never reached its songplays")
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        XCTAssertEqual(status & 0x7f, SIGKILL, "dwh finished before it was killed; use more data")
        while try transforming() > 0 && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(try fixture.starSnapshot(), before)

        XCTAssertEqual(try fixture.transform().plan.mode, .incremental)
        let after = try fixture.starSnapshot()
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM songplays"),
                       try fixture.count("SELECT COUNT(*) FROM staging_events WHERE page = 'NextSong'"))
        try fixture.transform(TransformOptions(fullRefresh: true))
        XCTAssertEqual(after, try fixture.starSnapshot())
    }
}

/// The event files under a generated `log_data`, in path order.
func eventFiles(under folder: String) throws -> [String] {
    let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
    return files.filter { $0.hasSuffix(".json") }.sorted().map { folder + "/" + $0 }
}

func songFile(under folder: String) throws -> String {
    let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
    guard let first = files.filter({ $0.hasSuffix(".json") }).sorted().first else {
        throw TestFailure(message: "no song file under \(folder)")
    }
    return folder + "/" + first
}
