import DWHCore
import TestSupport
import XCTest

final class OutputTests: XCTestCase {
    let table = ResultTable(
        columns: [.init(name: "location"), .init(name: "plays", isNumeric: true), .init(name: "paid", isBoolean: true)],
        rows: [["San Francisco", "691", "t"], ["東京", "5", "f"], [nil, "12", nil]]
    )

    func testTableAlignsByDisplayWidthNumbersRightNullDistinct() {
        XCTAssertEqual(TableRenderer.aligned(table), """
             location      │ plays │ paid
            ───────────────┼───────┼──────
             San Francisco │   691 │ t
             東京          │     5 │ f
             ∅             │    12 │ ∅

            """)
        XCTAssertEqual(TableRenderer.footer(rows: 3, milliseconds: 12.34), "(3 rows, 12.3 ms)\n")
        XCTAssertEqual(TableRenderer.footer(rows: 1, milliseconds: nil), "(1 row)\n")
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("日本"), 4)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1)
        XCTAssertEqual(DisplayWidth.truncate("San Francisco-Oakland-Hayward, CA", to: 10), "San Franc…")
        XCTAssertEqual(DisplayWidth.truncate("日本語のテキスト", to: 7), "日本語…")
    }

    func testCSVQuotesLikeCopy() {
        let awkward = ResultTable(columns: [.init(name: "a,b"), .init(name: "v")],
                                  rows: [["say \"hi\"", "line\nbreak"], ["", nil], ["plain", "ü"]])
        XCTAssertEqual(CSVEncoder.document(awkward), "\"a,b\",v\n\"say \"\"hi\"\"\",\"line\nbreak\"\n\"\",\nplain,ü\n")
        let single = ResultTable(columns: [.init(name: "v")], rows: [["\\."]])
        XCTAssertEqual(CSVEncoder.document(single), "v\n\"\\.\"\n")
    }

    func testJSONKeepsColumnOrderAndTypes() {
        XCTAssertEqual(JSONRenderer.render(table), """
            [
              {"location": "San Francisco", "plays": 691, "paid": true},
              {"location": "東京", "plays": 5, "paid": false},
              {"location": null, "plays": 12, "paid": null}
            ]

            """)
    }

    func testJSONStringsEscapeQuotesBackslashesControlCharacters() {
        XCTAssertEqual(JSONRenderer.quote("a\"b\\c\n\u{1}"), #""a\"b\\c\n\u0001""#)
    }

    func testJSONOfNoRowsIsAnEmptyArray() {
        XCTAssertEqual(JSONRenderer.render(ResultTable(columns: [.init(name: "x")], rows: [])), "[]\n")
    }

    func testMarkdownEscapesPipesAndNewlines() {
        let text = MarkdownRenderer.render(ResultTable(columns: [.init(name: "a|b"), .init(name: "n", isNumeric: true)],
                                                       rows: [["x\ny", "1"]]))
        XCTAssertEqual(text, "| a\\|b | n |\n| --- | ---: |\n| x<br>y | 1 |\n")
    }

    func testChartTitlesAreTheLabelAndValueColumns() throws {
        let chart = try BarChart(table: table, labelWidth: 8)
        XCTAssertEqual(chart.labelTitle, "location")
        XCTAssertEqual(chart.valueTitle, "plays")
    }

    func testChartLabelsAreShortenedToTheWidthButKeepTheFullText() throws {
        let chart = try BarChart(table: table, labelWidth: 8)
        XCTAssertEqual(chart.bars.map(\.label), ["San Fra…", "東京", "∅"])
        XCTAssertEqual(chart.bars.map(\.fullLabel), ["San Francisco", "東京", "∅"])
    }

    func testChartBarsAreScaledToTheLargestValue() throws {
        let chart = try BarChart(table: table, labelWidth: 8)
        XCTAssertEqual(chart.bars.map(\.fraction), [1, 5.0 / 691, 12.0 / 691])
    }

    func testAChartNeedsANumericColumn() {
        XCTAssertThrowsError(try BarChart(table: ResultTable(columns: [.init(name: "a")], rows: [["x"]])))
    }

    func testANumericFirstColumnLabelsTheBars() throws {
        let hours = try BarChart(table: ResultTable(columns: [.init(name: "hour", isNumeric: true), .init(name: "plays", isNumeric: true)],
                                                    rows: [["0", "155"], ["16", "542"]]))
        XCTAssertEqual([hours.labelTitle, hours.valueTitle], ["hour", "plays"])
        XCTAssertEqual(hours.bars.map(\.label), ["0", "16"])
    }

    func testTheFirstNumericColumnIsTheValue() throws {
        let artists = try BarChart(table: ResultTable(columns: [.init(name: "artist"), .init(name: "plays", isNumeric: true),
                                                               .init(name: "listeners", isNumeric: true)], rows: [["Muse", "3", "2"]]))
        XCTAssertEqual(artists.valueTitle, "plays")
    }

    func testTerminalChartDrawsProportionalBars() throws {
        let chart = try BarChart(table: ResultTable(columns: [.init(name: "k"), .init(name: "n", isNumeric: true)],
                                                    rows: [["a", "10"], ["b", "5"], ["c", "0"]]))
        let lines = TerminalChart.render(chart, width: 26).split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines[1], "a │████████████████████ 10")
        XCTAssertEqual(lines[2], "b │██████████            5")
        XCTAssertEqual(lines[3], "c │                      0")

        let titled = try BarChart(table: ResultTable(columns: [.init(name: "level"), .init(name: "n", isNumeric: true)],
                                                     rows: [["free", "2"]]))
        XCTAssertEqual(TerminalChart.render(titled, width: 20), "level │ n\nfree  │███████████ 2\n",
                       "a title wider than the labels keeps the bars in line with it")
    }

    /// A dumb terminal (`TERM=dumb`, or none) gets no `ESC[K`: the progress line is
    /// overwritten with spaces instead; any other terminal gets the clear-to-end escape.
    func testTheProgressLineSendsNoEscapeToADumbTerminal() {
        XCTAssertFalse(Terminal.takesEscapes(environment: ["TERM": "dumb"]))
        XCTAssertFalse(Terminal.takesEscapes(environment: [:]))
        XCTAssertTrue(Terminal.takesEscapes(environment: ["TERM": "xterm-256color"]))
        XCTAssertEqual(Terminal.redraw("rows 5", previousWidth: 9, takesEscapes: false), "\rrows 5   ")
        XCTAssertEqual(Terminal.redraw("rows 50000", previousWidth: 6, takesEscapes: false), "\rrows 50000")
        XCTAssertEqual(Terminal.redraw("rows 5", previousWidth: 9, takesEscapes: true), "\r\u{1B}[Krows 5")
    }
}

