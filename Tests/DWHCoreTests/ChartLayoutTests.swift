import DWHCore
import TestSupport
import XCTest

/// The SVG charts' geometry, checked without a browser: labels shortened to their room,
/// no two texts overlapping, everything inside the view box, for every chart kind.
final class ChartLayoutTests: XCTestCase {
    static let hostile = ["<script>alert(1)</script>", "O'Brien's \"Song\" & more", "東京の夜 🎵 Björk — Jóga",
                          String(repeating: "Very long title ", count: 32), "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM",
                          "line\nbreak\ttab", ""]

    func chart(_ labels: [String], values: [String]) throws -> BarChart {
        try BarChart(table: ResultTable(columns: [.init(name: "song"), .init(name: "plays", isNumeric: true)],
                                        rows: zip(labels, values).map { [$0, $1] }))
    }

    func testNoTextOverlapsOrLeavesTheChartWhateverTheData() throws {
        let numbers = ["691", "1", "0", "123456789012", "99999", "12.5", "3", "70000000"]
        for count in [1, 3, 7, 24, 40] {
            let labels = (0..<count).map { Self.hostile[$0 % Self.hostile.count] }
            let values = (0..<count).map { numbers[$0 % numbers.count] }
            let model = try chart(labels, values: values)
            for kind in [ChartLayout.Kind.bars, .columns, .share] {
                let layout = try XCTUnwrap(try ChartLayout.make(kind, chart: model))
                XCTAssertEqual(layout.items.count, count, "\(kind) \(count)")
                XCTAssertEqual(layout.collisions, [], "\(kind) with \(count) rows")
                for item in layout.items {
                    XCTAssertTrue(item.bar.isInside(width: layout.width, height: layout.height), "\(kind): \(item.bar)")
                }
            }
        }
        let hours = try chart((0..<24).map(String.init), values: (0..<24).map { String(100_000 * $0) })
        let profile = try XCTUnwrap(try ChartLayout.make(.hours, chart: hours))
        XCTAssertEqual(profile.collisions, [])
        XCTAssertEqual(profile.texts.filter { $0.role == .label }.map(\.text), (0..<24).map(String.init))
        XCTAssertTrue(profile.texts.filter { $0.role == .value }.allSatisfy(\.rotated), "wide numbers read bottom to top")
    }

    func testTheCollisionCheckFindsOverlaps() throws {
        var layout = try XCTUnwrap(try ChartLayout.make(.bars, chart: chart(["a", "b"], values: ["1", "2"])))
        layout.items[1].texts[0].y = layout.items[0].texts[0].y + 2
        layout.items[1].texts[0].x = 3
        XCTAssertEqual(layout.collisions, [#""a" overlaps "b""#])
        layout.items[0].texts[0].x = layout.width - 1
        XCTAssertTrue(layout.collisions.contains(#""a" leaves the chart"#), "\(layout.collisions)")
    }

    private let long = String(repeating: "Ünïcödé lyric ", count: 36)

    private func longLabelLayout() throws -> ChartLayout {
        try XCTUnwrap(try ChartLayout.make(.bars, chart: chart([long, "Short"], values: ["5", "3"])))
    }

    func testALongLabelIsShortenedToFitTheChart() throws {
        let layout = try longLabelLayout()
        let label = layout.items[0].texts[0]
        XCTAssertTrue(label.text.hasSuffix("…"))
        XCTAssertTrue(long.hasPrefix(String(label.text.dropLast())))
        XCTAssertLessThanOrEqual(TextMetrics.width(label.text, fontSize: label.fontSize), layout.width)
        XCTAssertEqual(layout.items[1].texts[0].text, "Short")
        let svg = layout.svg(id: "top_songs")
        XCTAssertTrue(svg.contains(">\(HTML.escape(label.text))</text>"), svg)
    }

    func testALongLabelKeepsItsFullTextForTheTooltip() throws {
        let layout = try longLabelLayout()
        XCTAssertEqual(layout.items[0].title, long + ": 5")
        let svg = layout.svg(id: "top_songs")
        XCTAssertTrue(svg.contains("<title>\(HTML.escape(long)): 5</title>"), svg)
    }

    func testTextIsShortenedOnlyWhenItDoesNotFit() {
        XCTAssertEqual(TextMetrics.shorten("Wednesday", toFit: 40, fontSize: 11), "Wed…")
        XCTAssertEqual(TextMetrics.shorten("Monday", toFit: 100, fontSize: 11), "Monday")
    }

    func testTextWidthFollowsTheGlyphs() {
        XCTAssertGreaterThan(TextMetrics.width("WWW", fontSize: 10), TextMetrics.width("iii", fontSize: 10))
        XCTAssertEqual(TextMetrics.width("日本", fontSize: 10), 21, accuracy: 0.01)
    }

    func testNumbersSitOnTheBarsOrJustAfterThem() throws {
        let layout = try XCTUnwrap(try ChartLayout.make(.bars, chart: chart(["a", "b", "c"], values: ["691", "2", "0"])))
        let values = layout.items.map { $0.texts[1] }
        XCTAssertEqual(values.map(\.text), ["691", "2", "0"])
        XCTAssertTrue(values[0].inverse)
        XCTAssertLessThanOrEqual(values[0].box.x + values[0].box.width, layout.items[0].bar.width)
        XCTAssertFalse(values[1].inverse)
        XCTAssertGreaterThanOrEqual(values[1].box.x, layout.items[1].bar.width)
        XCTAssertEqual(layout.items.map(\.bar.width), [ChartLayout.viewWidth, 2.0 / 691 * ChartLayout.viewWidth, 0])
    }

    func testHoursProfileHasEveryHour() throws {
        let layout = try XCTUnwrap(try ChartLayout.make(.hours, chart: chart(["3", "23", "0"], values: ["7", "14", "1"])))
        XCTAssertEqual(layout.items.count, 24)
        let expected: [Int: Double] = [0: 1, 3: 7, 23: 14]
        XCTAssertEqual(layout.items.map(\.value), (0..<24).map { expected[$0] ?? 0 })
        XCTAssertEqual(layout.items[23].bar.height, 150)
        XCTAssertEqual(layout.collisions, [])
    }

    func testHoursProfileRefusesALabelThatIsNotAnHour() {
        XCTAssertThrowsError(try ChartLayout.make(.hours, chart: chart(["Monday"], values: ["1"]))) { error in
            XCTAssertEqual("\(error)", #"an hours chart needs song to be an hour 0–23, got "Monday""#)
        }
    }

    private func paidShare() throws -> ChartLayout {
        try XCTUnwrap(try ChartLayout.make(.share, chart: chart(["paid", "free"], values: ["5591", "1229"])))
    }

    func testShareWritesALegendOfCountsAndPercentages() throws {
        XCTAssertEqual(try paidShare().items.map { $0.texts[0].text }, ["paid: 5591 (82.0%)", "free: 1229 (18.0%)"])
    }

    func testShareSplitsOneBarInColouredParts() throws {
        let layout = try paidShare()
        XCTAssertEqual(layout.items[0].bar.width + layout.items[1].bar.width, ChartLayout.viewWidth, accuracy: 0.001)
        XCTAssertEqual(layout.items[1].bar.x, layout.items[0].bar.width, accuracy: 0.001)
        XCTAssertEqual(layout.items.map(\.colorIndex), [0, 1])
    }

    func testNoChartIsDrawnForNoneOrForNoRows() throws {
        XCTAssertNil(try ChartLayout.make(.none, chart: chart(["a"], values: ["1"])))
        XCTAssertNil(try ChartLayout.make(.bars, chart: chart([], values: [])))
    }

    func testChartModelTakesNamedColumns() throws {
        let table = ResultTable(columns: [.init(name: "hour", isNumeric: true), .init(name: "plays", isNumeric: true),
                                          .init(name: "listeners", isNumeric: true)],
                                rows: [["0", "25", "3"], ["1", "50", "4"]])
        let chart = try BarChart(table: table, labelColumn: "hour", valueColumn: "plays")
        XCTAssertEqual(chart.bars.map(\.fullLabel), ["0", "1"])
        XCTAssertEqual(chart.bars.map(\.value), [25, 50])
        XCTAssertEqual(try BarChart(table: table).bars.map(\.value), [25, 50], "without names: the first numeric column after the label")
        XCTAssertThrowsError(try BarChart(table: table, valueColumn: "nope")) { error in
            XCTAssertEqual("\(error)", "cannot chart column nope: the columns are hour, plays, listeners")
        }
    }
}
