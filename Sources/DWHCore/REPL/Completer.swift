import LineEditor

/// Tab completion for the REPL, as a pure function of what is typed and what is known
/// (saved queries, tables and their columns), so tests can check it without a terminal.
public struct Completer: Sendable {
    /// Table name → its column names, from the database's catalog.
    public var columns: [String: [String]]
    public var savedQueries: [SavedQuery]

    public init(columns: [String: [String]], savedQueries: [SavedQuery]) {
        self.columns = columns
        self.savedQueries = savedQueries
    }

    static let keywords = [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET", "JOIN", "LEFT",
        "RIGHT", "INNER", "OUTER", "FULL", "ON", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE",
        "ILIKE", "BETWEEN", "DISTINCT", "COUNT", "SUM", "AVG", "MIN", "MAX", "CASE", "WHEN", "THEN",
        "ELSE", "END", "WITH", "UNION", "ALL", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE",
        "CREATE", "TABLE", "VIEW", "DROP", "ALTER", "BEGIN", "COMMIT", "ROLLBACK", "EXPLAIN", "ANALYZE",
        "DESC", "ASC", "EXTRACT", "CAST", "COALESCE", "OVER", "PARTITION",
    ]

    /// Candidates for the word before the cursor. `statement` is the unfinished
    /// statement's earlier lines, whose tables decide which columns are offered.
    public func complete(_ line: String, statement: String = "") -> LineEditor.Completion {
        if line.hasPrefix("\\") { return completeMeta(line) }
        let word = String(line.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        let before = line.dropLast(word.count).split(whereSeparator: \.isWhitespace).last.map { $0.uppercased() }
        let tables = columns.keys.sorted()
        if let dot = word.firstIndex(of: ".") {
            let table = String(word[..<dot])
            let names = (columns[table] ?? []).map { table + "." + $0 }
            return LineEditor.Completion(word: word, candidates: names.filter { $0.hasPrefix(word) })
        }
        var candidates: [String]
        if let before, ["FROM", "JOIN", "INTO", "UPDATE", "TABLE"].contains(before) {
            candidates = tables
        } else {
            let mentioned = Self.tablesMentioned(in: statement + " " + line, known: Set(tables))
            let keywordCase = word.first?.isLowercase == true ? Self.keywords.map { $0.lowercased() } : Self.keywords
            candidates = mentioned.flatMap { columns[$0] ?? [] } + tables + keywordCase
        }
        var seen = Set<String>()
        let matches = candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) && seen.insert($0).inserted }
        return LineEditor.Completion(word: word, candidates: matches)
    }

    private func completeMeta(_ line: String) -> LineEditor.Completion {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let word = words.last ?? ""
        let candidates: [String]
        if words.count == 1 {
            candidates = MetaCommand.catalog.map(\.command)
        } else {
            switch words[0] {
            case "\\run" where words.count == 2:
                candidates = savedQueries.map(\.name)
            case "\\run":
                let query = savedQueries.first { $0.name == words[1] }
                let given = Set(words.dropFirst(2).dropLast().compactMap { $0.split(separator: "=").first.map(String.init) })
                candidates = (query?.parameters ?? []).map(\.name).filter { !given.contains($0) }.map { $0 + "=" }
            case "\\d" where words.count == 2:
                candidates = columns.keys.sorted()
            case "\\format" where words.count == 2:
                candidates = OutputFormat.allCases.map(\.rawValue)
            default:
                candidates = []
            }
        }
        return LineEditor.Completion(word: word, candidates: candidates.filter { $0.hasPrefix(word) })
    }

    /// The known tables the statement names, in order of first mention.
    static func tablesMentioned(in sql: String, known: Set<String>) -> [String] {
        let words = sql.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
        var found: [String] = []
        for word in words where known.contains(word) {
            if !found.contains(word) { found.append(word) }
        }
        return found
    }
}
