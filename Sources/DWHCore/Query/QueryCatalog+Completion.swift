/// Shell completion of saved queries: `dwh query run <TAB>` offers the names in the
/// catalog a command run in the same folder would use, and `--param <TAB>` the parameters
/// of the query already named on the line.
extension QueryCatalog {
    /// The saved queries' names.
    public var completionNames: [String] { queries.map(\.name) }

    /// `--param` values for the query named among `words` (the last word that is a saved
    /// query's name, apart from the word being completed, `words[current]`), leaving out
    /// the parameters already given (`limit=5`, or `limit` `=` `5` as bash splits it). Each is offered as `name=` with a value to start
    /// from, since the shell puts a space after a lone completion: each choice
    /// (`by=agent`, `by=browser`), `true` and `false`, or the default (`limit=10`); a
    /// parameter with none of those is offered as `name=`.
    public func parameterCompletions(words: [String], current: Int) -> [String] {
        let others = words.indices.filter { $0 != current }.map { words[$0] }
        guard let name = others.last(where: { word in queries.contains { $0.name == word } }),
              let query = try? query(named: name) else { return [] }
        var given: Set<String> = []
        for (index, word) in words.enumerated() where index != current {
            if let equals = word.firstIndex(of: "="), !word.hasPrefix("-") { given.insert(String(word[..<equals])) }
            if index + 1 < words.count, words[index + 1] == "=" { given.insert(word) }
        }
        return query.parameters.filter { !given.contains($0.name) }.flatMap { parameter -> [String] in
            let values = parameter.choices ?? (parameter.kind == .bool ? ["true", "false"] : parameter.defaultValue.map { [$0] } ?? [""])
            return values.map { parameter.name + "=" + $0 }
        }
    }
}
