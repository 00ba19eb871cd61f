import DWHCore
import Foundation
import TestSupport
import XCTest

final class CLITests: XCTestCase {
    /// Every command and subcommand, found by walking the help itself: each explains
    /// itself (an overview and its usage line) and exits 0, and refuses an unknown flag
    /// as a usage error (64).
    func testEveryCommandHasHelpAndRefusesUnknownFlags() throws {
        var pending: [[String]] = [[]]
        var seen: [String] = []
        while let command = pending.popLast() {
            let help = try DWHBinary.run(command + ["--help"])
            let name = (["dwh"] + command).joined(separator: " ")
            seen.append(name)
            XCTAssertEqual(help.status, 0, name)
            XCTAssertTrue(help.stdout.hasPrefix("OVERVIEW: "), "\(name):\n\(help.stdout)")
            XCTAssertTrue(help.stdout.contains("USAGE: \(name)"), "\(name):\n\(help.stdout)")
            let subcommands = Self.subcommands(inHelp: help.stdout)
            pending += subcommands.map { command + [$0] }
            if subcommands.isEmpty {
                let misuse = try DWHBinary.run(command + ["--no-such-flag"])
                XCTAssertEqual(misuse.status, 64, name)
                XCTAssertTrue(misuse.stderr.hasPrefix("Error: "), "\(name): \(misuse.stderr)")
            }
        }
        for name in ["dwh db status", "dwh config show", "dwh migrate plan", "dwh query run", "dwh sql", "dwh export",
                     "dwh repl", "dwh report"] {
            XCTAssertTrue(seen.contains(name), "\(name) missing from the help tree: \(seen)")
        }
    }

    /// The names under SUBCOMMANDS: in a help text.
    static func subcommands(inHelp help: String) -> [String] {
        guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    func testUnknownCommandIsAUsageError() throws {
        let output = try DWHBinary.expect(64, ["frobnicate"])
        XCTAssertTrue(output.stderr.contains("frobnicate"), output.stderr)
    }

    func testConfigShowMasksSecrets() throws {
        let directory = try temporaryFolder("cli")
        let config = directory + "/dwh.cfg"
        try "[CLUSTER]\nHOST=db.example.com\nDB_PASSWORD=hunter2secret\n[AWS]\nSECRET=abcSECRETxyz\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)
        let output = try DWHBinary.expect(0, ["config", "show", "--config", config])
        XCTAssertFalse((output.stdout + output.stderr).contains("hunter2secret"))
        XCTAssertFalse((output.stdout + output.stderr).contains("abcSECRETxyz"))
        XCTAssertTrue(output.stdout.contains("CLUSTER.HOST"), output.stdout)
        XCTAssertTrue(output.stderr.contains("chmod 600"), output.stderr)
    }
}
