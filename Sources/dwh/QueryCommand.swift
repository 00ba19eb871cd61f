import ArgumentParser
import DWHCore

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "List, show and run the saved queries in queries/.",
        discussion: """
        Queries are read from DWH_QUERIES, else ./queries (`dwh init` writes a project with \
        them; a development build also finds its checkout's). Each file is one query with a header:
          -- name: top_songs
          -- description: The most played songs.
          -- param: limit int = 10
          SELECT … LIMIT $1;
        Parameters (int, numeric, text, timestamp, date, bool, or a|b|c) are checked before \
        the query runs and bound by the server: dwh query run top_songs --param limit=5
        """,
        subcommands: [List.self, Show.self, Run.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Names, descriptions and parameters of the saved queries.")

        func run() throws {
            let catalog = try QueryCatalog.locate()
            var text = ""
            for query in catalog.queries {
                text += "\(query.name)\n    \(query.description)\n"
                for parameter in query.parameters { text += "    --param \(parameter.signature)\n" }
            }
            print(text, terminator: "")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a saved query's SQL.")

        @Argument(help: "The query's name.", completion: SavedQueryCompletion.names) var name: String

        func run() throws {
            let query = try QueryCatalog.locate().query(named: name)
            print("-- \(query.file)")
            for (index, parameter) in query.parameters.enumerated() { print("-- $\(index + 1): \(parameter.signature)") }
            print(query.sql + ";")
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a saved query.")

        @Argument(help: "The query's name.", completion: SavedQueryCompletion.names) var name: String

        @Option(name: .customLong("param"), help: ArgumentHelp("A parameter value (repeatable).", valueName: "name=value"),
            completion: SavedQueryCompletion.parameters)
        var parameters: [String] = []

        @OptionGroup var output: OutputOptionGroup
        @OptionGroup var connection: ConnectionOptionGroup

        func run() throws {
            let query = try QueryCatalog.locate().query(named: name)
            let values = try query.bind(QueryParameter.assignments(parameters))
            try runAndReport(output.request(sql: query.sql, parameters: values), connection: connection, source: query.source)
        }
    }
}

/// Shell completion for the commands that take a saved query: its name, and its
/// parameters for `--param`, read from the catalog of the folder the shell is in (a
/// catalog that cannot be read completes nothing rather than printing an error).
enum SavedQueryCompletion {
    static let names = CompletionKind.custom { _, _, _ in
        (try? QueryCatalog.locate())?.completionNames ?? []
    }

    static let parameters = CompletionKind.custom { words, current, _ in
        (try? QueryCatalog.locate())?.parameterCompletions(words: words, current: current) ?? []
    }
}
