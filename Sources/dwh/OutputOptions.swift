import ArgumentParser
import DWHCore
import Foundation
import Postgres

extension OutputFormat: ExpressibleByArgument {}

/// How `dwh query run` and `dwh sql` show their rows.
struct OutputOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("table, csv, json or markdown.", valueName: "format"))
    var format: OutputFormat = .table

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write to this file (atomically) instead of standard output (- for standard output).",
                               valueName: "file"))
    var output: String?

    @Flag(help: "Draw a horizontal bar chart of a label/number result.")
    var chart = false

    @Flag(help: "Print long results straight to the terminal, not through $DWH_PAGER, $PAGER or less -S.")
    var noPager = false

    func request(sql: String, parameters: [String]) -> QueryRequest {
        // COPY … FROM STDIN reads what is piped in; a terminal is no file of rows.
        QueryRequest(sql: sql, parameters: parameters, format: format, outputPath: output, chart: chart,
                     copyInput: isatty(STDIN_FILENO) == 1 ? nil : STDIN_FILENO,
                     pager: noPager || output != nil ? nil : PagerSetting.forStandardOutput())
    }
}

/// Runs a request on a fresh session and prints the closing line; a server error is
/// shown with its line and caret and the command exits 1.
func runAndReport(_ request: QueryRequest, connection options: ConnectionOptionGroup, source: SQLSource?) throws {
    // After connecting: a local server started on the way must not inherit a blocked SIGINT.
    let context = try options.context()
    let session = try context.openSession()
    session.showNotices { Console.info($0) }
    Interrupts.shared.install()
    do {
        let unload = try context.unload(dialect: session.dialect, format: request.format)
        let outcome = try QueryRunner.run(request, on: session.connection, dialect: session.dialect, terminalWidth: Terminal.width(),
                                          standardOutput: .standardOutput(), unload: unload)
        if let status = outcome.commandStatus {
            Console.info(status)
        } else if let path = request.outputPath {
            Console.info("wrote \(Plural.count(outcome.rows ?? 0, "row")) to \(path)")
        } else if request.format == .table && Terminal.isInteractive(STDOUT_FILENO) {
            print(TableRenderer.footer(rows: outcome.rows ?? 0, milliseconds: outcome.milliseconds), terminator: "")
        }
    } catch let error as PostgresError {
        Console.info(QueryText.report(error, sql: request.sql, source: source))
        throw ExitCode.failure
    }
}
