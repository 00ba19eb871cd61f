import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// The report on a migrated star schema filled by `Tests/Fixtures/report_star_schema.sql`
/// (600 plays, hostile values): each section holds exactly its saved query's rows, a
/// failing query becomes an error section, and the CSV beside it is the server's CSV.
final class ReportLiveTests: XCTestCase {
    var database: FreshDatabase!
    var connection: Connection!
    var directory: String!
    var catalog: QueryCatalog!

    override func setUpWithError() throws {
        catalog = try QueryCatalog(directory: TestDatabase.packageRoot + "/queries")
        database = try migratedDatabase(prefix: "report")
        connection = try database.connect()
        try connection.execute(String(contentsOfFile: TestDatabase.packageRoot + "/Tests/Fixtures/report_star_schema.sql",
                                      encoding: .utf8))
        directory = try temporaryFolder("report")
    }

    override func tearDown() {
        connection = nil
    }

    func shippedPlan(_ overrides: [String] = []) throws -> ReportPlan {
        try ReportPlan(definition: ReportDefinition(file: catalog.directory + "/report.txt"), catalog: catalog, overrides: overrides)
    }

    func testEachSectionHoldsItsSavedQueryRows() throws {
        let plan = try shippedPlan()
        let sections = try ReportRunner.run(plan, on: connection)
        XCTAssertEqual(sections.compactMap(\.error), [])
        for section in sections {
            let path = directory + "/\(section.plan.id).json"
            let request = QueryRequest(sql: section.plan.query.sql, parameters: section.plan.values, format: .json, outputPath: path)
            let outcome = try QueryRunner.run(request, on: connection, standardOutput: .standardOutput())
            XCTAssertEqual(section.table, outcome.table, section.plan.id)
            XCTAssertEqual(section.chart == nil, section.plan.chart == .none, section.plan.id)
            XCTAssertEqual(section.chart?.items.count, section.plan.chart == .hours ? 24 : section.chart.map { _ in outcome.table?.rows.count ?? 0 })
        }
        func rows(_ id: String) -> [[String?]] { sections.first { $0.plan.id == id }?.table?.rows ?? [] }
        XCTAssertEqual(rows("top_songs").first, ["<script>alert(1)</script>", "Ólafur Arnalds", "97", "SO9", "AR9"])
        XCTAssertEqual(rows("paid_vs_free"), [["free", "450", "15", "75.0"], ["paid", "150", "5", "25.0"]])
        XCTAssertEqual(rows("plays_by_hour").count, 24)
        XCTAssertEqual(rows("plays_by_hour").compactMap { $0[1].flatMap(Int.init) }.reduce(0, +), 600)
        XCTAssertEqual(rows("plays_by_weekday").map { $0[0] }, ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])

        let html = ReportDocument(title: plan.title, database: "test", generatedAt: Date(), sections: sections).html
        for section in sections {
            for row in section.table?.rows ?? [] {
                for value in row.compactMap({ $0 }) {
                    XCTAssertTrue(html.contains(">\(HTML.escape(value))</td>"), "\(section.plan.id): \(value)")
                }
            }
        }
        XCTAssertFalse(html.contains("<script>"))
    }

    func testOverridesReachTheQueries() throws {
        let sections = try ReportRunner.run(shippedPlan(["limit=3", "top_songs.limit=1", "since=2018-11-20"]), on: connection)
        XCTAssertEqual(sections.first { $0.plan.id == "top_songs" }?.table?.rows.count, 1)
        XCTAssertEqual(sections.first { $0.plan.id == "top_artists" }?.table?.rows.count, 3)
        let byHour = sections.first { $0.plan.id == "plays_by_hour" }?.table?.rows ?? []
        let expected = try connection.execute("SELECT count(*) FROM songplays WHERE start_time >= '2018-11-20'").scalar
        XCTAssertEqual(String(byHour.compactMap { $0[1].flatMap(Int.init) }.reduce(0, +)), expected)
    }

    func testAFailingQueryBecomesAnErrorSectionOrStopsTheRun() throws {
        try connection.execute("DROP TABLE songs CASCADE")
        let plan = try shippedPlan()
        let sections = try ReportRunner.run(plan, on: connection)
        let failed = sections.filter { $0.error != nil }
        // Both top_songs sections read songs (the matched=only branch joins it).
        XCTAssertEqual(failed.map(\.plan.id), ["top_songs", "top_songs-only"])
        let message = try XCTUnwrap(failed.first?.error)
        XCTAssertTrue(message.contains("queries/top_songs.sql:25:10: "), message)
        XCTAssertTrue(message.contains("ERROR 42P01 relation \"songs\" does not exist\nLINE 25:     JOIN songs s"), message)
        XCTAssertEqual(sections.count, plan.sections.count)
        XCTAssertNotNil(sections.first { $0.plan.id == "top_artists" }?.table)

        let path = directory + "/report.html"
        try ReportRunner.write(ReportDocument(title: plan.title, database: "test", generatedAt: Date(), sections: sections), to: path)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(html.contains("<section class=\"query failed\" id=\"top_songs\""), html)
        XCTAssertTrue(html.contains("relation &quot;songs&quot; does not exist"))
        XCTAssertTrue(html.contains("<section class=\"query\" id=\"session_lengths\""))

        XCTAssertThrowsError(try ReportRunner.run(plan, on: connection, failFast: true)) { error in
            guard case ReportError.sectionFailed(let id, let message)? = error as? ReportError else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "top_songs")
            XCTAssertTrue(message.contains("ERROR 42P01"), message)
        }
    }

    func testCSVBesideTheReportIsTheServersCSV() throws {
        let plan = try shippedPlan()
        let sections = try ReportRunner.run(plan, on: connection)
        let csvDirectory = directory + "/csv/nested"
        try ReportRunner.write(ReportDocument(title: plan.title, database: "test", generatedAt: Date(), sections: sections),
                               to: directory + "/report.html", csvDirectory: csvDirectory)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: csvDirectory).sorted(),
                       plan.sections.map { $0.id + ".csv" }.sorted())
        for section in plan.sections {
            let expected = directory + "/expected.csv"
            try AtomicFile.write(expected) { output in
                try CSVExport.run(connection, sql: section.query.sql, parameters: section.values, to: output)
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: csvDirectory + "/\(section.id).csv")),
                           try Data(contentsOf: URL(fileURLWithPath: expected)), section.id)
        }
    }
}
