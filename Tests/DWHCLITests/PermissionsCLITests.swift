import DWHCore
import Foundation
import TestSupport
import XCTest

/// Files dwh replaces keep who may read them: a 0600 export stays 0600, a symbolic link to
/// dwh.cfg stays a link to a file whose mode is unchanged.
final class PermissionsCLITests: XCTestCase {
    func mode(_ path: String) throws -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { throw TestFailure(message: "no file \(path)") }
        return Int(status.st_mode & 0o7777)
    }

    func isLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    func testAnExportKeepsTheModeOfTheFileItReplaces() throws {
        let database = try freshDatabase(prefix: "perm")
        let here = try temporaryFolder("perm")
        for (name, oldMode) in [("private.csv", 0o600), ("group.csv", 0o640), ("odd.csv", 0o604)] {
            try "old\n".write(toFile: here + "/" + name, atomically: true, encoding: .utf8)
            XCTAssertEqual(chmod(here + "/" + name, mode_t(oldMode)), 0)
            try database.expect(0, ["sql", "SELECT 1 AS a", "--format", "csv", "-o", here + "/" + name])
            XCTAssertEqual(try String(contentsOfFile: here + "/" + name, encoding: .utf8), "a\n1\n")
            XCTAssertEqual(try mode(here + "/" + name), oldMode, name)
        }
    }

    /// here/link.csv, a link to here/real/out.csv (mode 0600), exported to; returns `here`.
    private func exportedThroughALink() throws -> String {
        let database = try freshDatabase(prefix: "perm")
        let here = try temporaryFolder("perm")
        try FileManager.default.createDirectory(atPath: here + "/real", withIntermediateDirectories: true)
        try "old\n".write(toFile: here + "/real/out.csv", atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(here + "/real/out.csv", 0o600), 0)
        XCTAssertEqual(symlink("real/out.csv", here + "/link.csv"), 0)
        try database.expect(0, ["sql", "SELECT 2 AS b", "--format", "csv", "-o", here + "/link.csv"])
        return here
    }

    func testAnExportThroughALinkKeepsTheLink() throws {
        XCTAssertTrue(isLink(try exportedThroughALink() + "/link.csv"))
    }

    func testAnExportThroughALinkReplacesItsTarget() throws {
        let here = try exportedThroughALink()
        XCTAssertEqual(try String(contentsOfFile: here + "/real/out.csv", encoding: .utf8), "b\n2\n")
        XCTAssertEqual(try mode(here + "/real/out.csv"), 0o600)
    }

    func testAnExportThroughALinkToNothingIsRefused() throws {
        let database = try freshDatabase(prefix: "perm")
        let here = try temporaryFolder("perm")
        // A link to nothing is refused rather than followed into a new file somewhere.
        XCTAssertEqual(symlink(here + "/nowhere/x.csv", here + "/dangling.csv"), 0)
        let dangling = try database.expect(1, ["sql", "SELECT 3", "--format", "csv", "-o", here + "/dangling.csv"])
        XCTAssertTrue(dangling.stderr.contains("it is a symbolic link to nothing"), dangling.stderr)
    }

    func testAReportKeepsTheModeOfTheFileItReplaces() throws {
        let database = try freshDatabase(prefix: "perm")
        let here = try temporaryFolder("perm")
        try "<html>old</html>".write(toFile: here + "/report.html", atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(here + "/report.html", 0o600), 0)
        let report = try database.run(["report", "-o", here + "/report.html"], environment: ["DWH_QUERIES": DWHBinary.packageRoot + "/queries"])
        XCTAssertTrue([0, 1].contains(report.status), report.stderr)
        XCTAssertNotEqual(try String(contentsOfFile: here + "/report.html", encoding: .utf8), "<html>old</html>")
        XCTAssertEqual(try mode(here + "/report.html"), 0o600)
    }

    func testANewFileGetsTheUsualModeLessTheUmask() throws {
        let database = try freshDatabase(prefix: "perm")
        let here = try temporaryFolder("perm")
        try database.expect(0, ["sql", "SELECT 1", "-o", here + "/new.txt"])
        let mask = umask(0)
        umask(mask)
        XCTAssertEqual(try mode(here + "/new.txt"), 0o644 & ~Int(mask))
    }

    /// `dwh cluster up` rewriting a dwh.cfg that is a symbolic link: written through, the link
    /// kept, the mode of the real file unchanged.
    func testClusterUpWritesThroughASymlinkedConfigAndKeepsItsMode() throws {
        let moto = try MotoServer.start()
        let here = try temporaryFolder("perm")
        try FileManager.default.createDirectory(atPath: here + "/secrets", withIntermediateDirectories: true)
        let real = here + "/secrets/dwh.cfg"
        try """
        [CLUSTER]
        HOST=
        DB_NAME=sparkify

        [DWH]
        CLUSTER_TYPE=single-node
        NUM_NODES=1
        NODE_TYPE=dc2.large
        CLUSTER_IDENTIFIER=linked
        DB_NAME=sparkify
        DB_USER=analyst
        DB_PASSWORD=Linked9Secret
        IAM_ROLE_NAME=linkedRole

        """.write(toFile: real, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(real, 0o600), 0)
        let link = here + "/dwh.cfg"
        XCTAssertEqual(symlink("secrets/dwh.cfg", link), 0)
        let up = try DWHBinary.expect(0, ["cluster", "up", "--config", link, "--cidr", "198.51.100.8/32", "--no-connect"],
                                         environment: moto.environment())
        XCTAssertTrue(isLink(link), "the link was replaced by a copy")
        XCTAssertEqual(try mode(real), 0o600)
        let written = try XCTUnwrap(ConfigFile.load(real))
        XCTAssertTrue(written.value("CLUSTER", "HOST")?.value.hasPrefix("linked.") == true, written.text)
        XCTAssertFalse(up.stdout.contains("Linked9Secret") || up.stderr.contains("Linked9Secret"))
        _ = try DWHBinary.run(["cluster", "down", "--config", link, "--yes"], environment: moto.environment())
    }
}
