import Foundation
import LineEditor

/// Tab completion for the REPL, as a pure function of what is typed and what is known
/// (saved queries, tables and their columns, functions, keys, files), so tests can check
/// it without a terminal.
public struct Completer: Sendable {
    /// Table name → its column names, from the database's catalog.
    public var columns: [String: [String]]
    public var savedQueries: [SavedQuery]
    /// Function names (PG_PROC), offered where an expression goes.
    public var functions: [String]
    /// Foreign keys, for `JOIN … ON`.
    public var foreignKeys: [ForeignKey]
    /// Table → its primary-key columns, for `JOIN … ON` where there is no foreign key.
    public var primaryKeys: [String: [String]]
    /// The names in a folder (`""` for the current one), for file names after `\i`,
    /// `\export`, `\o` and `\copy … FROM|TO`.
    public var listFolder: @Sendable (String) -> [(name: String, isFolder: Bool)]

    /// A foreign key: `table(columns)` references `referenced(referencedColumns)`.
    public struct ForeignKey: Equatable, Sendable {
        public var table: String
        public var columns: [String]
        public var referenced: String
        public var referencedColumns: [String]

        public init(table: String, columns: [String], referenced: String, referencedColumns: [String]) {
            self.table = table
            self.columns = columns
            self.referenced = referenced
            self.referencedColumns = referencedColumns
        }
    }

    public init(columns: [String: [String]], savedQueries: [SavedQuery], functions: [String] = [],
                foreignKeys: [ForeignKey] = [], primaryKeys: [String: [String]] = [:],
                listFolder: @escaping @Sendable (String) -> [(name: String, isFolder: Bool)] = Completer.folder) {
        self.columns = columns
        self.savedQueries = savedQueries
        self.functions = functions
        self.foreignKeys = foreignKeys
        self.primaryKeys = primaryKeys
        self.listFolder = listFolder
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
    /// statement's earlier lines and `after` the text after the cursor: together they say
    /// which tables, under which aliases, the statement reads.
    public func complete(_ line: String, statement: String = "", after: String = "") -> LineEditor.Completion {
        if line.hasPrefix("\\") { return completeMeta(line) }
        let word = String(line.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        let before = String(line.dropLast(word.count))
        let context = StatementContext(Self.words(statement + "\n" + before), after: Self.words(after), known: Set(columns.keys))
        if let dot = word.lastIndex(of: ".") {
            let qualifier = String(word[..<dot])
            let table = context.aliases[qualifier.lowercased()] ?? qualifier
            let names = (columns[table] ?? []).map { qualifier + "." + $0 }
            return LineEditor.Completion(word: word, candidates: names.filter { $0.hasPrefix(word) })
        }
        var candidates: [String]
        switch context.previous {
        case "from", "join", "into", "update", "table":
            candidates = columns.keys.sorted()
        case "on" where context.joined != nil:
            candidates = joinConditions(context)
        default:
            let keywordCase = word.first?.isLowercase == true ? Self.keywords.map { $0.lowercased() } : Self.keywords
            candidates = context.tables.flatMap { columns[$0] ?? [] } + columns.keys.sorted() + keywordCase + functions
        }
        var seen = Set<String>()
        let matches = candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) && seen.insert($0.lowercased()).inserted }
        return LineEditor.Completion(word: word, candidates: matches)
    }

    /// The statement's words, lower case, `schema.table` and `alias.column` kept whole.
    /// Today the migrations' tokenizer; the shared SQL scanner takes its place once it is
    /// on main, here and nowhere else.
    static func words(_ sql: String) -> [String] {
        SQLTokens(sql).tokens
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
                if let equals = word.firstIndex(of: "="),
                   let parameter = query?.parameters.first(where: { $0.name == word[..<equals] }) {
                    candidates = (parameter.choices ?? []).map { parameter.name + "=" + $0 }
                } else {
                    let given = Set(words.dropFirst(2).dropLast().compactMap { $0.split(separator: "=").first.map(String.init) })
                    candidates = (query?.parameters ?? []).map(\.name).filter { !given.contains($0) }.map { $0 + "=" }
                }
            case let command where words.count == 2 && CatalogCommand(command: command, pattern: nil) != nil:
                candidates = columns.keys.sorted()
            case "\\format" where words.count == 2:
                candidates = OutputFormat.allCases.map(\.rawValue)
            case let command where words.count == 2 && ["\\i", "\\export", "\\o"].contains(command):
                candidates = files(word)
            case "\\copy" where ["from", "to"].contains(words[words.count - 2].lowercased()):
                candidates = files(word)
            default:
                candidates = []
            }
        }
        return LineEditor.Completion(word: word, candidates: candidates.filter { $0.hasPrefix(word) })
    }
}
