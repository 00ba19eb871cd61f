import DWHCore
import Foundation
import TestSupport
import XCTest

/// The built binary at the edges: output paths, COPY, absurd sizes, silent servers and
/// concurrent starts. Each case once crashed, hung or failed.
final class HardeningCLITests: XCTestCase {
    /// `dwh` run by a shell in `directory`, for relative paths and redirections.
    func shell(_ command: String, in directory: String, environment: [String: String] = [:]) throws -> ProcessOutput {
        var merged = ProcessInfo.processInfo.environment
        merged["DWH_HOME"] = merged["DWH_HOME"] ?? DWHBinary.packageRoot + "/.dwh-test"
        merged["DWH"] = DWHBinary.path
        merged.merge(environment) { $1 }
        return try Shell.run("/bin/sh", ["-c", "cd \"$DIR\" && " + command], environment: merged.merging(["DIR": directory]) { $1 })
    }

    func testOneCharacterOutputNamesAreFilesInTheCurrentFolder() throws {
        let database = try freshDatabase(prefix: "cli")
        let here = try temporaryFolder("edge")
        let url = database.url
        for command in ["\"$DWH\" sql 'SELECT 1 AS a' --format csv -o a --database-url '\(url)'",
                        "\"$DWH\" sql 'SELECT 1 AS a' -o b --database-url '\(url)'"] {
            let output = try shell(command, in: here)
            XCTAssertEqual(output.status, 0, output.stderr)
        }
        XCTAssertEqual(try String(contentsOfFile: here + "/a", encoding: .utf8), "a\n1\n")
        XCTAssertTrue(try String(contentsOfFile: here + "/b", encoding: .utf8).contains("1"))
    }

    func testADashAsOutputPathIsStandardOutput() throws {
        let dash = try freshDatabase(prefix: "cli").run(["sql", "SELECT 7 AS seven", "--format", "csv", "-o", "-"])
        XCTAssertEqual(dash.stdout, "seven\n7\n", dash.stderr)
    }

    func testAnEmptyOutputPathIsRefused() throws {
        let empty = try freshDatabase(prefix: "cli").expect(1, ["sql", "SELECT 1", "-o", ""])
        XCTAssertTrue(empty.stderr.contains("the file name is empty; give a path, or - for standard output"), empty.stderr)
    }

    func testAFolderAsOutputPathIsRefused() throws {
        let here = try temporaryFolder("edge")
        let directory = try freshDatabase(prefix: "cli").run(["sql", "SELECT 1", "-o", here])
        XCTAssertTrue(directory.stderr.contains("it is a folder; give a file name"), directory.stderr)
    }

    func testAReportToAOneCharacterNameIsWritten() throws {
        let database = try freshDatabase(prefix: "cli")
        let here = try temporaryFolder("edge")
        // Sections fail on a database without the star schema (exit 1), but the file is written.
        let report = try shell("\"$DWH\" report -o r --database-url '\(database.url)'", in: here,
                               environment: ["DWH_QUERIES": DWHBinary.packageRoot + "/queries"])
        XCTAssertTrue([0, 1].contains(report.status), report.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: here + "/r"), report.stderr)
    }

    func testCopyToStdoutStreamsTheRows() throws {
        let out = try freshDatabase(prefix: "cli").expect(0, ["sql", "COPY (SELECT n, 'x,' || n FROM generate_series(1, 3) n) TO STDOUT WITH (FORMAT csv)"])
        XCTAssertEqual(out.stdout, "1,\"x,1\"\n2,\"x,2\"\n3,\"x,3\"\n")
        XCTAssertTrue(out.stderr.contains("COPY 3"), out.stderr)
    }

    /// A database whose table t was filled with two rows by `COPY t FROM STDIN` from a file.
    private func databaseCopiedIntoFromStdin() throws -> FreshDatabase {
        let database = try freshDatabase(prefix: "cli")
        XCTAssertEqual(try database.run(["sql", "CREATE TABLE t (a int, b text)"]).status, 0)
        let here = try temporaryFolder("edge")
        try "1\tone\n2\ttwo\n".write(toFile: here + "/rows.tsv", atomically: true, encoding: .utf8)
        let copyIn = try shell("\"$DWH\" sql 'COPY t FROM STDIN' --database-url '\(database.url)' < rows.tsv", in: here)
        XCTAssertEqual(copyIn.status, 0, copyIn.stderr)
        return database
    }

    func testCopyFromStdinStreamsTheRowsIn() throws {
        let database = try databaseCopiedIntoFromStdin()
        XCTAssertEqual(try database.run(["sql", "SELECT string_agg(b, ';' ORDER BY a) FROM t", "--format", "csv"]).stdout,
                       "string_agg\none;two\n")
    }

    func testACopyThatIsNotTheOnlyStatementIsRefusedWithoutACrash() throws {
        let database = try databaseCopiedIntoFromStdin()
        let mixed = try database.expect(1, ["sql", "SELECT 1; COPY t TO STDOUT"])
        XCTAssertTrue(mixed.stderr.contains("COPY … TO STDOUT sends rows as a stream"), mixed.stderr)
        let saved = try database.expect(1, ["sql", "SELECT 1; COPY t FROM STDIN"])
        XCTAssertTrue(saved.stderr.contains("COPY … FROM STDIN reads rows from the client"), saved.stderr)
        XCTAssertEqual(try database.run(["sql", "SELECT count(*) FROM t", "--format", "csv"]).stdout, "count\n2\n")
    }

    func testTooManySongsAreRefusedBeforeAnythingIsWritten() throws {
        let here = try temporaryFolder("edge")
        let huge = try DWHBinary.expect(1, ["generate", "--songs", "1000000000000", "--events", "1", "--out", here + "/x"])
        XCTAssertTrue(huge.stderr.contains("--songs can be at most 100000000"), huge.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: here), [])
    }

    func testMoreEventsThanTheDiskHoldsAreRefusedBeforeAnythingIsWritten() throws {
        let here = try temporaryFolder("edge")
        let disk = try DWHBinary.expect(1, ["generate", "--songs", "0", "--events", "9000000000", "--match-ratio", "0", "--out", here + "/y"])
        XCTAssertTrue(disk.stderr.contains("MB free; ask for fewer --songs or --events (nothing was written)"), disk.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: here), [])
    }

    /// A server that accepts the connection and never answers: an error naming the host
    /// once the connect timeout passes, not a hang.
    func testASilentServerTimesOutNamingTheHost() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        XCTAssertEqual(listen(listener, 8), 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: address.sin_port)
        let started = Date()
        let output = try DWHBinary.expect(1, ["sql", "SELECT 1", "--database-url", "postgresql://u:s3cret@127.0.0.1:\(port)/d"],
                                             environment: ["PGCONNECT_TIMEOUT": "2"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertTrue(output.stderr.contains("127.0.0.1"), output.stderr)
        XCTAssertTrue(output.stderr.lowercased().contains("timeout"), output.stderr)
        XCTAssertFalse(output.stderr.contains("s3cret"), output.stderr)
    }

    /// Three `dwh db start` at once on a new home whose path holds spaces, quotes and `#`:
    /// one initialises, the others wait for it, and all end with the same running server.
    func testConcurrentStartsOnANewHomeWithAnAwkwardPath() throws {
        let home = try temporaryFolder("edge") + "/my 'dwh' #1 home"
        final class Outputs: @unchecked Sendable {
            let lock = NSLock()
            var all: [ProcessOutput] = []
        }
        let outputs = Outputs()
        let group = DispatchGroup()
        for _ in 0..<3 {
            group.enter()
            Thread.detachNewThread {
                if let output = try? DWHBinary.run(["db", "start"], environment: ["DWH_HOME": home]) {
                    outputs.lock.withLock { outputs.all.append(output) }
                }
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 180), .success)
        defer { _ = try? DWHBinary.run(["db", "stop"], environment: ["DWH_HOME": home]) }
        XCTAssertEqual(outputs.all.map(\.status), [0, 0, 0], outputs.all.map(\.stderr).joined(separator: "\n"))
        XCTAssertEqual(Set(outputs.all.map(\.stdout)).count, 1)
        let query = try DWHBinary.run(["sql", "SELECT 40 + 2 AS answer", "--format", "csv"], environment: ["DWH_HOME": home])
        XCTAssertEqual(query.stdout, "answer\n42\n", query.stderr)
    }
}
