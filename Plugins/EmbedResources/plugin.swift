import Foundation
import PackagePlugin

/// Builds every file dwh ships into the binary: DWHCore's `Resources/` (the SQL dwh runs
/// itself, the report's stylesheet, the price table) and the project `dwh init` writes
/// (`migrations/`, `queries/`, `dwh.cfg.example`). Nothing is looked up in a bundle at
/// run time, so an installed `dwh` works with its source and build folders gone.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let sources: [(prefix: String, folder: URL)] = [
            ("", target.sourceModule!.directoryURL.appending(path: "Resources")),
            ("project/migrations/", root.appending(path: "migrations")),
            ("project/queries/", root.appending(path: "queries")),
        ]
        var entries: [(name: String, file: URL)] = [("project/dwh.cfg.example", root.appending(path: "dwh.cfg.example"))]
        for (prefix, folder) in sources {
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])?
                .compactMap { $0 as? URL }
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true } ?? []
            for file in files {
                let relative = file.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)
                entries.append((prefix + relative, file))
            }
        }
        entries.sort { $0.name < $1.name }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [.buildCommand(
            displayName: "Embedding \(entries.count) files in \(target.name)",
            executable: try context.tool(named: "dwh-embed").url,
            arguments: [output.path] + entries.flatMap { [$0.name, $0.file.path] },
            inputFiles: entries.map(\.file),
            outputFiles: [output]
        )]
    }
}
