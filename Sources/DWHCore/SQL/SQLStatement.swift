import Postgres

/// One statement of a shipped SQL file, ready to send: its SQL for one dialect, and the
/// file line of each of its lines, so that a server error is shown in the file.
public struct SQLStatement: Sendable, Equatable {
    public let name: String
    public let path: String
    public let sql: String
    /// For each line of `sql`, its 1-based line number in the file.
    let fileLines: [Int]

    init(name: String, path: String, lines: [(number: Int, text: String)]) {
        self.name = name
        self.path = path
        sql = lines.map(\.text).joined(separator: "\n")
        fileLines = lines.map(\.number)
    }

    /// The same statement with its `{name}` placeholders in code filled from `values`
    /// (`SQLScanner.fillingPlaceholders`), the lines keeping their places: each value is
    /// one line (a dwh.cfg setting, a quoted literal).
    func filling(_ values: [String: String]) -> SQLStatement {
        let lines = SQLScanner.fillingPlaceholders(in: sql, values).split(separator: "\n", omittingEmptySubsequences: false)
        return SQLStatement(name: name, path: path, lines: zip(fileLines, lines).map { ($0, String($1)) })
    }

    /// The statement as a script of one statement, its lines keeping their places (for lint).
    public var script: RenderedScript {
        RenderedScript(lines: sql.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), fileLines: fileLines)
    }

    /// A server error raised by this statement, placed at its line and column in the file.
    public func place(_ error: PostgresError) -> SQLError {
        SQLError(error, sql: sql, path: path, fileLines: fileLines)
    }
}

extension SQLFile {
    /// The `-- name:` statements in file order, rendered for `dialect`: full-line comments
    /// (not a `--` line inside a string or a dollar-quoted body) and the blank lines around
    /// each statement left out.
    public func statements(for dialect: Dialect) -> [SQLStatement] {
        var order: [String] = []
        var bodies: [String: [(number: Int, text: String)]] = [:]
        for line in lines where line.dialect == nil || line.dialect == dialect {
            guard let section = line.section else { continue }
            if bodies[section] == nil {
                order.append(section)
                bodies[section] = []
            }
            if line.startsInCode && line.text.trimmingLeadingSpaces.hasPrefix("--") { continue }
            bodies[section, default: []].append((line.number, line.text))
        }
        return order.map { name in
            var body = bodies[name] ?? []
            while let first = body.first, first.text.trimmingLeadingSpaces.isEmpty { body.removeFirst() }
            while let last = body.last, last.text.trimmingLeadingSpaces.isEmpty { body.removeLast() }
            return SQLStatement(name: name, path: path, lines: body)
        }
    }
}

/// The SQL files built into dwh (`Resources/`), parsed once each.
enum SQLResource {
    /// A shipped file; one that is missing or does not parse is a packaging bug, which the
    /// tests catch (`SQLResourceTests`).
    static func file(_ path: String) -> SQLFile {
        do {
            return try SQLFile(path: path, contents: EmbeddedResource.text(path))
        } catch {
            fatalError("\(error)")
        }
    }

    /// The paths of the shipped SQL files.
    static var paths: [String] {
        EmbeddedResource.names(under: "").filter { $0.hasSuffix(".sql") && !$0.hasPrefix("project/") }
    }

    /// The statements named in one file, by name, for one dialect.
    static func statements(in path: String, for dialect: Dialect = .postgres) -> [String: SQLStatement] {
        Dictionary(uniqueKeysWithValues: file(path).statements(for: dialect).map { ($0.name, $0) })
    }
}

/// Looks up statements of one shipped file by name, for the `static let` tables of the
/// loader, the tracker and the Redshift load.
struct SQLStatements {
    let path: String
    private let byName: [String: SQLStatement]

    init(_ path: String, for dialect: Dialect = .postgres) {
        self.path = path
        byName = SQLResource.statements(in: path, for: dialect)
    }

    subscript(_ name: String) -> SQLStatement {
        guard let statement = byName[name] else { fatalError("\(path) has no statement named \(name)") }
        return statement
    }
}

extension Connection {
    /// Runs a shipped statement; a server error comes back placed in its file.
    @discardableResult
    func execute(_ statement: SQLStatement, _ parameters: [String?]? = nil) throws -> QueryResult {
        do {
            guard let parameters else { return try execute(statement.sql) }
            return try execute(statement.sql, parameters)
        } catch let error as PostgresError where error.kind == .server {
            throw statement.place(error)
        }
    }

    /// `copyIn` for a shipped `COPY … FROM STDIN`, its server errors placed in its file.
    @discardableResult
    func copyIn(_ statement: SQLStatement, _ body: (CopyWriter) throws -> Void) throws -> Int {
        do { return try copyIn(statement.sql, body) } catch let error as PostgresError where error.kind == .server {
            throw statement.place(error)
        }
    }

    /// `copyOut` for a shipped `COPY … TO STDOUT`, its server errors placed in its file.
    @discardableResult
    func copyOut(_ statement: SQLStatement, _ chunk: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        do { return try copyOut(statement.sql, chunk) } catch let error as PostgresError where error.kind == .server {
            throw statement.place(error)
        }
    }
}
