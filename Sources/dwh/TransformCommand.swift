import ArgumentParser
import DWHCore

struct TransformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Rebuild the star schema (songplays, users, songs, artists, time) from staging.",
        discussion: "Runs the SQL of Resources/Transform in one transaction; running it twice gives the same tables."
    )

    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        let session = try connection.openSession()
        printCounts(try Transformer(connection: session.connection, dialect: session.dialect).run())
    }
}
