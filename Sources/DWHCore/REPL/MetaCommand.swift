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
    /// `\timing [on|off]`: nil toggles.
    case timing(Bool?)
    case pager(Bool?)
    /// `\x [on|off|auto]`: nil toggles between on and off.
    case expanded(ExpandedDisplay?)
    case format(OutputFormat?)
    case chart
    /// `\export FILE`: the last result's kept rows; `\export FILE QUERY`: that query's.
    case export(path: String, query: String?)
    case include(path: String)
    case connectionInfo
    case edit
    /// `\o FILE`: results go to FILE; `\o`: back to standard output.
    case output(path: String?)
    /// `\g [FILE]` and `\gx [FILE]`: run the statement typed so far (or the last one).
    case go(path: String?, expanded: Bool)
    /// `\watch [SECONDS]`: run it again every SECONDS until Ctrl-C or an error.
    case watch(seconds: Double)
    /// `\set`: list the variables; `\set NAME [VALUE …]`: set one (the values joined).
    case set(name: String?, value: String)
    case unset(name: String)
    /// `\pset [OPTION [VALUE]]`.
    case pset(option: String?, value: String?)
    /// `\save NAME`, `\show NAME`, `\edit NAME`: saved queries from the REPL.
    case save(name: String)
    case show(name: String)
    case editQuery(name: String)
    /// `\copy …`: COPY with the file on this side (`ClientCopy`).
    case copy(String)

    /// The commands and what they do, for `\?` and completion.
    public static let catalog: [(command: String, summary: String)] = [
        ("\\q", "quit (Ctrl-D too)"),
        ("\\?", "this help"),
        ("\\saved", "list the saved queries"),
        ("\\run", "NAME [k=v …]  run a saved query"),
        ("\\save", "NAME  save the last statement as queries/NAME.sql"),
        ("\\show", "NAME  print a saved query"),
        ("\\edit", "NAME  edit a saved query in $EDITOR"),
        ("\\timing", "[on|off]  show how long each statement takes"),
        ("\\x", "[on|off|auto]  expanded rows, one line per column"),
        ("\\pager", "[on|off]  show long results through $PAGER (less -S)"),
        ("\\format", "table|csv|json|markdown  how rows are shown"),
        ("\\pset", "[null TEXT|format F|expanded X|pager X]  output settings"),
        ("\\set", "[NAME [VALUE]]  set a variable, used as :NAME, :'NAME', :\"NAME\""),
        ("\\unset", "NAME  forget a variable"),
        ("\\g", "[FILE]  run the statement typed so far (or the last one), to FILE"),
        ("\\gx", "[FILE]  the same, expanded"),
        ("\\watch", "[SECONDS]  run it again every SECONDS (2) until Ctrl-C"),
        ("\\o", "[FILE]  send results to FILE (\\o alone: back to the screen)"),
        ("\\chart", "draw the last result as a bar chart"),
        ("\\export", "FILE [QUERY]  write the last result's rows (or QUERY's) to a CSV file"),
        ("\\copy", "TABLE FROM FILE | (QUERY) TO FILE [OPTIONS]  COPY with the file here"),
        ("\\i", "FILE  run the statements in a file"),
        ("\\conninfo", "where this session is connected"),
        ("\\e", "edit the statement (or the last one) in $EDITOR"),
    ] + CatalogCommand.summaries

    /// Parses a line starting with `\`; the error is the sentence the user reads.
    public static func parse(_ line: String) throws -> MetaCommand {
        let words = try arguments(line)
        guard let command = words.first else { throw MetaCommandError.unknown(line) }
        let typed = Invocation(line: line, command: command, arguments: Array(words.dropFirst()))
        let arguments = typed.arguments
        switch command {
        case "\\q", "\\quit": return .quit
        case "\\?": return .help
        case "\\saved": return .saved
        case "\\run":
            guard let name = arguments.first else { throw typed.usage("NAME [k=v …]") }
            return .run(name: name, assignments: Array(arguments.dropFirst()))
        case "\\h", "\\help": return .sqlHelp(typed.text(after: 1))
        case "\\c", "\\connect": return .connect(database: arguments.first, user: arguments.dropFirst().first)
        case _ where CatalogCommand(command: command, pattern: nil) != nil:
            return .catalog(CatalogCommand(command: command, pattern: arguments.first)!)
        case "\\timing": return .timing(try typed.toggle())
        case "\\x": return .expanded(try typed.expandedDisplay())
        case "\\pager": return .pager(try typed.toggle())
        case "\\format": return .format(try typed.outputFormat())
        case "\\chart": return .chart
        case "\\export":
            guard let path = arguments.first else { throw typed.usage("FILE [QUERY]") }
            return .export(path: path, query: typed.text(after: 2))
        case "\\i", "\\include": return .include(path: try typed.one("FILE"))
        case "\\conninfo": return .connectionInfo
        case "\\e": return .edit
        case "\\o", "\\out": return .output(path: try typed.optional("[FILE]"))
        case "\\g": return .go(path: try typed.optional("[FILE]"), expanded: false)
        case "\\gx": return .go(path: try typed.optional("[FILE]"), expanded: true)
        case "\\watch": return .watch(seconds: try typed.seconds())
        case "\\set":
            guard let name = arguments.first else { return .set(name: nil, value: "") }
            return .set(name: try variableName(name), value: arguments.dropFirst().joined())
        case "\\unset": return .unset(name: try variableName(typed.one("NAME")))
        case "\\pset":
            guard arguments.count <= 2 else { throw typed.usage("[OPTION [VALUE]]") }
            return .pset(option: arguments.first, value: arguments.count == 2 ? arguments[1] : nil)
        case "\\save": return .save(name: try typed.one("NAME"))
        case "\\show": return .show(name: try typed.one("NAME"))
        case "\\edit": return .editQuery(name: try typed.one("NAME"))
        case "\\copy":
            guard let rest = typed.text(after: 1) else { throw typed.usage("TABLE FROM FILE | (QUERY) TO FILE") }
            return .copy(rest)
        default: throw MetaCommandError.unknown(command)
        }
    }
}

/// `\x`: a block per row, a table, or whichever fits the terminal.
public enum ExpandedDisplay: String, Equatable, Sendable {
    case on, off, auto

    init?(_ word: String) {
        switch word.lowercased() {
        case "on", "true", "yes", "1": self = .on
        case "off", "false", "no", "0": self = .off
        case "auto": self = .auto
        default: return nil
        }
    }

    /// psql's sentence for the setting.
    var sentence: String {
        switch self {
        case .on: "Expanded display is on."
        case .off: "Expanded display is off."
        case .auto: "Expanded display is used automatically."
        }
    }
}

extension OutputFormat {
    /// dwh's names, and psql's `aligned` for the table.
    init?(psqlName name: String) {
        if name.lowercased() == "aligned" { self = .table; return }
        guard let format = OutputFormat(rawValue: name.lowercased()) else { return nil }
        self = format
    }
}
