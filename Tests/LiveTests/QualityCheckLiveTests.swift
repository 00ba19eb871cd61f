@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// The built-in checks read a day, not all of history, where they read staged events.
final class QualityCheckLiveTests: XCTestCase {
    /// With sequential scans priced out, a check whose bounds the index on ts (migration
    /// 0009) cannot use still scans the table: its plan names no index.
    func testEveryCheckOfStagedEventsFindsTheDayThroughTheIndexOnTime() throws {
        let fixture = try LoadFixture(self)
        _ = try fixture.load(songs: SharedData.path + "/song_data", events: SharedData.path + "/log_data")
        _ = try fixture.transform()
        try fixture.connection.execute("SET enable_seqscan = off")
        let staged = QualityChecks.all(for: .postgres).filter { $0.sql.contains("staging_events") && $0.sql.contains("ts >=") }
        XCTAssertEqual(staged.map(\.name), ["07 songplays equal the NextSong events staged"])
        for check in staged {
            let plan = try fixture.connection.execute("EXPLAIN " + check.sql, ["2018-11-05 00:00:00", "2018-11-06 00:00:00"])
                .rows.compactMap { $0.first ?? nil }.joined(separator: "\n")
            XCTAssertTrue(plan.contains("staging_events_ts_idx"), "\(check.name):\n\(plan)")
        }
    }

    /// The transform leaves no block range of staged events unsummarised, so the index
    /// skips the history even before VACUUM.
    func testATransformSummarisesTheRangesTheLoadFilled() throws {
        let summarise = "SELECT brin_summarize_new_values('staging_events_ts_idx')"
        let loaded = try LoadFixture(self)
        _ = try loaded.load(songs: SharedData.path + "/song_data", events: SharedData.path + "/log_data")
        XCTAssertGreaterThan(try loaded.count(summarise), 0, "a load alone leaves ranges to summarise")
        let transformed = try LoadFixture(self)
        _ = try transformed.load(songs: SharedData.path + "/song_data", events: SharedData.path + "/log_data")
        _ = try transformed.transform()
        XCTAssertEqual(try transformed.count(summarise), 0)
    }
}
