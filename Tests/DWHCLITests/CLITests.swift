import DWHCore
import Foundation
import TestSupport
import XCTest

final class CLITests: XCTestCase {
    func testHelpListsCommandsAndExitsZero() throws {
        let output = try DWHBinary.run(["--help"])
        XCTAssertEqual(output.status, 0)
        XCTAssertTrue(output.stdout.contains("db"), output.stdout)
    }

    func testUnknownCommandIsAUsageError() throws {
        let output = try DWHBinary.run(["frobnicate"])
        XCTAssertEqual(output.status, 64)
        XCTAssertTrue(output.stderr.contains("frobnicate"), output.stderr)
    }

    func testConfigShowMasksSecrets() throws {
        let directory = NSTemporaryDirectory() + "dwh-cli-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/dwh.cfg"
        try "[CLUSTER]\nHOST=db.example.com\nDB_PASSWORD=hunter2secret\n[AWS]\nSECRET=abcSECRETxyz\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)
        let output = try DWHBinary.run(["config", "show", "--config", config])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertFalse((output.stdout + output.stderr).contains("hunter2secret"))
        XCTAssertFalse((output.stdout + output.stderr).contains("abcSECRETxyz"))
        XCTAssertTrue(output.stdout.contains("CLUSTER.HOST"), output.stdout)
        XCTAssertTrue(output.stderr.contains("chmod 600"), output.stderr)
    }
}
