import ArgumentParser
import DWHCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the data-quality checks, built-in and checks/*.sql; exit 1 when one of severity error fails.",
        discussion: """
        Built in: every table has rows, no NULL or duplicate keys, every songplay's user and time \
        exist, songplays equal the NextSong events staged. A file checks/NAME.sql \
        (`-- check: NAME`, `-- description:`, `-- severity: error|warn`) returns the offending \
        rows, and passes when it returns none. On Redshift, a warning names the tables whose rows are \
        over 20 % unsorted or deleted, or whose statistics are over 10 % off (SVV_TABLE_INFO), \
        with the VACUUM or ANALYZE to run. --date D checks the facts of day D only (what \
        `dwh run` does), binding a check's `-- param: run_start timestamp` and `run_end`.
        """
    )

    @Option(help: ArgumentHelp("Check only this day's facts.", valueName: "YYYY-MM-DD")) var date: String?
    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        var interval = QualityChecks.everything
        if let date {
            guard let day = RunDay(date) else { throw ValidationError("--date: \"\(date)\" is not a day (YYYY-MM-DD)") }
            interval = (day.runStart, day.runEnd)
        }
        let catalog = try CheckCatalog.locate()
        let session = try connection.context().openSession()
        Interrupts.shared.install()
        // The built-in checks and the project's read one snapshot together.
        let results = try ConsistentRead.run(session.connection, dialect: session.dialect) { _ in
            try QualityChecks.run(session.connection, dialect: session.dialect, interval: interval)
                + catalog.run(session.connection, interval: interval)
        } + TableHealth.run(session.connection, dialect: session.dialect)
        print(QualityChecks.format(results))
        if results.contains(where: { !$0.passed && $0.severity == .error }) { throw ExitCode.failure }
    }
}
