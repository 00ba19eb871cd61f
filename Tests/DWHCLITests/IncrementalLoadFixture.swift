@testable import DWHCore
import Foundation
import Postgres
import RedshiftEmulation
import TestSupport
import XCTest

/// The incremental Redshift load on its PostgreSQL rendering: a bucket of its own on moto
/// (signature checking on) holding real Sparkify objects under song_data/ and log_data/ and
/// log_json_path.json, a fresh database migrated with the Redshift rendering, and the COPY
/// emulation that reads the manifests and objects back from moto. The database drops itself
/// when the test that made it ends.
final class IncrementalLoadFixture {
    let moto: MotoServer
    let client: AWSClient
    let bucket: String
    let database: FreshDatabase
    let connection: Connection
    let emulation: RedshiftCopyEmulation
    let load: RedshiftLoad
    var incremental: RedshiftLoad.Incremental

    static let songFiles = ["song_data/A/B/B/TRABBAM128F429D223.json", "song_data/A/B/B/TRABBBV128F42967D7.json",
                            "song_data/A/B/B/TRABBJE12903CDB442.json"]
    static let eventFiles = ["log_data/2018/11/2018-11-01-events.json", "log_data/2018/11/2018-11-02-events.json"]

    init(_ test: XCTestCase, songs: [String] = songFiles, events: [String] = eventFiles) throws {
        moto = try MotoServer.start()
        client = try moto.client()
        bucket = "rsload-\(UInt32.random(in: 0...UInt32.max))"
        try client.createBucket(bucket)
        for key in songs + events + ["log_json_path.json"] {
            try client.putObject(S3Location(bucket: bucket, key: key), body: try Self.bytes(key))
        }
        database = try test.freshDatabase(prefix: "rsl")
        connection = try database.connect()
        emulation = try RedshiftCopyEmulation.warehouse(on: connection, migrations: TestDatabase.packageRoot + "/migrations",
                                                        client: client)
        load = RedshiftLoad(RedshiftLoad.Settings(
            logData: "s3://\(bucket)/log_data", songData: "s3://\(bucket)/song_data",
            logJSONPath: "s3://\(bucket)/log_json_path.json", iamRole: "arn:aws:iam::123456789012:role/dwhRole",
            region: "us-west-2", maxErrors: 0))
        let aws = AWSSettings(credentials: AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey,
                                                          source: "moto test user"),
                              region: "us-west-2", endpointOverride: moto.endpoint)
        incremental = RedshiftLoad.Incremental(aws: aws, manifestFolder: "s3://\(bucket)/staging/")
    }

    /// Uploads the Sparkify file at `file` (relative to the shared data) as `key`.
    func put(_ key: String, file: String) throws {
        try client.putObject(S3Location(bucket: bucket, key: key), body: try Self.bytes(file))
    }

    static func bytes(_ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: SharedData.path + "/" + file)))
    }

    func put(_ key: String, text: String) throws {
        try client.putObject(S3Location(bucket: bucket, key: key), body: Array(text.utf8))
    }

    func url(_ key: String) -> String { "s3://\(bucket)/\(key)" }

    /// The JSON records of a Sparkify file (one a line).
    static func records(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: SharedData.path + "/" + file, encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }.map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @discardableResult
    func run(fullRefresh: Bool = false) throws -> [RedshiftLoadPlan] {
        var incremental = incremental
        incremental.fullRefresh = fullRefresh
        return try load.runIncremental(on: connection, incremental, rewrite: emulation.rewrite)
    }

    func count(_ sql: String, _ parameters: [String?] = []) throws -> Int {
        Int(try connection.execute(sql, parameters).scalar ?? "") ?? -1
    }

    func rows(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        try connection.execute(sql, parameters).rows
    }

    /// The objects left under the manifest folder.
    func manifestsLeft() throws -> [String] {
        // Listed from the bucket's root: moto's signature check refuses a prefix with a `/`.
        let folder = try S3Location(parsing: incremental.manifestFolder)
        return try client.allObjects(S3Location(bucket: folder.bucket, key: "")).map(\.key).filter { $0.hasPrefix(folder.key) }
    }

    /// Nothing of a load is kept: no staging rows, no manifest rows, no manifest on S3.
    func assertNothingKept(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try count("SELECT count(*) FROM staging_events"), 0, file: file, line: line)
        XCTAssertEqual(try count("SELECT count(*) FROM staging_songs"), 0, file: file, line: line)
        XCTAssertEqual(try count("SELECT count(*) FROM dwh_loaded_files"), 0, file: file, line: line)
        XCTAssertEqual(try manifestsLeft(), [], file: file, line: line)
    }
}
