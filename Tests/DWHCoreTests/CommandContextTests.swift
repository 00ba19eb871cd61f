@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// A command's context: dwh.cfg read once with its warnings, and the UNLOAD decision.
final class CommandContextTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = try temporaryFolder("context")
    }

    func context(_ text: String) throws -> CommandContext {
        let path = folder + "/dwh.cfg"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return try CommandContext(configPath: path)
    }

    func testTheWarningsAreTheFilesOwnOnceEach() throws {
        let context = try context("[CLUSTER]\nHOTS = x\n")
        XCTAssertEqual(context.warnings, ["\(folder)/dwh.cfg:2: unknown key HOTS in [CLUSTER]; did you mean HOST?"])
        XCTAssertEqual(try CommandContext(configPath: folder + "/none.cfg").warnings, [])
    }

    func testOnlyACSVOnRedshiftWithAnUnloadPrefixGoesThroughS3() throws {
        let context = try context("[S3]\nUNLOAD_PREFIX = s3://exports/dwh/\n[IAM_ROLE]\nARN = arn:aws:iam::123456789012:role/r\n"
                                  + "[AWS]\nKEY = AKIDEXAMPLE\nSECRET = example-only\nREGION = us-west-2\n")
        XCTAssertEqual(try context.unload(dialect: .redshift, format: .csv)?.prefix, S3Location(bucket: "exports", key: "dwh/"))
        XCTAssertNil(try context.unload(dialect: .redshift, format: .table))
        XCTAssertNil(try context.unload(dialect: .postgres, format: .csv))
        XCTAssertNil(try self.context("[S3]\nUNLOAD_PREFIX =\n").unload(dialect: .redshift, format: .csv))
    }
}
