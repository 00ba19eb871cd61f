import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh load` from S3 prefixes that are not what they seem, against moto_server.
final class S3LoadEdgeCLITests: XCTestCase {
    static let day = SharedData.path + "/log_data/2018/11/2018-11-01-events.json"

    func gzipped(_ path: String) throws -> [UInt8] {
        let folder = try temporaryFolder("gz")
        try FileManager.default.copyItem(atPath: path, toPath: folder + "/day.json")
        XCTAssertEqual(try Shell.run("/bin/gzip", [folder + "/day.json"]).status, 0)
        return Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/day.json.gz")))
    }

    /// A prefix holding only `*.json.gz` (a real Sparkify day, compressed) and a CSV: the
    /// error says what is there and that gzip is not read, not "no such file or folder".
    /// Beside a `*.json` object, a `*.json.gz` one is reported as skipped.
    func testAPrefixWithoutJSONObjectsSaysWhatItHolds() throws {
        let moto = try MotoServer.start()
        let client = try moto.client()
        try client.createBucket("dwh-gz")
        try client.putObject(S3Location(bucket: "dwh-gz", key: "logs/2018-11-01-events.json.gz"), body: try gzipped(Self.day))
        try client.putObject(S3Location(bucket: "dwh-gz", key: "logs/notes.csv"), body: Array("a,b\n".utf8))
        let database = try freshDatabase(prefix: "cli")
        try DWHBinary.expect(0, ["migrate", "--database-url", database.url],
                                environment: ["DWH_MIGRATIONS_DIR": DWHBinary.packageRoot + "/migrations"])

        let load = ["load", "--events", "s3://dwh-gz/logs", "--staging-only", "--quiet", "--database-url", database.url]
        let refused = try DWHBinary.expect(1, load, environment: moto.environment())
        XCTAssertTrue(refused.stderr.contains("s3://dwh-gz/logs holds no *.json object to load; it holds "
            + "1 *.csv such as s3://dwh-gz/logs/notes.csv, 1 *.json.gz (gzip-compressed JSON, which dwh does not read: "
            + "decompress them first) such as s3://dwh-gz/logs/2018-11-01-events.json.gz"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("no such file or folder"), refused.stderr)

        try client.putObject(S3Location(bucket: "dwh-gz", key: "logs/2018-11-01-events.json"),
                             body: Array(try Data(contentsOf: URL(fileURLWithPath: Self.day))))
        let loaded = try DWHBinary.expect(0, load, environment: moto.environment())
        XCTAssertTrue(loaded.stdout.contains("loaded 1 file"), loaded.stdout)
        XCTAssertTrue(loaded.stderr.contains("warning: skipped s3://dwh-gz/logs/2018-11-01-events.json.gz: gzip-compressed JSON"),
                      loaded.stderr)
    }

    /// An object listed, then deleted before its GET (here: between the listing the loader
    /// makes and the opener it reads with): the error names the object by its s3:// URL.
    /// (The race itself cannot be timed through the binary without a hook in it.)
    func testAnObjectDeletedAfterTheListingIsNamedInTheError() throws {
        let moto = try MotoServer.start()
        let client = try moto.client()
        try client.createBucket("dwh-gone")
        try client.putObject(S3Location(bucket: "dwh-gone", key: "log_data/2018-11-01-events.json"),
                             body: Array(try Data(contentsOf: URL(fileURLWithPath: Self.day))))
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey,
                                                               source: "test"),
                                   region: "us-west-2", endpointOverride: moto.endpoint)
        let source = try S3LoadSource(url: "s3://dwh-gone/log_data", settings: settings)
        let listed = try source.listFiles()
        XCTAssertEqual(listed.map(\.path), ["s3://dwh-gone/log_data/2018-11-01-events.json"])
        try client.deleteObject(S3Location(bucket: "dwh-gone", key: "log_data/2018-11-01-events.json"))
        let stream = try source.makeOpener().open(listed[0])
        var buffer = [UInt8](repeating: 0, count: 4096)
        XCTAssertThrowsError(try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }) { error in
            XCTAssertTrue("\(error)".hasPrefix("s3://dwh-gone/log_data/2018-11-01-events.json: cannot read: the object is gone"), "\(error)")
        }
    }
}
