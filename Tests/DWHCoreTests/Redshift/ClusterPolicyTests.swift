@testable import DWHCore
import Foundation
import XCTest

/// `dwh cluster policy`: exactly the resources a dwh.cfg names, and nothing wider.
final class ClusterPolicyTests: XCTestCase {
    var full: String { Self.fullConfig }
    static let fullConfig = """
    [CLUSTER]
    HOST=sparkify.abc123xyz.us-west-2.redshift.amazonaws.com
    DB_NAME=sparkify
    DB_USER=analyst
    AUTH=iam
    DB_GROUPS=readers, marketing
    AUTO_CREATE=true

    [IAM_ROLE]
    ARN=arn:aws:iam::123456789012:role/dwhRole

    [S3]
    LOG_DATA=s3://udacity-dend/log_data
    SONG_DATA=s3://udacity-dend/song_data/
    UNLOAD_PREFIX=s3://sparkify-out/unload/
    STAGING_PREFIX=s3://sparkify-out/manifests/

    [RUN]
    EVENTS=s3://sparkify-raw/log_data/{yyyy}/{mm}/{date}-events.json
    SONGS=song_data

    """

    func policy(_ text: String, region: String = "us-west-2", account: String? = nil) throws -> ClusterPolicy {
        try ClusterPolicy(config: try ConfigFile(path: "dwh.cfg", text: text), region: region, account: account)
    }

    func statement(_ policy: ClusterPolicy, _ action: String) -> ClusterPolicy.Statement? {
        policy.statements.first { $0.actions == [action] }
    }

    func testTheSignInMayAskForTheUserTheDatabaseAndTheGroupsOfThisClusterAlone() throws {
        let policy = try policy(full)
        let base = "arn:aws:redshift:us-west-2:123456789012"
        XCTAssertEqual(statement(policy, "redshift:GetClusterCredentials")?.resources,
                       ["\(base):dbuser:sparkify/analyst", "\(base):dbname:sparkify/sparkify",
                        "\(base):dbgroup:sparkify/readers", "\(base):dbgroup:sparkify/marketing"])
        XCTAssertEqual(statement(policy, "redshift:JoinGroup")?.resources,
                       ["\(base):dbgroup:sparkify/readers", "\(base):dbgroup:sparkify/marketing"])
        XCTAssertEqual(statement(policy, "redshift:CreateClusterUser")?.resources, ["\(base):dbuser:sparkify/analyst"])
        XCTAssertEqual(statement(policy, "redshift:DescribeClusters")?.resources, ["\(base):cluster:sparkify"])
    }

    func testWithoutGroupsOrAutoCreateThereIsNoJoinGroupOrCreateUser() throws {
        let policy = try policy("[DWH]\nCLUSTER_IDENTIFIER=dwhCluster\nDB_USER=dwhuser\nDB_NAME=dwh\n")
        XCTAssertNil(statement(policy, "redshift:JoinGroup"))
        XCTAssertNil(statement(policy, "redshift:CreateClusterUser"))
        XCTAssertEqual(statement(policy, "redshift:GetClusterCredentials")?.resources,
                       ["arn:aws:redshift:us-west-2:*:dbuser:dwhCluster/dwhuser", "arn:aws:redshift:us-west-2:*:dbname:dwhCluster/dwh"])
        XCTAssertNil(statement(policy, "s3:ListBucket"), "no S3 data named, no S3 access")
        XCTAssertNil(statement(policy, "s3:GetObject"))
    }

    /// Reads under the data and the run's days (up to the template's first placeholder),
    /// writes only under the manifest folder, deletes only what dwh writes or unloads.
    func testS3AccessIsReadUnderTheDataAndWriteUnderTheManifestFolder() throws {
        let policy = try policy(full)
        let lists = policy.statements.filter { $0.actions == ["s3:ListBucket"] }
        XCTAssertEqual(lists.map(\.resources), [["arn:aws:s3:::udacity-dend"], ["arn:aws:s3:::sparkify-raw"], ["arn:aws:s3:::sparkify-out"]])
        // dwh lists a folder without its last `/`, so the condition must match that prefix.
        XCTAssertEqual(lists.map(\.prefixes), [["log_data*", "song_data*"], ["log_data*"], ["unload*"]])
        XCTAssertEqual(statement(policy, "s3:GetObject")?.resources,
                       ["arn:aws:s3:::udacity-dend/log_data*", "arn:aws:s3:::udacity-dend/song_data/*",
                        "arn:aws:s3:::sparkify-raw/log_data/*", "arn:aws:s3:::sparkify-out/unload/*"])
        XCTAssertEqual(statement(policy, "s3:PutObject")?.resources, ["arn:aws:s3:::sparkify-out/manifests/*"])
        XCTAssertEqual(statement(policy, "s3:DeleteObject")?.resources,
                       ["arn:aws:s3:::sparkify-out/unload/*", "arn:aws:s3:::sparkify-out/manifests/*"])
        XCTAssertEqual(Set(policy.statements.map(\.sid)).count, policy.statements.count, "statement ids are unique")
    }

    func testTheAccountIsTheFlagElseTheRolesElseAnyAndTheRegionPicksThePartition() throws {
        XCTAssertTrue(try policy(full, account: "210987654321").statements[0].resources[0]
            .hasPrefix("arn:aws:redshift:us-west-2:210987654321:dbuser:"))
        let china = try policy(full, region: "cn-north-1")
        XCTAssertTrue(china.statements[0].resources[0].hasPrefix("arn:aws-cn:redshift:cn-north-1:123456789012:"))
        XCTAssertEqual(statement(china, "s3:PutObject")?.resources, ["arn:aws-cn:s3:::sparkify-out/manifests/*"])
        XCTAssertEqual(ClusterPolicy.partition(region: "us-gov-west-1"), "aws-us-gov")
        XCTAssertNil(ClusterPolicy.account(ofARN: "arn:aws:iam::12345:role/short"))
    }

    func testABadS3ValueIsAnErrorNamingItsLine() throws {
        XCTAssertThrowsError(try policy("[S3]\nLOG_DATA=s3://udacity-dend/log_data\nSONG_DATA=udacity-dend/song_data\n")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("dwh.cfg:3"), text)
            XCTAssertTrue(text.contains("SONG_DATA"), text)
        }
        // A local [RUN] EVENTS is not S3 and is not an error.
        XCTAssertNil(statement(try policy("[RUN]\nEVENTS=log_data/{date}-events.json\n"), "s3:GetObject"))
    }

    /// The document is IAM's grammar: Version, and per statement Sid, Effect, Action,
    /// Resource, and the prefix condition on ListBucket alone.
    func testTheJSONIsAnIAMPolicyDocument() throws {
        let json = try policy(full).json
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(document["Version"] as? String, "2012-10-17")
        let statements = try XCTUnwrap(document["Statement"] as? [[String: Any]])
        XCTAssertEqual(statements.count, try policy(full).statements.count)
        for entry in statements {
            XCTAssertEqual(entry["Effect"] as? String, "Allow")
            XCTAssertNotNil(entry["Sid"] as? String)
            XCTAssertFalse((entry["Action"] as? [String] ?? []).isEmpty)
            XCTAssertFalse((entry["Resource"] as? [String] ?? []).isEmpty)
            let isList = entry["Action"] as? [String] == ["s3:ListBucket"]
            XCTAssertEqual(entry["Condition"] != nil, isList, "\(entry)")
        }
        XCTAssertFalse(json.contains("\\/"), "slashes are not escaped")
    }
}

/// An AccessDenied names the IAM permission the call needs and, for the ones this policy
/// grants, where to get it.
final class AccessDeniedAdviceTests: XCTestCase {
    func denied(_ service: String, _ action: String) -> String {
        AWSError.api(service: service, action: action, status: 403, code: "AccessDenied", message: "Access Denied",
                     credentialSource: "AWS_ACCESS_KEY_ID").description
    }

    func testAListingNeedsListBucketAndPointsToTheClusterPolicy() {
        XCTAssertTrue(denied("s3", "ListObjectsV2").hasSuffix(
            "may not call s3:ListBucket; `dwh cluster policy` prints the least-privilege policy that grants it for this project"),
            denied("s3", "ListObjectsV2"))
        XCTAssertTrue(denied("redshift", "GetClusterCredentials").contains("redshift:GetClusterCredentials; `dwh cluster policy`"))
    }

    func testAnActionThePolicyDoesNotGrantAsksForAPolicyThatAllowsIt() {
        XCTAssertTrue(denied("redshift", "CreateCluster").hasSuffix("may not call redshift:CreateCluster; attach a policy that allows it"))
        XCTAssertTrue(denied("s3", "CreateBucket").hasSuffix("may not call s3:CreateBucket; attach a policy that allows it"))
    }

    /// The list the advice reads holds every action a printed policy grants.
    func testEveryActionOfAPrintedPolicyIsOneTheAdviceKnows() throws {
        let policy = try ClusterPolicy(config: try ConfigFile(path: "dwh.cfg", text: ClusterPolicyTests.fullConfig), region: "us-west-2")
        let granted = Set(policy.statements.flatMap { $0.actions })
        XCTAssertEqual(granted.subtracting(AWSError.analystPermissions), [])
        XCTAssertGreaterThanOrEqual(granted.count, 7)
    }
}
