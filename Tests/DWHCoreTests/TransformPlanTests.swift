@testable import DWHCore
import TestSupport
import XCTest

final class TransformPlanTests: XCTestCase {
    func plan(_ backlog: TransformBacklog, fullRefresh: Bool = false) -> TransformPlan {
        TransformPlan(backlog: backlog, fullRefresh: fullRefresh)
    }

    let full = ["10_full_prepare", "30_songs", "40_users", "50_time", "55_new_tracks", "56_full_track_matches", "57_tracks",
                "60_songplays", "65_listeners", "90_full_finish", "99_finish"]

    func testTheFirstRunRebuildsEverything() {
        XCTAssertEqual(plan(TransformBacklog(newEventFiles: 30, newSongFiles: 71)).mode, .full)
        XCTAssertEqual(plan(TransformBacklog(newEventFiles: 30, newSongFiles: 71)).steps, full)
        // Nothing loaded at all: the rebuild empties the star schema, as one load of nothing would.
        XCTAssertEqual(plan(TransformBacklog()).mode, .full)
    }

    func testAFullRefreshRebuildsEverything() {
        XCTAssertEqual(plan(TransformBacklog(anyTransformed: true), fullRefresh: true).steps, full)
    }

    func testANewDayOfEventsTouchesNoSongs() {
        let day = plan(TransformBacklog(newEventFiles: 1, anyTransformed: true))
        XCTAssertEqual(day.mode, .incremental)
        XCTAssertEqual(day.steps, ["11_batch", "40_users", "50_time", "55_new_tracks", "57_tracks", "60_songplays", "65_listeners",
                                   "99_finish"])
    }

    func testNewSongsAloneRedoTheMatchesAndWriteNoPlays() {
        XCTAssertEqual(plan(TransformBacklog(newSongFiles: 5, anyTransformed: true)).steps,
                       ["11_batch", "30_songs", "31_song_changes", "99_finish"])
        XCTAssertEqual(plan(TransformBacklog(removedSongFiles: 1, anyTransformed: true)).steps,
                       ["11_batch", "30_songs", "31_song_changes", "99_finish"])
    }

    func testAReplacedEventFileRemovesItsRowsAndDecidesItsUsersAgain() {
        XCTAssertEqual(plan(TransformBacklog(newEventFiles: 1, removedEventFiles: 1, anyTransformed: true)).steps,
                       ["11_batch", "20_remove", "40_users", "50_time", "55_new_tracks", "57_tracks", "60_songplays",
                        "65_listeners", "99_finish"])
    }

    func testPlaysLeftWaitingAreTakenInByTheNextTransform() {
        let waiting = TransformBacklog(newEventFiles: 1, anyTransformed: true, pendingPlayChanges: true)
        XCTAssertEqual(plan(waiting).steps.suffix(2), ["65_listeners", "99_finish"])
        // Nothing new but what waits: the listeners' step alone, which reads no batch.
        let idle = plan(TransformBacklog(anyTransformed: true, pendingPlayChanges: true))
        XCTAssertEqual(idle.mode, .incremental)
        XCTAssertEqual(idle.steps, ["65_listeners"])
    }

    func testNothingNewIsUpToDate() {
        XCTAssertEqual(plan(TransformBacklog(anyTransformed: true)).mode, .upToDate)
    }

    func testNothingNewRunsNoStep() {
        XCTAssertEqual(plan(TransformBacklog(anyTransformed: true)).steps, [])
    }

    /// Every step parses strictly and has SQL for both dialects; the Redshift rendering
    /// keeps out what Redshift lacks or what would commit early there.
    func testEveryStepRendersForBothDialects() throws {
        let steps = ["00_lock", "01_backlog", "10_full_prepare", "11_batch", "20_remove", "30_songs", "31_song_changes",
                     "40_users", "50_time", "55_new_tracks", "56_full_track_matches", "57_tracks", "60_songplays",
                     "65_listeners", "90_full_finish", "99_finish", "name_repair"]
        for step in steps {
            let file = Transformer.file(step)
            for dialect in [Dialect.postgres, .redshift] {
                XCTAssertFalse(file.render(for: dialect).statements.isEmpty, "\(step) on \(dialect)")
            }
            let redshift = file.render(for: .redshift).statements.map(\.sql).joined(separator: "\n").uppercased()
            for word in ["TRUNCATE", "ON CONFLICT", "DISCARD", "TEMP VIEW", "DO $$", "IS DISTINCT FROM", "REGCLASS"] {
                XCTAssertFalse(redshift.contains(word), "\(step) sends \(word) to Redshift")
            }
        }
    }
}

final class SQLFileTests: XCTestCase {
    private func twoDialectFile() throws -> SQLFile {
        try SQLFile(path: "t.sql", contents: """
            SELECT 1;
            -- dwh:postgres
            SELECT 'pg';
            -- dwh:end
            -- dwh:redshift
            SELECT 'rs';
            -- dwh:end
            SELECT 2;
            """)
    }

    func testBlocksKeepTheirDialectsLines() throws {
        let file = try twoDialectFile()
        XCTAssertEqual(file.render(for: .postgres).statements.map(\.sql), ["SELECT 1;", "SELECT 'pg';", "SELECT 2;"])
        XCTAssertEqual(file.render(for: .redshift).statements.map(\.sql), ["SELECT 1;", "SELECT 'rs';", "SELECT 2;"])
    }

    func testRenderedStatementsKeepTheirFileLineNumbers() throws {
        let postgres = try twoDialectFile().render(for: .postgres)
        XCTAssertEqual(postgres.fileLocation(ofOffset: postgres.statements[2].offset).line, 8)
    }

    func testATypoInADirectiveIsAnErrorNotAComment() {
        XCTAssertThrowsError(try SQLFile(path: "Transform/x.sql", contents: "-- dwh:redshfit\nSELECT 1;\n-- dwh:end")) {
            XCTAssertEqual("\($0)", "Transform/x.sql:1: `-- dwh:redshfit` is not a directive dwh knows (dwh:postgres, dwh:redshift, dwh:end)")
        }
        XCTAssertThrowsError(try SQLFile(path: "x.sql", contents: "-- dwh:postgres\nSELECT 1;")) {
            XCTAssertEqual("\($0)", "x.sql:1: dialect block has no `-- dwh:end`")
        }
        XCTAssertThrowsError(try SQLFile(path: "x.sql", contents: "-- dwh:postgres\n-- dwh:redshift\n-- dwh:end")) {
            XCTAssertEqual("\($0)", "x.sql:2: `-- dwh:redshift` opens a block inside the block opened on line 1")
        }
        XCTAssertThrowsError(try SQLFile(path: "x.sql", contents: "SELECT 1;\n  -- dwh:end\n")) {
            XCTAssertEqual("\($0)", "x.sql:2: `-- dwh:end` closes no block")
        }
    }

    func testCRLFAndAByteOrderMarkAreLineEndsNotSQL() throws {
        let file = try SQLFile(path: "x.sql", contents: "\u{FEFF}-- dwh:postgres\r\nSELECT 1;\r\n-- dwh:end\r\n")
        XCTAssertEqual(file.render(for: .postgres).statements.map(\.sql), ["SELECT 1;"])
        XCTAssertEqual(file.render(for: .redshift).statements.map(\.sql), [])
    }
}
