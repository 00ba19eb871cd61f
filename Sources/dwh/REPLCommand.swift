import ArgumentParser
import DWHCore
import Foundation

struct REPLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive SQL prompt that knows the warehouse and the saved queries.",
        discussion: """
        Statements end with `;` and may span lines; \\? lists the meta-commands (\\run NAME \
        runs a saved query, \\d TABLE describes a table, \\export FILE writes the last \
        result as CSV, \\q quits). Tab completes commands, saved queries, tables and \
        columns; history is kept in DWH_HISTORY (default ~/.dwh_history); Ctrl-C cancels a \
        running statement.

        With standard input not a terminal, statements are read from it and the first \
        error ends the run with status 1:
          dwh repl < script.sql
        """
    )

    @Flag(help: "Without a terminal, go on after an error (the exit status is still 1).")
    var continueOnError = false

    @Flag(help: "Go ahead without asking: an UPDATE or DELETE without WHERE, a DROP or TRUNCATE, a replaced saved query.")
    var yes = false

    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        // After connecting: a local server started on the way must not inherit a blocked SIGINT.
        let context = try connection.context()
        let session = try context.openSession()
        Interrupts.shared.install(exitsWhenIdle: false)
        let environment = ProcessInfo.processInfo.environment
        let history = environment["DWH_HISTORY"] ?? (environment["HOME"].map { $0 + "/.dwh_history" })
        var options = REPL.Options(interactive: Terminal.isInteractive(STDIN_FILENO), historyFile: history,
                                   continueOnError: continueOnError)
        options.assumeYes = yes
        options.unload = try context.unload(dialect: session.dialect, format: .csv)
        var catalog: QueryCatalog?
        do { catalog = try QueryCatalog.locate() } catch { Console.warn("saved queries unavailable: \(error)") }
        let status = REPL(session: session, catalog: catalog, options: options).run()
        if status != 0 { throw ExitCode(status) }
    }
}
