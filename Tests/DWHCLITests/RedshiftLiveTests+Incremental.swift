import DWHCore
import Foundation
import TestSupport
import XCTest

extension RedshiftLiveTests {
    /// The incremental load on a real cluster, through `dwh load`: a prefix of its own under
    /// DWH_REDSHIFT_S3 holding Sparkify objects (from the shared data), manifests under
    /// [S3] STAGING_PREFIX. What the PostgreSQL rendering cannot show, and this does: that
    /// Redshift reads dwh's manifest, that STL_LOAD_COMMITS names each object by its s3://
    /// URL with lines_scanned equal to the rows pg_last_copy_count() reports (else the load
    /// fails with loadCommitsDiffer), and that the UPDATE of file_id finds exactly the rows
    /// the COPY added.
    /// - a second load of an unchanged prefix copies nothing;
    /// - one new object is copied alone;
    /// - a changed object replaces its rows;
    /// - the transform after each load is incremental (after the first, a rebuild), and the
    ///   songplay ids of the objects no load replaced stay as they were: that Redshift's
    ///   IDENTITY, correlated subqueries and temporary tables behave as the rendering on
    ///   PostgreSQL shows.
    func testTheIncrementalLoadOnRedshift() throws {
        guard let target = Self.target else {
            throw XCTSkip("Redshift live suite not run: set DWH_REDSHIFT_URL, DWH_REDSHIFT_IAM_ROLE and DWH_REDSHIFT_S3")
        }
        let client = try AWSClient(settings: try AWSSettings.resolve(endpointFlag: nil, config: nil))
        let scratch = try S3Location(parsing: target.scratch)
        let base = (scratch.key.isEmpty || scratch.key.hasSuffix("/") ? scratch.key : scratch.key + "/")
            + "dwh-incremental-\(UInt32.random(in: 0...UInt32.max))/"
        func url(_ key: String) -> String { "s3://\(scratch.bucket)/\(base)\(key)" }
        func put(_ key: String, _ body: [UInt8]) throws { try client.putObject(S3Location(bucket: scratch.bucket, key: base + key), body: body) }
        func file(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: SharedData.path + "/" + path))) }
        defer {
            for object in (try? client.allObjects(S3Location(bucket: scratch.bucket, key: base))) ?? [] {
                try? client.deleteObject(S3Location(bucket: scratch.bucket, key: object.key))
            }
        }
        let songs = ["song_data/A/B/B/TRABBAM128F429D223.json", "song_data/A/B/B/TRABBBV128F42967D7.json",
                     "song_data/A/B/B/TRABBJE12903CDB442.json"]
        for key in songs + ["log_data/2018/11/2018-11-01-events.json", "log_data/2018/11/2018-11-02-events.json", "log_json_path.json"] {
            try put(key, try file(key))
        }

        let folder = NSTemporaryDirectory() + "dwh-redshift-inc-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            [S3]
            LOG_DATA=\(url("log_data"))
            SONG_DATA=\(url("song_data"))
            LOG_JSONPATH=\(url("log_json_path.json"))
            STAGING_PREFIX=\(url("manifests/"))
            [IAM_ROLE]
            ARN=\(target.role)
            [AWS]
            REGION=\(target.region)
            """.write(toFile: folder + "/dwh.cfg", atomically: true, encoding: .utf8)
        func dwh(_ arguments: [String]) throws -> String {
            let output = try DWHBinary.run(arguments + ["--database-url", target.url, "--config", folder + "/dwh.cfg"],
                                           environment: ["DWH_MIGRATIONS_DIR": DWHBinary.packageRoot + "/migrations"])
            XCTAssertEqual(output.status, 0, "dwh \(arguments.joined(separator: " ")):\n\(output.stdout)\n\(output.stderr)")
            return output.stdout
        }
        func manifestsLeft() throws -> Int { try client.allObjects(S3Location(bucket: scratch.bucket, key: base + "manifests/")).count }

        _ = try dwh(["migrate"])
        defer { _ = try? dwh(["migrate", "down", "--to", "0"]) }
        let first = try dwh(["load", "--full-refresh", "--staging-only", "--quiet"])
        XCTAssertTrue(first.contains("staging_songs: 3 objects copied in 1 COPY"), first)
        XCTAssertTrue(first.contains("staging_events: 2 objects copied in 1 COPY"), first)
        XCTAssertEqual(try manifestsLeft(), 0)
        XCTAssertTrue(try dwh(["transform"]).hasPrefix("transform: full rebuild"))
        func songplays() throws -> String {
            try dwh(["sql", "SELECT songplay_id, start_time, user_id, session_id FROM songplays ORDER BY 1", "--format", "csv"])
        }
        let playsBefore = try songplays()

        let unchanged = try dwh(["load", "--staging-only", "--quiet"])
        XCTAssertTrue(unchanged.contains("staging_songs: 0 objects copied in 0 COPY (3 unchanged, skipped)"), unchanged)
        XCTAssertTrue(unchanged.contains("staging_events: 0 objects copied in 0 COPY (2 unchanged, skipped)"), unchanged)

        let day = "log_data/2018/11/2018-11-03-events.json"
        try put(day, try file(day))
        let added = try dwh(["load", "--staging-only", "--quiet"])
        XCTAssertTrue(added.contains("staging_events: 1 object copied in 1 COPY (2 unchanged, skipped)"), added)
        let perFile = try dwh(["sql", "SELECT f.path, f.rows_loaded, count(e.file_id) FROM dwh_loaded_files f "
                                   + "JOIN staging_events e ON e.file_id = f.file_id WHERE f.path = '\(url(day))' GROUP BY 1, 2",
                               "--format", "csv"])
        let lines = try String(contentsOfFile: SharedData.path + "/" + day, encoding: .utf8).split(whereSeparator: \.isNewline).count
        XCTAssertTrue(perFile.contains("\(url(day)),\(lines),\(lines)"), perFile)
        XCTAssertTrue(try dwh(["transform"]).hasPrefix("transform: incremental"))
        let playsAfter = try songplays()
        let kept = Set(playsAfter.split(separator: "\n"))
        XCTAssertTrue(Set(playsBefore.split(separator: "\n")).isSubset(of: kept), "the first two days' plays kept their ids")
        XCTAssertGreaterThan(kept.count, Set(playsBefore.split(separator: "\n")).count)

        var record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try file(songs[1]))) as? [String: Any])
        let songID = try XCTUnwrap(record["song_id"] as? String)
        record["title"] = "Retitled live"
        try put(songs[1], Array(try JSONSerialization.data(withJSONObject: record)) + [10])
        let changed = try dwh(["load", "--staging-only", "--quiet"])
        XCTAssertTrue(changed.contains("staging_songs: 3 objects copied in 2 COPY, 3 of them changed (0 unchanged, skipped)"), changed)
        let titles = try dwh(["sql", "SELECT count(*), max(CASE WHEN song_id = '\(songID)' THEN title END) FROM staging_songs",
                              "--format", "csv"])
        XCTAssertTrue(titles.contains("3,Retitled live"), titles)
        XCTAssertTrue(try dwh(["transform"]).hasPrefix("transform: incremental"))
        XCTAssertEqual(try songplays(), playsAfter, "a song's change rewrites no play")
        XCTAssertEqual(try manifestsLeft(), 0)
    }
}
