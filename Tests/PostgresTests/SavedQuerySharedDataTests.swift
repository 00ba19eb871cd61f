import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Every saved query's first rows on the shared Sparkify data, loaded and transformed by
/// the loader as `dwh load` does.
final class SavedQuerySharedDataTests: XCTestCase {
    func testFirstRowsOfEverySavedQueryOnTheSharedData() throws {
        let fixture = try LoadFixture()
        defer { fixture.database.drop() }
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
        // Only one play in the shared data matches a song in its song files.
        XCTAssertEqual(try first("top_songs", 3), [["Setanta matins", "Elena", "1"]])
        XCTAssertEqual(try first("top_artists", 3), [["Elena", "1", "1"]])
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
}
