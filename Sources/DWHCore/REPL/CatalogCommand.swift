/// One of psql's catalog commands, parsed: `\d[S][+] [PATTERN]`, `\dt`, `\dv`, `\di`,
/// `\dn`, `\df` and `\l`, with psql's modifiers (`+` for more columns, `S` for system
/// objects) and its name patterns.
public struct CatalogCommand: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `\d`: the relations, or with a pattern, each one it names in depth.
        case describe
        case tables, views, indexes, schemas, functions, databases
    }

    public var kind: Kind
    /// `+`: sizes and descriptions.
    public var verbose: Bool
    /// `S`, or any pattern: system schemas too, as in psql.
    public var system: Bool
    public var pattern: CatalogPattern?

    public init(kind: Kind, verbose: Bool = false, system: Bool = false, pattern: CatalogPattern? = nil) {
        self.kind = kind
        self.verbose = verbose
        self.system = system
        self.pattern = pattern
    }

    /// `\dt+`, `\dS`, `\l` …; nil for a command that is not one of these.
    public init?(command: String, pattern: String?) {
        var letters = Substring(command)
        guard letters.first == "\\" else { return nil }
        letters.removeFirst()
        verbose = letters.last == "+"
        if verbose { letters.removeLast() }
        if letters == "l" || letters == "list" {
            kind = .databases
            system = true
        } else {
            guard letters.first == "d" else { return nil }
            letters.removeFirst()
            system = letters.last == "S"
            if system { letters.removeLast() }
            switch letters {
            case "": kind = .describe
            case "t": kind = .tables
            case "v": kind = .views
            case "i": kind = .indexes
            case "n": kind = .schemas
            case "f": kind = .functions
            default: return nil
            }
        }
        self.pattern = pattern.map(CatalogPattern.init)
    }

    /// What `\?` and completion list.
    static let summaries: [(command: String, summary: String)] = [
        ("\\d", "[S+] [PATTERN]  list relations, or describe each one PATTERN names"),
        ("\\dt", "[S+] [PATTERN]  list tables"),
        ("\\dv", "[S+] [PATTERN]  list views"),
        ("\\di", "[S+] [PATTERN]  list indexes"),
        ("\\dn", "[S+] [PATTERN]  list schemas"),
        ("\\df", "[S+] [PATTERN]  list functions"),
        ("\\l", "[+] [PATTERN]  list databases"),
        ("\\c", "[DB [USER]]  connect to another database on the same server"),
        ("\\h", "[COMMAND]  SQL syntax help, from PostgreSQL's documentation"),
    ]
}

/// A psql name pattern as the two regular expressions the catalog queries take: `*` is
/// any text, `?` one character, a `.` outside double quotes separates the schema from the
/// name, unquoted letters are folded to lower case, and text in double quotes is taken as
/// it is. Other regular-expression characters keep their meaning, as in psql; `$` is
/// literal. An empty expression matches everything.
public struct CatalogPattern: Equatable, Sendable {
    /// The schema part ("" when the pattern has none).
    public var schema: String
    public var name: String
    /// The pattern as typed, for messages.
    public var text: String

    public init(_ text: String) {
        self.text = text
        var parts: [String] = [""]
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if character == "\"" {
                if quoted, characters.first == "\"" {
                    characters.removeFirst()
                    parts[parts.count - 1] += "\""
                } else {
                    quoted.toggle()
                }
            } else if quoted {
                parts[parts.count - 1] += Self.literal(character)
            } else if character == "." {
                parts.append("")
            } else {
                parts[parts.count - 1] += Self.translated(character)
            }
        }
        // db.schema.name: the database part is the current one; psql checks it, dwh ignores it.
        let name = parts.last ?? ""
        let schema = parts.count > 1 ? parts[parts.count - 2] : ""
        self.name = name.isEmpty ? "" : "^(" + name + ")$"
        self.schema = schema.isEmpty ? "" : "^(" + schema + ")$"
    }

    private static func translated(_ character: Character) -> String {
        switch character {
        case "*": ".*"
        case "?": "."
        case "$": "\\$"
        default: String(character).lowercased()
        }
    }

    private static func literal(_ character: Character) -> String {
        "\\^$.|?*+()[]{}".contains(character) ? "\\" + String(character) : String(character)
    }
}
