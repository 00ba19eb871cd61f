import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh cluster` and `dwh s3` end to end: the built binary against moto_server with
/// signature checking on.
final class AWSCLITests: XCTestCase {
    var moto: MotoServer!
    var directory = ""
    let dbPassword = "Sparkify9DbSecret"

    override func setUpWithError() throws {
        moto = try MotoServer.start()
        directory = try temporaryFolder("aws")
    }

    /// A dwh.cfg with comments and a cluster of its own (tests share the emulator).
    func writeConfig(identifier: String) throws -> String {
        let path = directory + "/dwh.cfg"
        try """
        # Sparkify warehouse settings
        [CLUSTER]
        # filled in by dwh cluster up
        HOST=
        DB_NAME=sparkify

        [DWH]
        ; the cluster to build
        CLUSTER_TYPE=multi-node
        NUM_NODES=2
        NODE_TYPE=dc2.large
        CLUSTER_IDENTIFIER=\(identifier)
        DB_NAME=sparkify
        DB_USER=analyst
        DB_PASSWORD=\(dbPassword)
        IAM_ROLE_NAME=\(identifier)Role

        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    /// Runs dwh against the emulator and checks that no secret shows in what it printed.
    func dwh(_ arguments: [String], environment: [String: String]? = nil, file: StaticString = #filePath,
             line: UInt = #line) throws -> ProcessOutput {
        let output = try DWHBinary.run(arguments + ["--verbose"], environment: environment ?? moto.environment())
        let printed = output.stdout + output.stderr
        for secret in [moto.secretAccessKey, moto.accessKeyID, dbPassword] {
            XCTAssertFalse(printed.contains(secret), "a secret leaked in `dwh \(arguments.joined(separator: " "))`", file: file, line: line)
        }
        return output
    }

    func testUpStatusDownCycleRewritesConfigAndIsIdempotent() throws {
        let config = try writeConfig(identifier: "cycle")
        let before = try String(contentsOfFile: config, encoding: .utf8)

        let plan = try dwh(["cluster", "plan", "--config", config, "--cidr", "198.51.100.7/32"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("+ create cluster cycle: 2 × dc2.large"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("+ create IAM role cycleRole"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("estimated cost: 0.50 USD per hour"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("  encryption: on (Encrypted=true"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("  public access: on ([DWH] PUBLIC, default true"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("  master password: [DWH] DB_PASSWORD from dwh.cfg"), plan.stdout)
        XCTAssertEqual(try String(contentsOfFile: config, encoding: .utf8), before, "plan must touch nothing")

        let up = try dwh(["cluster", "up", "--config", config, "--cidr", "198.51.100.7/32", "--no-connect"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertTrue(up.stderr.contains("→ POST \(moto.endpoint)/ redshift CreateCluster"), up.stderr)
        XCTAssertFalse(up.stderr.contains("Authorization") || up.stderr.contains("MasterUserPassword"), up.stderr)
        let written = try String(contentsOfFile: config, encoding: .utf8)
        let lines = written.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "# Sparkify warehouse settings")
        XCTAssertTrue(lines.contains("# filled in by dwh cluster up") && lines.contains("; the cluster to build"), written)
        XCTAssertLessThan(lines.firstIndex(of: "[CLUSTER]")!, lines.firstIndex(of: "[DWH]")!)
        let updated = try ConfigFile(path: config, text: written)
        XCTAssertTrue(updated.value("CLUSTER", "HOST")?.value.hasPrefix("cycle.") == true, written)
        XCTAssertEqual(updated.value("CLUSTER", "DB_PORT")?.value, "5439")
        XCTAssertEqual(updated.value("CLUSTER", "DB_NAME")?.value, "sparkify")
        XCTAssertEqual(updated.value("IAM_ROLE", "ARN")?.value, "arn:aws:iam::123456789012:role/cycleRole")
        let mode = try FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)

        let again = try dwh(["cluster", "up", "--config", config, "--cidr", "198.51.100.7/32", "--no-connect"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("= reuse cluster cycle (available)"), again.stderr)
        XCTAssertTrue(again.stderr.contains("= reuse IAM role cycleRole"), again.stderr)
        XCTAssertTrue(again.stderr.contains("(already allowed)"), again.stderr)
        XCTAssertFalse(again.stderr.contains("CreateCluster"), "the second up must create nothing")

        let status = try dwh(["cluster", "status", "--config", config, "--format", "json"])
        XCTAssertEqual(status.status, 0, status.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let cluster = json?["cluster"] as? [String: Any]
        XCTAssertEqual(cluster?["status"] as? String, "available")
        XCTAssertEqual(cluster?["numberOfNodes"] as? Int, 2)
        XCTAssertEqual((json?["ingress"] as? [[String: Any]])?.first?["cidr"] as? String, "198.51.100.7/32")
        XCTAssertEqual(json?["rolePolicies"] as? [String], ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"])

        let unconfirmed = try dwh(["cluster", "down", "--config", config])
        XCTAssertNotEqual(unconfirmed.status, 0)
        XCTAssertTrue(unconfirmed.stderr.contains("--yes"), unconfirmed.stderr)

        let down = try dwh(["cluster", "down", "--config", config, "--yes", "--final-snapshot", "cycle-final"])
        XCTAssertEqual(down.status, 0, down.stderr)
        let snapshots = try moto.client().query(.redshift, "DescribeClusterSnapshots", [("SnapshotIdentifier", "cycle-final")])
        XCTAssertEqual(snapshots.descendants("ClusterIdentifier").first?.text, "cycle")
        for step in ["- revoke TCP 5439 from 198.51.100.7/32", "- delete cluster cycle after a final snapshot cycle-final", "- detach arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                     "- delete IAM role cycleRole"] {
            XCTAssertTrue(down.stderr.contains(step), "missing \(step) in \(down.stderr)")
        }
        let gone = try dwh(["cluster", "status", "--config", config])
        XCTAssertTrue(gone.stdout.contains("cycle: does not exist") && gone.stdout.contains("cycleRole: does not exist"), gone.stdout)
        XCTAssertEqual(try ConfigFile(path: config, text: try String(contentsOfFile: config, encoding: .utf8)).value("CLUSTER", "HOST")?.value, "")

        let twice = try dwh(["cluster", "down", "--config", config, "--yes"])
        XCTAssertEqual(twice.status, 0, twice.stderr)
        XCTAssertTrue(twice.stdout.contains("nothing left to remove"), twice.stdout)
    }

    /// moto's cluster endpoints do not resolve, so the final connection test must fail, clearly
    /// and without showing the password, after the settings were written.
    func testUpEndsWithAConnectionTestUnlessToldNotTo() throws {
        let config = try writeConfig(identifier: "conntest")
        let up = try dwh(["cluster", "up", "--config", config, "--cidr", "198.51.100.8/32"])
        XCTAssertEqual(up.status, 1)
        XCTAssertTrue(up.stderr.contains("> connect to the cluster and run SELECT 1"), up.stderr)
        XCTAssertTrue(up.stderr.contains("could not connect to analyst@conntest."), up.stderr)
        let written = try ConfigFile(path: config, text: try String(contentsOfFile: config, encoding: .utf8))
        XCTAssertTrue(written.value("CLUSTER", "HOST")?.value.hasPrefix("conntest.") == true)
        XCTAssertEqual(try dwh(["cluster", "down", "--config", config, "--yes"]).status, 0)
    }

    func testUnreachableEndpointIsRetriedABoundedNumberOfTimes() throws {
        let config = try writeConfig(identifier: "unreachable")
        var environment = moto.environment()
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
        let output = try dwh(["cluster", "status", "--config", config], environment: environment)
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("could not reach AWS iam for GetRole"), output.stderr)
        XCTAssertEqual(output.stderr.components(separatedBy: "retrying GetRole").count - 1, 4, output.stderr)
    }

    /// No DB_PASSWORD and no MANAGE_PASSWORD: the plan says a password will be made; `up`
    /// makes one, sends it to CreateCluster (the verbose log on stderr never shows it), prints
    /// it once on stdout, and writes it to dwh.cfg only with --write-password. A second `up`
    /// reuses the cluster and shows none.
    func testWithoutAPasswordUpGeneratesOneAndShowsItOnce() throws {
        for write in [false, true] {
            let identifier = write ? "genwrite" : "genonce"
            let config = try writeConfig(identifier: identifier)
            var file = try ConfigFile(path: config, text: try String(contentsOfFile: config, encoding: .utf8))
            file.set("DWH", "DB_PASSWORD", "")
            try file.save()
            let plan = try dwh(["cluster", "plan", "--config", config, "--cidr", "198.51.100.9/32"])
            XCTAssertTrue(plan.stdout.contains("master password: generated by `up`"), plan.stdout)

            let up = try dwh(["cluster", "up", "--config", config, "--cidr", "198.51.100.9/32", "--no-connect"]
                             + (write ? ["--write-password"] : []))
            XCTAssertEqual(up.status, 0, up.stderr)
            XCTAssertTrue(up.stderr.contains("redshift CreateCluster"), up.stderr)
            let shown = up.stdout.split(separator: "\n").compactMap { line in
                line.range(of: "master password of analyst, generated (shown this once): ").map { String(line[$0.upperBound...]) }
            }
            let password = try XCTUnwrap(shown.first, up.stdout)
            XCTAssertEqual(shown.count, 1)
            XCTAssertEqual(password.count, 32)
            XCTAssertEqual(up.stdout.components(separatedBy: password).count, 2, "shown once")
            XCTAssertFalse(up.stderr.contains(password), "the request log must not show it")
            let written = try String(contentsOfFile: config, encoding: .utf8)
            XCTAssertEqual(written.contains(password), write, written)
            let saved = try ConfigFile(path: config, text: written)
            XCTAssertEqual(saved.value("CLUSTER", "DB_PASSWORD")?.value ?? "", write ? password : "")
            XCTAssertEqual(saved.value("DWH", "DB_PASSWORD")?.value, "", "[DWH] is left as the user wrote it")

            let again = try dwh(["cluster", "up", "--config", config, "--cidr", "198.51.100.9/32", "--no-connect"])
            XCTAssertEqual(again.status, 0, again.stderr)
            XCTAssertFalse(again.stdout.contains("generated"), again.stdout)
            XCTAssertEqual(try dwh(["cluster", "down", "--config", config, "--yes"]).status, 0)
        }
    }

    /// Temporary credentials (here from AssumeRole) are signed with their session token.
    /// Temporary credentials of a new role `name` that the test user assumes, with a config naming cluster `identifier`.
    private func assumedRole(_ name: String, identifier: String) throws -> (key: String, secret: String, token: String, config: String) {
        let client = try moto.client()
        let user = try client.callerIdentity()
        try client.query(.iam, "CreateRole", [("RoleName", name), ("AssumeRolePolicyDocument",
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(user)"},"Action":"sts:AssumeRole"}]}"#)])
        try client.query(.iam, "PutRolePolicy", [("RoleName", name), ("PolicyName", "all"), ("PolicyDocument",
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)])
        let assumed = try client.query(.sts, "AssumeRole", [
            ("RoleArn", "arn:aws:iam::123456789012:role/\(name)"), ("RoleSessionName", "dwh-test")])
        let key = try XCTUnwrap(assumed.string("AssumeRoleResult", "Credentials", "AccessKeyId"))
        let secret = try XCTUnwrap(assumed.string("AssumeRoleResult", "Credentials", "SecretAccessKey"))
        let token = try XCTUnwrap(assumed.string("AssumeRoleResult", "Credentials", "SessionToken"))
        return (key, secret, token, try writeConfig(identifier: identifier))
    }

    func testSessionTokenCredentialsWorkAndStayHidden() throws {
        let (key, secret, token, config) = try assumedRole("dwhTemporary", identifier: "temporary")
        var environment = moto.environment(secret: secret, key: key)
        environment["AWS_SESSION_TOKEN"] = token
        let status = try dwh(["cluster", "status", "--config", config], environment: environment)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("temporary: does not exist"), status.stdout)
        XCTAssertFalse((status.stdout + status.stderr).contains(token) || (status.stdout + status.stderr).contains(secret))
    }

    func testAWrongSessionTokenIsRejectedNamingTheVariable() throws {
        let (key, secret, _, config) = try assumedRole("dwhTemporaryWrongToken", identifier: "temporary")
        var environment = moto.environment(secret: secret, key: key)
        environment["AWS_SESSION_TOKEN"] = "not-the-token"
        let rejected = try dwh(["cluster", "status", "--config", config], environment: environment)
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(rejected.stderr.contains("InvalidClientTokenId") && rejected.stderr.contains("AWS_SESSION_TOKEN"), rejected.stderr)
    }

    func testWrongSecretIsRejectedWithAClearError() throws {
        let config = try writeConfig(identifier: "wrongsecret")
        let output = try dwh(["cluster", "status", "--config", config],
                             environment: moto.environment(secret: "Wrong0Secret0Wrong0Secret0Wrong0Secret00"))
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("SignatureDoesNotMatch"), output.stderr)
        XCTAssertTrue(output.stderr.contains("the secret access key does not belong to the access key"), output.stderr)
        XCTAssertFalse(output.stderr.contains("Wrong0Secret0Wrong0Secret"))
    }

    func testUnknownKeyIsRejectedWithAClearError() throws {
        let config = try writeConfig(identifier: "unknownkey")
        let output = try dwh(["cluster", "status", "--config", config],
                             environment: moto.environment(key: "AKIAUNKNOWNUNKNOWN00"))
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("InvalidClientTokenId"), output.stderr)
        XCTAssertTrue(output.stderr.contains("AWS does not know the access key"), output.stderr)
        XCTAssertFalse(output.stderr.contains("AKIAUNKNOWNUNKNOWN00"))
    }

    /// A bucket of seven event files, each of three lines.
    private func pagingBucket(_ bucket: String) throws -> [String] {
        let client = try moto.client()
        try client.createBucket(bucket)
        let keys = (1...7).map { "events/2018-11-\(String(format: "%02d", $0))-events.json" }
        for (index, key) in keys.enumerated() {
            try client.putObject(S3Location(bucket: bucket, key: key), body: Array("line one \(index)\nline two\nline three\n".utf8))
        }
        return keys
    }

    func testS3ListingFollowsContinuationTokens() throws {
        let keys = try pagingBucket("dwh-paging")
        let listing = try dwh(["s3", "ls", "s3://dwh-paging", "--recursive", "--page-size", "2"])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let listed = listing.stdout.split(separator: "\n").map { String($0.split(separator: " ").last ?? "") }
        XCTAssertEqual(listed, keys)
        XCTAssertEqual(listing.stderr.components(separatedBy: "→ GET").count - 1, 4, "7 keys in pages of 2: \(listing.stderr)")
    }

    func testS3CatStreamsTheFirstLinesOfAnObject() throws {
        let keys = try pagingBucket("dwh-cat")
        let cat = try dwh(["s3", "cat", "s3://dwh-cat/\(keys[2])", "--lines", "2"])
        XCTAssertEqual(cat.status, 0, cat.stderr)
        XCTAssertEqual(cat.stdout, "line one 2\nline two\n")
    }

    func testS3CatOfAMissingKeyFailsWithNoSuchKey() throws {
        _ = try pagingBucket("dwh-cat-missing")
        let missing = try dwh(["s3", "cat", "s3://dwh-cat-missing/nope.json"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("AWS s3 GetObject on s3://dwh-cat-missing/nope.json failed with NoSuchKey"),
                      missing.stderr)
    }

    /// A user whose policy allows reading objects but not listing them (moto enforces a user's
    /// policies once auth is on): the listing fails with AccessDenied, naming the IAM
    /// permission it needs (s3:ListBucket, not the API's name) and `dwh cluster policy`;
    /// reading an object is allowed.
    func testAListingDeniedNamesListBucketAndTheClusterPolicy() throws {
        _ = try pagingBucket("dwh-denied")
        let client = try moto.client()
        let user = "reader-\(UInt32.random(in: 0...UInt32.max))"
        try client.query(.iam, "CreateUser", [("UserName", user)])
        let key = try client.query(.iam, "CreateAccessKey", [("UserName", user)])
        let id = try XCTUnwrap(key.string("CreateAccessKeyResult", "AccessKey", "AccessKeyId"))
        let secret = try XCTUnwrap(key.string("CreateAccessKeyResult", "AccessKey", "SecretAccessKey"))
        try client.query(.iam, "PutUserPolicy", [("UserName", user), ("PolicyName", "read-only-objects"), ("PolicyDocument",
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::dwh-denied/*"}]}"#)])
        let environment = moto.environment(secret: secret, key: id)

        let listing = try DWHBinary.run(["s3", "ls", "s3://dwh-denied", "--recursive"], environment: environment)
        XCTAssertEqual(listing.status, 1, listing.stdout)
        XCTAssertTrue(listing.stderr.contains("AWS s3 ListObjectsV2 on s3://dwh-denied failed with AccessDenied (HTTP 403)"),
                      listing.stderr)
        XCTAssertTrue(listing.stderr.contains("may not call s3:ListBucket; `dwh cluster policy` prints"), listing.stderr)
        XCTAssertFalse((listing.stdout + listing.stderr).contains(secret))
        let object = try client.allObjects(S3Location(bucket: "dwh-denied", key: "")).first?.key ?? ""
        let read = try DWHBinary.run(["s3", "cat", "s3://dwh-denied/\(object)"], environment: environment)
        XCTAssertEqual(read.status, 0, read.stderr)
    }

    /// Listing one level uses `delimiter=/`, sent as `%2F` as SigV4 requires and AWS checks;
    /// moto rebuilds the URL with a bare `/` before checking signatures and so rejects it.
    /// This one listing therefore runs against a second moto without signature checks.
    func testNonRecursiveListingShowsFoldersThenObjects() throws {
        let open = try MotoServer.start(signatureChecks: false)
        let client = try open.client()
        try client.createBucket("dwh-levels")
        for key in ["log_data/2018/11/a.json", "log_data/2018/11/b.json", "log_data/README", "song_data/A/x.json"] {
            try client.putObject(S3Location(bucket: "dwh-levels", key: key), body: Array("{}\n".utf8))
        }
        let root = try DWHBinary.expect(0, ["s3", "ls", "s3://dwh-levels/"], environment: open.environment())
        XCTAssertEqual(root.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) },
                       ["PRE log_data/", "PRE song_data/"])
        let level = try DWHBinary.expect(0, ["s3", "ls", "s3://dwh-levels/log_data/"], environment: open.environment())
        let lines = level.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.trimmingCharacters(in: .whitespaces), "PRE 2018/")
        XCTAssertTrue(lines.last?.hasSuffix(" 3 README") == true, level.stdout)
    }
}
