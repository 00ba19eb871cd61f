@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// Bytes handed out a few at a time, so records straddle buffer refills.
final class MemoryStream: ByteStream {
    private let bytes: [UInt8]
    private let chunk: Int
    private var offset = 0

    convenience init(_ text: String, chunk: Int = 1 << 20) {
        self.init(bytes: Array(text.utf8), chunk: chunk)
    }

    init(bytes: [UInt8], chunk: Int = 1 << 20) {
        self.bytes = bytes
        self.chunk = chunk
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(chunk, buffer.count, bytes.count - offset)
        bytes[offset..<offset + count].withUnsafeBytes { buffer.copyMemory(from: $0) }
        offset += count
        return count
    }
}

/// Reads `text` as a file of `table` and returns the COPY lines and bad records.
func convert(_ text: String, table: StagingTable = .events, chunk: Int = 1 << 20,
             bufferSize: Int = 1 << 20) throws -> (rows: [String], bad: [BadRecord]) {
    let reader = RecordReader(table: table, bufferSize: bufferSize)
    let out = ByteBuffer()
    var bad: [BadRecord] = []
    _ = try reader.read(MemoryStream(text, chunk: chunk), path: "f.json", fileID: 7, into: out,
                        flush: { _ in }, bad: { bad.append($0) })
    let copy = String(decoding: out.bytes, as: UTF8.self)
    return (copy.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init), bad)
}

/// The COPY column of `name` in a staging_events row.
func column(_ row: String, _ name: String) -> String {
    let index = StagingTable.events.columns.firstIndex { $0.name == name }!
    return String(row.split(separator: "\t", omittingEmptySubsequences: false)[index])
}

final class RecordReaderTests: XCTestCase {
    func testARealLineBecomesOneRowWithTheFileIDAndLineLast() throws {
        let (rows, bad) = try convert(event())
        XCTAssertEqual(bad, [])
        XCTAssertEqual(rows, ["Manowar\tLogged In\tJacob\tM\t0\tKlein\t247.562\tpaid\tTampa, FL\tPUT\tNextSong\t"
            + "1540558108796.0\t1049\tShell Shock\t200\t1543540121796\tMozilla\t73\t7\t1"])
    }

    func testUnicodeEscapesAndSurrogatePairsDecodeToUTF8() throws {
        let (rows, _) = try convert(event(["artist": #""Caf\u00e9 \ud83c\udfb5 \/ \"x\"""#]))
        XCTAssertEqual(column(rows[0], "artist"), "Café 🎵 / \"x\"")
    }

    func testDoubleEncodedUTF8IsKeptByteForByte() throws {
        let (rows, _) = try convert(event(["artist": #""Beyonc\u00c3\u0083\u00c2\u00a9""#]))
        XCTAssertEqual(Array(column(rows[0], "artist").utf8),
                       Array("Beyonc".utf8) + [0xC3, 0x83, 0xC2, 0x83, 0xC3, 0x82, 0xC2, 0xA9])
    }

    func testANumberWhereTextIsExpectedIsItsTextAsWritten() throws {
        let (rows, bad) = try convert(event(["userId": "73", "song": "1.50e3", "location": "true"]))
        XCTAssertEqual(bad, [])
        XCTAssertEqual(column(rows[0], "user_id"), "73")
        XCTAssertEqual(column(rows[0], "song"), "1.50e3")
        XCTAssertEqual(column(rows[0], "location"), "true")
    }

    func testANumericStringWhereANumberIsExpectedIsItsNumber() throws {
        let (rows, bad) = try convert(event(["sessionId": "\"0829\"", "length": "\"2.5\""]))
        XCTAssertEqual(bad, [])
        XCTAssertEqual(column(rows[0], "session_id"), "829")
        XCTAssertEqual(column(rows[0], "length"), "2.5")
    }

    /// One event whose artist is JSON null, whose song is missing and whose userId is "".
    private func emptyValuesRow() throws -> String {
        try convert(event(["artist": "null", "userId": "\"\"", "song": "<missing>"])).rows[0]
    }

    func testJSONNullIsNull() throws {
        XCTAssertEqual(column(try emptyValuesRow(), "artist"), "\\N")
    }

    func testAMissingKeyIsNull() throws {
        XCTAssertEqual(column(try emptyValuesRow(), "song"), "\\N")
    }

    func testAnEmptyUserIDIsEmptyTextNotNull() throws {
        XCTAssertEqual(column(try emptyValuesRow(), "user_id"), "")
    }

    func testUserAgentsWrappedInQuotesKeepTheirQuotes() throws {
        let (rows, _) = try convert(event(["userAgent": #""\"Mozilla\/5.0 (X11)\"""#]))
        XCTAssertEqual(column(rows[0], "user_agent"), "\"Mozilla/5.0 (X11)\"")
    }

    func testCopyEscapesBackslashTabNewlineAndCarriageReturn() throws {
        let (rows, _) = try convert(event(["song": #""a\\b\tc\nd\re""#]))
        XCTAssertEqual(column(rows[0], "song"), #"a\\b\tc\nd\re"#)
    }

    func testLinesWithoutAFinalNewlineAndAcrossBufferRefills() throws {
        let text = (0..<50).map { event(["itemInSession": "\($0)"]) }.joined(separator: "\n")
        let (rows, bad) = try convert(text, chunk: 13, bufferSize: 64)
        XCTAssertEqual(bad, [])
        XCTAssertEqual(rows.count, 50)
        XCTAssertEqual(column(rows[49], "item_in_session"), "49")
    }

    func testSongFilesHoldOneOrSeveralObjectsPrettyPrintedOrNot() throws {
        let song = #"{"num_songs": 1, "artist_id": "AR1", "artist_latitude": null, "artist_longitude": -90.04892, "artist_location": "", "artist_name": "The Box Tops", "song_id": "SO1", "title": "Soul Deep", "duration": 148.03546, "year": 1969}"#
        let pretty = "{\n  \"artist_id\": \"AR2\",\n  \"song_id\": \"SO2\",\n  \"extra\": {\"nested\": [1, \"}\"]}\n}"
        let (rows, bad) = try convert(song + pretty + "\n" + song, table: .songs)
        XCTAssertEqual(bad, [])
        // Each row ends with the file id and the line its object starts on.
        XCTAssertEqual(rows, ["1\tAR1\t\\N\t-90.04892\t\tThe Box Tops\tSO1\tSoul Deep\t148.03546\t1969\t7\t1",
                              "\\N\tAR2\t\\N\t\\N\t\\N\t\\N\tSO2\t\\N\t\\N\t\\N\t7\t1",
                              "1\tAR1\t\\N\t-90.04892\t\tThe Box Tops\tSO1\tSoul Deep\t148.03546\t1969\t7\t6"])
    }

    /// A good line, a malformed one, one with a bad status, and a good one.
    private func mixedLines() throws -> (rows: [String], bad: [BadRecord]) {
        try convert([event(), #"{"artist":"x","#, event(["status": "20x"]), event()].joined(separator: "\n"))
    }

    func testMalformedLinesAreNamedByFileLineFieldAndText() throws {
        let bad = try mixedLines().bad
        XCTAssertEqual(bad.map(\.line), [2, 3])
        XCTAssertTrue(bad[0].reason.hasPrefix("malformed JSON"), bad[0].reason)
        XCTAssertEqual(bad[1].field, "status")
        XCTAssertEqual(bad[0].raw, #"{"artist":"x","#)
        XCTAssertEqual(bad[0].file, "f.json")
    }

    func testTheLinesAroundMalformedOnesStillLoad() throws {
        XCTAssertEqual(try mixedLines().rows.count, 2)
    }

    func testValuesThatWouldNotFitTheirColumnAreBadRecordsNamingTheField() throws {
        let cases: [([String: String], String, String)] = [
            (["gender": "\"" + String(repeating: "x", count: 9) + "\""], "gender", "9 bytes; the column holds at most 8"),
            (["status": "3000000000"], "status", "\"3000000000\" is not an integer"),
            (["sessionId": "1.5"], "sessionId", "\"1.5\" is not an integer"),
            (["length": "1e400"], "length", "\"1e400\" is not a number PostgreSQL can store as double precision"),
            (["length": "\"abc\""], "length", "\"abc\" is not a number PostgreSQL can store as double precision"),
            (["ts": "null"], "ts", "required field is null"),
            (["page": "<missing>"], "page", "required field is missing"),
            (["song": #""a\u0000b""#], "song", "text holds a NUL character (\\u0000), which PostgreSQL cannot store"),
            (["itemInSession": "true"], "itemInSession", "true/false where an integer is expected"),
            (["song": "[1]"], "song", "malformed JSON: holds an object or array where a single value is expected"),
            (["song": #""\ud83c x""#], "song", "malformed JSON: unpaired surrogate \\ud83c"),
        ]
        for (override, field, reason) in cases {
            let (rows, bad) = try convert(event(override))
            XCTAssertEqual(rows, [], "\(override)")
            XCTAssertEqual(bad.first?.field, field, "\(override)")
            XCTAssertEqual(bad.first?.reason, reason, "\(override)")
        }
    }

    func testInvalidUTF8IsABadRecord() throws {
        var bytes = Array(event().utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "M"))!] = 0xFF
        let reader = RecordReader(table: .events)
        var bad: [BadRecord] = []
        _ = try reader.read(MemoryStream(bytes: bytes), path: "f.json", fileID: 1, into: ByteBuffer(), flush: { _ in }, bad: { bad.append($0) })
        XCTAssertEqual(bad.first?.reason, "malformed JSON: invalid UTF-8")
        XCTAssertEqual(bad.first?.field, "artist")
    }

    func testTheContentHashDependsOnBytesNotOnHowTheyArrive() throws {
        let text = (0..<40).map { event(["itemInSession": "\($0)"]) }.joined(separator: "\n")
        func hash(_ text: String, chunk: Int) throws -> UInt64 {
            try RecordReader(table: .events).read(MemoryStream(text, chunk: chunk), path: "f", fileID: 1, into: ByteBuffer(),
                                                  flush: { _ in }, bad: { _ in }).hash
        }
        XCTAssertEqual(ContentHasher.hex(0xAB), "00000000000000ab")
        XCTAssertEqual(try hash(text, chunk: 7), try hash(text, chunk: 1 << 20))
        XCTAssertNotEqual(try hash(text, chunk: 7), try hash(text + " ", chunk: 7))
    }

    /// The trailing-text check at a buffer's end: the rest of the line comes with the next read.
    func testALineCutByTheBufferIsReadWhole() throws {
        let text = (0..<40).map { event(["itemInSession": "\($0)"]) + ($0 == 17 ? " x" : "") }.joined(separator: "\n")
        for chunk in [7, 64, 500] {
            var bad: [BadRecord] = []
            let out = ByteBuffer()
            let summary = try RecordReader(table: .events, bufferSize: 256)
                .read(MemoryStream(text, chunk: chunk), path: "f", fileID: 1, into: out, flush: { _ in }, bad: { bad.append($0) })
            XCTAssertEqual(summary.rows, 39, "chunk \(chunk)")
            XCTAssertEqual(bad.map(\.line), [18], "chunk \(chunk)")
        }
    }
}
