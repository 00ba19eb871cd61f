/// What can go wrong finding, reading or binding a saved query.
public enum QueryError: Error, CustomStringConvertible, Equatable {
    case badHeader(file: String, line: Int, reason: String)
    case notFound(name: String, directory: String, known: [String])
    case noDirectory(searched: [String])
    case unknownParameter(query: String, parameter: String, known: [String])
    case missingParameter(query: String, parameter: QueryParameter)
    case invalidValue(query: String, parameter: QueryParameter, value: String)
    case badAssignment(String)
    case repeatedAssignment(name: String, first: String, second: String)
    case copyWithoutInput
    case copyInputFailed(reason: String)
    case exportNeedsQuery
    /// CSV and JSON are one result each: SQL of several statements is refused before it runs.
    case severalStatements(format: String, count: Int)

    public var description: String {
        switch self {
        case .badHeader(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .notFound(let name, let directory, let known):
            return "no saved query named \(name) in \(directory) (saved: \(known.joined(separator: ", "))); see `dwh query list`"
        case .noDirectory(let searched):
            return "no queries/ folder found (looked in \(searched.joined(separator: ", "))); "
                + ProjectError.initHint + ", or set DWH_QUERIES to a folder of saved queries"
        case .unknownParameter(let query, let parameter, let known):
            let list = known.isEmpty ? "it takes none" : "it takes \(known.joined(separator: ", "))"
            return "\(query) has no parameter \(parameter); \(list)"
        case .missingParameter(let query, let parameter):
            return "\(query) needs a value for \(parameter.name) (\(parameter.typeName)): --param \(parameter.name)=…"
        case .invalidValue(let query, let parameter, let value):
            let expected = parameter.choices.map { "one of \($0.joined(separator: ", "))" } ?? parameter.kind.expectation
            return "\(query): \(parameter.name) must be \(expected), got \"\(value)\""
        case .copyWithoutInput:
            return "COPY … FROM STDIN reads rows from standard input: run it as `dwh sql \"COPY …\" < FILE`, "
                + "or load raw files with `dwh load`"
        case .exportNeedsQuery:
            return "an export takes one query that reads (SELECT, VALUES, TABLE or WITH … SELECT); run other statements with `dwh sql`"
        case .severalStatements(let format, let count):
            return "--format \(format) writes one result, and this SQL holds \(count) statements: "
                + "run them one at a time, or see every result with --format table"
        case .copyInputFailed(let reason):
            return "reading standard input for COPY failed: \(reason)"
        case .badAssignment(let text):
            return "a parameter reads NAME=VALUE, got \"\(text)\""
        case .repeatedAssignment(let name, let first, let second):
            return "parameter \(name) is given twice (\(name)=\(first), then \(name)=\(second)): give it once"
        }
    }
}
