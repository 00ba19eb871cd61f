/// Text split into lines as editors write them. LF or CRLF ends a line: "\r\n" is one
/// Character in Swift, so splitting on "\n" alone leaves a Windows file as one long line.
/// A UTF-8 byte order mark at the start is not text.
enum TextLines {
    static func split(_ text: some StringProtocol) -> [String] {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        return body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    }

    /// Whether the text ends its lines with CRLF (so a rewrite can keep them so).
    static func usesCRLF(_ text: some StringProtocol) -> Bool {
        text.contains("\r\n")
    }
}
