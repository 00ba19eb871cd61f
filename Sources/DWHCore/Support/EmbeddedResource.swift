import Foundation

/// Files built into the dwh binary by the EmbedResources plugin: DWHCore's `Resources/`
/// (the SQL dwh runs itself, the report's stylesheet, the price table) by their path
/// there, e.g. `repl/columns.sql`, and the starter project `dwh init` writes under
/// `project/`. A missing one is a packaging bug, not a user's mistake.
public enum EmbeddedResource {
    /// The bytes of a file, or nil when dwh was built without it.
    public static func data(_ name: String) -> Data? {
        EmbeddedFiles.base64[name].flatMap { Data(base64Encoded: $0) }
    }

    /// The text of a file that must be there.
    static func text(_ name: String) -> String {
        guard let data = data(name) else { fatalError("\(name) was not built into dwh") }
        return String(decoding: data, as: UTF8.self)
    }

    /// The names of the files under a folder (`project/`), sorted.
    public static func names(under prefix: String) -> [String] {
        EmbeddedFiles.base64.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }
}
