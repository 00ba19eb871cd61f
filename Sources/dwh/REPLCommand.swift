import ArgumentParser
import DWHCore
import Foundation

struct REPLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive SQL prompt that knows the warehouse and the saved queries.",
        discussion: """
        Statements end with `;`; \\? lists the meta-commands. History is kept in DWH_HISTORY
        (default ~/.dwh_history). With standard input not a terminal, statements are read
        from it and the first error ends the run with status 1.
        """
    )

    @Flag(help: "Without a terminal, go on after an error (the exit status is still 1).")
    var continueOnError = false

    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        // After connecting: a local server started on the way must not inherit a blocked SIGINT.
        let session = try connection.openSession()
        Interrupts.shared.install(exitsWhenIdle: false)
        let environment = ProcessInfo.processInfo.environment
        let history = environment["DWH_HISTORY"] ?? (environment["HOME"].map { $0 + "/.dwh_history" })
        let options = REPL.Options(interactive: Terminal.isInteractive(STDIN_FILENO), historyFile: history,
                                   continueOnError: continueOnError)
        var catalog: QueryCatalog?
        do { catalog = try QueryCatalog.locate() } catch { Console.warn("saved queries unavailable: \(error)") }
        let status = REPL(session: session, catalog: catalog, options: options).run()
        if status != 0 { throw ExitCode(status) }
    }
}
