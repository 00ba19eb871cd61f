@testable import DWHCore
import XCTest

/// What a day of `dwh run` copies on Redshift, decided from dwh.cfg without a cluster (the
/// copy itself runs in RedshiftIncrementalLoadTests).
final class RedshiftDayLoadTests: XCTestCase {
    let base = """
        [AWS]
        KEY = AKIAEXAMPLE
        SECRET = example-secret
        REGION = us-west-2
        [IAM_ROLE]
        ARN = arn:aws:iam::123456789012:role/dwhRole
        [S3]
        LOG_DATA = s3://bucket/log_data
        SONG_DATA = s3://bucket/song_data
        LOG_JSONPATH = s3://bucket/log_json_path.json

        """

    func dayLoad(_ extra: String, run: String, songs: String? = "s3://bucket/song_data") throws -> RedshiftDayLoad {
        let config = try ConfigFile(path: "dwh.cfg", text: base + extra + "[RUN]\n" + run)
        let settings = try RunSettings(config: config)
        let events = try XCTUnwrap(settings.events).render(try XCTUnwrap(RunDay("2018-11-05")))
        return try RedshiftDayLoad(events: events, songs: songs, settings: settings, config: config, maxErrors: 0)
    }

    let s3Run = "EVENTS = s3://bucket/log_data/{yyyy}/{mm}/{date}-events.json\nSONGS = s3://bucket/song_data\n"

    func testWithAManifestFolderTheDaysKeyAloneIsCopied() throws {
        guard case .incremental(let load, let incremental, let songs) = try dayLoad("STAGING_PREFIX = s3://bucket/staging\n",
                                                                                    run: s3Run)
        else { return XCTFail("not incremental") }
        XCTAssertEqual(load.settings.logData, "s3://bucket/log_data/2018/11/2018-11-05-events.json")
        XCTAssertEqual(load.settings.songData, "s3://bucket/song_data")
        XCTAssertEqual(incremental.manifestFolder, "s3://bucket/staging/")
        XCTAssertTrue(songs)
    }

    func testADayAfterTheRunsFirstLeavesTheSongsAlone() throws {
        guard case .incremental(_, _, let songs) = try dayLoad("STAGING_PREFIX = s3://bucket/staging\n", run: s3Run, songs: nil)
        else { return XCTFail("not incremental") }
        XCTAssertFalse(songs)
    }

    func testWithoutAManifestFolderThePrefixesAreCopiedWhole() throws {
        guard case .whole(let load) = try dayLoad("", run: s3Run) else { return XCTFail("not whole") }
        XCTAssertEqual(load.settings.logData, "s3://bucket/log_data")
    }

    func testALocalTemplateIsAConfigurationErrorNamingTheKey() throws {
        XCTAssertThrowsError(try dayLoad("UNLOAD_PREFIX = s3://bucket/unload\n",
                                         run: "EVENTS = log_data/{yyyy}/{mm}/{date}-events.json\nSONGS = s3://bucket/song_data\n")) {
            XCTAssertEqual(RunError.exitCode(for: $0), 78)
            XCTAssertTrue("\($0)".hasPrefix("configuration: [RUN] EVENTS: "), "\($0)")
            XCTAssertTrue("\($0)".contains("log_data/2018/11/2018-11-05-events.json"), "\($0)")
        }
        XCTAssertThrowsError(try dayLoad("STAGING_PREFIX = s3://bucket/staging\n",
                                         run: "EVENTS = s3://bucket/log_data/{date}.json\nSONGS = song_data\n")) {
            XCTAssertTrue("\($0)".hasPrefix("configuration: [RUN] SONGS: "), "\($0)")
        }
    }
}
