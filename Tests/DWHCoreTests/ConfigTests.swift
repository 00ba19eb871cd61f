import DWHCore
import Foundation
import TestSupport
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

    func testReadsClassicFileWithQuotesStripped() throws {
        let file = try ConfigFile(path: "dwh.cfg", text: classic)
        XCTAssertEqual(file.value("IAM_ROLE", "ARN")?.value, "arn:aws:iam::123456789012:role/dwhRole")
        XCTAssertEqual(file.value("CLUSTER", "db_port")?.value, "5439")
        XCTAssertEqual(file.value("CLUSTER", "HOST")?.line, 3)
    }

    func testUnknownKeyGetsClosestSuggestion() throws {
        let warnings = ConfigSchema.warnings(for: try ConfigFile(path: "dwh.cfg", text: classic))
        XCTAssertEqual(warnings, ["dwh.cfg:17: unknown key NODE_TPYE in [DWH]; did you mean NODE_TYPE?"])
        let sections = ConfigSchema.warnings(for: try ConfigFile(path: "dwh.cfg", text: "[CLUSTR]\n[S]\n[ZZZZZZ]\n"))
        XCTAssertEqual(sections, ["dwh.cfg:1: unknown section [CLUSTR]; did you mean CLUSTER?",
                                  "dwh.cfg:2: unknown section [S]; did you mean S3?", "dwh.cfg:3: unknown section [ZZZZZZ]"])
    }

    func testRewriteKeepsCommentsAndOrder() throws {
        var file = try ConfigFile(path: "dwh.cfg", text: classic)
        file.set("CLUSTER", "HOST", "new.host")
        file.set("IAM_ROLE", "ARN", "arn:new")
        file.set("AWS", "REGION", "us-west-2")
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[0], "# Sparkify settings")
        XCTAssertEqual(lines[2], "HOST = new.host")
        XCTAssertEqual(lines[9], "ARN = arn:new")
        XCTAssertTrue(file.text.hasSuffix("[AWS]\nREGION = us-west-2\n"), file.text)
    }

    /// A dwh.cfg of mode 0640 whose HOST was set from a to b and saved; its path.
    private func savedFile() throws -> String {
        let path = try temporaryFolder("cfg") + "/dwh.cfg"
        try "[CLUSTER]\nHOST=a\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o640)
        var file = try XCTUnwrap(ConfigFile.load(path))
        file.set("CLUSTER", "HOST", "b")
        try file.save()
        return path
    }

    func testSaveWritesTheText() throws {
        XCTAssertEqual(try String(contentsOfFile: savedFile(), encoding: .utf8), "[CLUSTER]\nHOST = b\n")
    }

    func testSaveKeepsTheFilesMode() throws {
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: savedFile())[.posixPermissions] as? Int, 0o640)
    }

    func testAFailedSaveSaysWhy() {
        XCTAssertThrowsError(try ConfigFile(path: "/nonexistent-dwh/dwh.cfg", text: "").save()) { error in
            XCTAssertTrue("\(error)".hasPrefix("could not save /nonexistent-dwh/dwh.cfg: cannot create"), "\(error)")
        }
    }

    func testPrecedenceFlagThenEnvironmentThenFileThenEmbedded() throws {
        let file = try ConfigFile(path: "dwh.cfg", text: classic)
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

    func testRedactionHidesPasswords() throws {
        XCTAssertEqual(Secrets.redactConnectionString("postgresql://u:p%40ss@h:5432/d"), "postgresql://u:********@h:5432/d")
        XCTAssertEqual(Secrets.redactConnectionString("host=h password='a b' user=u"), "host=h password=******** user=u")
    }

    func testABadURLsErrorNeverQuotesItsPassword() throws {
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

    /// Passwords holding URL delimiters, percent signs and spaces, in a URL as typed
    /// (encoded) and in the text around it: never shown, and nothing else is touched.
    func testAPasswordWithAnyCharactersIsHiddenWholeAndOnlyIt() throws {
        let passwords = ["p@ss:w/rd?#x", "100%+=sure", "two words", "s", "pa#ss@"]
        for password in passwords {
            let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let url = "postgresql://ann:\(encoded)@db.example:5432/dwh"
            let text = "could not connect to \(url) (separator; password \(password) and \(encoded)): ERROR"
            XCTAssertEqual(Secrets.redact(text, passwordOf: url), "could not connect to postgresql://ann:********@db.example:5432/dwh "
                + "(separator; password ******** and ********): ERROR")
            let raw = "postgresql://ann:\(password)@db/dwh"
            XCTAssertEqual(Secrets.redact("x \(raw) y", passwordOf: raw), "x postgresql://ann:********@db/dwh y")
        }
    }

    /// libpq reads `alice:hunter2/x@…` as host `alice` and port `hunter2`, and would show
    /// them: such a URL is refused before anything connects, without being quoted.
    func testAURLWhosePasswordLibpqWouldMisreadIsRefusedUnquoted() throws {
        for url in ["postgresql://alice:hunter2/x@db.example.com/dwh", "postgres://alice:p@ss@db/dwh",
                    "postgresql://alice:hunter2/x@[::1]:5432/dwh?sslmode=disable"] {
            XCTAssertThrowsError(try DatabaseTarget.resolve(flag: url, config: nil, environment: [:])) { error in
                XCTAssertTrue("\(error)".contains("percent-encode them"), "\(error)")
                XCTAssertFalse("\(error)".contains("hunter2") || "\(error)".contains("p@ss"), "\(error)")
            }
        }
        // Valid URLs are not refused: an @ in the query, IPv6 hosts, sockets, no password.
        for url in ["postgresql://alice:p%40ss%2Fx@db/dwh?sslmode=disable", "postgresql://db.example.com/dwh",
                    "postgresql://db.example.com:5432/dwh?user=admin@corp", "postgresql://alice:pw@db/dwh?application_name=etl@nightly",
                    "postgresql://[::1]:5432/dwh?user=a@b", "postgresql://user:pw@[::1]:5432/db", "postgresql:///db?host=/var/run",
                    "postgresql://user@host/db", "postgresql://alice:a?b@db/dwh"] {
            XCTAssertNoThrow(try DatabaseTarget.resolve(flag: url, config: nil, environment: [:]), url)
        }
    }

    private func windowsFile() throws -> ConfigFile {
        try ConfigFile(path: "dwh.cfg", text: "\u{FEFF}" + classic.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    func testWindowsLineEndsAndAByteOrderMarkReadTheSameSettings() throws {
        let crlf = try windowsFile()
        let plain = try ConfigFile(path: "dwh.cfg", text: classic)
        XCTAssertEqual(crlf.entries.map { "\($0.section).\($0.key)=\($0.value)@\($0.line)" },
                       plain.entries.map { "\($0.section).\($0.key)=\($0.value)@\($0.line)" })
        XCTAssertEqual(crlf.value("CLUSTER", "DB_PASSWORD")?.value, plain.value("CLUSTER", "DB_PASSWORD")?.value)
    }

    func testAFileWithWindowsLineEndsKeepsThemEverywhere() throws {
        let crlf = try windowsFile()
        XCTAssertTrue(crlf.text.hasSuffix("\r\n"))
        XCTAssertFalse(crlf.text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    func testALineThatIsNoSettingIsAnErrorThatDoesNotQuoteIt() throws {
        for (text, line) in [("[CLUSTER]\nHOST=h\nDB_PASSWORD hunter2\n", 3), ("[CLUSTER\nHOST=h\n", 1),
                             ("[AWS]\n= nokey\n", 2), ("[AWS]\nKEY=\u{01}\u{02}binary\n", 2)] {
            XCTAssertThrowsError(try ConfigFile(path: "/etc/dwh.cfg", text: text)) { error in
                XCTAssertTrue("\(error)".hasPrefix("/etc/dwh.cfg:\(line): not a [section], a key = value line"), "\(error)")
                XCTAssertFalse("\(error)".contains("hunter2"))
            }
        }
        let folder = try temporaryFolder("cfg")
        try Data([0x5B, 0x41, 0x5D, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: folder + "/dwh.cfg"))
        XCTAssertThrowsError(try ConfigFile.load(folder + "/dwh.cfg")) {
            XCTAssertTrue("\($0)".hasPrefix("\(folder)/dwh.cfg:2:1: not valid UTF-8 text"), "\($0)")
        }
    }

    /// configparser refuses a section given twice; so does dwh. (Files it does not read as
    /// configparser does, the AWS CLI's, keep the later value.)
    func testASectionTwiceIsRefused() throws {
        XCTAssertThrowsError(try ConfigFile(path: "dwh.cfg", text: "[CLUSTER]\nHOST=a\n[S3]\n[CLUSTER]\nHOST=b\n")) {
            XCTAssertEqual("\($0)", "dwh.cfg:4: [CLUSTER] is given again (first on line 1); configparser refuses a section "
                + "given twice: merge them (nothing else was read)")
        }
        let file = try ConfigFile(path: "credentials", text: "[default]\nx=a\n[s]\n[default]\nx=b\n", configparser: false)
        XCTAssertEqual(file.value("default", "x")?.value, "b")
    }

    func testEveryKeyThatLooksLikeASecretIsMasked() {
        for (section, key) in [("CLUSTER", "DB_PASSWORD"), ("cluster", "db_password"), ("CLUSTER", "DB_PASSWROD"),
                               ("CLUSTER", "DB_PASWORD"), ("AWS", "KEY"), ("AWS", "aws_secret_access_key"), ("X", "API_TOKEN"),
                               ("", "password"), ("DWH", "DB_PWD"), ("S3", "SECERT"), ("AWS", "session_tokn")] {
            XCTAssertTrue(ConfigSchema.isSecret(section: section, key: key), "\(section).\(key)")
        }
        for (section, key) in [("CLUSTER", "HOST"), ("CLUSTER", "DB_USER"), ("S3", "LOG_DATA"), ("DWH", "NODE_TYPE"),
                               ("DWH", "NUM_NODES"), ("AWS", "REGION"), ("DWH", "IAM_ROLE_NAME")] {
            XCTAssertFalse(ConfigSchema.isSecret(section: section, key: key), "\(section).\(key)")
        }
    }
}
