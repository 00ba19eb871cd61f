import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// `[CLUSTER] AUTH = iam` end to end: the built dwh asks moto_server (signature checking on)
/// for GetClusterCredentials and signs in to the test PostgreSQL as the `IAM:` user it
/// returns, which a pg_hba line trusts on 127.0.0.1 for the length of the test.
final class IAMAuthCLITests: XCTestCase {
    var moto: MotoServer!
    var database: FreshDatabase!
    var directory = ""
    var hbaFile = ""
    var originalHBA = ""
    let role = "IAM:dwh_user"

    override func setUpWithError() throws {
        moto = try MotoServer.start()
        directory = try temporaryFolder("iam")
        database = try freshDatabase(prefix: "iam")
        let admin = try Connection(database.adminURL)
        _ = try? admin.execute("CREATE ROLE \(try admin.escapeIdentifier(role)) LOGIN")
        let db = try database.connect()
        try db.execute("GRANT ALL ON SCHEMA public TO \(try db.escapeIdentifier(role))")
        hbaFile = try admin.execute("SHOW hba_file").scalar ?? ""
        originalHBA = try String(contentsOfFile: hbaFile, encoding: .utf8)
        try ("host all \"\(role)\" 127.0.0.1/32 trust\n" + originalHBA).write(toFile: hbaFile, atomically: true, encoding: .utf8)
        try admin.execute("SELECT pg_reload_conf()")
        try? moto.client().query(.redshift, "CreateCluster", [
            ("ClusterIdentifier", "iamtest"), ("ClusterType", "single-node"), ("NodeType", "dc2.large"),
            ("MasterUsername", "master"), ("MasterUserPassword", "Master9Password"),
        ])
    }

    override func tearDownWithError() throws {
        if !hbaFile.isEmpty {
            try originalHBA.write(toFile: hbaFile, atomically: true, encoding: .utf8)
            _ = try? Connection(database.adminURL).execute("SELECT pg_reload_conf()")
        }
    }

    func writeConfig(_ extra: String = "") throws -> String {
        let options = try ConnectionOptions(parsing: database.adminURL)
        let path = directory + "/dwh.cfg"
        try """
        [CLUSTER]
        HOST = \(options["host"] ?? "127.0.0.1")
        DB_PORT = \(options["port"] ?? "5432")
        DB_NAME = \(database.name)
        DB_USER = dwh_user
        AUTH = iam
        CLUSTER_IDENTIFIER = iamtest
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    func dwh(_ arguments: [String]) throws -> ProcessOutput {
        var environment = moto.environment()
        environment["DWH_DATABASE_URL"] = ""
        environment["PGHOST"] = nil
        return try DWHBinary.run(arguments, environment: environment)
    }

    /// moto's passwords are 32 random letters and digits: none may show anywhere.
    func assertNoTemporaryPassword(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = text.range(of: "[A-Za-z0-9]{32}", options: .regularExpression)
        XCTAssertNil(found, "a password-like token leaked: \(text)", file: file, line: line)
    }

    func testSQLSignsInAsTheIAMUser() throws {
        let config = try writeConfig()
        let before = try String(contentsOfFile: config, encoding: .utf8)
        let sql = try dwh(["sql", "SELECT current_user AS who", "--config", config, "--format", "csv"])
        XCTAssertEqual(sql.status, 0, sql.stderr)
        XCTAssertTrue(sql.stdout.contains("IAM:dwh_user"), sql.stdout)
        for text in [sql.stdout, sql.stderr] { assertNoTemporaryPassword(text) }
        XCTAssertEqual(try String(contentsOfFile: config, encoding: .utf8), before, "nothing is written to dwh.cfg")
    }

    func testMigrateStatusSignsInAsTheIAMUser() throws {
        let config = try writeConfig()
        let before = try String(contentsOfFile: config, encoding: .utf8)
        let status = try dwh(["migrate", "status", "--config", config])
        XCTAssertEqual(status.status, 0, status.stderr)
        for text in [status.stdout, status.stderr] { assertNoTemporaryPassword(text) }
        XCTAssertEqual(try String(contentsOfFile: config, encoding: .utf8), before, "nothing is written to dwh.cfg")
    }

    func testIAMFlagOverridesAPasswordConfig() throws {
        let config = try writeConfig()
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "AUTH = iam", with: "AUTH = password")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let plain = try dwh(["sql", "SELECT current_user", "--config", config, "--format", "csv"])
        XCTAssertNotEqual(plain.status, 0, "without --iam dwh connects as dwh_user, who does not exist")
        let signed = try dwh(["sql", "SELECT current_user", "--config", config, "--format", "csv", "--iam"])
        XCTAssertEqual(signed.status, 0, signed.stderr)
        XCTAssertTrue(signed.stdout.contains("IAM:dwh_user"), signed.stdout)
    }

    func testDurationOutOfRangeIsAConfigErrorNamingTheKey() throws {
        let config = try writeConfig("DURATION_SECONDS = 300")
        let output = try dwh(["sql", "SELECT 1", "--config", config])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("\(config):8: [CLUSTER] DURATION_SECONDS = 300 is not usable"), output.stderr)
        XCTAssertTrue(output.stderr.contains("900 to 3600"), output.stderr)
    }

    func testServerlessWorkgroupIsRefusedPlainly() throws {
        let config = try writeConfig("WORKGROUP = analytics")
        let output = try dwh(["sql", "SELECT 1", "--config", config])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("Redshift Serverless"), output.stderr)
        XCTAssertTrue(output.stderr.contains("not supported yet"), output.stderr)
    }

    func testUnknownClusterNamesTheAWSCode() throws {
        let config = try writeConfig()
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "CLUSTER_IDENTIFIER = iamtest", with: "CLUSTER_IDENTIFIER = nosuchcluster")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let output = try dwh(["sql", "SELECT 1", "--config", config])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("GetClusterCredentials on cluster nosuchcluster, database user dwh_user"), output.stderr)
        XCTAssertTrue(output.stderr.contains("failed with ClusterNotFound"), output.stderr)
    }

    /// The cache hands out the same password until a minute before expiry, then fetches anew.
    func testCacheRefreshesExpiredCredentials() throws {
        let now = LockedDate(Date())
        let cache = ClusterCredentialCache(clock: { now.value })
        let auth = ClusterAuth(clusterIdentifier: "iamtest", dbUser: "dwh_user", durationSeconds: 900)
        let client = try moto.client()
        let first = try cache.credentials(for: auth) { client }
        XCTAssertEqual(first.user, "IAM:dwh_user")
        now.value = now.value.addingTimeInterval(600)
        let second = try cache.credentials(for: auth) { client }
        XCTAssertEqual(cache.fetches, 1)
        XCTAssertEqual(second.expiration, first.expiration)
        now.value = first.expiration.addingTimeInterval(-30)
        let third = try cache.credentials(for: auth) { client }
        XCTAssertEqual(cache.fetches, 2)
        XCTAssertGreaterThan(third.expiration, first.expiration)
        XCTAssertFalse("\(third)".contains(try XCTUnwrap(Mirror(reflecting: third).children.first { $0.label == "password" }?.value as? String)))
    }
}

final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date
    init(_ date: Date) { self.date = date }
    var value: Date {
        get { lock.lock(); defer { lock.unlock() }; return date }
        set { lock.lock(); date = newValue; lock.unlock() }
    }
}
