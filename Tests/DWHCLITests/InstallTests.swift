import DWHCore
import Foundation
import TestSupport
import XCTest

/// `make install` as a user meets it: the installed binary alone, found on PATH, does the
/// whole job from an empty folder; its completions load in bash and offer the saved
/// queries; its man page renders; `--version` names the commit; `make uninstall` removes
/// exactly what was installed.
///
/// The tests run `make install-files`, the half of `make install` that copies, with the
/// binary of this build instead of a release build of its own.
final class InstallTests: XCTestCase {
    static let installed = ["bin/dwh", "share/bash-completion/completions/dwh", "share/zsh/site-functions/_dwh",
                            "share/fish/vendor_completions.d/dwh.fish", "share/man/man1/dwh.1"]

    /// A new folder, removed after the test. Short, for the database's socket path.
    func folder(_ name: String) throws -> String {
        let path = "/tmp/dwh-\(name)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Runs `make VARIABLES… target` in the checkout with this build's dwh and dwh-manual.
    func make(_ target: String, _ variables: [String]) throws -> ProcessOutput {
        let build = (DWHBinary.path as NSString).deletingLastPathComponent
        return try Shell.run("/usr/bin/make", ["--no-print-directory", "-C", DWHBinary.packageRoot, target,
                                               "DWH_BINARY=\(DWHBinary.path)", "DWH_MANUAL=\(build)/dwh-manual"] + variables)
    }

    /// Installs into a new prefix and returns it.
    func install() throws -> String {
        let prefix = try folder("prefix")
        let output = try make("install-files", ["PREFIX=\(prefix)"])
        XCTAssertEqual(output.status, 0, output.stderr)
        for file in Self.installed {
            XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/" + file), file)
        }
        return prefix
    }

    /// A program run in `directory` with nothing of the checkout or the build around: PATH
    /// holds the prefix and the system folders, HOME and DWH_HOME are the test's own.
    func run(_ program: String, _ arguments: [String], in directory: String, prefix: String,
             home: String, environment extra: [String: String] = [:]) throws -> ProcessOutput {
        let environment = ["PATH": prefix + "/bin:/usr/bin:/bin", "HOME": home, "DWH_HOME": home + "/.dwh",
                           "LANG": "C.UTF-8"].merging(extra) { $1 }
        return try Shell.run("/usr/bin/env", ["--chdir=" + directory, program] + arguments, environment: environment)
    }

    func testTheInstalledBinaryDoesTheWholeJobFromAnEmptyFolder() throws {
        let prefix = try install()
        let home = try folder("home"), work = try folder("work")
        func dwh(_ arguments: String...) throws -> ProcessOutput {
            let output = try run("dwh", arguments, in: work, prefix: prefix, home: home)
            XCTAssertEqual(output.status, 0, "dwh \(arguments.joined(separator: " ")): \(output.stderr)")
            return output
        }
        // Outside a project, each place is named once and `dwh init` is the advice.
        let lost = try run("dwh", ["query", "list"], in: work, prefix: prefix, home: home)
        XCTAssertEqual(lost.status, 1)
        XCTAssertEqual(lost.stderr, "Error: no queries/ folder found (looked in \(work)/queries); to start a project here, "
                       + "run `dwh init`, or set DWH_QUERIES to a folder of saved queries\n")
        let noSchema = try run("dwh", ["migrate", "--database-url", "postgresql://nobody@127.0.0.1:1/x"], in: work, prefix: prefix, home: home)
        XCTAssertTrue(noSchema.stderr.contains("(looked in \(work)/migrations); to start a project here, run `dwh init`"), noSchema.stderr)

        let initialised = try dwh("init")
        XCTAssertTrue(initialised.stdout.contains("wrote dwh.cfg (mode 0600"), initialised.stdout)
        XCTAssertTrue(initialised.stdout.contains("wrote queries/report.txt\n"), initialised.stdout)
        XCTAssertTrue(try dwh("db", "start").stdout.hasPrefix("postgresql://"))
        addTeardownBlock { _ = try? self.run("dwh", ["db", "stop"], in: work, prefix: prefix, home: home) }
        XCTAssertTrue(try dwh("migrate").stdout.contains("applied migrations/0005_incremental_transform.sql"))
        XCTAssertTrue(try dwh("generate", "--songs", "50", "--events", "500", "--out", "data").stdout
            .hasPrefix("wrote 50 song files and 500 events"))
        let load = try dwh("load", "--songs", "data/song_data", "--events", "data/log_data")
        XCTAssertTrue(load.stdout.contains("staging_events +500, staging_songs +50"), load.stdout)
        XCTAssertTrue(load.stdout.contains("songs +50"), load.stdout)
        // The 7 built-in checks and the example dwh init wrote in checks/.
        XCTAssertTrue(try dwh("check").stdout.contains("all 8 checks passed"))
        let top = try dwh("query", "run", "top_songs", "--param", "limit=3", "--format", "csv")
        XCTAssertEqual(top.stdout.split(separator: "\n").count, 4, top.stdout)
        XCTAssertTrue(top.stdout.hasPrefix("song,artist,plays,song_id,artist_id\n"), top.stdout)
        XCTAssertEqual(try dwh("export", "top_songs", "-o", "top.csv").stderr, "wrote 10 rows to top.csv\n")
        XCTAssertTrue(try String(contentsOfFile: work + "/top.csv", encoding: .utf8).hasPrefix("song,artist,plays,song_id,artist_id\n"))
        XCTAssertTrue(try dwh("report", "-o", "report.html").stderr.hasPrefix("wrote report.html: 22 sections"))
        XCTAssertTrue(try String(contentsOfFile: work + "/report.html", encoding: .utf8).contains("</html>"))
        XCTAssertEqual(try dwh("db", "stop").status, 0)
    }

    /// Installs dwh, then runs `dwh init project` in a new work folder.
    private func initialisedProject() throws -> (prefix: String, home: String, work: String, first: ProcessOutput) {
        let prefix = try install()
        let home = try folder("home"), work = try folder("work")
        let first = try run("dwh", ["init", "project"], in: work, prefix: prefix, home: home)
        XCTAssertEqual(first.status, 0, first.stderr)
        return (prefix, home, work, first)
    }

    func testInitNamesTheNextCommands() throws {
        let first = try initialisedProject().first
        XCTAssertEqual(first.stderr, "next: cd project && dwh db start && dwh migrate\n")
    }

    func testInitKeepsTheSettingsPrivate() throws {
        let work = try initialisedProject().work
        let mode = try FileManager.default.attributesOfItem(atPath: work + "/project/dwh.cfg")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testInitKeepsTheSettingsOutOfGit() throws {
        let work = try initialisedProject().work
        XCTAssertEqual(try String(contentsOfFile: work + "/project/.gitignore", encoding: .utf8).split(separator: "\n").last, "dwh.cfg")
    }

    func testInitRefusesToOverwriteAndWritesNothing() throws {
        let (prefix, home, work, _) = try initialisedProject()
        try Data("[CLUSTER]\nHOST=mine\n".utf8).write(to: URL(fileURLWithPath: work + "/project/dwh.cfg"))
        try FileManager.default.removeItem(atPath: work + "/project/queries")
        let again = try run("dwh", ["init", "project"], in: work, prefix: prefix, home: home)
        XCTAssertEqual(again.status, 1)
        let left = try FileManager.default.contentsOfDirectory(atPath: work + "/project/migrations").count
            + FileManager.default.contentsOfDirectory(atPath: work + "/project/checks").count + 2
        XCTAssertTrue(again.stderr.hasPrefix("Error: \(left) of the files dwh init writes are already there"), again.stderr)
        XCTAssertTrue(again.stderr.contains("\n  project/dwh.cfg\n"), again.stderr)
        XCTAssertEqual(again.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/project/queries"), "a refused init wrote queries/")
        XCTAssertEqual(try String(contentsOfFile: work + "/project/dwh.cfg", encoding: .utf8), "[CLUSTER]\nHOST=mine\n")
    }

    // COMP_* as bash sets them for `dwh query run <TAB>`, then what the function offers.
    private let completionScript = """
        source "$PREFIX/share/bash-completion/completions/dwh" || exit 1
        complete -p dwh
        offer() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _dwh dwh "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"; echo "${COMPREPLY[*]}"; }
        offer dwh query run ''
        offer dwh export top_s
        offer dwh query run top_songs --param ''
        """

    /// `completionScript` run by bash in a project made by `dwh init`, with its output's lines.
    private func completedInAProject() throws -> (output: ProcessOutput, lines: [String]) {
        let prefix = try install()
        let home = try folder("home"), work = try folder("work")
        XCTAssertEqual(try run("dwh", ["init"], in: work, prefix: prefix, home: home).status, 0)
        let output = try run("bash", ["-c", completionScript], in: work, prefix: prefix, home: home, environment: ["PREFIX": prefix])
        return (output, output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    func testBashCompletionLoads() throws {
        let (output, lines) = try completedInAProject()
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(lines.first, "complete -o filenames -F _dwh dwh")
    }

    func testBashCompletionOffersTheSavedQueriesOfTheFolder() throws {
        let (output, lines) = try completedInAProject()
        XCTAssertEqual(lines.dropFirst().first?.split(separator: " ").count, 17, output.stdout)
        XCTAssertTrue(lines[1].split(separator: " ").contains("top_songs"), output.stdout)
        XCTAssertEqual(Array(lines.dropFirst(2)), ["top_songs", "limit=10 since=2018-01-01 matched=all matched=only", ""])
    }

    func testBashCompletionOutsideAProjectOffersAndPrintsNothing() throws {
        let prefix = try install()
        let home = try folder("home")
        let outside = try run("bash", ["-c", completionScript], in: home, prefix: prefix, home: home, environment: ["PREFIX": prefix])
        XCTAssertEqual(outside.stdout, "complete -o filenames -F _dwh dwh\n\n\n\n")
        XCTAssertEqual(outside.stderr, "")
    }

    func testTheManPageRendersWithoutWarnings() throws {
        let page = try install() + "/share/man/man1/dwh.1"
        let lint = try Shell.run("/usr/bin/groff", ["-man", "-Tutf8", "-ww", "-z", page])
        XCTAssertEqual(lint.status, 0)
        XCTAssertEqual(lint.stderr, "", "groff warns about the page")
    }

    /// Installs dwh and renders its man page with man(1), as a user reads it.
    private func renderedManPage() throws -> (prefix: String, rendered: ProcessOutput) {
        let prefix = try install()
        let rendered = try Shell.run("/usr/bin/man", ["-l", prefix + "/share/man/man1/dwh.1"],
                                     environment: ["MANPAGER": "cat", "MANWIDTH": "100", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        return (prefix, rendered)
    }

    func testTheManPageDocumentsTheCommands() throws {
        let rendered = try renderedManPage().rendered
        for text in ["dwh - The Sparkify warehouse workbench", "dwh query run name [options]", "--param name=value",
                     "dwh init [dir] [options]", "dwh migrate [command]", "EXIT STATUS"] {
            XCTAssertTrue(rendered.stdout.contains(text), "the man page lacks \(text)")
        }
    }

    func testTheManPageNamesTheVersion() throws {
        let (prefix, rendered) = try renderedManPage()
        let version = try run("dwh", ["--version"], in: "/", prefix: prefix, home: "/nonexistent").stdout
        XCTAssertTrue(rendered.stdout.contains("This page documents " + version.dropLast(1) + "."), rendered.stdout)
    }

    func testTheVersionNamesTheCommitItWasBuiltFrom() throws {
        let version = try run("dwh", ["--version"], in: "/", prefix: try install(), home: "/nonexistent").stdout
        let git = try Shell.run("/usr/bin/git", ["-C", DWHBinary.packageRoot, "rev-parse", "--short", "HEAD"])
        guard git.succeeded else { return XCTAssertEqual(version, "dwh 0.1.0 (commit unknown)\n") }
        let head = git.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(version.hasPrefix("dwh 0.1.0 (commit \(head)"), "\(version) is not from \(head)")
        let date = try Shell.run("/usr/bin/git", ["-C", DWHBinary.packageRoot, "log", "-1", "--date=short", "--format=%cd"])
        XCTAssertTrue(version.hasSuffix(", \(date.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))\n"), version)
        // Built from a clean tree, it does not say -dirty (built from edits, it may).
        let status = try Shell.run("/usr/bin/git", ["-C", DWHBinary.packageRoot, "status", "--porcelain", "--untracked-files=no"])
        if status.stdout.isEmpty { XCTAssertFalse(version.contains("-dirty"), version) }
    }

    func testUninstallRemovesExactlyWhatInstallPut() throws {
        let destination = try folder("dest")
        let variables = ["PREFIX=/usr/local", "DESTDIR=\(destination)"]
        XCTAssertEqual(try make("install-files", variables).status, 0)
        let root = destination + "/usr/local/"
        for file in Self.installed { XCTAssertTrue(FileManager.default.fileExists(atPath: root + file), file) }
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: root + "bin/other"))
        let removed = try make("uninstall", variables)
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertEqual(removed.stdout, Self.installed.map { "removed \(root)\($0)\n" }.joined())
        for file in Self.installed { XCTAssertFalse(FileManager.default.fileExists(atPath: root + file), file) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "bin/other"))
        XCTAssertEqual(try make("uninstall", variables).stdout, "", "a second uninstall finds nothing to remove")
    }
}
