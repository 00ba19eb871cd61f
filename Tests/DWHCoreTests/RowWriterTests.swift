import DWHCore
import Foundation
import TestSupport
import XCTest

/// Rows written as they arrive: what each format looks like when the result is larger
/// than the part measured for the table's widths.
final class RowWriterTests: XCTestCase {
    let columns: [ResultTable.Column] = [.init(name: "name"), .init(name: "n", isNumeric: true)]

    func write(_ rows: [[String?]], format: OutputFormat, sample: Int, expanded: Bool = false) throws -> (String, RowWriter) {
        let memory = MemorySink()
        let writer = RowWriter(format: format, expanded: expanded, to: memory, widthSample: sample)
        try writer.begin(columns)
        for row in rows { try writer.row(row) }
        try writer.end()
        return (memory.text, writer)
    }

    func testTableKeepsTheWidthsOfItsFirstRows() throws {
        let rows: [[String?]] = [["ab", "1"], ["c", "22"], ["a much longer name", "333333"]]
        let (text, writer) = try write(rows, format: .table, sample: 2)
        XCTAssertEqual(text, """
             name │  n
            ──────┼────
             ab   │  1
             c    │ 22
             a much longer name │ 333333

            """)
        XCTAssertEqual(writer.rowCount, 3)
        XCTAssertNil(writer.smallResult, "more rows than the sample are not kept")
        // Measured whole, the same rows line up as before streaming.
        let (whole, small) = try write(rows, format: .table, sample: 3)
        XCTAssertEqual(whole, TableRenderer.aligned(ResultTable(columns: columns, rows: rows)))
        XCTAssertEqual(small.smallResult?.rows, rows)
    }

    func testEachFormatWrittenRowByRow() throws {
        let rows: [[String?]] = [["a | \"b\"\nc", "1"], [nil, "22"], ["é", nil]]
        XCTAssertEqual(try write(rows, format: .json, sample: 1).0, """
            [
              {"name": "a | \\"b\\"\\nc", "n": 1},
              {"name": null, "n": 22},
              {"name": "é", "n": null}
            ]

            """)
        XCTAssertEqual(try write(rows, format: .markdown, sample: 1).0, """
            | name | n |
            | --- | ---: |
            | a \\| "b"<br>c | 1 |
            |  | 22 |
            | é |  |

            """)
        XCTAssertEqual(try write(rows, format: .csv, sample: 1).0, "name,n\n\"a | \"\"b\"\"\nc\",1\n,22\né,\n")
        XCTAssertEqual(try write(rows, format: .table, sample: 1, expanded: true).0, """
            -[ RECORD 1 ]----
            name │ a | "b"\\nc
            n    │ 1
            -[ RECORD 2 ]----
            name │ ∅
            n    │ 22
            -[ RECORD 3 ]----
            name │ é
            n    │ ∅

            """)
        let json = try write(rows, format: .json, sample: 1).0
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.first?["name"] as? String, "a | \"b\"\nc")
    }

    func testAnEmptyResultIsAHeaderOrAnEmptyArray() throws {
        XCTAssertEqual(try write([], format: .table, sample: 10).0, " name │ n\n──────┼───\n")
        XCTAssertEqual(try write([], format: .json, sample: 10).0, "[]\n")
        XCTAssertEqual(try write([], format: .markdown, sample: 10).0, "| name | n |\n| --- | ---: |\n")
    }
}
