import ArgumentParser
import DWHCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a saved query's rows as CSV (header, RFC 4180, UTF-8), streaming.",
        discussion: "The file appears only when complete: a failed or interrupted export leaves nothing behind."
    )

    @Argument(help: "The saved query's name.", completion: SavedQueryCompletion.names) var name: String

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The CSV file to write.", valueName: "file"))
    var output: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter value (repeatable).", valueName: "name=value"),
            completion: SavedQueryCompletion.parameters)
    var parameters: [String] = []

    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        let query = try QueryCatalog.locate().query(named: name)
        let values = try query.bind(QueryParameter.assignments(parameters))
        let request = QueryRequest(sql: query.sql, parameters: values, format: .csv, outputPath: output)
        try runAndReport(request, connection: connection, source: query.source)
    }
}
