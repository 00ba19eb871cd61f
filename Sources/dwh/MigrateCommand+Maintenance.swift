import ArgumentParser
import DWHCore
import Foundation

/// The subcommands that change the tracker or the files rather than apply: down, baseline,
/// repair, new.
extension MigrateCommand {
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
            if !yes, try !Console.confirm("Make these changes?",
                                          unattended: MigrationError.confirmationNeeded(command: "dwh migrate repair")) {
                print("nothing changed")
                return
            }
            try migrator.repair(plan)
            print("repaired \(plan.lines.count) tracker row\(plan.lines.count == 1 ? "" : "s")")
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the next numbered migration file, with empty up and down sections.")

        @OptionGroup var files: MigrationsFolderOption

        @Argument(help: "What the migration does, in a few words: `add load bookkeeping`.")
        var name: [String]

        func run() throws {
            print(try MigrationSet.create(in: files.folder, name: name.joined(separator: " ")))
        }
    }
}
