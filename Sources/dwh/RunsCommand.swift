import ArgumentParser
import DWHCore
import Foundation

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "The run ledger: every attempt of `dwh run`, the days missing, and how fresh the data is.",
        discussion: """
        --missing lists the days from [RUN] START_DATE (or --from) to END_DATE (or --to) with no \
        successful run. --freshness 26h exits 1 when the last success finished longer ago than \
        that, for a monitor to call.
        """
    )

    @Option(help: ArgumentHelp("Only this day's attempts.", valueName: "YYYY-MM-DD")) var date: String?
    @Flag(help: "Only failed attempts.") var failed = false
    @Flag(help: "List the days of the range with no success.") var missing = false
    @Option(help: ArgumentHelp("Exit 1 when the last success is older than this (26h, 90m).", valueName: "duration"))
    var freshness: String?
    @Option(help: ArgumentHelp("First day for --missing.", valueName: "YYYY-MM-DD")) var from: String?
    @Option(help: ArgumentHelp("Last day for --missing.", valueName: "YYYY-MM-DD")) var to: String?
    @Option(help: "table or json.") var format: RunsFormat = .table
    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        do {
            let context = try connection.context()
            let settings = try RunSettings(config: context.config)
            let session = try context.openSession()
            let query = try RunsQuery(date: date, failed: failed, from: from, to: to, settings: settings)
            let attempts = try Ledger(connection: session.connection).attempts()
            if missing {
                let days = try query.missing(attempts)
                print(format == .json ? RunsQuery.json(days.map(\.description)) : days.map(\.description).joined(separator: "\n"))
                return
            }
            if let freshness {
                let verdict = try RunsQuery.freshness(attempts, limit: freshness)
                print(verdict.message)
                if !verdict.fresh { throw ExitCode.failure }
                return
            }
            let shown = query.filter(attempts)
            print(format == .json ? RunsQuery.json(shown) : RunsQuery.table(shown), terminator: format == .json ? "\n" : "")
        } catch let error as RunError {
            Console.info("Error: \(error)")
            throw ExitCode(error.exitCode)
        }
    }
}

enum RunsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
