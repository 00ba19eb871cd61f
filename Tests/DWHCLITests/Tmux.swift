import DWHCore
import Foundation
import TestSupport
import XCTest

/// A program running in a tmux pane, driven as a person would: keys in, screen out.
/// Each instance has its own tmux server (`-L`), so tests never touch anyone else's, and
/// tmux is told its client is UTF-8 (`-u`) whatever the locale the tests run in.
final class TmuxSession {
    let socket = "dwh-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let tmux: String

    init(command: [String], environment: [String: String], width: Int = 120, height: Int = 40) throws {
        guard let tmux = Shell.which("tmux") else { throw TestFailure(message: "tmux is not installed (.ci/install-deps installs it)") }
        self.tmux = tmux
        let exports = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let line = "env \(exports) \(command.map(Self.quote).joined(separator: " ")); echo \"[exit $?]\"; sleep 600"
        let output = try Shell.run(tmux, ["-u", "-L", socket, "new-session", "-d", "-s", "t", "-x", String(width), "-y", String(height), line])
        guard output.succeeded else { throw TestFailure(message: "tmux could not start: \(output.stderr)") }
    }

    deinit {
        _ = try? Shell.run(tmux, ["-u", "-L", socket, "kill-server"])
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(folder)/tmux-\(getuid())/\(socket)")
    }

    /// Types text literally (no key names), then optional named keys such as "Enter".
    func type(_ text: String, then keys: String...) throws {
        let literal = Self.escapingFinalSemicolon(text)
        if !text.isEmpty { _ = try Shell.run(tmux, ["-u", "-L", socket, "send-keys", "-t", "t", "-l", literal]) }
        for key in keys { _ = try Shell.run(tmux, ["-u", "-L", socket, "send-keys", "-t", "t", key]) }
    }

    /// Pastes text as a terminal paste does: all of it at once, from a tmux buffer.
    func paste(_ text: String) throws {
        _ = try Shell.run(tmux, ["-u", "-L", socket, "set-buffer", "--", Self.escapingFinalSemicolon(text)])
        _ = try Shell.run(tmux, ["-u", "-L", socket, "paste-buffer", "-t", "t"])
    }

    var screen: String {
        (try? Shell.run(tmux, ["-u", "-L", socket, "capture-pane", "-p", "-t", "t", "-S", "-200"]).stdout) ?? ""
    }

    /// Waits until the screen shows `text`; returns the seconds it took.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) -> TimeInterval {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if screen.contains(text) { return Date().timeIntervalSince(start) }
            usleep(50_000)
        }
        XCTFail("screen never showed \"\(text)\":\n\(screen)", file: file, line: line)
        return timeout
    }

    /// Counts appearances of `text` on the screen.
    func count(_ text: String) -> Int {
        screen.components(separatedBy: text).count - 1
    }

    /// tmux reads an argument's final `;` as a command separator unless escaped.
    private static func escapingFinalSemicolon(_ text: String) -> String {
        text.hasSuffix(";") ? text.dropLast() + "\\;" : text
    }

    private static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
