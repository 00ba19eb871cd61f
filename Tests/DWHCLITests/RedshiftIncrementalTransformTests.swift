@testable import DWHCore
import Foundation
import Postgres
import RedshiftEmulation
import TestSupport
import XCTest

/// The transform's Redshift rendering after incremental loads through COPY manifests (moto,
/// the COPY emulation): staged rows as Redshift stages them, with their copy group's file id
/// and no line number. After each load the transform is incremental, and it builds the rows
/// a full rebuild of the same staging builds.
final class RedshiftIncrementalTransformTests: XCTestCase {
    var fixture: IncrementalLoadFixture!
    var transformer: Transformer!

    override func setUpWithError() throws {
        fixture = try IncrementalLoadFixture(self, songs: [], events: [])
        transformer = Transformer(connection: fixture.connection, dialect: .redshift)
        transformer.rewrite = RedshiftOnPostgres.rewrite
    }

    /// Generated files (about a third of the plays match a song) put on S3 under `folder`'s
    /// layout: the log files and the song files, each sorted.
    func generate() throws -> (root: String, logs: [String], songs: [String]) {
        let root = try temporaryFolder("rstransform")
        _ = try SyntheticDataGenerator(options: GeneratorOptions(songs: 120, events: 6_000, output: root)).run()
        func files(_ folder: String) throws -> [String] {
            try FileManager.default.subpathsOfDirectory(atPath: root + "/" + folder).filter { $0.hasSuffix(".json") }.sorted()
                .map { folder + "/" + $0 }
        }
        return (root, try files("log_data"), try files("song_data"))
    }

    func upload(_ keys: some Sequence<String>, from root: String) throws {
        for key in keys {
            try fixture.client.putObject(S3Location(bucket: fixture.bucket, key: key),
                                         body: Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + key))))
        }
    }

    /// Each play as its id, its file id and what it holds.
    func plays() throws -> Set<String> {
        Set(try fixture.rows("""
            SELECT songplay_id || '|' || file_id || '|' || start_time || '|' || user_id || '|' || session_id FROM songplays
            """).map { $0[0] ?? "" })
    }

    /// Loads what is new, transforms it, and checks the mode, that every play from before
    /// keeps its id (but those of `replacedGroup`, a copy group whose rows the load replaced),
    /// and that a full rebuild of the same staging gives the same rows. The rebuild numbers
    /// the plays again: what it leaves is the next step's "before".
    func step(_ name: String, mode: TransformPlan.Mode, before: inout Set<String>, replacedGroup: Int? = nil) throws {
        try fixture.run()
        XCTAssertEqual(try transformer.run().plan.mode, mode, name)
        let now = try plays()
        let lost = before.subtracting(now).filter { play in
            replacedGroup.map { play.split(separator: "|")[1] != "\($0)" } ?? true
        }
        XCTAssertEqual(lost, [], "plays that changed their id or went, after \(name)")
        let incremental = try StarSnapshot.of(fixture.connection)
        XCTAssertEqual(try transformer.run(TransformOptions(fullRefresh: true)).plan.mode, .full)
        XCTAssertEqual(incremental, try StarSnapshot.of(fixture.connection), "after \(name)")
        before = try plays()
    }

    func testDaysAndSongsLoadedThroughManifestsTransformIncrementallyAsARebuildDoes() throws {
        let (root, logs, songs) = try generate()
        XCTAssertGreaterThan(logs.count, 8)
        var before = Set<String>()
        try upload(Array(songs.prefix(songs.count / 2)) + logs.prefix(3), from: root)
        try step("the first days and half the songs", mode: .full, before: &before)
        try upload(logs[3..<6], from: root)
        try step("three more days", mode: .incremental, before: &before)
        try upload(songs.dropFirst(songs.count / 2), from: root)
        try step("the other songs", mode: .incremental, before: &before)
        try upload(logs.dropFirst(6), from: root)
        try step("the last days", mode: .incremental, before: &before)
        XCTAssertGreaterThan(try fixture.count("SELECT COUNT(*) FROM songplays WHERE song_id IS NOT NULL"), 500)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events WHERE line_number IS NOT NULL"), 0,
                       "the emulated COPY stages no line numbers, as Redshift's")
        XCTAssertEqual(try transformer.run().plan.mode, .upToDate)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM pg_class WHERE relpersistence = 't'"), 0, "temporary tables left")
    }

    /// A day's object changed in place (plays dropped, levels flipped) and a song retitled:
    /// the load replaces their copy groups' rows, the transform removes those groups' plays
    /// and adds them again, and every other play keeps its id.
    func testChangedObjectsReplaceTheirGroupsPlaysAndNoOther() throws {
        let (root, logs, songs) = try generate()
        var before = Set<String>()
        try upload(songs + logs.prefix(4), from: root)
        try step("the first days", mode: .full, before: &before)
        try upload(logs.dropFirst(4), from: root)
        try step("the other days", mode: .incremental, before: &before)

        let day = logs[5]
        let lines = try String(contentsOfFile: root + "/" + day, encoding: .utf8).split(separator: "\n")
        try lines.dropFirst(30).map { $0.replacingOccurrences(of: "\"level\":\"free\"", with: "\"level\":\"paid\"") }
            .joined(separator: "\n").write(toFile: root + "/" + day, atomically: true, encoding: .utf8)
        let song = songs[0]
        guard var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/" + song)))
            as? [String: Any] else { return XCTFail("\(song) is not a JSON object") }
        object["title"] = "Renamed \(object["title"] ?? "")"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: root + "/" + song))
        let group = try XCTUnwrap(Int(try fixture.connection.execute(
            "SELECT content_hash FROM dwh_loaded_files WHERE path = $1", [fixture.url(day)]).scalar?
            .replacingOccurrences(of: "copy group ", with: "") ?? ""))
        try upload([day, song], from: root)
        try step("a changed day and a retitled song", mode: .incremental, before: &before, replacedGroup: group)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_transform_removed"), 0)
    }

    /// A load of whole prefixes (no manifest folder) leaves rows without file ids and empties
    /// the manifest: the transform after it rebuilds, and gives what it gave before.
    func testAWholePrefixLoadAfterManifestsMakesTheNextTransformRebuild() throws {
        let (root, logs, songs) = try generate()
        try upload(songs + logs, from: root)
        try fixture.run()
        XCTAssertEqual(try transformer.run().plan.mode, .full)
        let built = try StarSnapshot.of(fixture.connection)
        for statement in fixture.load.statements {
            _ = try fixture.connection.execute(fixture.emulation.rewrite(statement.statement.sql))
        }
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 0)
        XCTAssertEqual(try transformer.run().plan.mode, .full)
        XCTAssertEqual(try StarSnapshot.of(fixture.connection), built)
    }
}
