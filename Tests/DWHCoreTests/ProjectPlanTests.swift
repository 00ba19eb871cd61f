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

    private func checkoutFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).sorted().map { folder + "/" + $0 }
    }

    func testTheStarterProjectHasTheCheckoutsSchemaQueriesChecksAndSettings() throws {
        let plan = ProjectPlan(directory: "sparkify")
        let migrations = try checkoutFiles("migrations")
        let queries = try checkoutFiles("queries")
        let checks = try checkoutFiles("checks")
        XCTAssertEqual(plan.files.map(\.path), [".gitignore"] + checks + ["dwh.cfg"] + migrations + queries)
        XCTAssertTrue(queries.contains("queries/report.txt"))
        XCTAssertTrue(checks.contains("checks/plays_have_a_level.sql"))
    }

    func testTheStarterSQLFilesAreTheCheckoutsBytesReadableByAll() {
        let plan = ProjectPlan(directory: "sparkify")
        for file in plan.files where ["migrations/", "queries/", "checks/"].contains(where: file.path.hasPrefix) {
            XCTAssertEqual(file.contents, FileManager.default.contents(atPath: root + "/" + file.path), file.path)
            XCTAssertEqual(file.mode, 0o644, file.path)
        }
    }

    func testTheStarterSettingsAreTheExampleReadableByTheOwnerOnly() throws {
        let settings = try XCTUnwrap(ProjectPlan(directory: "sparkify").files.first { $0.path == "dwh.cfg" })
        XCTAssertEqual(settings.contents, FileManager.default.contents(atPath: root + "/dwh.cfg.example"))
        XCTAssertEqual(settings.mode, 0o600)
    }

    func testTheStarterGitignoreKeepsTheSettingsAndTheDataOut() throws {
        let ignore = try XCTUnwrap(ProjectPlan(directory: "sparkify").files.first { $0.path == ".gitignore" })
        let lines = String(decoding: ignore.contents, as: UTF8.self).split(separator: "\n")
        XCTAssertTrue(lines.contains(".dwh/") && lines.contains("dwh.cfg"), "\(lines)")
    }

    func testStarterPathsAreUnderTheProjectFolder() throws {
        let plan = ProjectPlan(directory: "sparkify")
        let settings = try XCTUnwrap(plan.files.first { $0.path == "dwh.cfg" })
        XCTAssertEqual(plan.path(for: settings), "sparkify/dwh.cfg")
        XCTAssertEqual(ProjectPlan(directory: ".").path(for: settings), "dwh.cfg")
    }

    /// Writes the starter project to a new folder two levels below a temporary one.
    private func writtenProject() throws -> (target: String, plan: ProjectPlan, written: [String]) {
        let target = try temporaryFolder("init") + "/new/project"
        let plan = ProjectPlan(directory: target)
        XCTAssertEqual(plan.conflicts, [])
        return (target, plan, try plan.write())
    }

    func testWritingCreatesTheFolderWithEveryFile() throws {
        let (target, plan, written) = try writtenProject()
        XCTAssertEqual(written, plan.files.map { target + "/" + $0.path })
        XCTAssertEqual(FileManager.default.contents(atPath: target + "/queries/top_songs.sql"),
                       FileManager.default.contents(atPath: root + "/queries/top_songs.sql"))
    }

    func testWritingKeepsTheSettingsPrivate() throws {
        let target = try writtenProject().target
        let mode = try FileManager.default.attributesOfItem(atPath: target + "/dwh.cfg")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testTheFoldersDwhLooksInFindTheWrittenProject() throws {
        let (target, plan, _) = try writtenProject()
        XCTAssertEqual(try QueryCatalog.locate(environment: [:], currentDirectory: target, executable: nil).directory,
                       target + "/queries")
        XCTAssertEqual(try MigrationSet.locate(flag: target + "/migrations", environment: [:]).files.count,
                       plan.files.filter { $0.path.hasPrefix("migrations/") }.count)
    }

    /// A folder where a file stands in for `migrations/` and `queries/top_songs.sql` is the user's own.
    private func folderInTheWay() throws -> String {
        let target = try temporaryFolder("init")
        try FileManager.default.createDirectory(atPath: target + "/queries", withIntermediateDirectories: true)
        try Data("-- mine\n".utf8).write(to: URL(fileURLWithPath: target + "/queries/top_songs.sql"))
        try Data("not a folder\n".utf8).write(to: URL(fileURLWithPath: target + "/migrations"))
        return target
    }

    func testAnythingInTheWayIsNamed() throws {
        let target = try folderInTheWay()
        let plan = ProjectPlan(directory: target)
        XCTAssertEqual(plan.conflicts, [target + "/migrations", target + "/queries/top_songs.sql"])
        XCTAssertThrowsError(try plan.write()) { error in
            XCTAssertEqual(error as? ProjectError, .wouldOverwrite(paths: plan.conflicts))
            XCTAssertTrue("\(error)".hasPrefix("2 of the files dwh init writes are already there"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("\n  \(target)/migrations\n  \(target)/queries/top_songs.sql"), "\(error)")
        }
    }

    func testWithAnythingInTheWayNothingIsWritten() throws {
        let target = try folderInTheWay()
        let before = listing(target)
        XCTAssertThrowsError(try ProjectPlan(directory: target).write())
        XCTAssertEqual(listing(target), before)
        XCTAssertEqual(FileManager.default.contents(atPath: target + "/queries/top_songs.sql"), Data("-- mine\n".utf8))
    }

    func testOneFileInTheWayIsNamedWithTheWayOut() {
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
