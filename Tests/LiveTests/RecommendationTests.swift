@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// recommend and playlists on listeners of known taste, loaded and transformed as
/// `dwh load` does. Taste vectors (plays per artist):
///
///     1: A 3, B 2, C 1     2: A 2, B 2, C 2     3: A 1, B 3, C 1, D 1
///     4: E 2, F 2          6: A 2, B 1          7: Z 1
///
/// Squared lengths: A 18, B 18, C 6, D 1. Dot products: A·C 8, B·C 9, A·D 1, B·D 3. So for
/// listener 6, C scores 2 × 8/√108 + 1 × 9/√108 = 2.406 (A adds most) and D scores
/// 2 × 1/√18 + 1 × 3/√18 = 1.179 (B adds most); the rest of the list is by listeners.
final class RecommendationTests: XCTestCase {
    static let taste: [(user: String, plays: [(artist: String, count: Int)])] = [
        ("1", [("A", 3), ("B", 2), ("C", 1)]), ("2", [("A", 2), ("B", 2), ("C", 2)]),
        ("3", [("A", 1), ("B", 3), ("C", 1), ("D", 1)]), ("4", [("E", 2), ("F", 2)]),
        ("6", [("A", 2), ("B", 1)]), ("7", [("Z", 1)]),
    ]

    func scenario() throws -> StarScenario {
        let scenario = try StarScenario(self)
        var lines: [[String: String]] = []
        var ts = 1_541_030_400_000
        for (user, plays) in Self.taste {
            for (artist, count) in plays {
                for _ in 0..<count {
                    ts += 60_000
                    lines.append(["userId": "\"\(user)\"", "artist": "\"\(artist)\"", "song": "\"Song of \(artist)\"",
                                  "length": "200.0", "ts": "\(ts)"])
                }
            }
        }
        // Day one: half of each listener's plays; day two the rest, so the tables are built
        // by an incremental run on top of a full one.
        try scenario.events("day1", lines.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        XCTAssertEqual(try scenario.loadAndTransform().plan.mode, .full)
        try scenario.events("day2", lines.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        XCTAssertEqual(try scenario.loadAndTransform().plan.mode, .incremental)
        return scenario
    }

    func run(_ scenario: StarScenario, _ name: String, _ values: [String: String]) throws -> [String] {
        let query = try QueryCatalog(directory: TestDatabase.packageRoot + "/queries").query(named: name)
        let result = try scenario.fixture.connection.execute(query.sql, try query.bind(values).map { Optional($0) })
        return ResultTable(result).rows.map { $0.map { $0 ?? "∅" }.joined(separator: "|") }
    }

    func testSimilarListenersDecideTheRecommendations() throws {
        let scenario = try scenario()
        XCTAssertEqual(try run(scenario, "recommend", ["user_id": "6", "limit": "5"]), [
            "1|6|C|2.406|because you play A",
            "2|6|D|1.179|because you play B",
            "3|6|E|∅|popular: 1 listeners",
            "4|6|F|∅|popular: 1 listeners",
            "5|6|Z|∅|popular: 1 listeners",
        ])
        // A listener whose one artist nobody else plays, and one never seen: popularity.
        XCTAssertEqual(try run(scenario, "recommend", ["user_id": "7", "limit": "4"]), [
            "1|7|A|∅|popular: 4 listeners", "2|7|B|∅|popular: 4 listeners", "3|7|C|∅|popular: 3 listeners",
            "4|7|E|∅|popular: 1 listeners",
        ])
        XCTAssertEqual(try run(scenario, "recommend", ["user_id": "new", "limit": "2"]),
                       ["1|new|A|∅|popular: 4 listeners", "2|new|B|∅|popular: 4 listeners"])
        // The most active listener by default (1, 2 and 3: six plays each; the first by id),
        // for whom D scores 3 × 1/√18 + 2 × 3/√18 + 1 × 1/√6.
        XCTAssertEqual(try run(scenario, "recommend", ["limit": "1"]), ["1|1|D|2.530|because you play B"])
    }

    func testPlaylistsAreEveryListenersRecommendationsWithoutAnArtistTheyPlayed() throws {
        let scenario = try scenario()
        // playlists: the same lists for every listener at once, none with an artist played.
        let playlists = try run(scenario, "playlists", ["limit": "5"])
        XCTAssertEqual(playlists.filter { $0.hasPrefix("6|") },
                       try run(scenario, "recommend", ["user_id": "6", "limit": "5"]).map { row in
                           let fields = row.split(separator: "|", omittingEmptySubsequences: false)
                           return ([fields[1], fields[0]] + fields[2...]).joined(separator: "|")
                       })
        for row in playlists {
            let fields = row.split(separator: "|").map(String.init)
            let played = Self.taste.first { $0.user == fields[0] }?.plays.map(\.artist) ?? []
            XCTAssertFalse(played.contains(fields[2]), row)
        }
        XCTAssertEqual(Set(playlists.map { $0.split(separator: "|")[0] }), ["1", "2", "3", "4", "6", "7"])
    }

    /// The tables recommend reads, after a day-by-day load, are those one full rebuild makes.
    func testTheIncrementalTablesEqualAFullRebuild() throws {
        let scenario = try scenario()
        let incremental = try scenario.fixture.starSnapshot()
        try scenario.loadAndTransform(fullRefresh: true)
        XCTAssertEqual(try scenario.fixture.starSnapshot(), incremental)
        XCTAssertEqual(try scenario.rows("SELECT artist, other, together FROM artist_pairs WHERE artist = 'A' ORDER BY other"),
                       ["A|B|15", "A|C|8", "A|D|1"])
        XCTAssertEqual(try scenario.rows("SELECT artist, listeners, plays, taste_norm FROM artist_stats ORDER BY artist"),
                       ["A|4|8|18", "B|4|8|18", "C|3|4|6", "D|1|1|1", "E|1|2|4", "F|1|2|4", "Z|1|1|1"])
    }
}
