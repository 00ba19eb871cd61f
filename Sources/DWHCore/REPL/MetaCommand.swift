/// A backslash command typed in the REPL, parsed before anything runs.
public enum MetaCommand: Equatable, Sendable {
    case quit
    case help
    case saved
    case run(name: String, assignments: [String])
    /// `\d`, `\dt`, `\dv`, `\di`, `\dn`, `\df`, `\l` and their `S`/`+` forms.
    case catalog(CatalogCommand)
    /// `\h [COMMAND]`: SQL syntax help.
    case sqlHelp(String?)
    /// `\c [DB [USER]]`.
    case connect(database: String?, user: String?)
    case timing
    case pager(Bool?)
    case expanded
    case format(OutputFormat?)
    case chart
    /// `\export FILE`: the last result's kept rows; `\export FILE QUERY`: that query's.
    case export(path: String, query: String?)
    case include(path: String)
    case connectionInfo
    case edit

    /// The commands and what they do, for `\?` and completion.
    public static let catalog: [(command: String, summary: String)] = [
        ("\\q", "quit (Ctrl-D too)"),
        ("\\?", "this help"),
        ("\\saved", "list the saved queries"),
        ("\\run", "NAME [k=v …]  run a saved query"),
        ("\\timing", "show how long each statement takes (on/off)"),
        ("\\x", "expanded rows, one line per column (on/off)"),
        ("\\pager", "[on|off]  show long results through $PAGER (less -S)"),
        ("\\format", "table|csv|json|markdown  how rows are shown"),
        ("\\chart", "draw the last result as a bar chart"),
        ("\\export", "FILE [QUERY]  write the last result's rows (or QUERY's) to a CSV file"),
        ("\\i", "FILE  run the statements in a file"),
        ("\\conninfo", "where this session is connected"),
        ("\\e", "edit the statement (or the last one) in $EDITOR"),
    ] + CatalogCommand.summaries

    /// Parses a line starting with `\`; the error is the sentence the user reads.
    public static func parse(_ line: String) throws -> MetaCommand {
        let words = line.trimmingWhitespace().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let command = words.first else { throw MetaCommandError.unknown(line) }
        let arguments = Array(words.dropFirst())
        func one(_ what: String) throws -> String {
            guard arguments.count == 1 else { throw MetaCommandError.usage(command, what) }
            return arguments[0]
        }
        switch command {
        case "\\q", "\\quit": return .quit
        case "\\?": return .help
        case "\\saved": return .saved
        case "\\run":
            guard let name = arguments.first else { throw MetaCommandError.usage(command, "NAME [k=v …]") }
            return .run(name: name, assignments: Array(arguments.dropFirst()))
        case "\\h", "\\help": return .sqlHelp(Self.text(line, after: 1))
        case "\\c", "\\connect": return .connect(database: arguments.first, user: arguments.dropFirst().first)
        case _ where CatalogCommand(command: command, pattern: nil) != nil:
            return .catalog(CatalogCommand(command: command, pattern: arguments.first)!)
        case "\\timing": return .timing
        case "\\x": return .expanded
        case "\\pager":
            switch arguments.first {
            case nil: return .pager(nil)
            case "on"?: return .pager(true)
            case "off"?: return .pager(false)
            default: throw MetaCommandError.usage(command, "[on|off]")
            }
        case "\\format":
            guard let name = arguments.first else { return .format(nil) }
            guard let format = OutputFormat(rawValue: name) else { throw MetaCommandError.usage(command, "table|csv|json|markdown") }
            return .format(format)
        case "\\chart": return .chart
        case "\\export":
            guard let path = arguments.first else { throw MetaCommandError.usage(command, "FILE [QUERY]") }
            return .export(path: path, query: Self.text(line, after: 2))
        case "\\i": return .include(path: try one("FILE"))
        case "\\conninfo": return .connectionInfo
        case "\\e": return .edit
        default: throw MetaCommandError.unknown(command)
        }
    }
}

extension MetaCommand {
    /// The rest of `line` after its first `words` words, as typed (spacing inside kept),
    /// without a closing `;`; nil when nothing follows.
    static func text(_ line: String, after words: Int) -> String? {
        var rest = Substring(line.trimmingWhitespace())
        for _ in 0..<words {
            rest = rest.drop { !$0.isWhitespace }.drop { $0.isWhitespace }
        }
        var text = String(rest).trimmingWhitespace()
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingWhitespace() }
        return text.isEmpty ? nil : text
    }
}

public enum MetaCommandError: Error, CustomStringConvertible, Equatable {
    case unknown(String)
    case usage(String, String)
    case nothingToRepeat(String)
    case notKept(statement: String, reason: String, changesData: Bool)

    public var description: String {
        switch self {
        case .unknown(let command): "unknown command \(command); \\? lists them"
        case .usage(let command, let arguments): "usage: \(command) \(arguments)"
        case .nothingToRepeat(let command): "\(command) needs a query to have run first"
        case .notKept(let statement, let reason, let changesData):
            "the rows of the last result are not kept (\(reason)), and \(changesData ? "a statement that changes data" : "a statement")"
                + " is never run again behind your back: \\export FILE QUERY runs a query into the file"
                + " (last statement: \(statement.count > 60 ? statement.prefix(57) + "…" : statement))"
        }
    }
}
