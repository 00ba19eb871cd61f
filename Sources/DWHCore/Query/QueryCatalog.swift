import Foundation

/// The saved queries in a `queries/` folder, by name.
public struct QueryCatalog: Sendable {
    public let directory: String
    /// Sorted by name.
    public let queries: [SavedQuery]

    /// Reads every `*.sql` file in `directory`; one bad file is an error naming it.
    public init(directory: String) throws {
        self.directory = directory
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var queries: [SavedQuery] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            let path = directory + "/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
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
