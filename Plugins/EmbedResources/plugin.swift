import Foundation
import PackagePlugin

/// Builds every file dwh ships into the binary: DWHCore's `Resources/` (the SQL dwh runs
/// itself, the report's stylesheet, the price table) and the project `dwh init` writes
/// (`migrations/`, `queries/`, `checks/`, `dwh.cfg.example`). Nothing is looked up in a bundle at
/// run time, so an installed `dwh` works with its source and build folders gone.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let sources: [(prefix: String, folder: URL)] = [
            ("", target.sourceModule!.directoryURL.appending(path: "Resources")),
            ("project/migrations/", root.appending(path: "migrations")),
            ("project/queries/", root.appending(path: "queries")),
            ("project/checks/", root.appending(path: "checks")),
        ]
        var entries: [(name: String, file: URL)] = [("project/dwh.cfg.example", root.appending(path: "dwh.cfg.example"))]
        for (prefix, folder) in sources {
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])?
                .compactMap { $0 as? URL }
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true } ?? []
            // Only the kinds of file dwh ships: no editor swap files, no .DS_Store.
            for file in files where !file.lastPathComponent.hasPrefix(".")
                && ["sql", "txt", "css", "json"].contains(file.pathExtension) {
                let relative = file.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)
                entries.append((prefix + relative, file))
            }
        }
        entries.sort { $0.name < $1.name }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [.buildCommand(
            displayName: "Embedding \(entries.count) files in \(target.name)",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", Self.script, "embed", output.path] + entries.flatMap { [$0.name, $0.file.path] },
            inputFiles: entries.map(\.file),
            outputFiles: [output]
        )]
    }

    /// `sh -c script embed OUTPUT [NAME PATH]...`: a Swift file holding each PATH's bytes
    /// under NAME, base64-encoded so that any byte survives and the compiler reads one
    /// literal per file. The shell and base64 do the work rather than a tool built from this
    /// package: such a tool would be built with the fuzzer's sanitizers in `make fuzz`, and
    /// its own `main` would clash with libFuzzer's.
    static let script = #"""
        set -e
        out=$1; shift
        {
            printf '// Generated at build time by the EmbedResources plugin from the files named below: do not edit.\n\n'
            printf 'enum EmbeddedFiles {\n    /// Each shipped file'"'"'s bytes, base64-encoded, by its name.\n'
            printf '    static let base64: [String: String] = [\n'
            while [ $# -gt 1 ]; do
                [ -r "$2" ] || { echo "EmbedResources: cannot read $2" >&2; exit 1; }
                printf '        "%s": "%s",\n' "$1" "$(base64 < "$2" | tr -d '\n')"
                shift 2
            done
            printf '    ]\n}\n'
        } > "$out.tmp"
        if cmp -s "$out.tmp" "$out"; then rm -f "$out.tmp"; else mv "$out.tmp" "$out"; fi
        """#
}
