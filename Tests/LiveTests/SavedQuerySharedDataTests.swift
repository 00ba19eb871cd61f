import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Every saved query's first rows on the shared Sparkify data, loaded and transformed by
/// the loader as `dwh load` does.
final class SavedQuerySharedDataTests: XCTestCase {
    func testFirstRowsOfEverySavedQueryOnTheSharedData() throws {
        let fixture = try LoadFixture(self)
        _ = try fixture.load(songs: SharedData.path + "/song_data", events: SharedData.path + "/log_data")
        try Transformer(connection: fixture.connection, dialect: .postgres).run()
        let catalog = try QueryCatalog(directory: TestDatabase.packageRoot + "/queries")

        func first(_ name: String, _ count: Int, _ values: [String: String] = [:]) throws -> [[String?]] {
            let query = try catalog.query(named: name)
            let result = try fixture.connection.execute(query.sql, try query.bind(values).map { Optional($0) })
            return Array(ResultTable(result).rows.prefix(count))
        }

        XCTAssertEqual(try first("top_locations", 3), [
            ["San Francisco-Oakland-Hayward, CA", "691", "2"],
            ["Portland-South Portland, ME", "665", "1"],
            ["Lansing-East Lansing, MI", "557", "1"],
        ])
        // Every play counts, by the names logged (Björk's repaired); only one play in the
        // shared data matches a song in its song files.
        XCTAssertEqual(try first("top_artists", 3), [
            ["Coldplay", "58", "22", nil], ["Kings Of Leon", "55", "19", nil], ["Dwight Yoakam", "38", "22", nil],
        ])
        XCTAssertEqual(try first("top_songs", 2), [
            ["You're The One", "Dwight Yoakam", "37", nil, nil], ["Undo", "Björk", "28", nil, nil],
        ])
        XCTAssertEqual(try first("top_songs", 3, ["matched": "only"]),
                       [["Setanta matins", "Elena", "1", "SOZCTXZ12AB0182364", "AR5KOSW1187FB35FF4"]])
        XCTAssertEqual(try first("top_artists", 3, ["matched": "only"]), [["Elena", "1", "1", "AR5KOSW1187FB35FF4"]])
        XCTAssertEqual(try first("recommend", 3), [
            ["1", "49", "Cage The Elephant", "11.230", "because you play Muse"],
            ["2", "49", "Delerium", "11.230", "because you play Muse"],
            ["3", "49", "Cartola", "10.035", "because you play Coldplay"],
        ])
        XCTAssertEqual(try first("audiences", 1),
                       [["New York-Newark-Jersey City, NY-NJ-PA · Windows", "New York-Newark-Jersey City, NY-NJ-PA", "Windows",
                         "6", "228", "33.3", "1"]])
        XCTAssertEqual(try first("listener_profile", 3, ["user_id": "49"]).map { $0.dropFirst().map { $0 ?? "∅" } }, [
            ["plays", "1", "689", "689", "first 2018-11-02 12:02, last 2018-11-30 18:39"],
            ["level", "1", "free", "39", "from 2018-11-02 12:02 to 2018-11-14 08:21"],
            ["level", "2", "paid", "650", "from 2018-11-14 08:47 to 2018-11-30 18:39"],
        ])
        XCTAssertEqual(try first("top_user_agents", 1).first?.last, "971")
        XCTAssertEqual(try first("top_user_agents", 4, ["by": "browser"]),
                       [["Chrome", "3896"], ["Firefox", "1589"], ["Safari", "1307"], ["Internet Explorer", "28"]])
        XCTAssertEqual(try first("top_user_agents", 4, ["by": "os"]),
                       [["Mac OS X", "3000"], ["Windows", "2428"], ["Linux", "1153"], ["iOS", "239"]])
        XCTAssertEqual(try first("plays_by_hour", 3), [["0", "155"], ["1", "154"], ["2", "117"]])
        XCTAssertEqual(try first("plays_by_weekday", 7), [
            ["Monday", "1014"], ["Tuesday", "1071"], ["Wednesday", "1364"], ["Thursday", "1052"],
            ["Friday", "1295"], ["Saturday", "628"], ["Sunday", "396"],
        ])
        XCTAssertEqual(try first("paid_vs_free", 2), [["paid", "5591", "22", "82.0"], ["free", "1229", "82", "18.0"]])
        XCTAssertEqual(try first("top_users", 3), [
            ["49", "Chloe", "Cuevas", "paid", "689"],
            ["80", "Tegan", "Levine", "paid", "665"],
            ["97", "Kate", "Harrell", "paid", "557"],
        ])
        XCTAssertEqual(try first("session_lengths", 1), [["589", "29", "2018-11-18 13:16:01.796", "464.6", "117"]])
        XCTAssertEqual(try first("gender_split", 2), [["F", "4887", "55", "71.7"], ["M", "1933", "41", "28.3"]])
        // Every play counts: the hour profile adds up to the whole fact table.
        let hours = try first("plays_by_hour", 24).compactMap { $0[1].flatMap(Int.init) }.reduce(0, +)
        XCTAssertEqual(hours, 6820)
    }

    /// top_artists, all of it, against a count of the NextSong events by artist made here
    /// from the JSON files themselves (the names repaired by the same rule).
    func testPlaysByLoggedArtistEqualACountStraightFromTheFiles() throws {
        let logs = SharedData.path + "/log_data"
        var expected: [String: Int] = [:]
        let files = FileManager.default.enumerator(atPath: logs)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") } ?? []
        XCTAssertEqual(files.count, 30)
        for file in files {
            let text = try String(contentsOfFile: logs + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.isEmpty {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                guard object?["page"] as? String == "NextSong", let artist = object?["artist"] as? String else { continue }
                expected[NameRepair.repair(artist) ?? artist, default: 0] += 1
            }
        }
        XCTAssertEqual(expected.values.reduce(0, +), 6820)
        XCTAssertEqual(expected["Björk"], 33)

        let fixture = try LoadFixture(self)
        _ = try fixture.load(songs: SharedData.path + "/song_data", events: logs)
        try Transformer(connection: fixture.connection, dialect: .postgres).run()
        let query = try QueryCatalog(directory: TestDatabase.packageRoot + "/queries").query(named: "top_artists")
        let rows = try fixture.connection.execute(query.sql, try query.bind(["limit": "100000"]).map { Optional($0) }).rows
        let counted = Dictionary(uniqueKeysWithValues: rows.map { ($0[0] ?? "", Int($0[1] ?? "") ?? -1) })
        XCTAssertEqual(counted.count, expected.count)
        XCTAssertEqual(counted, expected)
    }
}
