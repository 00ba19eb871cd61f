import Foundation

/// The SQL the REPL's meta-commands run, from `Resources/repl/`.
enum ReplResources {
    static func sql(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql", subdirectory: "Resources/repl"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("dwh was built without Resources/repl/\(name).sql")
        }
        return text
    }
}
