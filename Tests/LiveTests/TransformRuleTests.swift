@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Raw files written into a temporary folder, loaded and transformed on a fresh database:
/// each rule the README and the transform's SQL comments promise, checked on exact rows.
struct StarScenario {
    let fixture: LoadFixture
    let folder: String

    init(_ test: XCTestCase) throws {
        fixture = try LoadFixture(test)
        folder = try test.temporaryFolder("rule")
    }

    /// A song file at `songs/NAME.json`; `fields` override a plain song's JSON values.
    func song(_ name: String, _ fields: [String: String]) throws {
        var values: [(String, String)] = [
            ("num_songs", "1"), ("artist_id", "\"ARDEFAULT\""), ("artist_latitude", "null"), ("artist_longitude", "null"),
            ("artist_location", "\"\""), ("artist_name", "\"Nobody\""), ("song_id", "\"SODEFAULT\""),
            ("title", "\"Untitled\""), ("duration", "100.0"), ("year", "0"),
        ]
        values = values.map { ($0.0, fields[$0.0] ?? $0.1) }
        try write("songs/\(name).json", "{" + values.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }

    /// An event file at `events/NAME.json`, one line per event.
    func events(_ name: String, _ lines: [[String: String]]) throws {
        try write("events/\(name).json", lines.map { event($0) }.joined(separator: "\n"))
    }

    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: folder + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Loads what is in the folders now (new and changed files only), then transforms.
    @discardableResult
    func loadAndTransform(fullRefresh: Bool = false) throws -> TransformResult {
        var sources: StagingLoader.Sources = []
        for (table, name) in [(StagingTable.events, "events"), (.songs, "songs")]
        where FileManager.default.fileExists(atPath: folder + "/" + name) {
            sources.append((table, LocalFileSource(path: folder + "/" + name)))
        }
        _ = try StagingLoader(connection: fixture.connection).load(sources)
        return try Transformer(connection: fixture.connection, dialect: .postgres).run(TransformOptions(fullRefresh: fullRefresh))
    }

    /// The rows of a query, each as its columns joined by `|` (NULL as `∅`).
    func rows(_ sql: String) throws -> [String] {
        let result = try fixture.connection.execute(sql)
        return result.rows.map { $0.map { $0 ?? "∅" }.joined(separator: "|") }
    }
}

final class TransformRuleTests: XCTestCase {
    /// Milliseconds since the epoch of a UTC time written `2018-11-04 10:30:00`.
    func ts(_ text: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return String(Int64(formatter.date(from: text)!.timeIntervalSince1970 * 1000))
    }

    func testAnAmbiguousMatchPicksTheLowestSongIDAndItsArtist() throws {
        let scenario = try StarScenario(self)
        for (file, song, artist) in [("b", "SOB", "ARB"), ("a", "SOC", "ARA"), ("c", "SOA", "ARC")] {
            try scenario.song(file, ["song_id": "\"\(song)\"", "artist_id": "\"\(artist)\"", "title": "\"Shell Shock\"",
                                     "artist_name": "\"Manowar\"", "duration": "247.562"])
        }
        try scenario.events("day", [
            ["ts": "1000", "itemInSession": "0"],                                    // matches all three
            ["ts": "2000", "itemInSession": "1", "length": "247.56"],                // length differs
            ["ts": "3000", "itemInSession": "2", "artist": "\"manowar\""],           // artist differs in case
            ["ts": "4000", "itemInSession": "3", "page": "\"Home\""],                // not a play
        ])
        try scenario.loadAndTransform()
        XCTAssertEqual(try scenario.rows("SELECT song_id, artist_id FROM songplays ORDER BY start_time"),
                       ["SOA|ARC", "∅|∅", "∅|∅"])
    }

    func testTheArtistNameMostSongsGiveWinsThenTheShortestThenTheFirstInSortOrder() throws {
        let scenario = try StarScenario(self)
        let songs: [(String, String, String)] = [
            ("AR1", "Beta Band", "Leith"), ("AR1", "Beta Band", "Leith"), ("AR1", "Alpha", "Anywhere"),
            ("AR2", "Aaa", "Long"), ("AR2", "Bb", "Short"),
            ("AR3", "Bx", "Second"), ("AR3", "Ax", "First"),
        ]
        for (index, (artist, name, location)) in songs.enumerated() {
            try scenario.song("s\(index)", ["song_id": "\"SO\(index)\"", "artist_id": "\"\(artist)\"",
                                            "artist_name": "\"\(name)\"", "artist_location": "\"\(location)\"",
                                            "artist_latitude": "\(index).5"])
        }
        try scenario.events("day", [[:]])
        try scenario.loadAndTransform()
        XCTAssertEqual(try scenario.rows("SELECT artist_id, name, location, latitude FROM artists ORDER BY artist_id"),
                       ["AR1|Beta Band|Leith|0.5", "AR2|Bb|Short|4.5", "AR3|Ax|First|6.5"])
    }

    /// A song_id two files disagree on, and a user whose two latest events tie on time, item
    /// and level: the rows are the same whichever file is loaded first (the first by value
    /// wins), as they are after a full rebuild.
    func testSongsAndUsersAtATieDoNotDependOnTheOrderOfLoading() throws {
        var results: [[String]] = []
        for order in [["old", "new"], ["new", "old"]] {
            let scenario = try StarScenario(self)
            let songs = ["old": ["song_id": "\"SO9\"", "title": "\"Old\"", "year": "1990"],
                         "new": ["song_id": "\"SO9\"", "title": "\"New\"", "year": "2000"]]
            let names = ["old": "\"Zoe\"", "new": "\"Ann\""]
            for name in order {
                try scenario.song(name, songs[name]!)
                try scenario.events(name, [["userId": "\"5\"", "ts": "1000", "itemInSession": "1", "firstName": names[name]!]])
                try scenario.loadAndTransform()
            }
            let rows = try scenario.rows("SELECT song_id, title, year FROM songs")
                + scenario.rows("SELECT user_id, first_name, level FROM users")
            try scenario.loadAndTransform(fullRefresh: true)
            XCTAssertEqual(try scenario.rows("SELECT song_id, title, year FROM songs")
                + scenario.rows("SELECT user_id, first_name, level FROM users"), rows, "\(order)")
            results.append(rows)
        }
        XCTAssertEqual(results[0], ["SO9|New|2000", "5|Ann|paid"])
        XCTAssertEqual(results[1], results[0])
    }

    func testTimeRowsNumberWeekdaysFromSundayZeroAndWeeksAsISO() throws {
        let scenario = try StarScenario(self)
        try scenario.song("s", [:])
        try scenario.events("day", [
            ["ts": ts("2018-11-04 10:30:00"), "itemInSession": "0"],   // a Sunday, ISO week 44
            ["ts": ts("2018-11-05 00:00:00"), "itemInSession": "1"],   // Monday, week 45
            ["ts": ts("2018-11-10 23:59:59"), "itemInSession": "2"],   // Saturday
            ["ts": String(Int64(ts("2018-11-10 23:59:59"))! + 123), "itemInSession": "3"],
            ["ts": ts("2018-11-05 00:00:00"), "itemInSession": "4"],   // the same time twice: one row
        ])
        try scenario.loadAndTransform()
        XCTAssertEqual(try scenario.rows("SELECT start_time, hour, day, week, month, year, weekday FROM time ORDER BY 1"), [
            "2018-11-04 10:30:00|10|4|44|11|2018|0",
            "2018-11-05 00:00:00|0|5|45|11|2018|1",
            "2018-11-10 23:59:59|23|10|45|11|2018|6",
            "2018-11-10 23:59:59.123|23|10|45|11|2018|6",
        ])
        XCTAssertEqual(try scenario.fixture.count("SELECT COUNT(*) FROM songplays"), 5)
    }

    /// Users 7, 8 and 9 at events that tie more and more, and a logged-out event, transformed.
    private func usersAtTies() throws -> StarScenario {
        let scenario = try StarScenario(self)
        try scenario.song("s", [:])
        try scenario.events("day", [
            // User 7: the later event wins even though it comes first in the file.
            ["userId": "\"7\"", "ts": "2000", "level": "\"free\"", "firstName": "\"Later\""],
            ["userId": "\"7\"", "ts": "1000", "level": "\"paid\"", "firstName": "\"Earlier\""],
            // User 8: the same time; the higher item in the session wins.
            ["userId": "\"8\"", "ts": "1000", "itemInSession": "3", "level": "\"paid\"", "page": "\"Home\""],
            ["userId": "\"8\"", "ts": "1000", "itemInSession": "2", "level": "\"free\""],
            // User 9: the same time and item; free before paid.
            ["userId": "\"9\"", "ts": "1000", "itemInSession": "1", "level": "\"paid\""],
            ["userId": "\"9\"", "ts": "1000", "itemInSession": "1", "level": "\"free\""],
            // Logged out: no user row, and no play.
            ["userId": "\"\"", "ts": "5000", "page": "\"Home\"", "level": "\"free\""],
        ])
        try scenario.loadAndTransform()
        return scenario
    }

    func testTheLatestEventDecidesAUsersLevelAndNameThenTheHighestItemThenFree() throws {
        XCTAssertEqual(try usersAtTies().rows("SELECT user_id, first_name, level FROM users ORDER BY user_id"),
                       ["7|Later|free", "8|Jacob|paid", "9|Jacob|free"])
    }

    func testAPlayKeepsTheLevelOfItsOwnEvent() throws {
        XCTAssertEqual(try usersAtTies().rows("SELECT user_id, level FROM songplays ORDER BY user_id, level"),
                       ["7|free", "7|paid", "8|free", "9|free", "9|paid"])
    }

    /// Redshift's COPY lets an event without a time through: it never decides a user.
    func testAnEventWithoutATimeNeverDecidesAUser() throws {
        let scenario = try StarScenario(self)
        try scenario.song("s", [:])
        try scenario.events("day", [["userId": "\"7\"", "ts": "1000", "level": "\"paid\"", "page": "\"Home\""]])
        try scenario.loadAndTransform()
        try scenario.fixture.connection.execute("""
            INSERT INTO dwh_loaded_files (file_id, table_name, path, size_bytes, mtime_us, content_hash, rows_loaded, run_id, loaded_at)
            VALUES (99, 'staging_events', '/untimed.json', 1, 1, 'x', 1, 'r', now());
            INSERT INTO staging_events (page, ts, user_id, level, file_id, line_number) VALUES ('Home', NULL, '7', 'free', 99, 1);
            """)
        for fullRefresh in [false, true] {
            try Transformer(connection: scenario.fixture.connection, dialect: .postgres).run(TransformOptions(fullRefresh: fullRefresh))
            XCTAssertEqual(try scenario.rows("SELECT user_id, level FROM users"), ["7|paid"], "full refresh: \(fullRefresh)")
        }
    }

    /// A statement the server refuses is shown in its file, with the line and a caret, as a
    /// failing migration is, and the transform leaves nothing behind.
    func testAFailingStatementIsPlacedInItsFile() throws {
        let scenario = try StarScenario(self)
        try scenario.song("s", [:])
        try scenario.events("day", [[:]])
        _ = try StagingLoader(connection: scenario.fixture.connection).load([
            (.events, LocalFileSource(path: scenario.folder + "/events")), (.songs, LocalFileSource(path: scenario.folder + "/songs")),
        ])
        // A ts no timestamp holds, as staged before dwh refused them at load time.
        try scenario.fixture.connection.execute("UPDATE staging_events SET ts = 9223372036854775000")
        XCTAssertThrowsError(try Transformer(connection: scenario.fixture.connection, dialect: .postgres).run(TransformOptions())) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("Transform/50_time.sql:"), text)
            XCTAssertTrue(text.contains(": ERROR 22008"), text)
            let lines = text.split(separator: "\n")
            XCTAssertGreaterThanOrEqual(lines.count, 3, text)
            XCTAssertTrue(lines.count >= 3 && lines[2].trimmingCharacters(in: .whitespaces) == "^", text)
        }
        XCTAssertEqual(try scenario.fixture.count("SELECT COUNT(*) FROM songplays"), 0)
        XCTAssertEqual(try scenario.fixture.count("SELECT COUNT(*) FROM dwh_loaded_files WHERE transformed_at IS NOT NULL"), 0)
    }

    func testALateEventWithAnOlderTimeDoesNotChangeALevel() throws {
        let scenario = try StarScenario(self)
        try scenario.song("s", [:])
        try scenario.events("2018-11-02", [["userId": "\"7\"", "ts": "2000", "level": "\"paid\"", "firstName": "\"New\""]])
        try scenario.loadAndTransform()
        try scenario.events("2018-11-01", [["userId": "\"7\"", "ts": "1000", "level": "\"free\"", "firstName": "\"Old\""]])
        try scenario.loadAndTransform()
        XCTAssertEqual(try scenario.rows("SELECT user_id, first_name, level FROM users"), ["7|New|paid"])
        try scenario.events("2018-11-03", [["userId": "\"7\"", "ts": "3000", "level": "\"free\"", "firstName": "\"Newest\""]])
        try scenario.loadAndTransform()
        XCTAssertEqual(try scenario.rows("SELECT user_id, first_name, level FROM users"), ["7|Newest|free"])
        XCTAssertEqual(try scenario.fixture.count("SELECT COUNT(*) FROM songplays"), 3)
    }
}
