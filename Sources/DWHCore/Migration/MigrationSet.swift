import Foundation

/// Every migration file of a folder, in version order, checked as a whole before anything runs.
public struct MigrationSet: Sendable, Equatable {
    /// The folder as errors print it (`migrations`, not `./migrations/`).
    public let folder: String
    public let files: [MigrationFile]

    /// Reads `folder`: every `*.sql` file must be a well-formed migration and no two may
    /// share a version. Other files (a README, dot files) are ignored.
    public init(folder: String) throws {
        let display = Self.displayName(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MigrationError.folderMissing(path: display)
        }
        // Strict UTF-8, names and contents alike: a byte that is not would be applied as U+FFFD.
        let names = try SourceText.names(in: folder, display: display)
            .filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }
            .sorted()
        var files: [MigrationFile] = []
        for name in names {
            let contents = try SourceText.read(folder + "/" + name, display: display + "/" + name)
            files.append(try MigrationFile(fileName: name, displayPath: display + "/" + name, contents: contents))
        }
        try self.init(folder: display, files: files)
    }

    /// A set from files already parsed (tests build these without a folder).
    public init(folder: String, files: [MigrationFile]) throws {
        guard !files.isEmpty else { throw MigrationError.folderEmpty(path: folder) }
        let byVersion = Dictionary(grouping: files, by: \.version)
        if let duplicate = byVersion.filter({ $0.value.count > 1 }).min(by: { $0.key < $1.key }) {
            throw MigrationError.duplicateVersion(version: duplicate.key, paths: duplicate.value.map(\.displayPath).sorted())
        }
        self.folder = folder
        self.files = files.sorted { $0.version < $1.version }
    }

    /// The first file after which the PostgreSQL and Redshift renderings build different
    /// tables or columns, as an error naming the file and each difference; nil when they agree.
    public func dialectDrift() -> MigrationError? {
        var postgres = SchemaOutline(), redshift = SchemaOutline()
        for file in files {
            postgres.apply(file.render(.up, for: .postgres))
            redshift.apply(file.render(.up, for: .redshift))
            let differences = postgres.differences(from: redshift, names: ("postgres", "redshift"))
            if !differences.isEmpty { return .dialectsDiffer(path: file.displayPath, differences: differences) }
        }
        return nil
    }

    /// The file with this version, if there is one.
    public func file(version: Int64) -> MigrationFile? {
        files.first { $0.version == version }
    }

    /// Writes the next numbered file for `name` in `folder` (creating the folder) and
    /// returns its path.
    public static func create(in folder: String, name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let fileName = try nextFileName(in: folder, name: name)
        let path = displayName(folder) + "/" + fileName
        guard !FileManager.default.fileExists(atPath: folder + "/" + fileName) else { throw MigrationError.fileExists(path: path) }
        let template = "-- \(name)\n\n-- migrate:up\n\n\n-- migrate:down\n\n"
        try template.write(toFile: folder + "/" + fileName, atomically: true, encoding: .utf8)
        return path
    }

    /// The next free version and the file name `dwh migrate new` writes.
    static func nextFileName(in folder: String, name: String) throws -> String {
        let slug = name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? String($0) : "_" }
            .joined().split(separator: "_").joined(separator: "_")
        guard !slug.isEmpty else { throw MigrationError.badName(name) }
        // A file name holds at most 255 bytes: the number, `_`, the slug and `.sql` must fit.
        guard slug.utf8.count <= 200 else { throw MigrationError.nameTooLong(length: slug.utf8.count, limit: 200) }
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let highest = existing.compactMap { MigrationFile.parseName($0)?.0 }.max() ?? 0
        let number = String(highest + 1)
        return String(repeating: "0", count: max(0, 4 - number.count)) + number + "_" + slug + ".sql"
    }

    /// `./migrations/` → `migrations`, as error messages print it.
    static func displayName(_ folder: String) -> String {
        var name = folder
        while name.hasPrefix("./") { name.removeFirst(2) }
        while name.count > 1 && name.hasSuffix("/") { name.removeLast() }
        return name.isEmpty ? "." : name
    }
}

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
