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

    private func postgresSources() throws -> StagingLoader.Sources {
        let job = try LoadJob(LoadJob.Request(events: "/data/log_data"), dialect: .postgres, config: config)
        guard case .stream(let sources) = job.method else { throw TestFailure(message: "not a stream: \(job.method)") }
        return sources
    }

    func testOnPostgresTheFlagsComeBeforeTheConfig() throws {
        let sources = try postgresSources()
        XCTAssertEqual(sources.map(\.table), [.events, .songs])
        XCTAssertEqual(sources.map(\.source.location), ["/data/log_data", "s3://udacity-dend/song_data"])
    }

    func testOnPostgresS3IsReadByDWH() throws {
        let sources = try postgresSources()
        XCTAssertTrue(sources[1].source is S3LoadSource)
    }

    func testOnPostgresTheTransformAfterALoadIsIncremental() throws {
        let job = try LoadJob(LoadJob.Request(events: "/data/log_data"), dialect: .postgres, config: config)
        XCTAssertEqual(job.transform, TransformOptions(fullRefresh: false))
    }

    func testOnPostgresNoSourcesIsAnError() {
        XCTAssertThrowsError(try LoadJob(LoadJob.Request(), dialect: .postgres, config: nil)) {
            XCTAssertEqual("\($0)", "\(LoadError.noSources)")
        }
    }

    func testOnRedshiftS3FlagsReplaceTheConfig() throws {
        let job = try LoadJob(LoadJob.Request(songs: "s3://mine/songs", maxErrors: 3), dialect: .redshift, config: config)
        guard case .redshiftCopy(let load) = job.method else { return XCTFail("not a COPY: \(job.method)") }
        XCTAssertTrue(load.statements[3].statement.sql.contains("FROM 's3://mine/songs'"), load.statements[3].statement.sql)
        XCTAssertTrue(load.statements[1].statement.sql.contains("FROM 's3://udacity-dend/log_data'"))
    }

    func testOnRedshiftTheTransformAfterAWholePrefixLoadIsAFullRefresh() throws {
        let job = try LoadJob(LoadJob.Request(songs: "s3://mine/songs", maxErrors: 3), dialect: .redshift, config: config)
        XCTAssertEqual(job.transform, TransformOptions(fullRefresh: true), "a Redshift load replaces staging whole")
    }

    func testOnRedshiftTheTransformAfterALoadThroughManifestsIsIncremental() throws {
        var manifests = try XCTUnwrap(config)
        manifests.set("S3", "STAGING_PREFIX", "s3://mine/manifests/")
        let job = try LoadJob(LoadJob.Request(), dialect: .redshift, config: manifests)
        guard case .redshiftIncremental = job.method else { return XCTFail("not through manifests: \(job.method)") }
        XCTAssertEqual(job.transform, TransformOptions(fullRefresh: false))
        let refresh = try LoadJob(LoadJob.Request(fullRefresh: true), dialect: .redshift, config: manifests)
        XCTAssertEqual(refresh.transform, TransformOptions(fullRefresh: true))
    }

    func testOnRedshiftLocalPathsAreRefused() {
        XCTAssertThrowsError(try LoadJob(LoadJob.Request(events: "./log_data"), dialect: .redshift, config: config)) {
            XCTAssertEqual("\($0)", "--events ./log_data: Redshift loads with COPY from S3, which cannot read this machine's files; "
                + "give an s3:// location, or upload the files to S3 first")
        }
    }

    func testOnRedshiftAStagingOnlyLoadHasNoTransform() throws {
        let stagingOnly = try LoadJob(LoadJob.Request(stagingOnly: true), dialect: .redshift, config: config)
        XCTAssertNil(stagingOnly.transform)
    }
}
