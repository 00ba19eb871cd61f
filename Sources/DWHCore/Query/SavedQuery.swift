import Foundation

/// A query from `queries/NAME.sql`: its header (name, description, typed parameters)
/// and the SQL, which refers to the parameters as `$1`, `$2`, … in declaration order.
///
/// ```sql
/// -- name: top_songs
/// -- title: The most played songs
/// -- description: The most played songs, with their artist.
/// -- param: limit int = 10
/// SELECT title, count(*) AS plays FROM … LIMIT $1;
/// ```
public struct SavedQuery: Equatable, Sendable {
    public var name: String
    public var description: String
    /// The heading in words a report gives the query's section (`-- title:`); nil without one.
    public var title: String?
    public var parameters: [QueryParameter]
    /// The SQL without the header, trailing semicolon and whitespace.
    public var sql: String
    /// The file it came from, for error messages.
    public var file: String
    /// The line of `file` where `sql` starts, so errors point into the file.
    public var firstLine: Int
    /// Header fields other than name, description and param that the reader asked for
    /// (a check's `severity`), by key.
    public var fields: [String: String] = [:]

    /// Where the SQL is, for `QueryText.report`.
    public var source: SQLSource { SQLSource(file: file, firstLine: firstLine) }

    /// Parses a query file's text; errors name the file and line.
    public init(text: String, file: String) throws {
        try self.init(text: text, file: file, nameKey: "name")
    }

    /// Parses a file in the saved queries' form whose name is given by `-- NAMEKEY:` (a
    /// check's `-- check: NAME`), keeping the header fields `extraKeys` in `fields`.
    public init(text: String, file: String, nameKey: String, extraKeys: [String] = []) throws {
        var fields: [String: String] = [:]
        var name: String?
        var description = ""
        var title: String?
        var parameters: [QueryParameter] = []
        var bodyLines: [String] = []
        var firstLine = 1
        let lines = TextLines.split(text)
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            guard bodyLines.isEmpty, let header = Self.headerField(line, keys: [nameKey, "title", "description", "param"] + extraKeys) else {
                if bodyLines.isEmpty { firstLine = lineNumber }
                if !bodyLines.isEmpty || !line.trimmingCharacters(in: .whitespaces).isEmpty { bodyLines.append(line) }
                continue
            }
            switch header.key {
            case nameKey:
                guard header.value.range(of: #"^[a-z][a-z0-9_]*$"#, options: .regularExpression) != nil else {
                    throw QueryError.badHeader(file: file, line: lineNumber, reason: "name must be lower_snake_case, got \"\(header.value)\"")
                }
                name = header.value
            case "description":
                description = header.value
            case "title":
                title = header.value.isEmpty ? nil : header.value
            case "param":
                parameters.append(try Self.parameter(header.value, file: file, line: lineNumber))
            default:
                fields[header.key] = header.value
            }
        }
        guard let name else { throw QueryError.badHeader(file: file, line: 1, reason: "missing `-- \(nameKey):` line") }
        // Only the end is trimmed: error positions count from the first line as written.
        let sql = QueryText.stripped(bodyLines.joined(separator: "\n"), keepingStart: true)
        guard !sql.isEmpty else { throw QueryError.badHeader(file: file, line: lines.count, reason: "no SQL after the header") }
        guard !SQLSplitter.split(sql).isEmpty else {
            throw QueryError.badHeader(file: file, line: firstLine, reason: "only comments after the header: the query has no SQL statement to run")
        }
        let duplicates = Dictionary(grouping: parameters, by: \.name).filter { $0.value.count > 1 }.keys
        if let duplicate = duplicates.first {
            throw QueryError.badHeader(file: file, line: 1, reason: "parameter \(duplicate) is declared twice")
        }
        self.name = name
        self.description = description
        self.title = title
        self.parameters = parameters
        self.sql = sql
        self.file = file
        self.firstLine = firstLine
        self.fields = fields
    }

    /// The values to bind, in `$n` order: defaults overridden by `values` (by name),
    /// each checked against its declared type. Unknown names and missing values are errors.
    public func bind(_ values: [String: String]) throws -> [String] {
        if let unknown = values.keys.sorted().first(where: { key in !parameters.contains { $0.name == key } }) {
            throw QueryError.unknownParameter(query: name, parameter: unknown, known: parameters.map(\.name))
        }
        return try parameters.map { parameter in
            guard let given = values[parameter.name] ?? parameter.defaultValue else {
                throw QueryError.missingParameter(query: name, parameter: parameter)
            }
            guard let value = parameter.normalize(given) else {
                throw QueryError.invalidValue(query: name, parameter: parameter, value: given)
            }
            return value
        }
    }

    private static func headerField(_ line: String, keys: [String]) -> (key: String, value: String)? {
        guard line.hasPrefix("--") else { return nil }
        let content = line.dropFirst(2)
        guard let colon = content.firstIndex(of: ":") else { return nil }
        let key = content[..<colon].trimmingCharacters(in: .whitespaces)
        guard keys.contains(key) else { return nil }
        return (key, content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// `limit int = 10` or `artist text` (required).
    private static func parameter(_ text: String, file: String, line: Int) throws -> QueryParameter {
        // Empty pieces kept: `-- param: =` has a declaration, an empty one, to refuse.
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let declaration = parts[0].split(separator: " ", omittingEmptySubsequences: true)
        guard declaration.count == 2 else {
            throw QueryError.badHeader(file: file, line: line, reason: "a parameter reads `-- param: NAME TYPE [= DEFAULT]` (TYPE may be `a|b|c`), got \"\(text)\"")
        }
        let name = String(declaration[0])
        let type = String(declaration[1])
        let choices = type.contains("|") ? type.split(separator: "|").map(String.init) : nil
        guard let kind = choices == nil ? QueryParameter.Kind(rawValue: type) : .text else {
            let kinds = QueryParameter.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw QueryError.badHeader(file: file, line: line, reason: "parameter \(name) has unknown type \(declaration[1]) (known: \(kinds))")
        }
        let parameter = QueryParameter(name: name, kind: kind,
                                       defaultValue: parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : nil,
                                       choices: choices)
        if let value = parameter.defaultValue, parameter.normalize(value) == nil {
            throw QueryError.badHeader(file: file, line: line, reason: "default \"\(value)\" of \(name) is not a valid \(parameter.typeName)")
        }
        return parameter
    }
}
