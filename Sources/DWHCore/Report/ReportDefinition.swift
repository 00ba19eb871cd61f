import Foundation

/// Which saved queries a report shows, in order, with their parameters and charts: the
/// file `queries/report.txt`, one section per line.
///
/// ```
/// # comments start with #
/// title: Sparkify listening report
/// top_artists limit=10 | bars value=plays
/// plays_by_hour | hours label=hour
/// part: Listeners
/// session_lengths | none
/// ```
///
/// A `part:` line starts a part of the report, headed in words, at the section after it.
/// A line is `NAME [PARAM=VALUE]… [| CHART [label=COLUMN] [value=COLUMN]]`; CHART is
/// bars (the default), columns, hours, trend, share or none. Values hold no spaces (write a
/// timestamp as `2018-11-01T08:00`).
public struct ReportDefinition: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public struct Parameter: Equatable, Sendable {
            public var name: String
            public var value: String
        }

        public var query: String
        /// Parameters in the order written.
        public var parameters: [Parameter]
        public var chart: ChartLayout.Kind
        public var labelColumn: String?
        public var valueColumn: String?
        public var line: Int
        /// The heading of the part of the report this entry starts (`part:` before it).
        public var part: String?
    }

    public static let defaultTitle = "Sparkify listening report"

    public var title: String
    public var entries: [Entry]
    public var file: String

    /// Reads the definition file; errors name its line.
    public init(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ReportError.noDefinition(path: file) }
        try self.init(text: SourceText.decode(data, path: file), file: file)
    }

    public init(text: String, file: String) throws {
        self.file = file
        title = Self.defaultTitle
        entries = []
        var part: String?
        for (index, rawLine) in TextLines.split(text).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("title:") {
                title = line.dropFirst("title:".count).trimmingCharacters(in: .whitespaces)
                continue
            }
            if line.hasPrefix("part:") {
                part = line.dropFirst("part:".count).trimmingCharacters(in: .whitespaces)
                continue
            }
            var entry = try Self.entry(line, file: file, line: index + 1)
            entry.part = part
            part = nil
            entries.append(entry)
        }
        guard !entries.isEmpty else { throw ReportError.badDefinition(file: file, line: 1, reason: "no queries listed") }
    }

    private static func entry(_ text: String, file: String, line: Int) throws -> Entry {
        func fail(_ reason: String) -> ReportError { .badDefinition(file: file, line: line, reason: reason) }
        let halves = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        let words = halves[0].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first, !name.contains("=") else {
            throw fail("a line reads `NAME [PARAM=VALUE]… [| CHART [label=COLUMN] [value=COLUMN]]`")
        }
        var entry = Entry(query: name, parameters: [], chart: .bars, line: line)
        for word in words.dropFirst() {
            guard let (key, value) = pair(word) else { throw fail("a parameter reads PARAM=VALUE, got \"\(word)\"") }
            entry.parameters.append(Entry.Parameter(name: key, value: value))
        }
        guard halves.count == 2 else { return entry }
        let chartWords = halves[1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let kinds = ChartLayout.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let kindWord = chartWords.first, let kind = ChartLayout.Kind(rawValue: kindWord) else {
            throw fail("after | comes a chart: \(kinds)")
        }
        entry.chart = kind
        for word in chartWords.dropFirst() {
            switch pair(word) {
            case ("label", let column)?: entry.labelColumn = column
            case ("value", let column)?: entry.valueColumn = column
            default: throw fail("a chart takes label=COLUMN and value=COLUMN, got \"\(word)\"")
            }
        }
        return entry
    }

    private static func pair(_ word: String) -> (String, String)? {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return nil }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }
}
