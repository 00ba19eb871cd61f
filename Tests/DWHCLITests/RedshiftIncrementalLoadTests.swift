@testable import DWHCore
import Foundation
import RedshiftEmulation
import TestSupport
import XCTest

/// `RedshiftLoad.runIncremental` run for real on its PostgreSQL rendering: its statements go
/// through `RedshiftOnPostgres`, its COPY … MANIFEST through `RedshiftCopyEmulation`, which
/// reads the manifest dwh wrote to moto and the objects it lists, and records in
/// STL_LOAD_COMMITS what it loaded. What only a cluster shows is in the live suite.
final class RedshiftIncrementalLoadTests: XCTestCase {
    typealias Fixture = IncrementalLoadFixture

    func testTheFirstLoadCopiesEachTableInOneCOPYThroughAManifestItRemovesAfter() throws {
        let fixture = try Fixture(self)
        let plans = try fixture.run()
        XCTAssertEqual(plans.map(\.table), ["staging_songs", "staging_events"])
        XCTAssertEqual(plans.map(\.new.count), [3, 2])
        XCTAssertEqual(plans.map(\.copies.count), [1, 1])

        let copies = fixture.emulation.copies
        XCTAssertEqual(copies.map(\.table), ["staging_songs", "staging_events"])
        XCTAssertEqual(copies[0].objects, Fixture.songFiles.map(fixture.url))
        XCTAssertEqual(copies[1].objects, Fixture.eventFiles.map(fixture.url))
        for copy in copies {
            let manifest = try XCTUnwrap(copy.manifest)
            XCTAssertTrue(manifest.hasPrefix(fixture.url("staging/")) && manifest.hasSuffix("/\(copy.table).manifest"), manifest)
        }
        XCTAssertEqual(try fixture.manifestsLeft(), [])

        // Every record arrived, in the columns the JSONPaths and 'auto' name, each once.
        let events = try Fixture.eventFiles.flatMap(Fixture.records)
        let songs = try Fixture.songFiles.flatMap(Fixture.records)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events"), events.count)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_songs"), songs.count)
        let expected = events.map { "\($0["ts"] ?? "")|\($0["userId"] ?? "")|\($0["firstName"] as? String ?? "")|\($0["page"] ?? "")" }
        let loaded = try fixture.rows("SELECT ts, user_id, coalesce(first_name, ''), page FROM staging_events")
            .map { $0.map { $0 ?? "" }.joined(separator: "|") }
        XCTAssertEqual(loaded.sorted(), expected.sorted())
        XCTAssertEqual(try fixture.rows("SELECT song_id, title, year FROM staging_songs ORDER BY song_id").map { $0.compactMap { $0 } },
                       songs.map { ["\($0["song_id"] ?? "")", "\($0["title"] ?? "")", "\($0["year"] ?? "")"] }
                           .sorted { $0[0] < $1[0] })

        // One manifest row per object, with its ETag and the lines STL_LOAD_COMMITS counted;
        // the rows of a COPY carry its first file id.
        let listed = try fixture.client.allObjects(S3Location(bucket: fixture.bucket, key: ""))
        let recorded = try fixture.rows("SELECT path, etag, rows_loaded, file_id, content_hash FROM dwh_loaded_files ORDER BY file_id")
        XCTAssertEqual(recorded.map { $0[0] }, (Fixture.songFiles + Fixture.eventFiles).map(fixture.url))
        for row in recorded {
            let key = String(try XCTUnwrap(row[0]).dropFirst("s3://\(fixture.bucket)/".count))
            XCTAssertEqual(row[1], listed.first { $0.key == key }?.etag, key)
            XCTAssertEqual(row[2], String(try Fixture.records(key).count), key)
        }
        XCTAssertEqual(recorded.map { $0[4] }, ["copy group 1", "copy group 1", "copy group 1", "copy group 4", "copy group 4"])
        XCTAssertEqual(try fixture.rows("SELECT DISTINCT file_id FROM staging_songs"), [["1"]])
        XCTAssertEqual(try fixture.rows("SELECT DISTINCT file_id FROM staging_events"), [["4"]])
    }

    func testASecondLoadOfAnUnchangedPrefixCopiesNothing() throws {
        let fixture = try Fixture(self)
        try fixture.run()
        let before = try fixture.rows("SELECT file_id, path, etag, rows_loaded, run_id FROM dwh_loaded_files ORDER BY file_id")
        let staged = try fixture.count("SELECT count(*) FROM staging_events") + fixture.count("SELECT count(*) FROM staging_songs")

        let plans = try fixture.run()
        XCTAssertEqual(plans.map(\.copies.count), [0, 0])
        XCTAssertEqual(plans.map(\.unchanged), [3, 2])
        XCTAssertEqual(fixture.emulation.copies.count, 2, "no COPY sent by the second load")
        XCTAssertEqual(try fixture.rows("SELECT file_id, path, etag, rows_loaded, run_id FROM dwh_loaded_files ORDER BY file_id"), before)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events") + fixture.count("SELECT count(*) FROM staging_songs"), staged)
        XCTAssertEqual(try fixture.manifestsLeft(), [])
    }

    func testOneNewObjectIsCopiedAlone() throws {
        let fixture = try Fixture(self)
        try fixture.run()
        let day = "log_data/2018/11/2018-11-03-events.json"
        try fixture.put(day, file: day)
        let before = try fixture.count("SELECT count(*) FROM staging_events")

        let plans = try fixture.run()
        XCTAssertEqual(plans.map(\.new.count), [0, 1])
        XCTAssertEqual(plans.map(\.unchanged), [3, 2])
        XCTAssertEqual(fixture.emulation.copies.count, 3)
        XCTAssertEqual(fixture.emulation.copies.last?.objects, [fixture.url(day)])
        let added = try Fixture.records(day).count
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events"), before + added)
        XCTAssertEqual(try fixture.rows("SELECT file_id, count(*) FROM staging_events GROUP BY file_id ORDER BY file_id"),
                       [["4", String(before)], ["6", String(added)]])
        XCTAssertEqual(try fixture.rows("SELECT file_id, rows_loaded FROM dwh_loaded_files WHERE path = $1", [fixture.url(day)]),
                       [["6", String(added)]])
        XCTAssertEqual(try fixture.manifestsLeft(), [])
    }

    /// A COPY's manifest rows are written many to a statement; across a statement's end each
    /// object still gets its own id, ETag and lines.
    func testManifestRowsSpreadOverSeveralStatementsKeepEachObjectsValues() throws {
        let fixture = try Fixture(self)
        fixture.incremental.objectsPerRecord = 2
        try fixture.run()
        let listed = try fixture.client.allObjects(S3Location(bucket: fixture.bucket, key: ""))
        let expected = try (Fixture.songFiles + Fixture.eventFiles).enumerated().map { index, key in
            [String(index + 1), fixture.url(key), listed.first { $0.key == key }?.etag, String(try Fixture.records(key).count),
             index < Fixture.songFiles.count ? "copy group 1" : "copy group 4"]
        }
        XCTAssertEqual(try fixture.rows("SELECT file_id, path, etag, rows_loaded, content_hash FROM dwh_loaded_files ORDER BY file_id"),
                       expected)
    }

    /// A table whose rows changed is analysed after the commit (COPY renews the statistics
    /// of an empty table only); an unchanged one is not.
    func testATableWhoseRowsChangedIsAnalysedAndAnUnchangedOneIsNot() throws {
        let fixture = try Fixture(self)
        final class Sent: @unchecked Sendable { var statements: [String] = [] }
        let sent = Sent()
        func load() throws {
            try fixture.load.runIncremental(on: fixture.connection, fixture.incremental) { sql in
                sent.statements.append(sql)
                return fixture.emulation.rewrite(sql)
            }
        }
        try load()
        XCTAssertEqual(sent.statements.filter { $0.hasPrefix("ANALYZE") }, ["ANALYZE staging_songs", "ANALYZE staging_events"])
        for table in ["staging_events", "staging_songs"] {
            XCTAssertGreaterThan(try fixture.count("SELECT count(*) FROM pg_stats WHERE tablename = $1", [table]), 0, table)
        }

        sent.statements = []
        try fixture.put("log_data/2018/11/2018-11-03-events.json", file: "log_data/2018/11/2018-11-03-events.json")
        try load()
        XCTAssertEqual(sent.statements.filter { $0.hasPrefix("ANALYZE") }, ["ANALYZE staging_events"])
    }

    /// A load that changes less than a tenth of a table's rows sends no ANALYZE: Redshift's
    /// would skip it, and its automatic analyze keeps small changes up to date.
    func testASmallAdditionIsNotAnalysed() throws {
        let fixture = try Fixture(self)
        try fixture.run()
        final class Sent: @unchecked Sendable { var statements: [String] = [] }
        let sent = Sent()
        let before = try fixture.count("SELECT count(*) FROM staging_events")
        let line = try String(decoding: Fixture.bytes(Fixture.eventFiles[0]), as: UTF8.self).split(separator: "\n")[0]
        try fixture.put("log_data/2018/11/2018-11-03-events.json", text: line + "\n")
        try fixture.load.runIncremental(on: fixture.connection, fixture.incremental) { sql in
            sent.statements.append(sql)
            return fixture.emulation.rewrite(sql)
        }
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events"), before + 1)
        XCTAssertEqual(sent.statements.filter { $0.hasPrefix("ANALYZE") }, [])
    }

    /// A day of `dwh run` names its key: that object alone is copied, though a new one's key
    /// starts with it; a later day of the run leaves the songs alone. The days
    /// sit at the bucket's root because moto's signature check refuses a listed prefix with a
    /// `/` (S3 itself takes it, encoded as `%2F`).
    func testADaysKeyIsCopiedAloneAndALaterDayLeavesTheSongsAlone() throws {
        let fixture = try Fixture(self)
        let days = Fixture.eventFiles.map { String($0.split(separator: "/").last!) }
        for (key, file) in zip(days, Fixture.eventFiles) { try fixture.put(key, file: file) }
        try fixture.put(days[0] + ".old.json", file: "log_data/2018/11/2018-11-03-events.json")
        func day(_ key: String) -> RedshiftLoad {
            var settings = fixture.load.settings
            settings.logData = fixture.url(key)
            return RedshiftLoad(settings)
        }
        let first = try day(days[0]).runIncremental(on: fixture.connection, fixture.incremental,
                                                    rewrite: fixture.emulation.rewrite)
        XCTAssertEqual(first.map(\.table), ["staging_songs", "staging_events"])
        XCTAssertEqual(fixture.emulation.copies.map(\.objects).last, [fixture.url(days[0])])

        let second = try day(days[1]).runIncremental(on: fixture.connection, fixture.incremental, songs: false,
                                                     rewrite: fixture.emulation.rewrite)
        XCTAssertEqual(second.map(\.table), ["staging_events"])
        XCTAssertEqual(second.map(\.unchanged), [0])
        XCTAssertEqual(fixture.emulation.copies.map(\.table), ["staging_songs", "staging_events", "staging_events"])
        XCTAssertEqual(fixture.emulation.copies.last?.objects, [fixture.url(days[1])])
        XCTAssertEqual(try fixture.rows("SELECT path FROM dwh_loaded_files WHERE table_name = 'staging_events' ORDER BY file_id")
                           .map { $0[0] }, days.map(fixture.url))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events"),
                       try Fixture.eventFiles.flatMap(Fixture.records).count)

        // The first day again: copied already, so nothing is sent.
        let again = try day(days[0]).runIncremental(on: fixture.connection, fixture.incremental, songs: false,
                                                    rewrite: fixture.emulation.rewrite)
        XCTAssertEqual(again.map(\.unchanged), [1])
        XCTAssertEqual(fixture.emulation.copies.count, 3)
        XCTAssertEqual(try fixture.manifestsLeft(), [])
    }

    /// A changed object (same key, new bytes and ETag) loses its old rows; the unchanged
    /// members of its copy group are copied again, together, so none keeps stale rows or
    /// loses its own. A transformed object is handed to the next transform to remove.
    func testAChangedObjectReplacesItsRows() throws {
        let fixture = try Fixture(self)
        try fixture.run()
        try fixture.connection.execute("UPDATE dwh_loaded_files SET transformed_at = LOCALTIMESTAMP")
        let key = Fixture.songFiles[1]
        var record = try Fixture.records(key)[0]
        let songID = try XCTUnwrap(record["song_id"] as? String), oldTitle = try XCTUnwrap(record["title"] as? String)
        record["title"] = "Retitled"
        try fixture.put(key, text: String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self) + "\n")
        let oldETag = try fixture.rows("SELECT etag FROM dwh_loaded_files WHERE path = $1", [fixture.url(key)])

        let plans = try fixture.run()
        XCTAssertEqual(plans[0].changed.map(\.file.path), [fixture.url(key)] + [0, 2].map { fixture.url(Fixture.songFiles[$0]) })
        XCTAssertEqual(plans[1].copies.count, 0)
        XCTAssertEqual(fixture.emulation.copies.dropFirst(2).map(\.objects),
                       [[fixture.url(key)], [fixture.url(Fixture.songFiles[0]), fixture.url(Fixture.songFiles[2])]])

        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_songs WHERE title = $1", [oldTitle]), 0)
        XCTAssertEqual(try fixture.rows("SELECT title FROM staging_songs WHERE song_id = $1", [songID]), [["Retitled"]])
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_songs"), 3)
        let files = try fixture.rows("SELECT path, file_id, etag FROM dwh_loaded_files WHERE table_name = 'staging_songs' ORDER BY file_id")
        XCTAssertEqual(files.map { $0[0] }, [key, Fixture.songFiles[0], Fixture.songFiles[2]].map(fixture.url))
        XCTAssertEqual(files.map { $0[1] }, ["6", "7", "8"])
        XCTAssertNotEqual([files[0][2]], oldETag.map { $0[0] })
        XCTAssertEqual(try fixture.rows("SELECT file_id FROM staging_songs WHERE song_id = $1", [songID]), [["6"]])
        XCTAssertEqual(try fixture.rows("SELECT DISTINCT file_id FROM staging_songs ORDER BY 1"), [["6"], ["7"]])
        XCTAssertEqual(try fixture.rows("SELECT file_id, table_name FROM dwh_transform_removed ORDER BY file_id"),
                       [["1", "staging_songs"], ["2", "staging_songs"], ["3", "staging_songs"]])
        XCTAssertEqual(try fixture.rows("SELECT DISTINCT file_id FROM staging_events"), [["4"]])
        XCTAssertEqual(try fixture.manifestsLeft(), [])
    }

    /// A member of a replaced copy group that is no longer listed loses its rows with the
    /// group and cannot be copied again: its manifest row goes too, and the next transform
    /// removes what it gave, so the manifest never claims rows staging no longer holds.
    func testAGroupMemberNoLongerListedIsForgottenWithItsGroup() throws {
        let fixture = try Fixture(self)
        try fixture.run()
        try fixture.connection.execute("UPDATE dwh_loaded_files SET transformed_at = LOCALTIMESTAMP")
        try fixture.client.deleteObject(S3Location(bucket: fixture.bucket, key: Fixture.songFiles[2]))
        try fixture.put(Fixture.songFiles[1], text: "{\"song_id\": \"SOCHANGED\", \"num_songs\": 1, \"title\": \"New\"}\n")

        let plans = try fixture.run()
        XCTAssertEqual(plans[0].changed.map(\.file.path), [1, 0].map { fixture.url(Fixture.songFiles[$0]) })
        XCTAssertEqual(try fixture.rows("SELECT path FROM dwh_loaded_files WHERE table_name = 'staging_songs' ORDER BY file_id"),
                       [1, 0].map { [fixture.url(Fixture.songFiles[$0])] })
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_songs"), 2)
        XCTAssertEqual(try fixture.rows("SELECT file_id FROM dwh_transform_removed ORDER BY file_id"), [["1"], ["2"], ["3"]])
        // The other table's group is untouched.
        XCTAssertEqual(try fixture.rows("SELECT count(*) FROM dwh_loaded_files WHERE table_name = 'staging_events'"), [["2"]])
    }
}
