import Foundation
import XCTest

/// The tests' scratch space: a new, empty folder under the system's temporary folder,
/// which the test that asked for it removes, with all it holds, when it ends.
public enum TemporaryFolder {
    /// Creates `dwh-NAME-XXXXXX` (`mkdtemp`, so two tests never share one) and returns its path.
    /// Mode 0755, as a plain `mkdir` makes it: an embedded PostgreSQL run as another user
    /// must enter it. The caller removes it; tests use `XCTestCase.temporaryFolder(_:)`, which does.
    public static func make(_ name: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "dwh-\(name)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestFailure(message: "cannot create a temporary folder for \(name): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }
}

extension XCTestCase {
    /// A new, empty folder for this test, removed when the test ends (after `tearDown`).
    /// `name` shows in the path, so a folder left by a killed run says whose it was.
    /// Called from `setUp`, it serves every test of the class, each with its own folder.
    public func temporaryFolder(_ name: String) throws -> String {
        let path = try TemporaryFolder.make(name)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
