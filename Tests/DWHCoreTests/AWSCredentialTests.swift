@testable import DWHCore
import TestSupport
import XCTest

/// The credential and region chains, with the shared files in a temporary folder.
final class AWSCredentialTests: XCTestCase {
    var directory = ""
    var files: [String: String] = [:]

    override func setUpWithError() throws {
        directory = try temporaryFolder("creds")
        try "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = defaultSecret\n\n[work]\naws_access_key_id=AKIAWORK\naws_secret_access_key=workSecret\naws_session_token=workToken\n"
            .write(toFile: directory + "/credentials", atomically: true, encoding: .utf8)
        try "[default]\nregion = eu-central-1\n\n[profile work]\nregion = ap-southeast-2\n\n[profile onlyconfig]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = configSecret\n"
            .write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        files = ["AWS_SHARED_CREDENTIALS_FILE": directory + "/credentials", "AWS_CONFIG_FILE": directory + "/config"]
    }

    var dwhConfig: ConfigFile { get throws { try ConfigFile(path: "dwh.cfg", text: "[AWS]\nKEY=AKIACFG\nSECRET=cfgSecret\nREGION=us-east-2\n") } }

    func testEnvironmentComesFirst() throws {
        let environment = files.merging(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecret", "AWS_SESSION_TOKEN": "envToken"]) { $1 }
        let credentials = try AWSCredentialChain.resolve(environment: environment, config: try dwhConfig)
        XCTAssertEqual(credentials.accessKeyID, "AKIAENV")
        XCTAssertEqual(credentials.sessionToken, "envToken")
        XCTAssertFalse(credentials.description.contains("envSecret"))
    }

    func testProfileFromCredentialsOrConfigFile() throws {
        let byDefault = try AWSCredentialChain.resolve(environment: files, config: try dwhConfig)
        XCTAssertEqual(byDefault.accessKeyID, "AKIADEFAULT")
        XCTAssertTrue(byDefault.source.contains("profile default"), byDefault.source)

        let work = try AWSCredentialChain.resolve(environment: files.merging(["AWS_PROFILE": "work"]) { $1 }, config: nil)
        XCTAssertEqual(work.secretAccessKey, "workSecret")
        XCTAssertEqual(work.sessionToken, "workToken")
        XCTAssertEqual(AWSCredentialChain.region(environment: files.merging(["AWS_PROFILE": "work"]) { $1 }, config: try dwhConfig), "ap-southeast-2")

        let fromConfig = try AWSCredentialChain.resolve(environment: files.merging(["AWS_PROFILE": "onlyconfig"]) { $1 }, config: nil)
        XCTAssertEqual(fromConfig.accessKeyID, "AKIACONFIG")

        XCTAssertThrowsError(try AWSCredentialChain.resolve(environment: files.merging(["AWS_PROFILE": "typo"]) { $1 }, config: try dwhConfig)) {
            XCTAssertTrue("\($0)".contains("the AWS profile typo"), "\($0)")
        }
    }

    /// An environment that names no credential file that exists.
    private let none = ["AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent"]

    func testDwhConfigIsTheLastResortForCredentials() throws {
        let credentials = try AWSCredentialChain.resolve(environment: none, config: try dwhConfig)
        XCTAssertEqual(credentials.accessKeyID, "AKIACFG")
        XCTAssertEqual(credentials.source, "dwh.cfg [AWS]")
    }

    func testTheRegionComesFromTheEnvironmentThenDwhConfigThenTheDefault() throws {
        XCTAssertEqual(AWSCredentialChain.region(environment: none, config: try dwhConfig), "us-east-2")
        XCTAssertEqual(AWSCredentialChain.region(environment: none, config: nil), "us-west-2")
        XCTAssertEqual(AWSCredentialChain.region(environment: none.merging(["AWS_DEFAULT_REGION": "sa-east-1"]) { $1 }, config: try dwhConfig), "sa-east-1")
    }

    func testNoCredentialsAnywhereIsAClearError() {
        XCTAssertThrowsError(try AWSCredentialChain.resolve(environment: none, config: nil)) {
            XCTAssertTrue("\($0)".contains("no AWS credentials found"), "\($0)")
        }
    }

    func testAKeyWithoutItsSecretNamesTheMissingVariable() {
        XCTAssertThrowsError(try AWSCredentialChain.resolve(environment: ["AWS_ACCESS_KEY_ID": "AKIA"], config: nil)) {
            XCTAssertTrue("\($0)".contains("AWS_SECRET_ACCESS_KEY"), "\($0)")
        }
    }

    func testEndpointOverrideFromFlagThenEnvironment() throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "http://localhost:4566/"]
        XCTAssertEqual(try AWSSettings.resolve(endpointFlag: nil, config: nil, environment: environment).endpointOverride, "http://localhost:4566")
        XCTAssertEqual(try AWSSettings.resolve(endpointFlag: "http://127.0.0.1:5000", config: nil, environment: environment).endpointOverride,
                       "http://127.0.0.1:5000")
        XCTAssertThrowsError(try AWSSettings.resolve(endpointFlag: "localhost:5000", config: nil, environment: environment))
    }
}
