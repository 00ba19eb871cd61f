import ArgumentParser
import DWHCore
import Foundation

/// The options every `dwh migrate` subcommand shares: where the files are, and the database.
struct MigrationOptions: ParsableArguments {
    @Option(name: .customLong("migrations-dir"),
            help: ArgumentHelp("The folder of NNNN_description.sql files (default ./migrations, or DWH_MIGRATIONS_DIR).", valueName: "path"))
    var migrationsDir: String?

    @OptionGroup var connection: ConnectionOptionGroup

    var folder: String { Self.folder(migrationsDir) }

    static func folder(_ flag: String?) -> String {
        flag ?? ProcessInfo.processInfo.environment["DWH_MIGRATIONS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "migrations"
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
        subcommands: [Up.self, Status.self, Plan.self, Validate.self, Down.self, Baseline.self, Repair.self, New.self],
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

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the SQL `dwh migrate` would run, for the connected dialect, touching nothing.",
            discussion: "With --dialect, no database is contacted: the plan is what a fresh database of that dialect would run.")

        @OptionGroup var options: MigrationOptions

        @Option(help: ArgumentHelp("Plan for a fresh database of this dialect (postgres or redshift) without connecting.", valueName: "dialect"))
        var dialect: Dialect?

        @Option(help: ArgumentHelp("Stop after this version.", valueName: "version"))
        var to: Int64?

        @Flag(help: "Include pending versions older than the newest applied one.")
        var allowOutOfOrder = false

        func run() throws {
            let plan: MigrationPlan
            if let dialect {
                plan = try .up(MigrationSet(folder: options.folder), applied: [], dialect: dialect, target: to)
            } else {
                let migrator = try options.migrator()
                plan = try .up(migrator.set, applied: migrator.applied(), dialect: migrator.dialect,
                               target: to, allowOutOfOrder: allowOutOfOrder)
            }
            print(plan.transcript, terminator: "")
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exit non-zero on drift: an applied file changed or gone, a pending version older than an applied one, or dialect blocks that build different tables.")

        @OptionGroup var options: MigrationOptions

        func run() throws {
            let migrator = try options.migrator()
            if let drift = migrator.set.dialectDrift() { throw drift }
            let status = try migrator.status()
            if let problem = status.problem { throw problem }
            print("ok: \(status.entries(.applied).count) applied, \(status.entries(.pending).count) pending, no drift")
        }
    }

    struct Down: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revert the latest applied migration with its `-- migrate:down` section.",
            discussion: "With --to VERSION, revert every applied version above it, newest first (--to 0 reverts all). Each in its own transaction.")

        @OptionGroup var options: MigrationOptions

        @Option(help: ArgumentHelp("Revert down to (not including) this version.", valueName: "version"))
        var to: Int64?

        func run() throws {
            let migrator = try options.migrator()
            try reportingFailures {
                try migrator.revert(to: to) { step, elapsed in print("reverted \(step.path) (\(elapsed) ms)") }
            }
        }
    }

    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark an existing schema as applied up to a version, without running anything.")

        @OptionGroup var options: MigrationOptions

        @Option(help: ArgumentHelp("Record every file up to and including this version.", valueName: "version"))
        var version: Int64

        func run() throws {
            let recorded = try options.migrator().baseline(version: version)
            for step in recorded { print("recorded \(step.path) as applied (baseline)") }
            if recorded.isEmpty { print("nothing to record: every version up to \(version) is already applied") }
        }
    }

    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-record checksums after an intended edit, and forget applied versions whose files are gone.",
            discussion: "Shows the changes and asks first; --yes skips the question.")

        @OptionGroup var options: MigrationOptions

        @Flag(name: .shortAndLong, help: "Do not ask.")
        var yes = false

        func run() throws {
            let migrator = try options.migrator()
            let plan = try migrator.repairPlan()
            guard !plan.isEmpty else {
                print("nothing to repair: every applied version matches its file")
                return
            }
            plan.lines.forEach { print($0) }
            if !yes {
                guard isatty(0) != 0 else {
                    throw MigrationError.confirmationNeeded(command: "dwh migrate repair")
                }
                print("Make these changes? [y/N] ", terminator: "")
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    print("nothing changed")
                    return
                }
            }
            try migrator.repair(plan)
            print("repaired \(plan.lines.count) tracker row\(plan.lines.count == 1 ? "" : "s")")
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the next numbered migration file, with empty up and down sections.")

        @Option(name: .customLong("migrations-dir"),
                help: ArgumentHelp("The folder of migration files (default ./migrations, or DWH_MIGRATIONS_DIR).", valueName: "path"))
        var migrationsDir: String?

        @Argument(help: "What the migration does, in a few words: `add load bookkeeping`.")
        var name: [String]

        func run() throws {
            let folder = MigrationOptions.folder(migrationsDir)
            print(try MigrationSet.create(in: folder, name: name.joined(separator: " ")))
        }
    }
}

/// Prints a failed statement as the compiler-style `file:line:column: ERROR …` block,
/// without argument-parser's `Error:` prefix, so editors can jump to it; exits 1.
@discardableResult
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

extension Dialect: ExpressibleByArgument {}
