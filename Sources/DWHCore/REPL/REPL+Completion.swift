import Foundation

/// What completion knows of the database beyond its columns: function names and keys,
/// read once (and again after a statement that may change the schema, or `\c`).
struct CompletionKnowledge {
    var functions: [String] = []
    var foreignKeys: [Completer.ForeignKey] = []
    var primaryKeys: [String: [String]] = [:]

    /// Reads the `keys` rows: table, kind (f, p), and pg_get_constraintdef()'s text.
    init(functions: [String], keys: [[String?]]) {
        self.functions = functions
        for row in keys {
            guard row.count == 3, let table = row[0], let kind = row[1], let definition = row[2] else { continue }
            if kind == "p", let columns = Self.list(in: definition, after: "PRIMARY KEY") {
                primaryKeys[table] = columns
            } else if kind == "f", let columns = Self.list(in: definition, after: "FOREIGN KEY"),
                      let references = definition.range(of: "REFERENCES ") {
                let target = definition[references.upperBound...]
                guard let open = target.firstIndex(of: "("), let referencedColumns = Self.list(in: String(target), after: "") else { continue }
                let name = target[..<open].split(separator: ".").last.map { Self.unquoted(String($0)) } ?? ""
                foreignKeys.append(Completer.ForeignKey(table: table, columns: columns, referenced: name,
                                                        referencedColumns: referencedColumns))
            }
        }
    }

    /// `(a, "b")` after `keyword`, as names.
    static func list(in text: String, after keyword: String) -> [String]? {
        guard let start = text.range(of: keyword)?.upperBound ?? (keyword.isEmpty ? text.startIndex : nil),
              let open = text[start...].firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return nil }
        return text[text.index(after: open)..<close].split(separator: ",").map { unquoted($0.trimmingCharacters(in: .whitespaces)) }
    }

    static func unquoted(_ name: String) -> String {
        name.hasPrefix("\"") && name.hasSuffix("\"") && name.count > 1 ? String(name.dropFirst().dropLast()) : name
    }
}

extension REPL {
    /// The completer for this moment: the catalog as last read, the saved queries.
    func makeCompleter() -> Completer {
        if completionColumns == nil { completionKnowledge = nil }
        let columns = catalogColumns()
        let knowledge = loadKnowledge()
        return Completer(columns: columns, savedQueries: catalog?.queries ?? [], functions: knowledge.functions,
                         foreignKeys: knowledge.foreignKeys, primaryKeys: knowledge.primaryKeys)
    }

    private func loadKnowledge() -> CompletionKnowledge {
        if let completionKnowledge { return completionKnowledge }
        var knowledge = CompletionKnowledge(functions: [], keys: [])
        if connection.isConnected, connection.transactionState == .idle {
            let functions = (try? catalogRows("functions", []))?.rows.compactMap { $0[0] } ?? []
            knowledge = CompletionKnowledge(functions: functions, keys: (try? catalogRows("keys", []))?.rows ?? [])
        }
        completionKnowledge = knowledge
        return knowledge
    }
}
