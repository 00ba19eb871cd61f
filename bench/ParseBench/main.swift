// dwh-bench: the JSON parsing micro-benchmark and the COPY text the load benchmark's
// psql reference ingests.
//
//   dwh-bench parse <log_data dir>                  MB/s of dwh's reader vs JSONSerialization
//   dwh-bench copytext events|songs <dir> <file>    the rows dwh would load, as COPY text
//   dwh-bench copybinary events|songs <dir> <file>  the same rows as binary COPY (what dwh sends)
import DWHCore
import Foundation

func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Parses every line with Foundation, touching each value as the loader would have to.
func foundationParse(_ source: LocalFileSource) throws -> (rows: Int, bytes: Int) {
    var rows = 0, bytes = 0
    for file in try source.listFiles() {
        let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
        bytes += data.count
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            rows += object.count > 0 ? 1 : 0
        }
    }
    return (rows, bytes)
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "parse" where arguments.count == 3:
    let source = LocalFileSource(path: arguments[2])
    var ours = CopyTextExport.Summary()
    let oursSeconds = try measure { ours = try CopyTextExport.write(source, table: .events, to: -1, format: .binary) }
    var theirs = (rows: 0, bytes: 0)
    let theirsSeconds = try measure { theirs = try foundationParse(source) }
    let megabytes = Double(ours.bytesRead) / 1e6
    print(String(format: "dwh reader (parse + binary COPY rows): %d rows, %.1f MB in %.2f s = %.0f MB/s", ours.rows, megabytes, oursSeconds, megabytes / oursSeconds))
    print(String(format: "JSONSerialization (parse only):  %d rows, %.1f MB in %.2f s = %.0f MB/s", theirs.rows, Double(theirs.bytes) / 1e6, theirsSeconds, Double(theirs.bytes) / 1e6 / theirsSeconds))
    print(String(format: "speed-up: %.1fx", theirsSeconds / oursSeconds))
case "copytext" where arguments.count == 5, "copybinary" where arguments.count == 5:
    let table: StagingTable = arguments[2] == "songs" ? .songs : .events
    let descriptor = open(arguments[4], O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { fatalError("cannot write \(arguments[4])") }
    let format: CopyFormat = arguments[1] == "copybinary" ? .binary : .text
    let summary = try CopyTextExport.write(LocalFileSource(path: arguments[3]), table: table, to: descriptor, format: format) { bad in
        FileHandle.standardError.write(Data("\(bad)\n".utf8))
    }
    close(descriptor)
    print("\(summary.rows) rows, \(summary.badRecords) bad records")
default:
    FileHandle.standardError.write(Data("usage: dwh-bench parse <dir> | dwh-bench copytext|copybinary events|songs <dir> <file>\n".utf8))
    exit(64)
}
