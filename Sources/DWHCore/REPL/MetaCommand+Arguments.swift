/// How a meta-command's words are read: split as psql splits them, counted, and turned
/// into the values its case holds, with the usage line as the error when they do not fit.
extension MetaCommand {
    /// A command as typed: the line, its first word and the words after it.
    struct Invocation {
        let line: String
        let command: String
        let arguments: [String]

        func usage(_ what: String) -> MetaCommandError { .usage(command, what) }

        /// The one word the command takes.
        func one(_ what: String) throws -> String {
            guard arguments.count == 1 else { throw usage(what) }
            return arguments[0]
        }

        /// The word the command may take.
        func optional(_ what: String) throws -> String? {
            guard arguments.count <= 1 else { throw usage(what) }
            return arguments.first
        }

        /// `on` or `off` (and their synonyms); nil, which toggles, when none is given.
        func toggle(_ what: String = "[on|off]") throws -> Bool? {
            switch try optional(what) {
            case nil: return nil
            case let value? where ["on", "true", "yes", "1"].contains(value.lowercased()): return true
            case let value? where ["off", "false", "no", "0"].contains(value.lowercased()): return false
            default: throw usage(what)
            }
        }

        /// `\x [on|off|auto]`.
        func expandedDisplay() throws -> ExpandedDisplay? {
            guard let value = try optional("[on|off|auto]") else { return nil }
            guard let display = ExpandedDisplay(value) else { throw usage("[on|off|auto]") }
            return display
        }

        /// `\format [table|csv|json|markdown]`.
        func outputFormat() throws -> OutputFormat? {
            guard let name = try optional("table|csv|json|markdown") else { return nil }
            guard let format = OutputFormat(psqlName: name) else { throw usage("table|csv|json|markdown") }
            return format
        }

        /// `\watch [SECONDS]`, also written `i=SECONDS` or `interval=SECONDS`; 2 when none is given.
        func seconds() throws -> Double {
            guard let given = try optional("[SECONDS]") else { return 2 }
            let text = given.hasPrefix("i=") || given.hasPrefix("interval=") ? String(given.drop { $0 != "=" }.dropFirst()) : given
            guard let seconds = Double(text), seconds >= 0, seconds.isFinite else { throw usage("[SECONDS]") }
            return seconds
        }

        /// The rest of the line after its first `words` words (`MetaCommand.text`).
        func text(after words: Int) -> String? { MetaCommand.text(line, after: words) }
    }

    /// The name, when it is a variable name (`\set`, `\unset`).
    static func variableName(_ name: String) throws -> String {
        guard isVariableName(name) else { throw MetaCommandError.badVariableName(name) }
        return name
    }

    /// A variable name, as psql takes them: letters, digits and underscores.
    static func isVariableName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy(VariableInterpolation.isNamePart)
    }

    /// A meta-command's words, split as psql splits them: at white space, except inside
    /// single quotes, where `''` is a quote and `\n`, `\t`, `\\` and `\'` are escapes.
    static func arguments(_ line: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = line.trimmingWhitespace().makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let character = pending { pending = nil; return character }
            return characters.next()
        }
        while let character = next() {
            if character.isWhitespace {
                if inWord { words.append(word); word = ""; inWord = false }
                continue
            }
            inWord = true
            guard character == "'" else { word.append(character); continue }
            var closed = false
            while let inner = next() {
                if inner == "'" {
                    guard let after = next() else { closed = true; break }
                    if after == "'" { word.append("'"); continue }
                    pending = after
                    closed = true
                    break
                }
                if inner == "\\", let escaped = next() {
                    switch escaped {
                    case "n": word.append("\n")
                    case "t": word.append("\t")
                    default: word.append(escaped)
                    }
                    continue
                }
                word.append(inner)
            }
            guard closed else { throw MetaCommandError.unterminatedQuote(line) }
        }
        if inWord { words.append(word) }
        return words
    }

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
