import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh load` from S3 on PostgreSQL: the shared Sparkify data uploaded into moto_server
/// (signature checking on), loaded through the same reader and COPY as from disk.
final class S3LoadCLITests: XCTestCase {
    static var sharedData: String { SharedData.path }

    /// Uploads song_data/ and log_data/ with their relative paths as keys.
    func upload(to bucket: String, client: AWSClient) throws -> Int {
        var count = 0
        for folder in ["song_data", "log_data"] {
            let root = Self.sharedData + "/" + folder
            let walker = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
            while let relative = walker.nextObject() as? String {
                guard relative.hasSuffix(".json") else { continue }
                let body = try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative))
                try client.putObject(S3Location(bucket: bucket, key: folder + "/" + relative), body: Array(body))
                count += 1
            }
        }
        return count
    }

    func testLoadingFromS3GivesTheSameRowsAsFromDisk() throws {
        let moto = try MotoServer.start()
        try moto.client().createBucket("dwh-sparkify")
        XCTAssertEqual(try upload(to: "dwh-sparkify", client: moto.client()), 101)

        let fromDisk = try migratedDatabase(prefix: "cli"), fromS3 = try migratedDatabase(prefix: "cli")

        try fromDisk.expect(0, ["load", "--songs", Self.sharedData + "/song_data", "--events", Self.sharedData + "/log_data",
                                "--staging-only", "--quiet"])
        let s3Load = ["load", "--songs", "s3://dwh-sparkify/song_data", "--events", "s3://dwh-sparkify/log_data/",
                      "--staging-only", "--quiet", "--database-url", fromS3.url]
        let s3 = try DWHBinary.expect(0, s3Load, environment: moto.environment())
        XCTAssertTrue(s3.stdout.contains("loaded 101 files"), s3.stdout)
        XCTAssertFalse((s3.stdout + s3.stderr).contains(moto.secretAccessKey))

        let counts = "SELECT (SELECT count(*) FROM staging_events) AS events, (SELECT count(*) FROM staging_songs) AS songs"
        XCTAssertEqual(try fromS3.run(["sql", counts, "--format", "csv"]).stdout, "events,songs\n8056,71\n")
        XCTAssertEqual(try fromS3.run(["sql", counts, "--format", "csv"]).stdout, try fromDisk.run(["sql", counts, "--format", "csv"]).stdout)
        // Every row the same, whichever file id it got.
        let digest = """
            SELECT (SELECT md5(string_agg(r, '|' ORDER BY r)) FROM (SELECT (to_jsonb(e) - 'file_id')::text AS r FROM staging_events e) x),
                   (SELECT md5(string_agg(r, '|' ORDER BY r)) FROM (SELECT (to_jsonb(s) - 'file_id')::text AS r FROM staging_songs s) y)
            """
        XCTAssertEqual(try fromS3.run(["sql", digest, "--format", "csv"]).stdout, try fromDisk.run(["sql", digest, "--format", "csv"]).stdout)
        XCTAssertEqual(try fromS3.run(["sql", "SELECT count(*) FROM dwh_loaded_files WHERE path LIKE 's3://dwh-sparkify/%'",
                                       "--format", "csv"]).stdout, "count\n101\n")
        // Each object is recorded with its ETag (an MD5 of its bytes for a single-part upload).
        XCTAssertEqual(try fromS3.run(["sql", "SELECT count(*) FROM dwh_loaded_files WHERE etag ~ '^[0-9a-f]{32}$'",
                                       "--format", "csv"]).stdout, "count\n101\n")
        XCTAssertEqual(try fromDisk.run(["sql", "SELECT count(*) FROM dwh_loaded_files WHERE etag IS NOT NULL",
                                         "--format", "csv"]).stdout, "count\n0\n")

        let again = try DWHBinary.expect(0, s3Load, environment: moto.environment())
        XCTAssertTrue(again.stdout.contains("loaded 0 files (101 unchanged, skipped)"), again.stdout)

        let missing = try DWHBinary.expect(1, ["load", "--events", "s3://dwh-sparkify/no_such_prefix", "--staging-only", "--quiet",
                                               "--database-url", fromS3.url], environment: moto.environment())
        XCTAssertTrue(missing.stderr.contains("s3://dwh-sparkify/no_such_prefix"), missing.stderr)
    }

    /// `dwh load --verbose` logs each S3 request of the load (the listing, each object read)
    /// on stderr, and never a key, a secret or a signature.
    func testAVerboseLoadLogsEachS3Request() throws {
        let moto = try MotoServer.start()
        let client = try moto.client()
        try client.createBucket("dwh-verbose")
        for day in ["2018-11-01", "2018-11-02"] {
            let file = "log_data/2018/11/\(day)-events.json"
            try client.putObject(S3Location(bucket: "dwh-verbose", key: "log_data/\(day)-events.json"),
                                 body: Array(try Data(contentsOf: URL(fileURLWithPath: Self.sharedData + "/" + file))))
        }
        let database = try migratedDatabase(prefix: "cli")
        let load = try DWHBinary.expect(0, ["load", "--events", "s3://dwh-verbose/log_data", "--staging-only", "--quiet",
                                            "--verbose", "--database-url", database.url], environment: moto.environment())
        XCTAssertTrue(load.stderr.contains("s3 ListObjectsV2"), load.stderr)
        XCTAssertEqual(load.stderr.components(separatedBy: "s3 GetObject").count - 1, 4, "two objects, each asked and answered: \(load.stderr)")
        for secret in [moto.secretAccessKey, moto.accessKeyID, "Authorization", "Signature="] {
            XCTAssertFalse((load.stdout + load.stderr).contains(secret), secret)
        }
        let quiet = try DWHBinary.expect(0, ["load", "--events", "s3://dwh-verbose/log_data", "--staging-only", "--quiet",
                                             "--database-url", database.url], environment: moto.environment())
        XCTAssertFalse(quiet.stderr.contains("ListObjectsV2"), quiet.stderr)
    }
}
