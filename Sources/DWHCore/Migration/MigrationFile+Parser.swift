extension MigrationFile {
    /// Reads a migration's text line by line: the section and dialect block each line is in,
    /// what its directives say, and every mistake with the line it is on.
    struct Parser {
        private let displayPath: String
        private let rawLines: [String]
        /// Each line's directive split into words (`["migrate:up", "transaction:false"]`);
        /// nil for a line that holds none.
        private let directives: [[String]?]
        private(set) var lines: [Line] = []
        private(set) var transactional = true
        private(set) var lintIgnores: [Int: Set<String>] = [:]
        private var section = Line.Section.header
        private var blocks = DialectBlocks()
        /// The section directives read so far.
        private var seen: Set<String> = []
        /// The rules `-- dwh:lint-ignore` lines name for the SQL line still to come, and the
        /// first of those lines.
        private var pendingIgnores: (rules: Set<String>, line: Int)?

        static let knownDirectives = "migrate:up, migrate:down, dwh:postgres, dwh:redshift, dwh:end, dwh:no-transaction, dwh:lint-ignore"

        init(displayPath: String, contents: String) throws {
            self.displayPath = displayPath
            rawLines = TextLines.split(contents)
            // Lines inside a string, a dollar-quoted body or a block comment hold no directive.
            directives = zip(rawLines, SQLScanner.linesStartingInCode(rawLines)).map { line, isCode -> [String]? in
                isCode ? DialectBlocks.directive(in: line).map { $0.split(separator: " ").map(String.init) } : nil
            }
            guard directives.contains(where: { $0?.first == "migrate:up" }) else {
                throw MigrationError.missingUpSection(path: displayPath)
            }
        }

        mutating func parse() throws {
            for (index, text) in rawLines.enumerated() {
                let number = index + 1
                let directive = directives[index]?.first
                if let words = directives[index], directive != nil {
                    try apply(words, line: number, text: text)
                } else {
                    try readSQL(text, line: number)
                }
                lines.append(Line(number: number, text: text, section: section,
                                  dialect: directive == nil ? blocks.dialect : nil, isDirective: directive != nil))
            }
            if let open = blocks.open { throw MigrationError.unterminatedBlock(path: displayPath, line: open.line) }
            if let pending = pendingIgnores { throw unfollowed(pending) }
            guard lines.contains(where: { $0.section == .up && !$0.isBlank }) else {
                throw MigrationError.emptyUpSection(path: displayPath)
            }
        }

        private mutating func apply(_ words: [String], line number: Int, text: String) throws {
            let directive = words[0]
            try readOptions(words, line: number, text: text)
            switch directive {
            case "migrate:up", "migrate:down":
                try enterSection(directive, line: number, text: text)
            case "dwh:postgres", "dwh:redshift", "dwh:end":
                if section == .header && directive != "dwh:end" {
                    throw bad(line: number, text: text, "comes before -- migrate:up")
                }
                do { _ = try blocks.apply(directive, line: number) } catch {
                    throw bad(line: number, text: text, error.reason)
                }
            case "dwh:no-transaction":
                transactional = false
            case "dwh:lint-ignore":
                guard words.count > 1 else { throw bad(line: number, text: text, "names no rule (-- dwh:lint-ignore RULE_ID)") }
                pendingIgnores = ((pendingIgnores?.rules ?? []).union(words.dropFirst()), pendingIgnores?.line ?? number)
            default:
                throw bad(line: number, text: text, "is not a directive dwh knows (\(Self.knownDirectives))")
            }
            if directive != "dwh:lint-ignore", let pending = pendingIgnores { throw unfollowed(pending) }
        }

        /// The words after a directive: `transaction:false` after `migrate:up` or
        /// `migrate:down`, none after the block directives and `dwh:no-transaction`.
        private mutating func readOptions(_ words: [String], line number: Int, text: String) throws {
            let directive = words[0]
            if directive.hasPrefix("migrate:") {
                for option in words.dropFirst() {
                    switch option {
                    case "transaction:false": transactional = false
                    case "transaction:true": break
                    default: throw bad(line: number, text: text, "has an option dwh does not know (transaction:false)")
                    }
                }
            } else if words.count > 1 && ["dwh:postgres", "dwh:redshift", "dwh:end", "dwh:no-transaction"].contains(directive) {
                throw bad(line: number, text: text, "takes no options")
            }
        }

        /// `-- migrate:up` or `-- migrate:down`: each once, up first, outside any dialect block.
        private mutating func enterSection(_ directive: String, line number: Int, text: String) throws {
            if let open = blocks.open { throw MigrationError.unterminatedBlock(path: displayPath, line: open.line) }
            if seen.contains(directive) { throw bad(line: number, text: text, "appears twice") }
            if directive == "migrate:down" && !seen.contains("migrate:up") {
                throw bad(line: number, text: text, "comes before -- migrate:up")
            }
            seen.insert(directive)
            section = directive == "migrate:up" ? .up : .down
        }

        /// A line that is not a directive: SQL, a comment or blank.
        private mutating func readSQL(_ text: String, line number: Int) throws {
            let isSQL = !(text.allSatisfy(\.isWhitespace) || text.trimmingLeadingSpaces.hasPrefix("--"))
            if let pending = pendingIgnores {
                guard isSQL else { throw unfollowed(pending) }
                lintIgnores[number] = pending.rules
                pendingIgnores = nil
            }
            if section == .header && isSQL { throw MigrationError.statementBeforeUp(path: displayPath, line: number) }
        }

        private func bad(line number: Int, text: String, _ reason: String) -> MigrationError {
            .badDirective(path: displayPath, line: number, text: text, reason: reason)
        }

        private func unfollowed(_ pending: (rules: Set<String>, line: Int)) -> MigrationError {
            bad(line: pending.line, text: rawLines[pending.line - 1], "must be followed by the line of SQL it silences")
        }
    }
}
