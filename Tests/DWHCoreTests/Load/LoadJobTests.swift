@testable import DWHCore
import TestSupport
import XCTest

/// What `dwh load` decides before it acts: sources, method and the transform after.
final class LoadJobTests: XCTestCase {
    let config = try? ConfigFile(path: "dwh.cfg", text: """
        [S3]
        LOG_DATA=s3://udacity-dend/log_data
        SONG_DATA=s3://udacity-dend/song_data
        LOG_JSONPATH=s3://udacity-dend/log_json_path.json
        [IAM_ROLE]
        ARN=arn:aws:iam::123456789012:role/dwhRole
        [AWS]
        REGION=us-west-2
        KEY=AKIAIOSFODNN7EXAMPLE
        SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        """)

    func testOnPostgresTheFlagsComeBeforeTheConfigAndS3IsReadByDWH() throws {
        let job = try LoadJob(LoadJob.Request(events: "/data/log_data"), dialect: .postgres, config: config)
        guard case .stream(let sources) = job.method else { return XCTFail("not a stream: \(job.method)") }
        XCTAssertEqual(sources.map(\.table), [.events, .songs])
        XCTAssertEqual(sources.map(\.source.location), ["/data/log_data", "s3://udacity-dend/song_data"])
        XCTAssertTrue(sources[1].source is S3LoadSource)
        XCTAssertEqual(job.transform, TransformOptions(fullRefresh: false))
        XCTAssertThrowsError(try LoadJob(LoadJob.Request(), dialect: .postgres, config: nil)) {
            XCTAssertEqual("\($0)", "\(LoadError.noSources)")
        }
    }

    func testOnRedshiftS3FlagsReplaceTheConfigAndLocalPathsAreRefused() throws {
        let job = try LoadJob(LoadJob.Request(songs: "s3://mine/songs", maxErrors: 3), dialect: .redshift, config: config)
        guard case .redshiftCopy(let load) = job.method else { return XCTFail("not a COPY: \(job.method)") }
        XCTAssertTrue(load.statements[3].statement.sql.contains("FROM 's3://mine/songs'"), load.statements[3].statement.sql)
        XCTAssertTrue(load.statements[1].statement.sql.contains("FROM 's3://udacity-dend/log_data'"))
        XCTAssertEqual(job.transform, TransformOptions(fullRefresh: true), "a Redshift load replaces staging whole")

        XCTAssertThrowsError(try LoadJob(LoadJob.Request(events: "./log_data"), dialect: .redshift, config: config)) {
            XCTAssertEqual("\($0)", "--events ./log_data: Redshift loads with COPY from S3, which cannot read this machine's files; "
                + "give an s3:// location, or upload the files to S3 first")
        }
        let stagingOnly = try LoadJob(LoadJob.Request(stagingOnly: true), dialect: .redshift, config: config)
        XCTAssertNil(stagingOnly.transform)
    }
}
