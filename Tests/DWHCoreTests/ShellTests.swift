import DWHCore
import Foundation
import TestSupport
import XCTest

/// Starting programs: what a child gets from dwh, and what it must not.
final class ShellTests: XCTestCase {
    /// A descriptor dwh was handed open (a lock file held by `flock`, a make job slot) must
    /// not reach the servers it starts, which would hold it for as long as they run.
    func testAChildGetsNoDescriptorBeyondTheStandardThree() throws {
        let path = try temporaryFolder("fd") + "/fd"
        let file = open(path, O_WRONLY | O_CREAT, 0o600)
        defer { close(file) }
        XCTAssertEqual(dup2(file, 77), 77)
        defer { close(77) }
        XCTAssertEqual(fcntl(77, F_GETFD) & FD_CLOEXEC, 0, "the descriptor is inheritable")
        let probe = "if [ -e /proc/self/fd/77 ]; then echo leaked; else echo closed; fi"
        XCTAssertEqual(try Shell.run("/bin/sh", ["-c", probe]).stdout, "closed\n")

        let log = path + ".log"
        defer { unlink(log) }
        let pid = try Shell.start("/bin/sh", ["-c", probe], log: log)
        XCTAssertEqual(Shell.wait(pid), 0)
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), "closed\n")
    }
}
