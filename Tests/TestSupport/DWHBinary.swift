import DWHCore
import Foundation

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
    /// `DWH_HOME` says otherwise.
    public static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        environment["DWH_HOME"] = environment["DWH_HOME"] ?? packageRoot + "/.dwh-test"
        environment.merge(extra) { $1 }
        return try Shell.run(path, arguments, environment: environment)
    }

    /// Starts `dwh` without waiting, output discarded; returns its process id.
    public static func start(_ arguments: [String]) throws -> pid_t {
        try Shell.start(path, arguments)
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
