@testable import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// Inputs at the edges of what a load reads: nothing is lost, duplicated or skipped
/// without a word.
final class LoadEdgeTests: XCTestCase {
    func lines(_ count: Int, from first: Int = 0) -> String {
        (first..<first + count).map { event(["itemInSession": "\($0)"]) }.joined(separator: "\n")
    }

    /// A FIFO whose writer pauses between two bursts: every row arrives, and loading
    /// another stream at the same path later adds its rows instead of replacing these.
    func testAFIFOFedInTwoBurstsLoadsEveryRow() throws {
        let fixture = try LoadFixture(self)
        let fifo = try temporaryFolder("load-edge") + "/events.fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for round in 0..<2 {
            let first = Array((lines(100, from: round * 170) + "\n").utf8)
            let second = Array(lines(70, from: round * 170 + 100).utf8)
            let writer = Thread {
                let descriptor = open(fifo, O_WRONLY)
                _ = first.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                usleep(300_000)
                _ = second.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                close(descriptor)
            }
            writer.start()
            let result = try fixture.load(events: fifo)
            XCTAssertEqual(result.rows["staging_events"], 170)
        }
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 340)
        XCTAssertEqual(try fixture.count("SELECT COUNT(DISTINCT item_in_session) FROM staging_events"), 340)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files WHERE path LIKE '\(fifo) @ run %'"), 2)
    }

    /// A file reached through a link to it, or through a link to its folder, is the same
    /// file: loaded once. Links inside a folder are not followed, and each is reported.
    func testAFileReachedByTwoPathsLoadsOnce() throws {
        let fixture = try LoadFixture(self)
        let root = try temporaryFolder("load-edge")
        try FileManager.default.createDirectory(atPath: root + "/data/day", withIntermediateDirectories: true)
        try lines(3).write(toFile: root + "/data/day/a.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(symlink(root + "/data", root + "/link-to-data"), 0)
        XCTAssertEqual(symlink(root + "/data/day/a.json", root + "/data/b.json"), 0)
        XCTAssertEqual(symlink(root + "/nowhere.json", root + "/data/dangling.json"), 0)
        XCTAssertEqual(mkfifo(root + "/data/pipe.json", 0o600), 0)

        let first = try fixture.load(events: root + "/data")
        XCTAssertEqual(first.filesLoaded, 1)
        XCTAssertEqual(first.skipped.map { ($0.path as NSString).lastPathComponent }, ["b.json", "dangling.json", "pipe.json"])
        XCTAssertTrue(first.skipped[0].reason.contains("a symbolic link to \(root)/data/day/a.json"), first.skipped[0].reason)
        XCTAssertTrue(first.skipped[1].reason.contains("does not exist"), first.skipped[1].reason)
        XCTAssertTrue(first.skipped[2].reason.contains("not a regular file (a FIFO)"), first.skipped[2].reason)
        XCTAssertEqual(try fixture.load(events: root + "/link-to-data").filesLoaded, 0)
        XCTAssertEqual(try fixture.load(events: root + "/link-to-data/day/a.json").filesLoaded, 0)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 3)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 1)
    }

    /// Before dwh resolved links, a folder given through a link was recorded under the
    /// link's name. Loading it again after the upgrade finds the same files, not new ones.
    func testFilesRecordedUnderALinkedNameAreAdoptedNotLoadedAgain() throws {
        let fixture = try LoadFixture(self)
        let root = try temporaryFolder("load-edge")
        try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: true)
        try lines(3).write(toFile: root + "/real/a.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(symlink(root + "/real", root + "/link"), 0)
        XCTAssertEqual(try fixture.load(events: root + "/real").filesLoaded, 1)
        // As the earlier version recorded it.
        try fixture.connection.execute("UPDATE dwh_loaded_files SET path = replace(path, $1, $2)", [root + "/real", root + "/link"])
        var planned: [PlannedFile] = []
        try StagingLoader(connection: fixture.connection).plan([(.events, LocalFileSource(path: root + "/link"))], fullRefresh: false) {
            planned.append($0)
        }
        XCTAssertEqual(planned.map(\.loads), [false], "a dry run sees the file as loaded")
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files WHERE path LIKE '%/link/%'"), 1, "and changes nothing")
        XCTAssertEqual(try fixture.load(events: root + "/link").filesLoaded, 0)
        XCTAssertEqual(try fixture.connection.execute("SELECT path FROM dwh_loaded_files").scalar, root + "/real/a.json")
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 3)
    }

    /// A link pointed elsewhere since its files were recorded under its name: those rows
    /// stay theirs, and the files it points to now load as new ones.
    func testALinkPointedElsewhereKeepsItsOldFilesRows() throws {
        let fixture = try LoadFixture(self)
        let root = try temporaryFolder("load-edge")
        for (folder, count) in [("november", 3), ("december", 5)] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
            try lines(count).write(toFile: root + "/\(folder)/day.json", atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(try fixture.load(events: root + "/november").filesLoaded, 1)
        try fixture.connection.execute("UPDATE dwh_loaded_files SET path = replace(path, $1, $2)", [root + "/november", root + "/current"])
        XCTAssertEqual(symlink(root + "/december", root + "/current"), 0)
        let result = try fixture.load(events: root + "/current")
        XCTAssertEqual(result.filesLoaded, 1)
        XCTAssertEqual(result.filesReplaced, 0)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM staging_events"), 8)
    }

    func testAFileNameThatIsNotUTF8IsAnErrorNamingItsFolder() throws {
        let fixture = try LoadFixture(self)
        let root = try temporaryFolder("load-edge")
        let name = Array(root.utf8) + Array("/caf".utf8) + [0xE9] + Array(".json".utf8) + [0]
        let descriptor = name.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        close(descriptor)
        XCTAssertThrowsError(try fixture.load(events: root)) { error in
            XCTAssertTrue("\(error)".hasPrefix(root + "/caf"), "\(error)")
            XCTAssertTrue("\(error)".contains("the name is not UTF-8; rename it"), "\(error)")
        }
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 0)
    }

    /// One file with a byte order mark and CRLF line ends: lines 1 and 3 fine (3 with spaces
    /// after its object), 2 and 4 with text after it; loaded with room for the bad records.
    private func trailingTextLoaded() throws -> (fixture: LoadFixture, result: LoadResult) {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("load-edge")
        let text = "\u{FEFF}" + event(["itemInSession": "1"]) + "\r\n" + event(["itemInSession": "2"]) + " trailing\r\n"
            + event(["itemInSession": "3"]) + "   \r\n" + event(["itemInSession": "4"]) + "{}\r\n"
        try text.write(toFile: folder + "/events.json", atomically: true, encoding: .utf8)
        return (fixture, try fixture.load(events: folder, LoadOptions(maxErrors: 5)))
    }

    /// Text after a line's object makes the line a bad record, and nothing of it is kept.
    func testTrailingTextRejectsItsLine() throws {
        let result = try trailingTextLoaded().result
        XCTAssertEqual(result.rows["staging_events"], 2)
        XCTAssertEqual(result.badRecords.map(\.line), [2, 4])
        XCTAssertEqual(Set(result.badRecords.map(\.reason)), ["unexpected text after the JSON object"])
    }

    /// A byte order mark and CRLF line ends are not data: the good lines load as written,
    /// numbered as in the file.
    func testBOMAndCRLFAreNotData() throws {
        let fixture = try trailingTextLoaded().fixture
        XCTAssertEqual(try fixture.connection.execute("SELECT item_in_session, line_number FROM staging_events ORDER BY 1").rows,
                       [["1", "1"], ["3", "3"]])
    }

    func testOverlappingSourcesAreRefusedByName() throws {
        let fixture = try LoadFixture(self)
        let root = try temporaryFolder("load-edge")
        try FileManager.default.createDirectory(atPath: root + "/all/songs", withIntermediateDirectories: true)
        XCTAssertThrowsError(try fixture.load(songs: root + "/all", events: root + "/all")) {
            XCTAssertEqual("\($0)", "\(root)/all and \(root)/all overlap: the same files would load into both staging tables; "
                + "give each table its own folder")
        }
        XCTAssertThrowsError(try fixture.load(songs: root + "/all/songs", events: root + "/all")) {
            guard case LoadError.overlappingSources = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 0)
    }

    /// A load reads the manifest's records of the tables it fills, and of any table under its
    /// sources: song files once loaded by mistake as events, then as songs, replace their
    /// record rather than collide with it.
    func testAFolderLoadedAsEventsThenAsSongsReplacesItsRecords() throws {
        let fixture = try LoadFixture(self)
        let folder = try temporaryFolder("load-edge") + "/mixed"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let songs = try FileManager.default.contentsOfDirectory(atPath: SharedData.path + "/song_data/A/A/A").filter { $0.hasSuffix(".json") }
        for name in songs.sorted().prefix(3) {
            try FileManager.default.copyItem(atPath: SharedData.path + "/song_data/A/A/A/" + name, toPath: folder + "/" + name)
        }
        let asEvents = try fixture.load(events: folder, LoadOptions(maxErrors: 10))
        XCTAssertEqual(asEvents.rows["staging_events"], 0)
        let asSongs = try fixture.load(songs: folder)
        XCTAssertEqual(asSongs.rows["staging_songs"], 3)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files WHERE table_name = 'staging_songs'"), 3)
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 3)
    }

    func testAPathTooLongForTheManifestIsRefusedByName() throws {
        let fixture = try LoadFixture(self)
        let root = try temporaryFolder("load-edge")
        var deep = root + "/long"
        while deep.utf8.count < 2100 { deep += "/" + String(repeating: "d", count: 200) }
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        try lines(1).write(toFile: deep + "/e.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try fixture.load(events: root + "/long")) {
            XCTAssertEqual("\($0)", "\(deep)/e.json: the path is longer than the 2048 bytes the manifest keeps; "
                + "move the file to a shorter path")
        }
        XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM dwh_loaded_files"), 0)
    }
}
