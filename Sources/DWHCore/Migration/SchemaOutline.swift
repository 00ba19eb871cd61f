/// The tables and columns a series of migrations builds, read from their CREATE TABLE,
/// ALTER TABLE and DROP TABLE statements: enough to tell whether the PostgreSQL and
/// Redshift renderings of the same files build the same shape.
///
/// Types, constraints and table attributes are deliberately ignored: they may differ.
public struct SchemaOutline: Sendable, Equatable {
    /// Table name → its columns in order. Unquoted names are folded to lower case.
    public private(set) var tables: [String: [String]] = [:]

    public init() {}

    /// Applies every statement of `script` to the outline.
    public mutating func apply(_ script: RenderedScript) {
        for statement in script.statements { apply(SQLTokens(statement.sql).tokens) }
    }

    /// Where `other` differs from this outline, one sentence each; empty when they agree.
    public func differences(from other: SchemaOutline, names: (String, String)) -> [String] {
        var found: [String] = []
        for table in Set(tables.keys).union(other.tables.keys).sorted() {
            switch (tables[table], other.tables[table]) {
            case (nil, _): found.append("table \(table) exists on \(names.1) only")
            case (_, nil): found.append("table \(table) exists on \(names.0) only")
            case (let mine?, let theirs?):
                for column in mine where !theirs.contains(column) { found.append("column \(table).\(column) exists on \(names.0) only") }
                for column in theirs where !mine.contains(column) { found.append("column \(table).\(column) exists on \(names.1) only") }
                if Set(mine) == Set(theirs) && mine != theirs {
                    found.append("table \(table) has its columns in a different order (\(names.0): \(mine.joined(separator: ", ")); \(names.1): \(theirs.joined(separator: ", ")))")
                }
            }
        }
        return found
    }

    private mutating func apply(_ tokens: [String]) {
        var rest = tokens[...]
        func take(_ words: String...) -> Bool {
            guard rest.count >= words.count, zip(rest, words).allSatisfy({ $0 == $1 }) else { return false }
            rest = rest.dropFirst(words.count)
            return true
        }
        if take("create") {
            _ = take("temporary") || take("temp")
            _ = take("local") || take("unlogged")
            guard take("table") else { return }
            _ = take("if", "not", "exists")
            guard let name = rest.popFirst() else { return }
            tables[name] = take("(") ? Self.elements(&rest).compactMap(Self.columnName) : []
        } else if take("alter", "table") {
            _ = take("if", "exists")
            _ = take("only")
            guard let name = rest.popFirst(), tables[name] != nil else { return }
            for action in Self.elements(&rest) { alter(name, action[...]) }
        } else if take("drop", "table") {
            _ = take("if", "exists")
            for name in Self.elements(&rest).compactMap(\.first) { tables[name] = nil }
        }
    }

    private mutating func alter(_ table: String, _ action: ArraySlice<String>) {
        var rest = action
        func take(_ word: String) -> Bool {
            guard rest.first == word else { return false }
            rest = rest.dropFirst()
            return true
        }
        if take("add") {
            guard !["constraint", "primary", "foreign", "unique", "check"].contains(rest.first ?? "") else { return }
            _ = take("column")
            _ = take("if") && take("not") && take("exists")
            if let column = rest.first, !(tables[table] ?? []).contains(column) { tables[table]?.append(column) }
        } else if take("drop") {
            guard !take("constraint") else { return }
            _ = take("column")
            _ = take("if") && take("exists")
            if let column = rest.first { tables[table]?.removeAll { $0 == column } }
        } else if take("rename") {
            if take("to"), let newName = rest.first {
                tables[newName] = tables.removeValue(forKey: table)
            } else {
                _ = take("column")
                guard let old = rest.popFirst(), take("to"), let new = rest.first else { return }
                tables[table] = tables[table]?.map { $0 == old ? new : $0 }
            }
        }
    }

    /// Splits the tokens up to the matching `)` (or the end) at top-level commas.
    private static func elements(_ rest: inout ArraySlice<String>) -> [[String]] {
        var result: [[String]] = [[]]
        var depth = 0
        while let token = rest.popFirst() {
            if token == "(" { depth += 1 }
            if token == ")" {
                if depth == 0 { break }
                depth -= 1
            }
            if token == ";" && depth == 0 { break }
            if token == "," && depth == 0 { result.append([]) } else { result[result.count - 1].append(token) }
        }
        return result.filter { !$0.isEmpty }
    }

    /// A column definition's name; nil for table constraints and LIKE clauses.
    private static func columnName(_ element: [String]) -> String? {
        guard let first = element.first,
              !["constraint", "primary", "foreign", "unique", "check", "like", "exclude"].contains(first) else { return nil }
        return first
    }
}
