import Foundation

/// Files shipped in `Sources/DWHCore/Resources/`: the SQL dwh runs itself and the
/// report's stylesheet. A missing one is a packaging bug, not a user's mistake.
enum BundledResource {
    /// The text of `Resources/<path>`, e.g. `repl/columns.sql`.
    static func text(_ path: String) -> String {
        let file = (path as NSString).lastPathComponent as NSString
        let folder = (path as NSString).deletingLastPathComponent
        guard let url = Bundle.module.url(forResource: file.deletingPathExtension, withExtension: file.pathExtension,
                                          subdirectory: "Resources/" + folder),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("Resources/\(path) is missing from the dwh bundle") }
        return text
    }
}
