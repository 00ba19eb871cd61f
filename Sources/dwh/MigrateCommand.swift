import ArgumentParser
import DWHCore
import Foundation

/// The options every `dwh migrate` subcommand shares: where the files are, and the database.
struct MigrationOptions: ParsableArguments {
    @Option(name: .customLong("migrations-dir"),
            help: ArgumentHelp("The folder of NNNN_description.sql files (default ./migrations, or DWH_MIGRATIONS_DIR).", valueName: "path"))
    var migrationsDir: String?

    @OptionGroup var connection: ConnectionOptionGroup

    var folder: String {
        migrationsDir ?? ProcessInfo.processInfo.environment["DWH_MIGRATIONS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "migrations"
    }

    /// Reads the files first (so bad files fail before any connection), then connects.
    func migrator() throws -> Migrator {
        let set = try MigrationSet(folder: folder)
        let session = try connection.openSession()
        return Migrator(connection: session.connection, dialect: session.dialect, set: set)
    }
}

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Build and evolve the schema from versioned SQL files in migrations/.",
        discussion: """
        Each file migrations/NNNN_description.sql has a `-- migrate:up` and a `-- migrate:down`
        section. Lines between `-- dwh:postgres` (or `-- dwh:redshift`) and `-- dwh:end` run only
        on that dialect. Applied versions are recorded in the table dwh_schema_migrations with a
        SHA-256 checksum of the SQL that ran, so edits after the fact are caught.
        """,
        subcommands: [Up.self, Status.self],
        defaultSubcommand: Up.self
    )

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply every pending migration in version order (the default).",
            discussion: "Each migration runs in its own transaction together with its tracker row; a failure rolls it back and stops.")

        @OptionGroup var options: MigrationOptions

        @Option(help: ArgumentHelp("Stop after this version.", valueName: "version"))
        var to: Int64?

        @Flag(help: "Apply pending versions older than the newest applied one.")
        var allowOutOfOrder = false

        func run() throws {
            let migrator = try options.migrator()
            let ran = try reportingFailures {
                try migrator.migrate(to: to, allowOutOfOrder: allowOutOfOrder) { step, elapsed in
                    print("applied \(step.path) (\(elapsed) ms)")
                }
            }
            if ran.isEmpty { print("nothing to apply: the schema is up to date") }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every version: applied (when, how long), pending, out-of-order, drifted or missing from disk.")

        @OptionGroup var options: MigrationOptions

        @Option(help: "table or json.")
        var format: OutputFormat = .table

        func run() throws {
            let status = try options.migrator().status()
            print(format == .json ? try MigrationStatusFormatter.json(status) : MigrationStatusFormatter.table(status))
        }
    }
}

/// Prints a failed statement as the compiler-style `file:line:column: ERROR …` block,
/// without argument-parser's `Error:` prefix, so editors can jump to it; exits 1.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as MigrationError {
        guard case .statementFailed = error else { throw error }
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode.failure
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
