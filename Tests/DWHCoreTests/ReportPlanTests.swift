import DWHCore
import TestSupport
import XCTest

/// The report definition file and the plan made from it, without a database.
final class ReportPlanTests: XCTestCase {
    var catalog: QueryCatalog!

    override func setUpWithError() throws {
        catalog = try QueryCatalog(directory: DWHBinary.packageRoot + "/queries")
    }

    private func definition() throws -> ReportDefinition {
        try ReportDefinition(text: """
            # comment
            title: Plays <this week>

            top_songs limit=5 since=2018-11-01T08:00 | bars label=song value=plays
            plays_by_hour | hours label=hour
            session_lengths | none
            top_locations
            """, file: "r.txt")
    }

    func testParsesTheTitle() throws {
        XCTAssertEqual(try definition().title, "Plays <this week>")
    }

    func testParsesEachSectionsQueryChartParametersColumnsAndLine() throws {
        let definition = try definition()
        XCTAssertEqual(definition.entries.map(\.query), ["top_songs", "plays_by_hour", "session_lengths", "top_locations"])
        XCTAssertEqual(definition.entries.map(\.chart), [.bars, .hours, .none, .bars])
        XCTAssertEqual(definition.entries.map(\.line), [4, 5, 6, 7])
        XCTAssertEqual(definition.entries[0].parameters.map(\.value), ["5", "2018-11-01T08:00"])
        XCTAssertEqual(definition.entries[0].labelColumn, "song")
        XCTAssertEqual(definition.entries[1].valueColumn, nil)
    }

    /// Two parts, a section without one, all failed: the page without running anything.
    private func partsPage() throws -> (plan: ReportPlan, html: String) {
        let plan = try plan("part: Listeners\nrecommend\naudiences by=os\npart: <More>\ngender_split")
        let sections = plan.sections.map { ReportSection(plan: $0, table: nil, error: "x") }
        return (plan, ReportDocument(title: "t", database: "d", generatedAt: Date(), sections: sections).html)
    }

    /// `part:` lines head parts of the report in words.
    func testPartsHeadTheirSections() throws {
        let (plan, html) = try partsPage()
        XCTAssertEqual(plan.sections.map(\.part), ["Listeners", nil, "<More>"])
        XCTAssertTrue(html.contains("<h2 class=\"part\" id=\"part-recommend\">Listeners</h2>\n<section"), html)
        XCTAssertTrue(html.contains("<h2 class=\"part\" id=\"part-gender_split\">&lt;More&gt;</h2>"), html)
    }

    /// A query's `-- title:` heads its section.
    func testEachSectionIsHeadedByItsQuerysTitle() throws {
        let html = try partsPage().html
        XCTAssertTrue(html.contains("-heading\">Artists to recommend to one listener</h2>"), html)
        XCTAssertTrue(html.contains("-heading\">Audiences for advertising: where, on which platform, and who to offer paid (by = os)</h2>"))
        XCTAssertTrue(html.contains("-heading\">Plays by gender</h2>"))
        XCTAssertTrue(html.contains("<li><a href=\"#gender_split\">Plays by gender</a> <span class=\"failed\">(failed)</span></li>"), html)
    }

    func testBadLinesNameFileAndLine() {
        let cases = [
            ("top_songs limit", "r.txt:1: a parameter reads PARAM=VALUE, got \"limit\""),
            ("\ntop_songs | pie", "r.txt:2: after | comes a chart: bars, columns, hours, trend, share, none"),
            ("top_songs | bars colour=red", "r.txt:1: a chart takes label=COLUMN and value=COLUMN, got \"colour=red\""),
            ("# nothing", "r.txt:1: no queries listed"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try ReportDefinition(text: text, file: "r.txt")) { XCTAssertEqual("\($0)", message) }
        }
        XCTAssertThrowsError(try ReportDefinition(file: "/nonexistent/report.txt")) { error in
            XCTAssertTrue("\(error)".hasPrefix("no report definition at /nonexistent/report.txt"), "\(error)")
        }
    }

    func plan(_ text: String, _ overrides: [String] = []) throws -> ReportPlan {
        try ReportPlan(definition: ReportDefinition(text: text, file: "r.txt"), catalog: catalog, overrides: overrides)
    }

    func testParametersComeFromDefaultsThenTheDefinitionThenParam() throws {
        let text = "top_songs limit=5\ntop_user_agents by=browser\ntop_user_agents by=os\nplays_by_hour | hours"
        let base = try plan(text)
        XCTAssertEqual(base.sections.map(\.id), ["top_songs", "top_user_agents-browser", "top_user_agents-os", "plays_by_hour"])
        XCTAssertEqual(base.sections.map(\.values), [["5", "2018-01-01", "all"], ["10", "browser", "2018-01-01"], ["10", "os", "2018-01-01"], ["2018-01-01"]])
        XCTAssertEqual(base.sections[1].variant, "by = browser")
        let overridden = try plan(text, ["since=2018-11-15", "limit=3", "top_user_agents.limit=2"])
        XCTAssertEqual(overridden.sections.map(\.values), [["3", "2018-11-15", "all"], ["2", "browser", "2018-11-15"], ["2", "os", "2018-11-15"], ["2018-11-15"]])
        XCTAssertEqual(overridden.transcript.split(separator: "\n")[1],
                       "top_songs: top_songs (limit = 3, since = 2018-11-15, matched = all), chart bars")
    }

    func testBadNamesAndValuesFailBeforeAnythingRuns() {
        let cases: [(String, [String], String)] = [
            ("nope", [], "r.txt:1: no saved query named nope in"),
            ("top_songs limit=ten", [], "r.txt:1: top_songs: limit must be an integer, got \"ten\""),
            ("top_songs", ["limit=x"], "top_songs: limit must be an integer, got \"x\""),
            ("top_songs", ["city=Tampa"], "--param city: no query in the report takes it"),
            ("top_songs", ["gender_split.limit=1"], "--param gender_split.limit: the report has no query gender_split"),
            ("gender_split\ntop_songs", ["gender_split.limit=1"], "gender_split has no parameter limit"),
            ("top_songs\ntop_songs", [], "r.txt:2: top_songs is listed twice with the same parameters"),
        ]
        for (text, overrides, message) in cases {
            XCTAssertThrowsError(try plan(text, overrides), text) { XCTAssertTrue("\($0)".hasPrefix(message), "\($0)") }
        }
    }

    func testTheShippedDefinitionCoversEverySavedQuery() throws {
        let plan = try ReportPlan(definition: ReportDefinition(file: catalog.directory + "/report.txt"), catalog: catalog)
        XCTAssertEqual(Set(plan.sections.map(\.query.name)), Set(catalog.queries.map(\.name)))
        XCTAssertEqual(Set(plan.sections.map(\.id)).count, plan.sections.count)
        XCTAssertEqual(plan.sections.first { $0.id == "plays_by_hour" }?.chart, .hours)
        XCTAssertEqual(plan.sections.first { $0.id == "paid_vs_free" }?.chart, .share)
    }
}
