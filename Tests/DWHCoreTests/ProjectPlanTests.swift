import DWHCore
import Foundation
import TestSupport
import XCTest

/// `dwh init`'s plan: the starter project built into the binary, decided before writing,
/// refused as a whole when anything is in the way.
final class ProjectPlanTests: XCTestCase {
    let root = DWHBinary.packageRoot

    func listing(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    }

    func testTheStarterProjectIsTheCheckoutsSchemaQueriesAndSettings() throws {
        let plan = ProjectPlan(directory: "sparkify")
        let migrations = try FileManager.default.contentsOfDirectory(atPath: root + "/migrations").sorted().map { "migrations/" + $0 }
        let queries = try FileManager.default.contentsOfDirectory(atPath: root + "/queries").sorted().map { "queries/" + $0 }
        let checks = try FileManager.default.contentsOfDirectory(atPath: root + "/checks").sorted().map { "checks/" + $0 }
        XCTAssertEqual(plan.files.map(\.path), [".gitignore"] + checks + ["dwh.cfg"] + migrations + queries)
        XCTAssertTrue(queries.contains("queries/report.txt"))
        XCTAssertTrue(checks.contains("checks/plays_have_a_level.sql"))
        for file in plan.files where ["migrations/", "queries/", "checks/"].contains(where: file.path.hasPrefix) {
            XCTAssertEqual(file.contents, FileManager.default.contents(atPath: root + "/" + file.path), file.path)
            XCTAssertEqual(file.mode, 0o644, file.path)
        }
        let settings = try XCTUnwrap(plan.files.first { $0.path == "dwh.cfg" })
        XCTAssertEqual(settings.contents, FileManager.default.contents(atPath: root + "/dwh.cfg.example"))
        XCTAssertEqual(settings.mode, 0o600)
        let ignore = try XCTUnwrap(plan.files.first { $0.path == ".gitignore" })
        let lines = String(decoding: ignore.contents, as: UTF8.self).split(separator: "\n")
        XCTAssertTrue(lines.contains(".dwh/") && lines.contains("dwh.cfg"), "\(lines)")
        XCTAssertEqual(plan.path(for: settings), "sparkify/dwh.cfg")
        XCTAssertEqual(ProjectPlan(directory: ".").path(for: settings), "dwh.cfg")
    }

    func testWritingCreatesTheFolderAndKeepsTheSettingsPrivate() throws {
        let target = try temporaryFolder("init") + "/new/project"
        let plan = ProjectPlan(directory: target)
        XCTAssertEqual(plan.conflicts, [])
        let written = try plan.write()
        XCTAssertEqual(written, plan.files.map { target + "/" + $0.path })
        XCTAssertEqual(FileManager.default.contents(atPath: target + "/queries/top_songs.sql"),
                       FileManager.default.contents(atPath: root + "/queries/top_songs.sql"))
        let mode = try FileManager.default.attributesOfItem(atPath: target + "/dwh.cfg")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        // The folders dwh looks in now find the project.
        XCTAssertEqual(try QueryCatalog.locate(environment: [:], currentDirectory: target, executable: nil).directory,
                       target + "/queries")
        XCTAssertEqual(try MigrationSet.locate(flag: target + "/migrations", environment: [:]).files.count,
                       plan.files.filter { $0.path.hasPrefix("migrations/") }.count)
    }

    func testAnythingInTheWayIsNamedAndNothingIsWritten() throws {
        let target = try temporaryFolder("init")
        try FileManager.default.createDirectory(atPath: target + "/queries", withIntermediateDirectories: true)
        try Data("-- mine\n".utf8).write(to: URL(fileURLWithPath: target + "/queries/top_songs.sql"))
        try Data("not a folder\n".utf8).write(to: URL(fileURLWithPath: target + "/migrations"))
        let before = listing(target)
        let plan = ProjectPlan(directory: target)
        XCTAssertEqual(plan.conflicts, [target + "/migrations", target + "/queries/top_songs.sql"])
        XCTAssertThrowsError(try plan.write()) { error in
            XCTAssertEqual(error as? ProjectError, .wouldOverwrite(paths: plan.conflicts))
            XCTAssertTrue("\(error)".hasPrefix("2 of the files dwh init writes are already there"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("\n  \(target)/migrations\n  \(target)/queries/top_songs.sql"), "\(error)")
        }
        XCTAssertEqual(listing(target), before)
        XCTAssertEqual(FileManager.default.contents(atPath: target + "/queries/top_songs.sql"), Data("-- mine\n".utf8))
        XCTAssertEqual("\(ProjectError.wouldOverwrite(paths: ["dwh.cfg"]))",
                       "dwh.cfg is already there, and dwh init never overwrites a file: nothing was written. "
                       + "Move it away, or start the project in a new folder (dwh init DIR)")
    }

    func testAFileWhereTheProjectFolderGoesIsInTheWay() throws {
        let file = try temporaryFolder("init") + "/taken"
        try Data().write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(ProjectPlan(directory: file).conflicts, [file])
    }

    func testTheNextStepQuotesAFolderTheShellWouldSplit() {
        XCTAssertEqual(ProjectPlan(directory: ".").nextStep, "dwh db start && dwh migrate")
        XCTAssertEqual(ProjectPlan(directory: "sparkify").nextStep, "cd sparkify && dwh db start && dwh migrate")
        XCTAssertEqual(ProjectPlan(directory: "my dw's").nextStep, "cd 'my dw'\\''s' && dwh db start && dwh migrate")
    }
}
