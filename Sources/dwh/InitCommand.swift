import ArgumentParser
import DWHCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a project: the Sparkify schema, the saved queries, an example check, dwh.cfg and a .gitignore.",
        discussion: """
        Writes into DIR (created if missing; default the current folder):
          migrations/   the Sparkify staging tables and star schema (dwh migrate)
          queries/      the saved queries and report.txt (dwh query, dwh report)
          checks/       an example of a check of your own (dwh check, dwh run)
          dwh.cfg       the settings, from the example, mode 0600 (it will hold secrets)
          .gitignore    keeps .dwh/ (the local database) and dwh.cfg out of git
        Nothing is overwritten: if any of these files is there already, dwh init names it \
        and writes nothing.
        """
    )

    @Argument(help: ArgumentHelp("The project folder (created if missing).", valueName: "dir"), completion: .directory)
    var directory = "."

    @Flag(name: .customLong("dry-run"), help: "List the files it would write, and write nothing.")
    var dryRun = false

    func run() throws {
        let plan = ProjectPlan(directory: directory)
        if dryRun {
            for file in plan.files { print(plan.path(for: file)) }
            if !plan.conflicts.isEmpty { throw ProjectError.wouldOverwrite(paths: plan.conflicts) }
            return
        }
        for (file, path) in zip(plan.files, try plan.write()) {
            print("wrote \(path)" + (file.mode == 0o600 ? " (mode 0600: it will hold passwords and keys)" : ""))
        }
        Console.info("next: " + plan.nextStep)
    }
}
