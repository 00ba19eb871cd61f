@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// A fresh database with the project's migrations applied, and helpers to load into it.
struct LoadFixture {
    let database: FreshDatabase
    let connection: Connection

    /// A migrated database for `test`, dropped when it ends.
    init(_ test: XCTestCase) throws {
        database = try test.migratedDatabase(prefix: "load")
        connection = try database.connect()
    }

    /// A fixture over a database already migrated.
    init(database: FreshDatabase, connection: Connection) {
        self.database = database
        self.connection = connection
    }

    func load(songs: String? = nil, events: String? = nil, _ options: LoadOptions = LoadOptions()) throws -> LoadResult {
        var sources: StagingLoader.Sources = []
        if let events { sources.append((.events, LocalFileSource(path: events))) }
        if let songs { sources.append((.songs, LocalFileSource(path: songs))) }
        return try StagingLoader(connection: connection).load(sources, options: options)
    }

    func count(_ sql: String) throws -> Int {
        Int(try connection.execute(sql).scalar ?? "") ?? -1
    }

    func counts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["staging_events", "staging_songs", "songplays", "users", "songs", "artists", "time"] {
            counts[table] = try count("SELECT COUNT(*) FROM \(table)")
        }
        return counts
    }
}

final class LoadLiveTests: XCTestCase {
    let songData = SharedData.path + "/song_data"
    let logData = SharedData.path + "/log_data"

    /// The row counts of the shared data, loaded and transformed.
    let sharedCounts = ["staging_events": 8056, "staging_songs": 71, "songplays": 6820, "users": 97,
                        "songs": 71, "artists": 69, "time": 6813]

    /// The shared data loaded into a fresh warehouse (the load's result kept), then transformed.
    private func sharedDataLoaded() throws -> (fixture: LoadFixture, result: LoadResult) {
        let fixture = try LoadFixture(self)
        let result = try fixture.load(songs: songData, events: logData)
        try Transformer(connection: fixture.connection, dialect: .postgres).run()
        return (fixture, result)
    }

    func testTheSharedDataEndsWithExactCounts() throws {
        let (fixture, result) = try sharedDataLoaded()
        XCTAssertEqual(result.badRecords, [])
        XCTAssertEqual(result.rows, ["staging_events": 8056, "staging_songs": 71])
        XCTAssertEqual(try fixture.counts(), sharedCounts)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM users WHERE level = 'paid'"), 22)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM songplays WHERE song_id IS NOT NULL"), 1)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 101)
    }

    func testTheSharedDataPassesTheChecks() throws {
        let fixture = try sharedDataLoaded().fixture
        XCTAssertTrue(try QualityChecks.run(fixture.connection).allSatisfy(\.passed))
    }

    /// Again: nothing new is loaded, and transforming twice leaves no duplicates.
    func testTheSharedDataLoadedAgainChangesNothing() throws {
        let fixture = try sharedDataLoaded().fixture
        let again = try fixture.load(songs: songData, events: logData)
        XCTAssertEqual(again.filesLoaded, 0)
        XCTAssertEqual(again.filesSkipped, 101)
        XCTAssertEqual(again.rows, ["staging_events": 0, "staging_songs": 0])
        try Transformer(connection: fixture.connection, dialect: .postgres).run()
        XCTAssertEqual(try fixture.counts(), sharedCounts)
    }

    func testDoubleEncodedTextIsStoredByteForByte() throws {
        let fixture = try LoadFixture(self)
        _ = try fixture.load(events: logData)
        let bytes = try fixture.connection.execute(
            "SELECT encode(convert_to(artist, 'UTF8'), 'hex') FROM staging_events WHERE artist LIKE 'Beyonc%' LIMIT 1").scalar
        XCTAssertEqual(bytes, "4265796f6e63c383c283c382c2a9")
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events WHERE user_agent LIKE '\"%\"'"), 5917)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events WHERE user_id = ''"), 286)
    }

    /// Two files: one good line each, plus bad lines in the second.
    func writeBadInput(in folder: String) throws -> (good: String, bad: String) {
        let good = folder + "/a-events.json", bad = folder + "/b-events.json"
        try (event() + "\n" + event(["itemInSession": "1"])).write(toFile: good, atomically: true, encoding: .utf8)
        try [event(), #"{"artist": oops}"#, event(["status": "\"two hundred\""])].joined(separator: "\n")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        return (good, bad)
    }

    /// The loader sends binary COPY; the server must end with exactly what it stores from
    /// COPY text of the same files (file ids aside: the two tables' threads share a counter).
    func testBinaryCopyStoresWhatCopyTextStores() throws {
        let fixture = try LoadFixture(self)
        func digest(_ table: StagingTable) throws -> String {
            let columns = table.columns.map(\.name).joined(separator: ", ")
            return try fixture.connection.execute(
                "SELECT md5(string_agg(r::text, E'\\n' ORDER BY r::text)) FROM (SELECT \(columns) FROM \(table.name)) r").scalar ?? ""
        }
        _ = try fixture.load(songs: songData, events: logData)
        let binary = try [digest(.events), digest(.songs)]
        try fixture.connection.execute("TRUNCATE staging_events, staging_songs")
        for (table, folder) in [(StagingTable.events, logData), (.songs, songData)] {
            let path = try temporaryFolder("load") + "/rows.copy"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            _ = try CopyTextExport.write(LocalFileSource(path: folder), table: table, to: descriptor)
            close(descriptor)
            let text = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            try fixture.connection.copyIn(table.copyStatement(.text)) { try $0.write(text) }
        }
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 8056)
        XCTAssertEqual(try [digest(.events), digest(.songs)], binary)
    }

    /// A bad record in the table read second (spooled while the first one's COPY runs) stops
    /// the load just the same, and is named by its file.
    func testABadSongFileStopsTheLoadWhileTheEventsStream() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("load")
        try FileManager.default.createDirectory(atPath: folder + "/songs/A", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: songData + "/A/A/A", toPath: folder + "/songs/A/A")
        let broken = folder + "/songs/A/ZZZ.json"
        try #"{"song_id": "SOX", "artist_id": "ARX", "year": "MCMXC"}"#.write(toFile: broken, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try fixture.load(songs: folder + "/songs", events: logData)) { error in
            guard case LoadError.tooManyErrors(1, 0, let first) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(first.map(\.file), [broken])
            XCTAssertEqual(first.map(\.field), ["year"])
        }
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 0)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_songs"), 0)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 0)

        let result = try fixture.load(songs: folder + "/songs", events: logData, LoadOptions(maxErrors: 1))
        XCTAssertEqual(result.rows["staging_events"], 8056)
        XCTAssertEqual(result.badRecords.map(\.file), [broken])
        XCTAssertEqual(try fixture.count("SELECT rows_loaded FROM dwh_loaded_files WHERE path = '\(broken)'"), 0)
    }

    func testPastMaxErrorsNothingOfTheRunIsKeptButTheErrorsAre() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("load")
        let files = try writeBadInput(in: folder)
        for maxErrors in [0, 1] {
            XCTAssertThrowsError(try fixture.load(events: folder, LoadOptions(maxErrors: maxErrors))) { error in
                guard case LoadError.tooManyErrors(let count, _, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(count, maxErrors + 1)
                XCTAssertTrue("\(error)".contains("more than --max-errors \(maxErrors)"), "\(error)")
            }
            XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 0)
            XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 0)
        }
        let recorded = try fixture.connection.execute(
            "SELECT file, line, field, reason, raw_text FROM dwh_load_errors ORDER BY recorded_at, line LIMIT 1")
        XCTAssertEqual(recorded[0, 0], files.bad)
        XCTAssertEqual(recorded[0, 1], "2")
        XCTAssertEqual(recorded[0, 2], "artist")
        XCTAssertEqual(recorded[0, 4], #"{"artist": oops}"#)
    }

    /// Loads the bad input with room for its two bad records.
    private func loadWithTwoBadRecords() throws -> (fixture: LoadFixture, result: LoadResult, bad: String) {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("load")
        let files = try writeBadInput(in: folder)
        return (fixture, try fixture.load(events: folder, LoadOptions(maxErrors: 2)), files.bad)
    }

    func testUpToMaxErrorsBadRecordsAreSkipped() throws {
        let result = try loadWithTwoBadRecords().result
        XCTAssertEqual(result.rows["staging_events"], 3)
        XCTAssertEqual(result.badRecords.map(\.line), [2, 3])
    }

    func testSkippedBadRecordsAreRecordedWithFileLineFieldAndReason() throws {
        let (fixture, result, bad) = try loadWithTwoBadRecords()
        let recorded = try fixture.connection.execute(
            "SELECT file, line, field, reason FROM dwh_load_errors WHERE run_id = $1 ORDER BY line", [result.runID])
        XCTAssertEqual(recorded.rowCount, 2)
        XCTAssertEqual(recorded[1, 0], bad)
        XCTAssertEqual(recorded[1, 1], "3")
        XCTAssertEqual(recorded[1, 2], "status")
        XCTAssertEqual(recorded[1, 3], "\"two hundred\" is not an integer")
        XCTAssertEqual(try fixture.count("SELECT rows_loaded FROM dwh_loaded_files WHERE path = '\(bad)'"), 1)
    }

    func testAChangedFileIsReloadedInPlaceOfItsOldRows() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("load")
        let path = folder + "/day-events.json"
        try (0..<5).map { event(["itemInSession": "\($0)"]) }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try (event()).write(toFile: folder + "/other-events.json", atomically: true, encoding: .utf8)
        _ = try fixture.load(events: folder)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 6)

        try (0..<3).map { event(["itemInSession": "\(10 + $0)"]) }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var plan: [PlannedFile] = []
        try StagingLoader(connection: fixture.connection).plan([(.events, LocalFileSource(path: folder))], fullRefresh: false) {
            plan.append($0)
        }
        XCTAssertEqual(plan.filter(\.loads).map(\.file.path), [path])
        guard case .reload(let previous) = plan.first(where: \.loads)?.action else { return XCTFail("\(plan)") }
        XCTAssertEqual(previous.rows, 5)

        let reloaded = try fixture.load(events: folder)
        XCTAssertEqual([reloaded.filesLoaded, reloaded.filesReplaced, reloaded.filesSkipped], [1, 1, 1])
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 4)
        XCTAssertEqual(try fixture.count("SELECT MIN(item_in_session) FROM staging_events WHERE item_in_session > 0"), 10)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 2)

        _ = try fixture.load(events: folder, LoadOptions(fullRefresh: true))
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 4)
        XCTAssertEqual(try fixture.count("SELECT MIN(file_id) FROM dwh_loaded_files"), 1)
    }

    /// Generated data, half of its plays matching a song, loaded (the load's result kept) and
    /// transformed.
    private func generatedDataLoaded() throws -> (fixture: LoadFixture, summary: GeneratorSummary, result: LoadResult) {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("load")
        let summary = try SyntheticDataGenerator(options: GeneratorOptions(songs: 300, events: 6000, output: folder,
                                                                           seed: 7, matchRatio: 0.5)).run()
        let result = try fixture.load(songs: folder + "/song_data", events: folder + "/log_data")
        try Transformer(connection: fixture.connection, dialect: .postgres).run()
        return (fixture, summary, result)
    }

    func testGeneratedDataLoadsCleanly() throws {
        let (fixture, summary, result) = try generatedDataLoaded()
        XCTAssertEqual(result.badRecords, [])
        XCTAssertEqual(result.rows, ["staging_events": summary.events, "staging_songs": 300])
        XCTAssertTrue(try QualityChecks.run(fixture.connection).allSatisfy(\.passed))
    }

    func testGeneratedDataMatchesSongsAtItsRatio() throws {
        let fixture = try generatedDataLoaded().fixture
        let plays = try fixture.count("SELECT COUNT(*) FROM songplays")
        let matched = try fixture.count("SELECT COUNT(*) FROM songplays WHERE song_id IS NOT NULL")
        XCTAssertEqual(Double(matched) / Double(plays), 0.5, accuracy: 0.05)
    }

    func testChecksFailOnAnEmptyWarehouse() throws {
        let fixture = try LoadFixture(self)
        let results = try QualityChecks.run(fixture.connection)
        XCTAssertEqual(results.first { !$0.passed }?.name, "every table has rows")
        XCTAssertTrue(QualityChecks.format(results).contains("checks failed"))
    }
}
