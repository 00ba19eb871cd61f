import DWHCore
import Foundation
import TestSupport
import XCTest

/// The whole job on a real Redshift cluster, run only when one is given:
///
///     DWH_REDSHIFT_URL='postgresql://user:pass@host:5439/dev?sslmode=require' \
///     DWH_REDSHIFT_IAM_ROLE=arn:aws:iam::123456789012:role/dwhRole \
///     DWH_REDSHIFT_S3=s3://your-bucket/dwh-live/ \
///     make test-redshift
///
/// The database should be one for testing: the suite migrates it up, loads the Sparkify
/// data from S3 (`DWH_REDSHIFT_DATA`, default s3://udacity-dend), runs every saved query,
/// an export through UNLOAD into DWH_REDSHIFT_S3, the report and the REPL's `\d`, then
/// migrates it down again. AWS keys come from the environment, as for the AWS CLI.
final class RedshiftLiveTests: XCTestCase {
    struct Target {
        let url: String
        let role: String
        let scratch: String
        let data: String
        let region: String
    }

    static var target: Target? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["DWH_REDSHIFT_URL"], !url.isEmpty,
              let role = environment["DWH_REDSHIFT_IAM_ROLE"], !role.isEmpty,
              let scratch = environment["DWH_REDSHIFT_S3"], !scratch.isEmpty else { return nil }
        return Target(url: url, role: role, scratch: scratch, data: environment["DWH_REDSHIFT_DATA"] ?? "s3://udacity-dend",
                      region: environment["DWH_REDSHIFT_REGION"] ?? environment["AWS_REGION"] ?? "us-west-2")
    }

    func testTheWholeJobOnRedshift() throws {
        guard let target = Self.target else {
            throw XCTSkip("Redshift live suite not run: set DWH_REDSHIFT_URL, DWH_REDSHIFT_IAM_ROLE and DWH_REDSHIFT_S3 (see the README, Redshift: what is verified and how)")
        }
        let folder = try temporaryFolder("redshift")
        try """
            [S3]
            LOG_DATA=\(target.data)/log_data
            SONG_DATA=\(target.data)/song_data
            LOG_JSONPATH=\(target.data)/log_json_path.json
            UNLOAD_PREFIX=\(target.scratch)
            [IAM_ROLE]
            ARN=\(target.role)
            [AWS]
            REGION=\(target.region)
            """.write(toFile: folder + "/dwh.cfg", atomically: true, encoding: .utf8)
        let root = DWHBinary.packageRoot
        func dwh(_ arguments: [String], input: String? = nil) throws -> ProcessOutput {
            let common = ["--database-url", target.url, "--config", folder + "/dwh.cfg"]
            let environment = ["DWH_QUERIES": root + "/queries", "DWH_MIGRATIONS_DIR": root + "/migrations"]
            return try DWHBinary.run(arguments + common, environment: environment, input: input)
        }
        func succeeds(_ arguments: [String], input: String? = nil) throws -> String {
            let output = try dwh(arguments, input: input)
            XCTAssertEqual(output.status, 0, "dwh \(arguments.joined(separator: " ")):\n\(output.stdout)\n\(output.stderr)")
            return output.stdout
        }

        _ = try succeeds(["migrate"])
        defer { _ = try? dwh(["migrate", "down", "--to", "0"]) }
        XCTAssertTrue(try succeeds(["migrate", "status"]).contains("applied"))
        _ = try succeeds(["load", "--quiet"])
        let checked = try succeeds(["check"])
        XCTAssertTrue(checked.contains("checks passed"), checked)
        // The upkeep warning reads SVV_TABLE_INFO: it ran (passed, warned, or said how to grant it).
        XCTAssertTrue(checked.contains("tables sorted, vacuumed and analysed (SVV_TABLE_INFO)"), checked)
        for query in try QueryCatalog(directory: root + "/queries").queries {
            _ = try succeeds(["query", "run", query.name, "--format", "csv"])
        }
        _ = try succeeds(["export", "top_songs", "-o", folder + "/top_songs.csv"])
        let csv = try String(contentsOfFile: folder + "/top_songs.csv", encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("song,"), csv)
        _ = try succeeds(["report", "-o", folder + "/report.html"])
        XCTAssertTrue(try succeeds(["repl"], input: "\\d songplays\n").contains("start_time"))
    }
}
