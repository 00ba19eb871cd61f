import Foundation

/// The saved queries in a `queries/` folder, by name.
public struct QueryCatalog: Sendable {
    public let directory: String
    /// Sorted by name.
    public let queries: [SavedQuery]

    /// Reads every `*.sql` file in `directory`; one bad file is an error naming it.
    public init(directory: String) throws {
        self.directory = directory
        let files = FileManager.default.fileExists(atPath: directory) ? try SourceText.names(in: directory) : []
        var queries: [SavedQuery] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            let path = directory + "/" + file
            let text = try SourceText.read(path)
            queries.append(try SavedQuery(text: text, file: path))
        }
        self.queries = queries.sorted { $0.name < $1.name }
    }

    /// The folder to use: `DWH_QUERIES`, else `queries/` in the current folder, else the
    /// `queries/` of the checkout the running binary was built in (see `ProjectSearch`).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath,
                              executable: String? = ProjectSearch.runningExecutable()) throws -> QueryCatalog {
        if let given = environment["DWH_QUERIES"], !given.isEmpty { return try QueryCatalog(directory: given) }
        let places = ProjectSearch.places(for: "queries", currentDirectory: currentDirectory, executable: executable)
        guard let found = ProjectSearch.firstFolder(in: places) else { throw QueryError.noDirectory(searched: places) }
        return try QueryCatalog(directory: found)
    }

    public func query(named name: String) throws -> SavedQuery {
        guard let query = queries.first(where: { $0.name == name }) else {
            throw QueryError.notFound(name: name, directory: directory, known: queries.map(\.name))
        }
        return query
    }
}

/// Shell completion of saved queries: `dwh query run <TAB>` offers the names in the
/// catalog a command run in the same folder would use, and `--param <TAB>` the parameters
/// of the query already named on the line.
extension QueryCatalog {
    /// The saved queries' names.
    public var completionNames: [String] { queries.map(\.name) }

    /// `--param` values for the query named among `words` (the last word that is a saved
    /// query's name, apart from the word being completed, `words[current]`), leaving out
    /// the parameters already given (`limit=5`, or `limit` `=` `5` as bash splits it).
    /// Each is offered as `name=` with a value to start from, since the shell puts a space
    /// after a lone completion: each choice (`by=agent`, `by=browser`), `true` and
    /// `false`, or the default (`limit=10`); a parameter with none of those as `name=`.
    public func parameterCompletions(words: [String], current: Int) -> [String] {
        let others = words.indices.filter { $0 != current }.map { words[$0] }
        guard let name = others.last(where: { word in queries.contains { $0.name == word } }),
              let query = try? query(named: name) else { return [] }
        var given: Set<String> = []
        for (index, word) in words.enumerated() where index != current {
            if let equals = word.firstIndex(of: "="), !word.hasPrefix("-") { given.insert(String(word[..<equals])) }
            if index + 1 < words.count, words[index + 1] == "=" { given.insert(word) }
        }
        return query.parameters.filter { !given.contains($0.name) }.flatMap { parameter -> [String] in
            let values = parameter.choices ?? (parameter.kind == .bool ? ["true", "false"] : parameter.defaultValue.map { [$0] } ?? [""])
            return values.map { parameter.name + "=" + $0 }
        }
    }
}
