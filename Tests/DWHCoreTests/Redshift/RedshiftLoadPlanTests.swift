@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// Which S3 objects an incremental Redshift load copies, and through which manifests.
final class RedshiftLoadPlanTests: XCTestCase {
    let folder = "s3://bucket/staging/"

    func object(_ name: String, size: Int64 = 100, etag: String = "e1") -> SourceFile {
        SourceFile(path: "s3://bucket/log_data/\(name)", size: size, modifiedMicros: 1, etag: etag)
    }

    func recorded(_ id: Int, _ name: String, size: Int64 = 100, etag: String = "e1") -> ManifestEntry {
        ManifestEntry(fileID: id, table: "staging_events", path: "s3://bucket/log_data/\(name)", size: size, modifiedMicros: 1,
                      rows: 10, loadedAt: "", etag: etag)
    }

    func testAnUnchangedPrefixCopiesNothing() {
        let plan = RedshiftLoadPlan(table: "staging_events", listed: [object("a.json"), object("b.json")],
                                    recorded: [recorded(1, "a.json"), recorded(2, "b.json")], firstFileID: 3, folder: folder, runID: "r")
        XCTAssertEqual(plan.unchanged, 2)
        XCTAssertEqual(plan.copies, [])
        XCTAssertEqual(plan.replacedFileIDs, [])
        XCTAssertFalse(plan.changesRows, "so the table is not analysed again")
    }

    func testNewObjectsLoadInOneCopyThroughOneDeduplicatedManifest() {
        let plan = RedshiftLoadPlan(table: "staging_events", listed: [object("a.json"), object("b.json"), object("c.json"), object("c.json")],
                                    recorded: [recorded(1, "a.json")], firstFileID: 7, folder: folder, runID: "r")
        XCTAssertEqual(plan.new.map(\.path), ["s3://bucket/log_data/b.json", "s3://bucket/log_data/c.json"])
        XCTAssertEqual(plan.copies.count, 1)
        XCTAssertEqual(plan.copies[0].files.map(\.fileID), [7, 8])
        XCTAssertEqual(plan.copies[0].tagFileID, 7)
        XCTAssertTrue(plan.changesRows)
        XCTAssertEqual(plan.copies[0].manifest.location, "s3://bucket/staging/r/staging_events.manifest")
        XCTAssertEqual(String(decoding: plan.copies[0].manifest.json, as: UTF8.self),
                       #"{"entries":[{"mandatory":true,"url":"s3://bucket/log_data/b.json"},"#
                       + #"{"mandatory":true,"url":"s3://bucket/log_data/c.json"}]}"#)
    }

    func testAChangedObjectGetsACopyOfItsOwnAndTheNewOnesAnother() {
        let plan = RedshiftLoadPlan(table: "staging_events", listed: [object("a.json", etag: "e2"), object("b.json"), object("n.json")],
                                    recorded: [recorded(1, "a.json"), recorded(2, "b.json")], firstFileID: 3, folder: folder, runID: "r")
        XCTAssertEqual(plan.replacedFileIDs, [1])
        XCTAssertEqual(plan.unchanged, 1)
        XCTAssertEqual(plan.copies.map(\.tagFileID), [3, 4])
        XCTAssertEqual(plan.copies.map(\.manifest.urls), [["s3://bucket/log_data/a.json"], ["s3://bucket/log_data/n.json"]])
        XCTAssertEqual(Set(plan.copies.map(\.manifest.location)).count, 2)
    }

    func testASizeChangeWithTheSameETagIsAChange() {
        let plan = RedshiftLoadPlan(table: "staging_events", listed: [object("a.json", size: 5)],
                                    recorded: [recorded(1, "a.json")], firstFileID: 3, folder: folder, runID: "r")
        XCTAssertEqual(plan.replacedFileIDs, [1])
        XCTAssertEqual(plan.changed.map(\.file.path), ["s3://bucket/log_data/a.json"])
    }

    func testAnotherTablesRecordOfTheKeyDoesNotMakeItKnown() {
        var songs = recorded(2, "b.json")
        songs.table = "staging_songs"
        let plan = RedshiftLoadPlan(table: "staging_events", listed: [object("b.json")], recorded: [songs],
                                    firstFileID: 3, folder: folder, runID: "r")
        XCTAssertEqual(plan.new.map(\.path), ["s3://bucket/log_data/b.json"])
        XCTAssertEqual(plan.replacedFileIDs, [])
    }

    func testTheManifestFolderIsTheStagingPrefixElseNextToTheUnloadPrefix() throws {
        func config(_ text: String) throws -> ConfigFile? {
            let path = NSTemporaryDirectory() + "dwh-\(UInt32.random(in: 0...UInt32.max)).cfg"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return try ConfigFile.load(path)
        }
        XCTAssertEqual(RedshiftCopyManifest.folder(config: try config("[S3]\nSTAGING_PREFIX=s3://b/stage\nUNLOAD_PREFIX=s3://b/out/\n")),
                       "s3://b/stage/")
        XCTAssertEqual(RedshiftCopyManifest.folder(config: try config("[S3]\nUNLOAD_PREFIX=s3://b/out/\n")), "s3://b/out_dwh_copy_manifests/")
        XCTAssertNil(RedshiftCopyManifest.folder(config: try config("[S3]\nLOG_DATA=s3://b/log\n")))
    }

    /// dwh.cfg knows the key it reads: no "unknown key" warning, no "did you mean
    /// UNLOAD_PREFIX?"; the example names it, empty.
    func testStagingPrefixIsAKnownKey() throws {
        let file = try ConfigFile(path: "dwh.cfg", text: "[S3]\nSTAGING_PREFIX=s3://b/stage/\n")
        XCTAssertEqual(ConfigSchema.warnings(for: file), [])
    }

    /// The example names the key, empty, so that a copied example keeps the whole-prefix load.
    func testTheExampleConfigNamesStagingPrefixEmpty() throws {
        let example = try XCTUnwrap(try ConfigFile.load(DWHBinary.packageRoot + "/dwh.cfg.example"))
        XCTAssertEqual(example.value("S3", "STAGING_PREFIX")?.value, "")
        XCTAssertNil(RedshiftCopyManifest.folder(config: example))
    }

    func testWhatSTLLoadCommitsSaysIsCheckedAgainstTheManifest() throws {
        let plan = RedshiftLoadPlan(table: "staging_events", listed: [object("a.json"), object("b.json")], recorded: [],
                                    firstFileID: 1, folder: folder, runID: "r")
        let copy = plan.copies[0]
        let both = RedshiftLoadCommits([("s3://bucket/log_data/a.json", 4), ("s3://bucket/log_data/b.json", 6)])
        XCTAssertNoThrow(try both.verify(copy, table: "staging_events", copied: 10, skipped: 0))
        XCTAssertThrowsError(try both.verify(copy, table: "staging_events", copied: 9, skipped: 0)) { error in
            XCTAssertEqual("\(error)", "COPY staging_events: STL_LOAD_COMMITS differs from the manifest "
                + "(10 lines scanned for 9 rows); nothing of this run was kept")
        }
        let one = RedshiftLoadCommits([("s3://bucket/log_data/a.json", 4), ("s3://other/x.json", 6)])
        XCTAssertThrowsError(try one.verify(copy, table: "staging_events", copied: 10, skipped: 0)) { error in
            XCTAssertEqual("\(error)", "COPY staging_events: STL_LOAD_COMMITS differs from the manifest (not loaded: "
                + "s3://bucket/log_data/b.json; loaded but not meant: s3://other/x.json); nothing of this run was kept")
        }
    }
}

extension RedshiftLoadPlanTests {
    /// Objects copied together share their rows' file id: when one changes, the group's rows
    /// go, and its unchanged members are copied again (together) so none loses its rows.
    func testAChangedMemberOfACopyGroupCopiesTheGroupAgain() {
        var a = recorded(1, "a.json"), b = recorded(2, "b.json"), c = recorded(3, "c.json")
        a.contentHash = RedshiftLoadPlan.groupTag(1)
        b.contentHash = RedshiftLoadPlan.groupTag(1)
        c.contentHash = RedshiftLoadPlan.groupTag(3)
        let plan = RedshiftLoadPlan(table: "staging_events", listed: [object("a.json"), object("b.json", etag: "e9"), object("c.json")],
                                    recorded: [a, b, c], firstFileID: 4, folder: folder, runID: "r")
        XCTAssertEqual(plan.replacedRowGroups, [1])
        XCTAssertEqual(plan.replacedFileIDs, [1, 2])
        XCTAssertEqual(plan.unchanged, 1)
        XCTAssertEqual(plan.copies.map(\.manifest.urls), [["s3://bucket/log_data/b.json"], ["s3://bucket/log_data/a.json"]])
    }

    /// However large the group, a change costs its own COPY, one for the group's other
    /// members and one for the new objects: never a COPY per object.
    func testTheOtherMembersOfAReplacedGroupAreCopiedTogetherAndTheNewOnesApart() {
        let members = ["a.json", "b.json", "c.json", "d.json"].enumerated().map { index, name in
            var entry = recorded(index + 1, name)
            entry.contentHash = RedshiftLoadPlan.groupTag(1)
            return entry
        }
        let listed = [object("a.json"), object("b.json", etag: "e9"), object("c.json"), object("d.json"),
                      object("n1.json"), object("n2.json")]
        let plan = RedshiftLoadPlan(table: "staging_events", listed: listed, recorded: members, firstFileID: 5, folder: folder, runID: "r")
        XCTAssertEqual(plan.replacedRowGroups, [1])
        XCTAssertEqual(plan.replacedFileIDs, [1, 2, 3, 4])
        XCTAssertEqual(plan.unchanged, 0)
        XCTAssertEqual(plan.copies.map { $0.manifest.urls.map { String($0.dropFirst("s3://bucket/log_data/".count)) } },
                       [["b.json"], ["a.json", "c.json", "d.json"], ["n1.json", "n2.json"]])
        XCTAssertEqual(plan.copies.map(\.tagFileID), [5, 6, 9])
        XCTAssertEqual(plan.copies.flatMap { $0.files.map(\.fileID) }, Array(5...10))
        XCTAssertEqual(Set(plan.copies.map(\.manifest.location)).count, 3)
        XCTAssertEqual(plan.fileCount, 6)
    }
}
