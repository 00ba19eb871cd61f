/// The dialect blocks of a SQL file, read line by line: `-- dwh:postgres` (or
/// `-- dwh:redshift`) opens one, `-- dwh:end` closes it. The one reader of this syntax,
/// shared by `SQLFile` (what dwh ships) and `MigrationFile` (what users write).
struct DialectBlocks {
    enum Problem: Error {
        case nested(openedOn: Int)
        case closesNothing

        var reason: String {
            switch self {
            case .nested(let line): "opens a block inside the block opened on line \(line)"
            case .closesNothing: "closes no block"
            }
        }
    }

    /// The block the reading is in, and the line that opened it.
    private(set) var open: (dialect: Dialect, line: Int)?

    /// The dialect of the lines read now; nil when they are shared.
    var dialect: Dialect? { open?.dialect }

    /// Applies a directive (`dwh:end`) found on line `line`; false when it is not one of
    /// the three block directives.
    mutating func apply(_ directive: String, line: Int) throws(Problem) -> Bool {
        switch directive {
        case "dwh:postgres", "dwh:redshift":
            if let open { throw .nested(openedOn: open.line) }
            open = (directive == "dwh:postgres" ? .postgres : .redshift, line)
        case "dwh:end":
            guard open != nil else { throw .closesNothing }
            open = nil
        default:
            return false
        }
        return true
    }
}

/// Where a line-by-line reading of SQL stands at the start of a line: inside a string, a
/// quoted name, a dollar-quoted body or a block comment, or in plain code.
struct SQLLineState {
    private var dollarTag: [Unicode.Scalar]?
    private var quote: Unicode.Scalar?
    private var commentDepth = 0

    var isCode: Bool { dollarTag == nil && quote == nil && commentDepth == 0 }

    /// Reads `line`; `code` is called with the index (in Unicode scalars) of each
    /// character that is plain code, outside strings, quoted names and comments.
    mutating func advance(over line: String, code: (Int) -> Void = { _ in }) {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index], next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if let tag = dollarTag {
                if scalar == "$", index + tag.count <= scalars.count, Array(scalars[index..<index + tag.count]) == tag {
                    dollarTag = nil
                    index += tag.count
                } else {
                    index += 1
                }
            } else if let open = quote {
                if scalar == open { quote = nil }
                index += 1
            } else if commentDepth > 0 {
                if scalar == "*" && next == "/" { commentDepth -= 1; index += 2 } else if scalar == "/" && next == "*" {
                    commentDepth += 1
                    index += 2
                } else {
                    index += 1
                }
            } else if scalar == "-" && next == "-" {
                return
            } else if scalar == "/" && next == "*" {
                commentDepth = 1
                index += 2
            } else if scalar == "'" || scalar == "\"" {
                quote = scalar
                index += 1
            } else if scalar == "$" && !(index > 0 && SQLSplitter.isIdentifierPart(scalars[index - 1])) {
                var end = index + 1
                while end < scalars.count && (scalars[end].properties.isAlphabetic || scalars[end] == "_"
                                              || (end > index + 1 && ("0"..."9").contains(scalars[end]))) { end += 1 }
                if end < scalars.count && scalars[end] == "$" {
                    dollarTag = Array(scalars[index...end])
                    index = end + 1
                } else {
                    code(index)
                    index += 1
                }
            } else {
                code(index)
                index += 1
            }
        }
    }

    /// `line` with each parameter placeholder in code (`$1`) replaced by `value(1)`, where
    /// that gives one; reads the line as `advance` does.
    mutating func replacingParameters(in line: String, _ value: (Int) -> String?) -> String {
        let scalars = Array(line.unicodeScalars)
        var isCode = [Bool](repeating: false, count: scalars.count)
        advance(over: line) { isCode[$0] = true }
        func isDigit(_ index: Int) -> Bool { index < scalars.count && ("0"..."9").contains(scalars[index]) }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if isCode[index], scalars[index] == "$", isDigit(index + 1),
               !(index > 0 && SQLSplitter.isIdentifierPart(scalars[index - 1])) {
                var end = index + 1
                while isDigit(end) { end += 1 }
                var digits = String.UnicodeScalarView()
                digits.append(contentsOf: scalars[(index + 1)..<end])
                if let number = Int(String(digits)), let replacement = value(number) {
                    output.append(contentsOf: replacement.unicodeScalars)
                    index = end
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }
}
