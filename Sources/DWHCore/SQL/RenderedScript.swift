/// The SQL of one section for one dialect, split into statements, remembering where each
/// line came from so a server error can point at the file on disk.
public struct RenderedScript: Sendable, Equatable {
    /// One statement as it is sent, and where it starts in `text` (in Unicode scalars,
    /// the unit PostgreSQL counts error positions in).
    public struct Statement: Sendable, Equatable {
        public let sql: String
        public let offset: Int
    }

    /// The rendered lines joined with newlines: what the checksum covers.
    public let text: String
    /// For each rendered line, its 1-based line number in the file.
    public let fileLines: [Int]
    public let statements: [Statement]

    init(lines: [String], fileLines: [Int]) {
        self.text = lines.map { $0 + "\n" }.joined()
        self.fileLines = fileLines
        self.statements = SQLSplitter.split(text)
    }

    /// The file line and 1-based column of a scalar offset into `text`.
    public func fileLocation(ofOffset offset: Int) -> (line: Int, column: Int) {
        var line = 0, column = 1, index = 0
        for scalar in text.unicodeScalars {
            if index == offset { break }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        guard !fileLines.isEmpty else { return (1, column) }
        return (fileLines[min(line, fileLines.count - 1)], column)
    }
}
