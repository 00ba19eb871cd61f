@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh cluster policy` through the built binary, and its document handed to IAM
/// CreatePolicy on moto_server (signature checking on), which validates policy grammar.
final class ClusterPolicyCLITests: XCTestCase {
    func testThePrintedPolicyIsAcceptedByIAMAndNamesNoSecret() throws {
        let moto = try MotoServer.start()
        let directory = try temporaryFolder("policy")
        let config = directory + "/dwh.cfg"
        let password = "Pol1cy;Secret\"pw"
        try """
        [CLUSTER]
        HOST=sparkify.abc123xyz.us-west-2.redshift.amazonaws.com
        DB_NAME=sparkify
        DB_USER=analyst
        DB_PASSWORD=\(password)
        DB_GROUPS=readers

        [IAM_ROLE]
        ARN=arn:aws:iam::123456789012:role/dwhRole

        [S3]
        LOG_DATA=s3://udacity-dend/log_data
        SONG_DATA=s3://udacity-dend/song_data
        UNLOAD_PREFIX=s3://sparkify-out/unload/

        """.write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config)

        let output = try DWHBinary.run(["cluster", "policy", "--config", config], environment: moto.environment())
        XCTAssertEqual(output.status, 0, output.stderr)
        for secret in [password, moto.secretAccessKey, moto.accessKeyID] {
            XCTAssertFalse((output.stdout + output.stderr).contains(secret))
        }
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let statements = try XCTUnwrap(document["Statement"] as? [[String: Any]])
        // The manifests go next to UNLOAD_PREFIX: written there, and nowhere else.
        let writes = statements.filter { $0["Action"] as? [String] == ["s3:PutObject"] }.map { $0["Resource"] as? [String] }
        XCTAssertEqual(writes, [["arn:aws:s3:::sparkify-out/unload_dwh_copy_manifests/*"]], output.stdout)

        let created = try moto.client().query(.iam, "CreatePolicy", [("PolicyName", "dwh-analyst"), ("PolicyDocument", output.stdout)])
        XCTAssertNotNil(created.string("CreatePolicyResult", "Policy", "Arn"))
        // The grammar check is real: a document without Effect is refused.
        var broken = document
        broken["Statement"] = statements.map { $0.filter { $0.key != "Effect" } }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: broken), as: UTF8.self)
        XCTAssertThrowsError(try moto.client().query(.iam, "CreatePolicy", [("PolicyName", "broken"), ("PolicyDocument", text)]))
    }

    func testWithoutAConfigFileItSaysWhichFileIsMissing() throws {
        let directory = try temporaryFolder("policy-none")
        let output = try DWHBinary.run(["cluster", "policy", "--config", directory + "/dwh.cfg"])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains(directory + "/dwh.cfg"), output.stderr)
    }
}
