public enum MetaCommandError: Error, CustomStringConvertible, Equatable {
    case unknown(String)
    case usage(String, String)
    case nothingToRepeat(String)
    case notKept(statement: String, reason: String, changesData: Bool)
    case badVariableName(String)
    case unterminatedQuote(String)
    case nothingToRun(String)
    case cannotRead(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknown(let command): "unknown command \(command); \\? lists them"
        case .usage(let command, let arguments): "usage: \(command) \(arguments)"
        case .nothingToRepeat(let command): "\(command) needs a query to have run first"
        case .badVariableName(let name): "invalid variable name: \"\(name)\" (letters, digits and _ only)"
        case .unterminatedQuote(let line): "unterminated quoted string in \(line)"
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .nothingToRun(let command): "\(command): no statement typed and none run yet"
        case .notKept(let statement, let reason, let changesData):
            "the rows of the last result are not kept (\(reason)), and \(changesData ? "a statement that changes data" : "a statement")"
                + " is never run again behind your back: \\export FILE QUERY runs a query into the file"
                + " (last statement: \(statement.count > 60 ? statement.prefix(57) + "…" : statement))"
        }
    }
}
