import ArgumentParser
import DWHCore

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run ad-hoc SQL and show the result like a saved query."
    )

    @Argument(help: "The SQL to run.") var sql: String
    @OptionGroup var output: OutputOptionGroup
    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        try runAndReport(output.request(sql: sql, parameters: []), connection: connection, source: nil)
    }
}
