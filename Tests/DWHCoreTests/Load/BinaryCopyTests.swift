@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// One value of a binary COPY tuple, decoded by its column's type.
enum BinaryValue: Equatable {
    case null, text([UInt8]), integer(Int64), double(UInt64)
}

/// Decodes binary COPY tuples of `table` (its columns, then the file id and line number).
func decodeBinary(_ bytes: [UInt8], table: StagingTable) -> [[BinaryValue]] {
    var offset = 0
    func take(_ count: Int) -> [UInt8] {
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
    func number(_ count: Int) -> UInt64 { take(count).reduce(0) { $0 << 8 | UInt64($1) } }
    let types = table.columns.map(\.type) + [.bigint, .integer]
    var rows: [[BinaryValue]] = []
    while offset < bytes.count {
        let fields = Int(Int16(bitPattern: UInt16(number(2))))
        if fields == -1 { break }
        XCTAssertEqual(fields, types.count)
        rows.append(types.map { type in
            let length = Int(Int32(bitPattern: UInt32(number(4))))
            if length == -1 { return .null }
            switch type {
            case .varchar: return .text(take(length))
            case .integer: return .integer(Int64(Int32(bitPattern: UInt32(number(length)))))
            case .bigint, .epochMilliseconds: return .integer(Int64(bitPattern: number(length)))
            case .double: return .double(number(length))
            }
        })
    }
    return rows
}

/// A COPY text row read the way the server reads it, value by value.
func decodeText(_ line: Substring, table: StagingTable) -> [BinaryValue] {
    let types = table.columns.map(\.type) + [.bigint, .integer]
    let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
    XCTAssertEqual(fields.count, types.count)
    return zip(fields, types).map { field, type in
        if field == "\\N" { return .null }
        switch type {
        case .varchar:
            var bytes: [UInt8] = [], escaped = false
            for byte in field.utf8 {
                if escaped {
                    bytes.append(["t": 0x09, "n": 0x0A, "r": 0x0D][Character(UnicodeScalar(byte))] ?? byte)
                    escaped = false
                } else if byte == 0x5C { escaped = true } else { bytes.append(byte) }
            }
            return .text(bytes)
        case .integer, .bigint, .epochMilliseconds: return .integer(Int64(field)!)
        case .double: return .double(strtod(String(field), nil).bitPattern)
        }
    }
}

final class BinaryCopyTests: XCTestCase {
    /// Every record of the shared Sparkify files gives the same values either way: what the
    /// server would make of the text row is what the binary tuple holds.
    func testTheSharedDataEncodesToTheSameValuesAsTextAndBinary() throws {
        let shared = SharedData.path
        for (table, folder, expected) in [(StagingTable.events, "log_data", 8056), (.songs, "song_data", 71)] {
            let source = LocalFileSource(path: shared + "/" + folder)
            var outputs: [[UInt8]] = []
            for format in [CopyFormat.text, .binary] {
                let path = try temporaryFolder("copy") + "/\(folder)-\(format)"
                let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                XCTAssertGreaterThanOrEqual(descriptor, 0)
                let summary = try CopyTextExport.write(source, table: table, to: descriptor, format: format)
                close(descriptor)
                XCTAssertEqual(summary.rows, expected)
                outputs.append(try Array(Data(contentsOf: URL(fileURLWithPath: path))))
            }
            XCTAssertEqual(Array(outputs[1].prefix(11)), Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00])
            XCTAssertEqual(Array(outputs[1].suffix(2)), [0xFF, 0xFF])
            let text = String(decoding: outputs[0], as: UTF8.self).split(separator: "\n").map { decodeText($0, table: table) }
            let binary = decodeBinary(Array(outputs[1].dropFirst(19)), table: table)
            XCTAssertEqual(binary.count, expected)
            for (index, (fromText, fromBinary)) in zip(text, binary).enumerated() where fromText != fromBinary {
                XCTFail("\(table.name) row \(index): text \(fromText) binary \(fromBinary)")
                break
            }
        }
    }

    /// The fast path for doubles gives strtod's answer bit for bit, and the slow one takes over
    /// where the fast one would round twice.
    func testDoublesAreReadAsStrtodReadsThem() {
        var numbers = ["0", "-0", "0.0", "247.562", "1540558108796.0", "0.1", "0.000001", "123456789012345",
                       "1234567890123456", "9007199254740993", "1e22", "1e23", "-1.5e-7", "2.2250738585072014e-308",
                       "1.7976931348623157e308", "0.30000000000000004", "100000000000000000000000.5", "5e-324"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let value = Double.random(in: -1e6...1e6, using: &generator)
            numbers.append(String(format: "%.\(Int.random(in: 0...17, using: &generator))f", value))
            numbers.append("\(value)")
        }
        for text in numbers {
            let bytes = Array(text.utf8)
            let ours = bytes.withUnsafeBufferPointer { CopyRowEncoder.double($0, checkSyntax: false) }
            XCTAssertEqual(ours?.bitPattern, strtod(text, nil).bitPattern, text)
        }
    }

    func testNumericStringsAreCheckedBeforeTheyAreRead() {
        for (text, expected) in [(".5", 0.5), ("1.", 1.0), ("-2.50", -2.5), ("1e3", 1000.0)] {
            let value = Array(text.utf8).withUnsafeBufferPointer { CopyRowEncoder.double($0, checkSyntax: true) }
            XCTAssertEqual(value, expected, text)
        }
        for text in ["", "-", "1.2.3", " 5", "NaN", "Infinity", "0x10", "1e999", "1e-999", "12abc"] {
            XCTAssertNil(Array(text.utf8).withUnsafeBufferPointer { CopyRowEncoder.double($0, checkSyntax: true) }, text)
        }
    }

    /// Reads, in binary, one awkward but good event, one with a NUL and one whose itemInSession overflows an int.
    private func awkwardBinaryRows() throws -> (rows: [[BinaryValue]], bad: [BadRecord]) {
        let reader = RecordReader(table: .events, format: .binary)
        let out = ByteBuffer()
        var bad: [BadRecord] = []
        let lines = [event(["song": #""tab\there\\ and \"quotes\"\n""#, "userId": "\"\"", "length": "null"]),
                     event(["song": #""nul \u0000""#]), event(["itemInSession": "2147483648"])]
        _ = try reader.read(MemoryStream(lines.joined(separator: "\n")), path: "f.json", fileID: 3, into: out,
                            flush: { _ in }, bad: { bad.append($0) })
        return (decodeBinary(Array(out.bytes), table: .events), bad)
    }

    /// Binary text needs no escaping.
    func testBinaryRowsHoldEachValueRawInItsColumnsType() throws {
        let rows = try awkwardBinaryRows().rows
        XCTAssertEqual(rows.count, 1)
        let names = StagingTable.events.columns.map(\.name)
        XCTAssertEqual(rows[0][names.firstIndex(of: "song")!], .text(Array("tab\there\\ and \"quotes\"\n".utf8)))
        XCTAssertEqual(rows[0][names.firstIndex(of: "user_id")!], .text([]))
        XCTAssertEqual(rows[0][names.firstIndex(of: "length")!], .null)
        XCTAssertEqual(rows[0][names.firstIndex(of: "ts")!], .integer(1_543_540_121_796))
        XCTAssertEqual(rows[0][names.firstIndex(of: "registration")!], .double(1540558108796.0.bitPattern))
        XCTAssertEqual(Array(rows[0].suffix(2)), [.integer(3), .integer(1)])
    }

    /// A NUL still cannot be stored; an integer that does not fit int4 is still a bad record.
    func testBinaryRowsRefuseWhatTheTextRowsRefuse() throws {
        let bad = try awkwardBinaryRows().bad
        XCTAssertEqual(bad.map(\.line), [2, 3])
        XCTAssertEqual(bad.map(\.field), ["song", "itemInSession"])
    }
}
