import Foundation

/// A path with placeholders for the day, local or `s3://`: `log_data/{yyyy}/{mm}/{date}-events.json`.
///
/// Known placeholders: `{yyyy}` `{mm}` `{dd}` `{date}` (YYYY-MM-DD), and for export targets
/// and parameters also `{run_start}` `{run_end}` (the day's interval as timestamps). The
/// template is checked when it is read, so a typo is a configuration error naming the key,
/// before anything runs.
public struct PathTemplate: Equatable, Sendable, CustomStringConvertible {
    public let text: String
    /// The text cut at its placeholders: `.literal` pieces and `.placeholder` names.
    let pieces: [Piece]

    enum Piece: Equatable, Sendable {
        case literal(String)
        case placeholder(String)
    }

    public static let dayPlaceholders = ["yyyy", "mm", "dd", "date"]
    public static let intervalPlaceholders = ["run_start", "run_end"]

    /// Parses `text`; `key` (`[RUN] EVENTS`) names the setting in errors.
    public init(_ text: String, key: String, allowed: [String] = PathTemplate.dayPlaceholders) throws {
        self.text = text
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(text)
        while let character = rest.first {
            if character == "}" { throw RunError.config(key: key, reason: "`}` without `{` in \"\(text)\"") }
            guard character == "{" else {
                literal.append(character)
                rest = rest.dropFirst()
                continue
            }
            guard let close = rest.firstIndex(of: "}") else {
                throw RunError.config(key: key, reason: "`{` without `}` in \"\(text)\"")
            }
            let name = String(rest[rest.index(after: rest.startIndex)..<close])
            guard allowed.contains(name) else {
                let known = allowed.map { "{\($0)}" }.joined(separator: " ")
                throw RunError.config(key: key, reason: "unknown placeholder {\(name)} in \"\(text)\" (known: \(known))")
            }
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
            pieces.append(.placeholder(name))
            rest = rest[rest.index(after: close)...]
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    /// Whether the template names the day at all (a daily source must, or every day would
    /// read the same file).
    public var namesDay: Bool {
        pieces.contains { if case .placeholder(let name) = $0 { name == "date" || name == "dd" } else { false } }
    }

    /// The path for `day`.
    public func render(_ day: RunDay) -> String {
        pieces.map { piece in
            switch piece {
            case .literal(let text): text
            case .placeholder("yyyy"): day.yyyy
            case .placeholder("mm"): day.mm
            case .placeholder("dd"): day.dd
            case .placeholder("date"): day.description
            case .placeholder("run_start"): day.runStart
            case .placeholder("run_end"): day.runEnd
            case .placeholder(let other): "{\(other)}"
            }
        }.joined()
    }

    public var description: String { text }
}
