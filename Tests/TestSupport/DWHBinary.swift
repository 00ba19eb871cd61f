import DWHCore
import Foundation
import XCTest

/// The built `dwh` binary, run as a user would: one helper for the end-to-end tests and
/// the live tests that start several `dwh` processes at once.
public enum DWHBinary {
    /// The checkout's root folder: `migrations/`, `queries/` and `Tests/Fixtures/` are here.
    public static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The `dwh` next to the running test bundle (same build folder, same configuration).
    public static var path: String {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("dwh").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return packageRoot + "/.build/debug/dwh"
    }

    /// Runs `dwh` and waits; its embedded database is the tests' (`.dwh-test`) unless
    /// `DWH_HOME` says otherwise. `input` becomes its standard input (a file, as a script
    /// piped in by `<`); `directory` is where it runs (the current folder otherwise).
    public static func run(_ arguments: [String], environment extra: [String: String] = [:],
                           input: String? = nil, in directory: String? = nil) throws -> ProcessOutput {
        var environment = self.environment(extra)
        guard input != nil || directory != nil else { return try Shell.run(path, arguments, environment: environment) }
        let scratch = try TemporaryFolder.make("input")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try (input ?? "").write(toFile: scratch + "/input", atomically: true, encoding: .utf8)
        environment["DWH_TEST_INPUT"] = scratch + "/input"
        environment["DWH_TEST_DIRECTORY"] = directory ?? FileManager.default.currentDirectoryPath
        let stdin = input == nil ? "/dev/null" : "\"$DWH_TEST_INPUT\""
        return try Shell.run("/bin/sh", ["-c", "cd \"$DWH_TEST_DIRECTORY\" && exec \"$0\" \"$@\" < \(stdin)", path] + arguments,
                             environment: environment)
    }

    /// Runs `dwh` (as `run` does) and fails the test unless it exits with `status`; the
    /// failure names the command and shows all it printed.
    @discardableResult
    public static func expect(_ status: Int32, _ arguments: [String], environment: [String: String] = [:],
                              input: String? = nil, in directory: String? = nil,
                              file: StaticString = #filePath, line: UInt = #line) throws -> ProcessOutput {
        let output = try run(arguments, environment: environment, input: input, in: directory)
        XCTAssertEqual(output.status, status, "dwh \(arguments.joined(separator: " ")):\n\(output.stdout)\n\(output.stderr)",
                       file: file, line: line)
        return output
    }

    /// Starts `dwh` without waiting, its output in `log` (discarded by default); returns its process id.
    public static func start(_ arguments: [String], environment extra: [String: String] = [:],
                             log: String = "/dev/null") throws -> pid_t {
        try Shell.start(path, arguments, environment: environment(extra), log: log)
    }

    /// The tests' environment with `extra` on top, `DWH_HOME` the tests' own unless given.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["DWH_HOME"] = environment["DWH_HOME"] ?? packageRoot + "/.dwh-test"
        environment.merge(extra) { $1 }
        return environment
    }
}

/// A test's set-up failed (a fixture, a missing program): the message says what.
public struct TestFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
