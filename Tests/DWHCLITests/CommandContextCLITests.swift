import DWHCore
import Foundation
import TestSupport
import XCTest

/// dwh.cfg is read once per command: each of its warnings is printed once, not once for
/// every part of the command that needs a setting.
final class CommandContextCLITests: XCTestCase {
    func testEachConfigWarningIsPrintedOncePerCommand() throws {
        let folder = try temporaryFolder("context-cli")
        let config = folder + "/dwh.cfg"
        try "[CLUSTER]\nHOTS = x\nDB_PASSWORD = not-a-real-one\n".write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)
        let database = try freshDatabase(prefix: "ctx")
        let shared = SharedData.path
        let commands = [
            ["migrate", "--migrations-dir", DWHBinary.packageRoot + "/migrations"],
            ["load", "--dry-run", "--songs", shared + "/song_data", "--events", shared + "/log_data"],
            ["sql", "SELECT 1 AS one", "--format", "csv"],
        ]
        for command in commands {
            let output = try database.run(command + ["--config", config])
            XCTAssertEqual(output.status, 0, "\(command): \(output.stderr)")
            for warning in ["unknown key HOTS in [CLUSTER]", "chmod 600"] {
                XCTAssertEqual(output.stderr.components(separatedBy: warning).count - 1, 1, "\(command): \(output.stderr)")
            }
        }
    }
}
