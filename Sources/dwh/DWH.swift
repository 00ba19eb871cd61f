import ArgumentParser
import DWHCore
import Foundation

@main
struct DWH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dwh",
        abstract: "The Sparkify warehouse workbench: local PostgreSQL or Amazon Redshift, from raw JSON to analysed data.",
        discussion: """
        With no server configured, dwh runs its own PostgreSQL under .dwh/ (or DWH_HOME). \
        Point it elsewhere with --database-url, DWH_DATABASE_URL or [CLUSTER] in dwh.cfg.

        A first tour:
          dwh init sparkify     start a project there (then cd sparkify)
          dwh db start          start the local database
          dwh migrate           build the staging tables and the star schema
          dwh migrate status    what is applied
          dwh query list        the saved queries; then `dwh query run NAME`
          dwh repl              an interactive SQL prompt
          dwh run               the daily job: load, transform, check, deliver each day
        """,
        version: version,
        subcommands: [
            InitCommand.self,
            DBCommand.self,
            ConfigCommand.self,
            MigrateCommand.self,
            GenerateCommand.self,
            LoadCommand.self,
            TransformCommand.self,
            CheckCommand.self,
            RunCommand.self,
            RunsCommand.self,
            QueryCommand.self,
            SQLCommand.self,
            ExportCommand.self,
            REPLCommand.self,
            ReportCommand.self,
            ClusterCommand.self,
            S3Command.self,
        ]
    )

    /// `dwh --version`: the release and the commit it was built from, e.g.
    /// `dwh 0.1.0 (commit abc1234, 2026-11-30)`, so a bug report names the exact build.
    static let version = "dwh 0.1.0 (commit \(BuildStamp.commit)"
        + (BuildStamp.date == "unknown" ? ")" : ", \(BuildStamp.date))")

    /// argument-parser's own main, except that a command failing because Ctrl-C or SIGTERM
    /// cancelled its statement ends with the signal's status (130, 143), not 1, and that an
    /// error's control characters (from data or a server's message) show escaped.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            Interrupts.shared.exitIfEnding()
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { Console.info(message) }
            Foundation.exit(code.rawValue)
        }
    }
}
