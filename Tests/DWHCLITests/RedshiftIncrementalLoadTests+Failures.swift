@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// The incremental load's failures, each leaving nothing of the run behind: no staging rows,
/// no manifest rows, no manifest on S3.
extension RedshiftIncrementalLoadTests {
    /// A test double for Redshift misreporting: STL_LOAD_COMMITS says one line more for an
    /// object than it gave, or leaves an object out.
    func testAMismatchInSTLLoadCommitsIsAnErrorAndNothingIsKept() throws {
        let fixture = try Fixture(self)
        try fixture.connection.execute("""
            CREATE FUNCTION misreport() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.filename LIKE '%2018-11-02-events.json%' THEN NEW.lines_scanned := NEW.lines_scanned + 1; END IF;
                IF NEW.filename LIKE '%TRABBJE12903CDB442.json%' THEN RETURN NULL; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER misreport BEFORE INSERT ON stl_load_commits FOR EACH ROW EXECUTE FUNCTION misreport();
            """)
        XCTAssertThrowsError(try fixture.run()) { error in
            guard case LoadError.loadCommitsDiffer(let table, let missing, let unexpected, _, _) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(table, "staging_songs")
            XCTAssertEqual(missing, [fixture.url(Fixture.songFiles[2])])
            XCTAssertEqual(unexpected, [])
            XCTAssertTrue("\(error)".contains("not loaded: \(fixture.url(Fixture.songFiles[2]))"), "\(error)")
            XCTAssertTrue("\(error)".contains("nothing of this run was kept"), "\(error)")
        }
        try fixture.assertNothingKept()

        try fixture.connection.execute("DROP TRIGGER misreport ON stl_load_commits")
        try fixture.connection.execute("""
            CREATE TRIGGER misreport BEFORE INSERT ON stl_load_commits FOR EACH ROW
            WHEN (NEW.filename LIKE '%events.json%') EXECUTE FUNCTION misreport()
            """)
        XCTAssertThrowsError(try fixture.run()) { error in
            guard case LoadError.loadCommitsDiffer(let table, [], [], let scanned, let copied) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(table, "staging_events")
            XCTAssertEqual(scanned, copied + 1)
            XCTAssertTrue("\(error)".contains("\(scanned) lines scanned for \(copied) rows"), "\(error)")
        }
        try fixture.assertNothingKept()
    }

    func testAnObjectThatVanishedBetweenTheListingAndTheCOPYIsNamed() throws {
        let fixture = try Fixture(self)
        let gone = Fixture.eventFiles[1]
        fixture.emulation.beforeReading = { urls in
            if urls.contains(fixture.url(gone)) { try fixture.client.deleteObject(S3Location(bucket: fixture.bucket, key: gone)) }
        }
        XCTAssertThrowsError(try fixture.run()) { error in
            guard case LoadError.objectVanished(let url, let table) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(url, fixture.url(gone))
            XCTAssertEqual(table, "staging_events")
            XCTAssertTrue("\(error)".hasPrefix("\(fixture.url(gone)): the object was listed, then deleted"), "\(error)")
        }
        // The songs were copied first, in the same transaction: they are gone too.
        XCTAssertEqual(fixture.emulation.copies.map(\.table), ["staging_songs"])
        try fixture.assertNothingKept()

        // Loaded again, the load goes on without it.
        fixture.emulation.beforeReading = nil
        XCTAssertEqual(try fixture.run().map(\.new.count), [3, 1])
    }

    func testAManifestThatCannotBeWrittenIsNamedWithThePermissionsNeeded() throws {
        let fixture = try Fixture(self)
        let folder = "s3://\(fixture.bucket)-missing/staging/"
        fixture.incremental.manifestFolder = folder
        XCTAssertThrowsError(try fixture.run()) { error in
            guard case LoadError.manifestUnwritable(let location, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(location.hasPrefix(folder) && location.hasSuffix("/staging_songs.manifest"), location)
            XCTAssertTrue(reason.contains("NoSuchBucket"), reason)
            XCTAssertTrue("\(error)".contains("s3:PutObject and s3:DeleteObject"), "\(error)")
            XCTAssertEqual("\(error)".components(separatedBy: location).count, 2, "the manifest is named once: \(error)")
        }
        XCTAssertEqual(fixture.emulation.copies.count, 0)
        fixture.incremental.manifestFolder = "s3://\(fixture.bucket)/staging/"
        try fixture.assertNothingKept()
    }

    /// Staging filled by the old whole-prefix COPY (file_id NULL, no manifest rows): an
    /// incremental load would copy every object again and its UPDATE … WHERE file_id IS NULL
    /// would tag the old rows too. It refuses, changes nothing, and says to run a full
    /// refresh once; after that, loads are incremental.
    func testStagingFromAWholePrefixCOPYIsRefusedUntilAFullRefresh() throws {
        let fixture = try Fixture(self)
        try fixture.connection.transaction {
            for statement in fixture.load.statements { try fixture.connection.execute(fixture.emulation.rewrite(statement.statement.sql)) }
        }
        XCTAssertEqual(fixture.emulation.copies.map(\.manifest), [nil, nil])
        let events = try Fixture.eventFiles.flatMap(Fixture.records).count
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events WHERE file_id IS NULL"), events)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_songs WHERE file_id IS NULL"), 3)

        XCTAssertThrowsError(try fixture.run()) { error in
            guard case LoadError.untrackedStagingRows(events, 3) = error else { return XCTFail("\(error)") }
            XCTAssertEqual("\(error)", "staging holds \(events) rows in staging_events and 3 rows in staging_songs that a "
                + "whole-prefix COPY loaded (no file id): an incremental load cannot tell which objects they came from, so "
                + "nothing was copied; run `dwh load --full-refresh` once to reload staging through COPY manifests")
        }
        XCTAssertEqual(fixture.emulation.copies.count, 2)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events WHERE file_id IS NULL"), events)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM dwh_loaded_files"), 0)

        XCTAssertEqual(try fixture.run(fullRefresh: true).map(\.new.count), [3, 2])
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events"), events)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_songs"), 3)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_events WHERE file_id IS NULL")
            + fixture.count("SELECT count(*) FROM staging_songs WHERE file_id IS NULL"), 0)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM dwh_loaded_files"), 5)
        XCTAssertEqual(try fixture.run().map(\.copies.count), [0, 0])
    }

    /// The emulation is honest about duplicates, as Redshift is: a key listed twice in a
    /// manifest loads twice and is committed twice. So the single rows above are dwh's
    /// deduplication, not the emulation's.
    func testTheEmulationLoadsAKeyListedTwiceTwice() throws {
        let fixture = try Fixture(self)
        let song = fixture.url(Fixture.songFiles[0])
        try fixture.put("staging/twice.manifest", text: #"{"entries":[{"url":"\#(song)","mandatory":true},{"url":"\#(song)","mandatory":true}]}"#)
        let copy = RedshiftLoad.fill(RedshiftSQL.copySongsManifest, ["manifest": fixture.url("staging/twice.manifest"),
                                                                    "role": "arn:aws:iam::123456789012:role/r", "region": "us-west-2"],
                                     maxErrors: 0)
        try fixture.connection.execute(fixture.emulation.rewrite(copy.sql))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM staging_songs"), 2)
        XCTAssertEqual(try fixture.rows(fixture.emulation.rewrite(RedshiftSQL.loadCommits.sql)), [[song, "2"]])
        XCTAssertEqual(try fixture.count(RedshiftSQL.copyCount.sql), 2)
    }
}
