import ArgumentParser
import DWHCore

extension MigrateCommand {
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the migrations against the rules of the dialects they will run on, without a database.",
            discussion: """
            Redshift rules (unsupported types, statements, clauses and functions, each citing the \
            AWS page it comes from) read everything outside `-- dwh:postgres` blocks; PostgreSQL \
            rules warn about destructive changes (DROP TABLE, DROP COLUMN, a column type change, \
            DROP SCHEMA, TRUNCATE) in up sections. Each finding is `file:line:column: severity \
            [rule] message`. Exits 1 when there is an error; warnings alone exit 0. \
            `-- dwh:lint-ignore RULE_ID` on the line before silences a rule there.
            """)

        @OptionGroup var files: MigrationsFolderOption

        @Option(help: ArgumentHelp("Check for one dialect only (postgres or redshift); both by default.", valueName: "dialect"))
        var dialect: Dialect?

        func run() throws {
            let lint = try MigrationLint(dialects: dialect.map { [$0] } ?? [.redshift, .postgres])
            let report = lint.report(for: try files.set())
            print(report.text, terminator: "")
            if report.hasErrors { throw ExitCode.failure }
        }
    }
}
