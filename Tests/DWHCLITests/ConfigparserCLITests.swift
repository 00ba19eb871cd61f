import DWHCore
import Foundation
import TestSupport
import XCTest

/// dwh.cfg is read with Python's configparser by the Sparkify scripts: dwh reads each file
/// here as configparser (python3, run beside it) does, or refuses it with file:line.
final class ConfigparserCLITests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = try temporaryFolder("cp")
    }

    /// What configparser makes of [CLUSTER]: `user@host:port/db`, or the error it raises.
    func configparser(_ path: String) throws -> String {
        let script = """
        import configparser, sys
        c = configparser.ConfigParser()
        try:
            c.read(sys.argv[1])
            s = c['CLUSTER']
            print(f"{s['DB_USER']}@{s['HOST']}:{s['DB_PORT']}/{s['DB_NAME']}", end='')
        except Exception as e:
            print('error ' + type(e).__name__, end='')
        """
        return try Shell.run("/usr/bin/env", ["python3", "-c", script, path]).stdout
    }

    func write(_ text: String) throws -> String {
        let path = folder + "/dwh-\(UInt32.random(in: 0...UInt32.max)).cfg"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    func testDefaultAndInterpolationMeanWhatConfigparserMakesOfThem() throws {
        let path = try write("""
        [DEFAULT]
        DB_PORT = 5439
        DB_USER = analyst
        base = sparkify

        [CLUSTER]
        HOST = %(base)s.example.com
        DB_NAME = %(base)s_db
        DB_PASSWORD = 100%%sure

        """)
        let expected = try configparser(path)
        XCTAssertEqual(expected, "analyst@sparkify.example.com:5439/sparkify_db")
        let shown = try DWHBinary.expect(0, ["config", "show", "--config", path])
        XCTAssertTrue(shown.stdout.contains("database             \(expected)  (\(path) [CLUSTER])"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("CLUSTER.HOST         sparkify.example.com"), shown.stdout)
        XCTAssertFalse(shown.stdout.contains("100%sure") || shown.stdout.contains("100%%sure"), shown.stdout)
    }

    /// Each of these configparser refuses or reads otherwise than dwh could: dwh refuses it,
    /// naming the line, and never falls back to its own database.
    func testWhatConfigparserReadsOtherwiseIsRefusedWithFileAndLine() throws {
        let base = "DB_NAME = d\nDB_USER = u\nDB_PORT = 5439\n"
        let cases: [(text: String, line: Int, says: String, python: String)] = [
            ("[CLUSTER]\nHOST = \"db.example.com\"\n" + base, 2, "HOST's value is in double quotes", "u@\"db.example.com\":5439/d"),
            ("[CLUSTER]\nHOST = a.example.com\n" + base + "host = b.example.com\n", 6, "host is given twice in [CLUSTER] (first on line 2)",
             "error DuplicateOptionError"),
            ("[CLUSTER]\nHOST = a.example.com\n  b.example.com\n" + base, 3, "an indented line continues the value above it",
             "u@a.example.com\nb.example.com:5439/d"),
            ("[cluster]\nHOST = a.example.com\n" + base, 1, "[cluster]: configparser's section names are case-sensitive",
             "error KeyError"),
            ("[DEFAULT]\nHOST = a.example.com\n" + base, 2, "[DEFAULT] gives HOST, but configparser applies [DEFAULT] only to sections that exist",
             "error KeyError"),
            ("[CLUSTER]\nHOST = a.example.com\n" + base + "DB_PASSWORD = 50%off\n", 6, "a `%` starts an interpolation for configparser",
             "u@a.example.com:5439/d"),
            ("[CLUSTER]\nHOST = %(nothing)s\n" + base, 2, "`%(nothing)s` names no key in [CLUSTER] or [DEFAULT]",
             "error InterpolationMissingOptionError"),
            ("[CLUSTER]\nHOST = a.example.com\n" + base + "[CLUSTER]\nDB_PASSWORD = p\n", 6, "[CLUSTER] is given again (first on line 1)",
             "error DuplicateSectionError"),
        ]
        for (text, line, says, python) in cases {
            let path = try write(text)
            XCTAssertEqual(try configparser(path), python, text)
            for command in [["config", "show"], ["sql", "SELECT 1"]] {
                let output = try DWHBinary.run(command + ["--config", path])
                XCTAssertEqual(output.status, 1, text)
                XCTAssertTrue(output.stderr.contains("\(path):\(line): \(says)"), output.stderr)
                XCTAssertTrue(output.stdout.isEmpty, output.stdout)
            }
        }
    }
}
