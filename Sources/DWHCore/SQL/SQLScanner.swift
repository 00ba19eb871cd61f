/// The one reader of SQL's lexical layer: it cuts text into spans of code, comments,
/// string literals, quoted names and dollar-quoted bodies, by PostgreSQL's rules. Every
/// view of SQL in dwh is built on it (statement splitting, the token view, the lint mask,
/// the dialect-block directives, the REPL's statement buffer, parameter inlining), so
/// that they all agree on where a comment or a string starts and ends.
///
/// - `--` runs to the end of the line; `/* */` nests.
/// - `'…'` and `"…"` take a doubled quote as a quote; `E'…'` also takes backslash escapes.
/// - `$tag$ … $tag$` quotes when the tag is empty or an identifier without `$` (`$body$`,
///   `$_1$`); `$1` is a parameter, and a `$` inside a name (`a$b`) is part of the name.
/// - Text that ends inside a comment, string, quoted name or dollar-quoted body gives a last
///   span that is not terminated.
///
/// The spans cover the text from start to end, in order, with no gap and no empty span.
public struct SQLScanner: Sendable {
    /// The text that was scanned.
    public let text: String
    /// Every span of the text, in order.
    public let spans: [SQLSpan]
    let scalars: [Unicode.Scalar]

    public init(_ text: String) {
        self.text = text
        scalars = Array(text.unicodeScalars)
        var reader = Reader(scalars: scalars)
        spans = reader.read()
    }

    /// The runs of code only, outside comments, strings, quoted names and dollar-quoted
    /// bodies: where `:name` variables may be replaced, and where keywords are read.
    public var codeSpans: [SQLSpan] { spans.filter(\.isCode) }

    /// The text of one of the spans.
    public func text(of span: SQLSpan) -> String {
        Self.string(scalars[span.range])
    }

    /// The last span when the text ends inside it (an open string, comment, quoted name or
    /// dollar-quoted body): the statement is unfinished. Nil when the text is complete.
    public var unterminated: SQLSpan? {
        guard let last = spans.last, !last.isTerminated else { return nil }
        return last
    }

    /// The words of the code (keywords, names, numbers, parameters), unquoted names
    /// lower-cased, in order (`select`, `where`, `public.songs`, `$1`): the statement's first
    /// keyword, or whether it has a WHERE, never fooled by a comment, a string or a quoted name.
    public var codeWords: [String] {
        var tokens: [String] = []
        for span in codeSpans { SQLTokens.words(scalars[span.range], into: &tokens) }
        return tokens.filter { $0.unicodeScalars.first.map(Self.isIdentifierPart) == true }
    }

    /// The text with each run of code replaced by `transform(code)`, everything else as it
    /// was: for filling in variables (`:name`) or parameters (`$1`) in code only. The
    /// replacement text is not scanned again.
    public func replacingCode(_ transform: (String) -> String) -> String {
        var output = ""
        for span in spans {
            output += span.isCode ? transform(text(of: span)) : text(of: span)
        }
        return output
    }

    /// True for a scalar that can continue an unquoted name: ASCII letters and digits, `_`,
    /// `$`, and any non-ASCII scalar that is not white space (PostgreSQL takes every
    /// non-ASCII byte as a letter).
    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || ("0"..."9").contains(scalar) || scalar == "$"
    }

    /// True for a scalar that can start an unquoted name, or a dollar quote's tag.
    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
            || (scalar.value >= 0x80 && !scalar.properties.isWhitespace)
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

extension SQLScanner {
    /// The scanning itself: one pass over the scalars, keeping count of lines and UTF-8
    /// bytes so that each span knows where it starts.
    private struct Reader {
        let scalars: [Unicode.Scalar]
        var spans: [SQLSpan] = []
        /// Where the run of code being read started, if one is.
        var codeStart: Int?
        /// The position counted up to `counted`: its line, the offset its line starts at, bytes.
        var counted = 0, line = 1, lineStart = 0, utf8 = 0

        init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

        mutating func read() -> [SQLSpan] {
            var index = 0
            while index < scalars.count {
                if let (kind, end, terminated) = quoted(at: index) {
                    endCode(at: index)
                    add(kind, index..<end, terminated: terminated)
                    index = end
                } else {
                    if codeStart == nil { codeStart = index }
                    index = codeEnd(at: index)
                }
            }
            endCode(at: scalars.count)
            return spans
        }

        func at(_ index: Int) -> Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        /// The span other than code that starts at `index`, if one does: its kind, end, and
        /// whether it is closed.
        func quoted(at index: Int) -> (SQLSpan.Kind, Int, Bool)? {
            switch (scalars[index], at(index + 1)) {
            case ("-", "-"):
                var end = index
                while end < scalars.count && scalars[end] != "\n" { end += 1 }
                return (.lineComment, end, true)
            case ("/", "*"):
                let (end, closed) = blockCommentEnd(from: index)
                return (.blockComment, end, closed)
            case ("'", _):
                let (end, closed) = quoteEnd(from: index + 1, quote: "'", backslashes: false)
                return (.string, end, closed)
            case ("E", "'"), ("e", "'"):
                let (end, closed) = quoteEnd(from: index + 2, quote: "'", backslashes: true)
                return (.escapeString, end, closed)
            case ("\"", _):
                let (end, closed) = quoteEnd(from: index + 1, quote: "\"", backslashes: false)
                return (.quotedName, end, closed)
            case ("$", _):
                guard let tagEnd = dollarTagEnd(at: index) else { return nil }
                let tag = scalars[index..<tagEnd]
                let (end, closed) = dollarBodyEnd(from: tagEnd, tag: tag)
                return (.dollarQuoted(tag: SQLScanner.string(tag.dropFirst().dropLast())), end, closed)
            default:
                return nil
            }
        }

        /// Past the piece of code at `index`: a whole name (so that `a$b$` and `somE'x'`
        /// stay a name), a parameter (`$12`), or one scalar.
        func codeEnd(at index: Int) -> Int {
            var end = index + 1
            if SQLScanner.isIdentifierStart(scalars[index]) {
                while let next = at(end), SQLScanner.isIdentifierPart(next) { end += 1 }
            } else if scalars[index] == "$" {
                while let next = at(end), ("0"..."9").contains(next) { end += 1 }
            }
            return end
        }

        /// Past the `*/` that closes the comment opened at `start`, nesting counted.
        func blockCommentEnd(from start: Int) -> (Int, Bool) {
            var depth = 0, index = start
            while index < scalars.count {
                switch (scalars[index], at(index + 1)) {
                case ("/", "*"):
                    depth += 1
                    index += 2
                case ("*", "/"):
                    depth -= 1
                    index += 2
                    if depth == 0 { return (index, true) }
                default:
                    index += 1
                }
            }
            return (scalars.count, false)
        }

        /// Past the quote that closes a literal whose body starts at `start`.
        func quoteEnd(from start: Int, quote: Unicode.Scalar, backslashes: Bool) -> (Int, Bool) {
            var index = start
            while index < scalars.count {
                if backslashes && scalars[index] == "\\" {
                    index += 2
                } else if scalars[index] == quote {
                    guard at(index + 1) == quote else { return (index + 1, true) }
                    index += 2
                } else {
                    index += 1
                }
            }
            return (scalars.count, false)
        }

        /// Past the `$tag$` (or `$$`) that starts at `start`; nil when the `$` opens none.
        func dollarTagEnd(at start: Int) -> Int? {
            var end = start + 1
            if let first = at(end), SQLScanner.isIdentifierStart(first) {
                end += 1
                while let next = at(end), next != "$", SQLScanner.isIdentifierPart(next) { end += 1 }
            }
            return at(end) == "$" ? end + 1 : nil
        }

        /// Past the tag that closes a dollar-quoted body starting at `start`.
        func dollarBodyEnd(from start: Int, tag: ArraySlice<Unicode.Scalar>) -> (Int, Bool) {
            var index = start
            while index + tag.count <= scalars.count {
                if scalars[index] == "$" && scalars[index..<index + tag.count].elementsEqual(tag) {
                    return (index + tag.count, true)
                }
                index += 1
            }
            return (scalars.count, false)
        }

        mutating func endCode(at end: Int) {
            guard let start = codeStart else { return }
            codeStart = nil
            add(.code, start..<end, terminated: true)
        }

        mutating func add(_ kind: SQLSpan.Kind, _ range: Range<Int>, terminated: Bool) {
            let start = advance(to: range.lowerBound)
            let (startLine, startColumn) = (line, range.lowerBound - lineStart + 1)
            let end = advance(to: range.upperBound)
            spans.append(SQLSpan(kind: kind, range: range, utf8Range: start..<end, line: startLine, column: startColumn,
                                 isTerminated: terminated))
        }

        /// Counts lines and bytes up to `offset` (offsets only grow); returns the byte offset.
        mutating func advance(to offset: Int) -> Int {
            while counted < offset {
                let scalar = scalars[counted]
                utf8 += UTF8.width(scalar)
                counted += 1
                if scalar == "\n" {
                    line += 1
                    lineStart = counted
                }
            }
            return utf8
        }
    }
}
