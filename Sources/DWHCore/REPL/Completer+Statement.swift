import Foundation

/// What the statement says about the place of the cursor: the tables it reads and under
/// which aliases (before the cursor and after it), the word just before the cursor, and,
/// after `JOIN t x ON`, the table just joined and those before it.
struct StatementContext {
    /// Alias (and bare table name) → table.
    var aliases: [String: String] = [:]
    /// The tables read, in order of mention.
    var tables: [String] = []
    /// The tables named before the cursor, with the name each goes by.
    var references: [(table: String, alias: String)] = []
    /// The word before the cursor, lower case.
    var previous: String?

    /// The table of the `JOIN … ON` the cursor follows.
    var joined: (table: String, alias: String)? {
        previous == "on" ? references.last : nil
    }

    init(_ before: [String], after: [String], known: Set<String>) {
        previous = before.last
        references = Self.references(in: before, known: known)
        for reference in references + Self.references(in: after, known: known) {
            aliases[reference.alias] = reference.table
            aliases[reference.table] = reference.table
            if !tables.contains(reference.table) { tables.append(reference.table) }
        }
    }

    /// Words that follow a table without being its alias.
    static let notAliases: Set<String> = [
        "where", "join", "inner", "left", "right", "full", "outer", "cross", "natural", "on", "using", "group",
        "order", "limit", "offset", "having", "union", "intersect", "except", "window", "set", "values", "select",
        "lateral", "returning", "default", "fetch", "for", "as",
    ]

    /// `FROM songs s, artists AS a JOIN users u …`: each known table and its alias.
    static func references(in words: [String], known: Set<String>) -> [(table: String, alias: String)] {
        var found: [(table: String, alias: String)] = []
        var expectsTable = false
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if ["from", "join", "update", "into"].contains(word) {
                expectsTable = true
                continue
            }
            guard expectsTable else { continue }
            if word == "only" || word == "lateral" { continue }
            let table = word.split(separator: ".").last.map(String.init) ?? word
            guard known.contains(table) else {
                expectsTable = false
                continue
            }
            var alias = table
            if index < words.count, words[index] == "as" { index += 1 }
            if index < words.count, let first = words[index].first, first.isLetter || first == "_",
               !notAliases.contains(words[index]) {
                alias = words[index]
                index += 1
            }
            found.append((table, alias))
            expectsTable = index < words.count && words[index] == ","
            if expectsTable { index += 1 }
        }
        return found
    }
}

extension Completer {
    /// `a.x = b.x` for the table just joined and each one before it: from their foreign
    /// keys; when the schema declares none, from key columns of the same name, which the
    /// suggestion says in a comment.
    func joinConditions(_ context: StatementContext) -> [String] {
        guard let joined = context.joined else { return [] }
        func condition(_ left: String, _ leftColumns: [String], _ right: String, _ rightColumns: [String]) -> String {
            zip(leftColumns, rightColumns).map { "\(left).\($0) = \(right).\($1)" }.joined(separator: " AND ")
        }
        var conditions: [String] = []
        for earlier in context.references.dropLast() {
            for key in foreignKeys {
                if key.table == earlier.table && key.referenced == joined.table {
                    conditions.append(condition(earlier.alias, key.columns, joined.alias, key.referencedColumns))
                } else if key.table == joined.table && key.referenced == earlier.table {
                    conditions.append(condition(earlier.alias, key.referencedColumns, joined.alias, key.columns))
                }
            }
        }
        guard foreignKeys.isEmpty else { return conditions }
        for earlier in context.references.dropLast() {
            let shared = keyColumns(joined.table).filter { (columns[earlier.table] ?? []).contains($0) }
                + keyColumns(earlier.table).filter { (columns[joined.table] ?? []).contains($0) }
            for column in shared {
                let text = "\(earlier.alias).\(column) = \(joined.alias).\(column) /* same name: no foreign key declared */"
                if !conditions.contains(text) { conditions.append(text) }
            }
        }
        return conditions
    }

    /// A table's primary key, or without one its columns named `…_id`.
    private func keyColumns(_ table: String) -> [String] {
        primaryKeys[table] ?? (columns[table] ?? []).filter { $0.hasSuffix("_id") }
    }

    /// Paths that start with `word`, folders ending in `/`; hidden ones once a `.` is typed.
    func files(_ word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let folder = slash.map { String(word[...$0]) } ?? ""
        let base = slash.map { String(word[word.index(after: $0)...]) } ?? word
        return listFolder(folder)
            .filter { $0.name.hasPrefix(base) && (base.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .map { folder + $0.name + ($0.isFolder ? "/" : "") }
            .sorted()
    }

    /// The names in a folder of the file system (`~` is the home folder).
    @Sendable public static func folder(_ path: String) -> [(name: String, isFolder: Bool)] {
        var place = path.isEmpty ? "." : path
        if place.hasPrefix("~") { place = NSHomeDirectory() + place.dropFirst() }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: place)) ?? []
        return names.map { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (place as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            return (name, isFolder.boolValue)
        }
    }
}
