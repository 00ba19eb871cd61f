/// One piece of SQL text as `SQLScanner` reads it: a run of code, a comment, a string
/// literal, a quoted name or a dollar-quoted body, with where it stands in the text.
public struct SQLSpan: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Keywords, names, numbers, operators, parameters (`$1`) and white space: everything
        /// PostgreSQL reads as SQL. A run of it is one span.
        case code
        /// `-- …` up to the end of the line; the newline itself is code.
        case lineComment
        /// `/* … */`, nested ones included (`/* a /* b */ c */` is one comment).
        case blockComment
        /// `'…'`, a quote doubled inside (`'it''s'`).
        case string
        /// `E'…'` (or `e'…'`): a backslash escapes the next character (`E'\''`), and a
        /// doubled quote is a quote too. The span starts at the `E`.
        case escapeString
        /// `"…"`, a quote doubled inside (`"a ""b"""`).
        case quotedName
        /// `$tag$ … $tag$`, the two tags included; `tag` is empty for `$$`.
        case dollarQuoted(tag: String)
    }

    public let kind: Kind
    /// Where the span is, in Unicode scalars: the unit PostgreSQL counts error positions in,
    /// and the one every offset of `RenderedScript` uses.
    public let range: Range<Int>
    /// Where the span is, in bytes of the text's UTF-8.
    public let utf8Range: Range<Int>
    /// The 1-based line the span starts on.
    public let line: Int
    /// The 1-based column it starts at, in Unicode scalars.
    public let column: Int
    /// False when the text ends before the span's closing delimiter (`'abc`, `/* x`,
    /// `$f$ body`): the statement is not finished yet. Code and line comments always are.
    public let isTerminated: Bool

    /// True for a run of code.
    public var isCode: Bool { kind == .code }

    /// True for a line or block comment.
    public var isComment: Bool { kind == .lineComment || kind == .blockComment }
}
