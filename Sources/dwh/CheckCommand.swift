import ArgumentParser
import DWHCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the data-quality checks; exit 1 when any fails.",
        discussion: "Every table has rows, no NULL keys, every songplay's user and time exist, no duplicate keys, songplays equal the NextSong events staged."
    )

    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        let session = try connection.context().openSession()
        let results = try QualityChecks.run(session.connection, dialect: session.dialect)
        print(QualityChecks.format(results))
        if results.contains(where: { !$0.passed }) { throw ExitCode.failure }
    }
}
