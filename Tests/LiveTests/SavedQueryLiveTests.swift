import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Every saved query on the real schema (`migrations/`) with a few rows whose answers are known.
final class SavedQueryLiveTests: XCTestCase {
    var database: FreshDatabase!
    var connection: Connection!
    var catalog: QueryCatalog!

    override func setUpWithError() throws {
        catalog = try QueryCatalog(directory: TestDatabase.packageRoot + "/queries")
        database = try migratedDatabase(prefix: "queries")
        connection = try database.connect()
        try connection.execute("""
            INSERT INTO users (user_id, first_name, last_name, gender, level) VALUES ('1', 'Ann', 'A', 'F', 'paid'), ('2', 'Bob', 'B', 'M', 'free'), ('3', 'Cy', 'C', 'F', 'free');
            INSERT INTO artists (artist_id, name, location, latitude, longitude) VALUES ('AR1', 'Muse', NULL, NULL, NULL), ('AR2', 'Björk', 'Reykjavík', 64.1, -21.9);
            INSERT INTO songs (song_id, title, artist_id, year, duration)
              VALUES ('SO1', 'Uprising', 'AR1', 2009, 300), ('SO2', 'Jóga', 'AR2', 1997, 305);
            INSERT INTO time SELECT DISTINCT t, extract(hour FROM t), extract(day FROM t), extract(week FROM t),
              extract(month FROM t), extract(year FROM t), extract(dow FROM t)
              FROM unnest(ARRAY['2018-11-05 10:00', '2018-11-05 10:04', '2018-11-05 10:09', '2018-11-05 23:30',
                                '2018-11-06 10:00', '2018-11-06 11:00', '2018-11-07 12:00']::timestamp[]) t;
            INSERT INTO songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent) VALUES
              ('2018-11-05 10:00', '1', 'paid', 'SO1', 'AR1', 7, 'Lansing, MI', 'Mozilla/5.0 (Windows NT 6.1) Chrome/36.0 Safari/537.36'),
              ('2018-11-05 10:04', '1', 'paid', 'SO1', 'AR1', 7, 'Lansing, MI', 'Mozilla/5.0 (Windows NT 6.1) Chrome/36.0 Safari/537.36'),
              ('2018-11-05 10:09', '1', 'paid', 'SO2', 'AR2', 7, 'Lansing, MI', 'Mozilla/5.0 (Windows NT 6.1) Chrome/36.0 Safari/537.36'),
              ('2018-11-05 23:30', '1', 'paid', NULL, NULL, 7, 'Lansing, MI', 'Mozilla/5.0 (Windows NT 6.1) Chrome/36.0 Safari/537.36'),
              ('2018-11-06 10:00', '2', 'free', 'SO1', 'AR1', 8, 'Tampa, FL', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) Safari/537.77'),
              ('2018-11-06 11:00', '2', 'free', NULL, NULL, 9, 'Tampa, FL', 'Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Firefox/31.0'),
              ('2018-11-07 12:00', '3', 'free', NULL, NULL, 10, 'Tampa, FL', 'Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Firefox/31.0');
            -- The tracks as logged: the matched ones are the songs; the others match none.
            INSERT INTO tracks (track_id, logged_artist, logged_title, length, artist, title, song_id, artist_id) VALUES
              (1, 'Muse', 'Uprising', 300, 'Muse', 'Uprising', 'SO1', 'AR1'), (2, 'Björk', 'Jóga', 305, 'Björk', 'Jóga', 'SO2', 'AR2'),
              (3, 'Muse', 'Uprising (Live)', 310, 'Muse', 'Uprising (Live)', NULL, NULL),
              (4, 'BjÃ¶rk', 'Hyperballad', 321, 'Björk', 'Hyperballad', NULL, NULL);
            UPDATE songplays SET track_id = CASE WHEN song_id = 'SO1' THEN 1 WHEN song_id = 'SO2' THEN 2
                                                 WHEN user_id = '1' THEN 3 ELSE 4 END;
            """)
    }

    override func tearDown() {
        connection = nil
    }

    func rows(_ name: String, _ values: [String: String] = [:]) throws -> [[String?]] {
        let query = try catalog.query(named: name)
        let path = try temporaryFolder("saved-query") + "/\(name).json"
        let outcome = try QueryRunner.run(QueryRequest(sql: query.sql, parameters: try query.bind(values), format: .json,
                                                       outputPath: path),
                                          on: connection, standardOutput: .standardOutput())
        return outcome.table?.rows ?? []
    }

    func testEverySavedQueryOnAKnownStarSchema() throws {
        // Every play by the names logged (displayed repaired), with the catalogue's ids where matched.
        XCTAssertEqual(try rows("top_songs"), [["Uprising", "Muse", "3", "SO1", "AR1"], ["Hyperballad", "Björk", "2", nil, nil],
                                               ["Jóga", "Björk", "1", "SO2", "AR2"], ["Uprising (Live)", "Muse", "1", nil, nil]])
        XCTAssertEqual(try rows("top_songs", ["limit": "1", "since": "2018-11-06"]), [["Hyperballad", "Björk", "2", nil, nil]])
        XCTAssertEqual(try rows("top_artists"), [["Muse", "4", "2", "AR1"], ["Björk", "3", "3", "AR2"]])
        // matched=only: the plays matched to the catalogue, as the lists were before tracks.
        XCTAssertEqual(try rows("top_songs", ["matched": "only"]), [["Uprising", "Muse", "3", "SO1", "AR1"], ["Jóga", "Björk", "1", "SO2", "AR2"]])
        XCTAssertEqual(try rows("top_songs", ["limit": "1", "since": "2018-11-06", "matched": "only"]), [["Uprising", "Muse", "1", "SO1", "AR1"]])
        XCTAssertEqual(try rows("top_artists", ["matched": "only"]), [["Muse", "3", "2", "AR1"], ["Björk", "1", "1", "AR2"]])
        XCTAssertEqual(try rows("top_locations"), [["Lansing, MI", "4", "1"], ["Tampa, FL", "3", "2"]])
        XCTAssertEqual(try rows("top_user_agents", ["by": "browser"]), [["Chrome", "4"], ["Firefox", "2"], ["Safari", "1"]])
        XCTAssertEqual(try rows("top_user_agents", ["by": "os"]), [["Windows", "4"], ["Linux", "2"], ["Mac OS X", "1"]])
        XCTAssertEqual(try rows("top_user_agents", ["limit": "1"]).first?.first??.hasPrefix("Mozilla/5.0 (Windows"), true)
        XCTAssertEqual(try rows("plays_by_hour"), [["10", "4"], ["11", "1"], ["12", "1"], ["23", "1"]])
        XCTAssertEqual(try rows("plays_by_weekday"), [["Monday", "4"], ["Tuesday", "2"], ["Wednesday", "1"]])
        XCTAssertEqual(try rows("paid_vs_free"), [["paid", "4", "1", "57.1"], ["free", "3", "2", "42.9"]])
        XCTAssertEqual(try rows("top_users"), [["1", "Ann", "A", "paid", "4"], ["2", "Bob", "B", "free", "2"], ["3", "Cy", "C", "free", "1"]])
        XCTAssertEqual(try rows("session_lengths", ["limit": "2"]),
                       [["7", "1", "2018-11-05 10:00:00", "810.0", "4"], ["8", "2", "2018-11-06 10:00:00", "0.0", "1"]])
        XCTAssertEqual(try rows("gender_split"), [["F", "5", "2", "71.4"], ["M", "2", "1", "28.6"]])
    }
}
