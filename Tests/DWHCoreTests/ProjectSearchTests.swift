import DWHCore
import Foundation
import TestSupport
import XCTest

/// Outside a project, a command says where it looked for `queries/` or `migrations/`,
/// each place once and as a path the user can paste, and suggests `dwh init`.
final class ProjectSearchTests: XCTestCase {
    func testAnInstalledBinaryLooksInTheCurrentFolderOnly() throws {
        let prefix = try temporaryFolder("search")
        let places = ProjectSearch.places(for: "queries", currentDirectory: "/", executable: prefix + "/bin/dwh")
        XCTAssertEqual(places, ["/queries"])
        XCTAssertEqual(ProjectSearch.places(for: "queries", currentDirectory: "/tmp/a/./b/../c/", executable: nil), ["/tmp/a/c/queries"])
        XCTAssertThrowsError(try QueryCatalog.locate(environment: [:], currentDirectory: prefix, executable: prefix + "/bin/dwh")) { error in
            XCTAssertEqual("\(error)", "no queries/ folder found (looked in \(prefix)/queries); "
                           + "to start a project here, run `dwh init`, or set DWH_QUERIES to a folder of saved queries")
        }
    }

    func testADevelopmentBuildAlsoLooksInItsCheckoutOnce() throws {
        let checkout = try temporaryFolder("search")
        try Data().write(to: URL(fileURLWithPath: checkout + "/Package.swift"))
        let binary = checkout + "/.build/x86_64-unknown-linux-gnu/debug/dwh"
        XCTAssertEqual(ProjectSearch.places(for: "queries", currentDirectory: "/elsewhere", executable: binary),
                       ["/elsewhere/queries", checkout + "/queries"])
        // Run from the checkout itself, the two places are one.
        XCTAssertEqual(ProjectSearch.places(for: "queries", currentDirectory: checkout + "/", executable: binary),
                       [checkout + "/queries"])
        try FileManager.default.createDirectory(atPath: checkout + "/queries", withIntermediateDirectories: true)
        XCTAssertEqual(try QueryCatalog.locate(environment: [:], currentDirectory: "/elsewhere", executable: binary).directory,
                       checkout + "/queries")
        XCTAssertEqual(ProjectSearch.places(for: "migrations", currentDirectory: "/elsewhere", executable: binary, alsoCheckout: false),
                       ["/elsewhere/migrations"])
    }

    func testMigrationsOutsideAProjectSuggestInitButANamedFolderIsReportedAsGiven() throws {
        let here = try temporaryFolder("search")
        XCTAssertThrowsError(try MigrationSet.locate(flag: nil, environment: [:], currentDirectory: here)) { error in
            XCTAssertEqual(error as? MigrationError, .noFolder(searched: [here + "/migrations"]))
            XCTAssertEqual("\(error)", "no migrations/ folder found (looked in \(here)/migrations); "
                           + "to start a project here, run `dwh init`, or give --migrations-dir or DWH_MIGRATIONS_DIR")
        }
        XCTAssertThrowsError(try MigrationSet.locate(flag: here + "/nope", environment: [:], currentDirectory: here)) { error in
            XCTAssertEqual(error as? MigrationError, .folderMissing(path: here + "/nope"))
        }
        XCTAssertThrowsError(try MigrationSet.locate(flag: nil, environment: ["DWH_MIGRATIONS_DIR": here + "/env"], currentDirectory: here)) { error in
            XCTAssertEqual(error as? MigrationError, .folderMissing(path: here + "/env"))
        }
    }

    func testParametersCompleteForTheQueryOnTheLine() throws {
        let catalog = try QueryCatalog(directory: DWHBinary.packageRoot + "/queries")
        XCTAssertTrue(catalog.completionNames.contains("top_songs"))
        XCTAssertEqual(catalog.parameterCompletions(words: ["dwh", "query", "run", "top_songs", "--param", ""], current: 5),
                       ["limit=10", "since=2018-01-01", "matched=all", "matched=only"])
        // bash splits `limit=5` at the `=`; a parameter given either way is not offered again.
        XCTAssertEqual(catalog.parameterCompletions(words: ["dwh", "export", "top_songs", "--param", "limit", "=", "5", "--param", ""],
                                                    current: 8), ["since=2018-01-01", "matched=all", "matched=only"])
        XCTAssertEqual(catalog.parameterCompletions(words: ["dwh", "query", "run", "top_user_agents", "--param", "limit=3", "--param", "b"],
                                                    current: 7), ["by=agent", "by=browser", "by=os", "since=2018-01-01"])
        XCTAssertEqual(catalog.parameterCompletions(words: ["dwh", "query", "run", "nope", "--param", ""], current: 5), [])
        // The word being completed is not the query, even when it spells one.
        XCTAssertEqual(catalog.parameterCompletions(words: ["dwh", "query", "run", "top_songs"], current: 3), [])
    }
}
