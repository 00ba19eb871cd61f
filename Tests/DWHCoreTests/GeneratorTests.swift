@testable import DWHCore
import Foundation
import TestSupport
import XCTest

final class GeneratorTests: XCTestCase {
    func generate(seed: UInt64, events: Int = 3000) throws -> (folder: String, summary: GeneratorSummary) {
        let folder = try temporaryFolder("gen") + "/data"
        let summary = try SyntheticDataGenerator(options: GeneratorOptions(songs: 40, events: events, output: folder, seed: seed)).run()
        return (folder, summary)
    }

    /// Every file under `folder`, relative path → contents.
    func contents(_ folder: String) throws -> [String: Data] {
        let paths = FileManager.default.enumerator(atPath: folder)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }
        return Dictionary(uniqueKeysWithValues: try paths.map { ($0, try Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) })
    }

    func testOneSeedGivesByteIdenticalFiles() throws {
        let first = try contents(generate(seed: 5).folder)
        XCTAssertEqual(first.count, 40 + 30)
        XCTAssertEqual(try contents(generate(seed: 5).folder), first)
    }

    func testAnotherSeedGivesOtherFiles() throws {
        let first = try contents(generate(seed: 5).folder)
        XCTAssertNotEqual(try contents(generate(seed: 6).folder), first)
    }

    func testTheLayoutIsTheRealOne() throws {
        let (folder, summary) = try generate(seed: 1)
        XCTAssertEqual(summary.events, 3000)
        let files = try contents(folder)
        let song = try XCTUnwrap(files.first { $0.key.hasPrefix("song_data/") })
        XCTAssertNotNil(song.key.range(of: #"^song_data/A/[A-Z]/[A-Z]/TRA[A-Z]{2}[0-9A-Z]{13}\.json$"#, options: .regularExpression), song.key)
        XCTAssertNotNil(files["log_data/2018/11/2018-11-07-events.json"])
    }

    func testTheFilesAreShapedAsTheRealOnes() throws {
        let files = try contents(generate(seed: 1).folder)
        let song = try XCTUnwrap(files.first { $0.key.hasPrefix("song_data/") })
        XCTAssertEqual(song.value.last, UInt8(ascii: "}"))
        let log = try XCTUnwrap(files["log_data/2018/11/2018-11-07-events.json"])
        XCTAssertEqual(log.last, UInt8(ascii: "}"), "no final newline")
        let text = String(decoding: log, as: UTF8.self)
        XCTAssertTrue(text.contains(#""userId":"""#))
        XCTAssertTrue(text.contains(#""userAgent":"\"Mozilla\/5.0"#))
        XCTAssertTrue(text.contains(#".0,"sessionId""#))
    }

    func testTheOutputConvertsWithoutABadRecord() throws {
        let (folder, summary) = try generate(seed: 2)
        let events = try CopyTextExport.write(LocalFileSource(path: folder + "/log_data"), table: .events, to: -1)
        XCTAssertEqual(events.rows, summary.events)
        XCTAssertEqual(events.badRecords, 0)
        let songs = try CopyTextExport.write(LocalFileSource(path: folder + "/song_data"), table: .songs, to: -1)
        XCTAssertEqual(songs.rows, 40)
        XCTAssertEqual(songs.badRecords, 0)
    }

    func testOptionsAreChecked() {
        XCTAssertThrowsError(try SyntheticDataGenerator(options: GeneratorOptions(songs: 0, events: 10, output: "/tmp/x", matchRatio: 0.5)))
        XCTAssertThrowsError(try SyntheticDataGenerator(options: GeneratorOptions(songs: 1, events: 10, output: "/tmp/x", matchRatio: 2)))
    }
}
