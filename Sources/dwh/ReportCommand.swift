import ArgumentParser
import DWHCore
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (charts and tables) of the saved queries.",
        discussion: """
        The sections come from queries/report.txt (or --definition), one line each:

          # a comment
          title: Sparkify listening report
          top_artists limit=10 | bars value=plays
          plays_by_hour | hours label=hour
          session_lengths | none

        A line is NAME [PARAM=VALUE]… [| CHART [label=COLUMN] [value=COLUMN]]; CHART is \
        bars (default), columns, hours, trend, share or none; values hold no spaces \
        (2018-11-01T08:00). --param NAME=VALUE sets NAME for every query that takes it, \
        --param QUERY.NAME=VALUE for one query. A failing query becomes an error section \
        and the command exits 1 after writing the rest (--fail-fast: stop, write nothing).
        """
    )

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Also write each section's rows as DIR/ID.csv.", valueName: "dir"))
    var csvDir: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter value (repeatable).", valueName: "[query.]name=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("The report definition (default: report.txt in the queries folder).", valueName: "file"))
    var definition: String?

    @Flag(help: "Stop at the first failing query and write nothing.")
    var failFast = false

    @Flag(help: "Print the sections, parameters and charts, and run nothing.")
    var dryRun = false

    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        let catalog = try QueryCatalog.locate()
        let definition = try ReportDefinition(file: definition ?? catalog.directory + "/report.txt")
        let plan = try ReportPlan(definition: definition, catalog: catalog, overrides: parameters)
        for warning in plan.warnings { Console.warn(warning) }
        if dryRun {
            print(plan.transcript, terminator: "")
            return
        }
        // After connecting: a local server started on the way must not inherit a blocked SIGINT.
        let session = try connection.context().openSession()
        Interrupts.shared.install()
        // The summary and every section read one snapshot. Without the star schema the
        // sections fail one by one and are shown, and the summary is left out.
        let (summary, sections) = try ConsistentRead.run(session.connection, dialect: session.dialect) { read in
            var summary: ReportSummary?
            do { summary = try read.attempt { try ReportSummary.read(on: session.connection, since: plan.since) } } catch let error as SQLError {
                Console.warn("the report's summary is left out: \(error)")
            }
            return (summary, try ReportRunner.run(plan, on: session.connection, dialect: session.dialect, failFast: failFast))
        }
        let document = ReportDocument(title: plan.title, database: session.target.summary, generatedAt: Date(), sections: sections,
                                      summary: summary, warnings: plan.warnings)
        try ReportRunner.write(document, to: output, csvDirectory: csvDir)
        let failed = document.failedSections
        for section in failed { Console.info("\(section.plan.id): \(section.error ?? "")") }
        guard failed.isEmpty else { throw ReportError.sectionsFailed(ids: failed.map(\.plan.id), path: output) }
        let count = Plural.count(sections.count, "section")
        Console.info("wrote \(output): \(count)" + (csvDir.map { ", CSV in \($0)" } ?? ""))
    }
}
