import Foundation

extension MigrationSet {
    /// The folder a command uses: `--migrations-dir`, else `DWH_MIGRATIONS_DIR`, else
    /// `migrations` in the current folder.
    public static func folder(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        flag ?? environment["DWH_MIGRATIONS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "migrations"
    }

    /// Reads the folder a command uses. When none was named and there is no `migrations/`
    /// here, the error says where dwh looked and suggests `dwh init`; only the current
    /// folder counts, since a command that changes a schema must not pick up another
    /// project's files by surprise.
    public static func locate(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> MigrationSet {
        let named = flag != nil || !(environment["DWH_MIGRATIONS_DIR"] ?? "").isEmpty
        let places = ProjectSearch.places(for: "migrations", currentDirectory: currentDirectory, alsoCheckout: false)
        if !named, ProjectSearch.firstFolder(in: places) == nil {
            throw MigrationError.noFolder(searched: places)
        }
        return try MigrationSet(folder: folder(flag: flag, environment: environment))
    }
}
