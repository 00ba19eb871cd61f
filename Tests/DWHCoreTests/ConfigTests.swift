import DWHCore
import Foundation
import XCTest

final class ConfigTests: XCTestCase {
    let classic = """
    # Sparkify settings
    [CLUSTER]
    HOST=example.abc123.us-west-2.redshift.amazonaws.com
    DB_NAME=dwh
    DB_USER=dwhuser
    DB_PASSWORD=Passw0rd
    DB_PORT=5439

    [IAM_ROLE]
    ARN='arn:aws:iam::123456789012:role/dwhRole'

    [S3]
    LOG_DATA='s3://udacity-dend/log_data'
    LOG_JSONPATH='s3://udacity-dend/log_json_path.json'
    SONG_DATA='s3://udacity-dend/song_data'
    [DWH]
    NODE_TPYE=dc2.large
    """

    func testReadsClassicFileWithQuotesStripped() {
        let file = ConfigFile(path: "dwh.cfg", text: classic)
        XCTAssertEqual(file.value("IAM_ROLE", "ARN")?.value, "arn:aws:iam::123456789012:role/dwhRole")
        XCTAssertEqual(file.value("cluster", "db_port")?.value, "5439")
        XCTAssertEqual(file.value("CLUSTER", "HOST")?.line, 3)
    }

    func testUnknownKeyGetsClosestSuggestion() {
        let warnings = ConfigSchema.warnings(for: ConfigFile(path: "dwh.cfg", text: classic))
        XCTAssertEqual(warnings, ["dwh.cfg:17: unknown key NODE_TPYE in [DWH]; did you mean NODE_TYPE?"])
        let sections = ConfigSchema.warnings(for: ConfigFile(path: "dwh.cfg", text: "[CLUSTR]\n[S]\n[ZZZZZZ]\n"))
        XCTAssertEqual(sections, ["dwh.cfg:1: unknown section [CLUSTR]; did you mean CLUSTER?",
                                  "dwh.cfg:2: unknown section [S]; did you mean S3?", "dwh.cfg:3: unknown section [ZZZZZZ]"])
    }

    func testRewriteKeepsCommentsAndOrder() {
        var file = ConfigFile(path: "dwh.cfg", text: classic)
        file.set("CLUSTER", "HOST", "new.host")
        file.set("IAM_ROLE", "ARN", "arn:new")
        file.set("AWS", "REGION", "us-west-2")
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[0], "# Sparkify settings")
        XCTAssertEqual(lines[2], "HOST = new.host")
        XCTAssertEqual(lines[9], "ARN = arn:new")
        XCTAssertTrue(file.text.hasSuffix("[AWS]\nREGION = us-west-2\n"), file.text)
    }

    func testSaveKeepsTheModeAndAFailedSaveSaysWhy() throws {
        let path = NSTemporaryDirectory() + "dwh-cfg-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        try "[CLUSTER]\nHOST=a\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o640)
        var file = try XCTUnwrap(ConfigFile.load(path))
        file.set("CLUSTER", "HOST", "b")
        try file.save()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "[CLUSTER]\nHOST = b\n")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o640)
        XCTAssertThrowsError(try ConfigFile(path: "/nonexistent-dwh/dwh.cfg", text: "").save()) { error in
            XCTAssertTrue("\(error)".hasPrefix("could not save /nonexistent-dwh/dwh.cfg: cannot create"), "\(error)")
        }
    }

    func testPrecedenceFlagThenEnvironmentThenFileThenEmbedded() throws {
        let file = ConfigFile(path: "dwh.cfg", text: classic)
        let env = ["DWH_DATABASE_URL": "postgresql://env@localhost/envdb", "DWH_HOME": "/tmp/x"]
        XCTAssertEqual(try DatabaseTarget.resolve(flag: "postgresql://flag@h/db", config: file, environment: env).source, .flag)
        XCTAssertEqual(try DatabaseTarget.resolve(flag: nil, config: file, environment: env).source, .environment)
        let fromFile = try DatabaseTarget.resolve(flag: nil, config: file, environment: [:])
        XCTAssertEqual(fromFile.source, .configFile(path: "dwh.cfg"))
        XCTAssertEqual(fromFile.dialect, .redshift)
        XCTAssertTrue(fromFile.conninfo.contains("sslmode='require'"))
        let chosen = try DatabaseTarget.resolve(flag: nil, config: file, environment: ["PGSSLMODE": "verify-full"])
        XCTAssertFalse(chosen.conninfo.contains("sslmode"), "PGSSLMODE is left for libpq to apply")
        XCTAssertFalse(fromFile.summary.contains("Passw0rd"))
        XCTAssertEqual(try DatabaseTarget.resolve(flag: nil, config: nil, environment: ["DWH_HOME": "/tmp/x"]).source,
                       .embedded(home: "/tmp/x"))
    }

    func testRedactionHidesPasswords() {
        XCTAssertEqual(Secrets.redactConnectionString("postgresql://u:p%40ss@h:5432/d"), "postgresql://u:********@h:5432/d")
        XCTAssertEqual(Secrets.redactConnectionString("host=h password='a b' user=u"), "host=h password=******** user=u")
    }

    func testABadURLsErrorNeverQuotesItsPassword() {
        let url = "postgresql://u:pa%zzS3cret@127.0.0.1/x"
        XCTAssertThrowsError(try DatabaseTarget.resolve(flag: url, config: nil, environment: [:])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("invalid percent-encoded token"), text)
            XCTAssertFalse(text.contains("S3cret"), text)
        }
        XCTAssertEqual(Secrets.redact("auth for p@ss and p%40ss failed", passwordOf: "postgresql://u:p%40ss@h/d"),
                       "auth for ******** and ******** failed")
        XCTAssertEqual(Secrets.redact("token \"x y\"", passwordOf: "host=h password='x y'"), "token \"********\"")
    }
}
