/// Collects lines until a statement ends: a `;` outside quotes, dollar quotes and
/// comments. What is left over waits for the next line.
public struct StatementBuffer: Sendable {
    private enum State: Equatable, Sendable {
        case normal, singleQuote, doubleQuote, lineComment, blockComment
        case dollarQuote(String)
    }

    /// The text of the unfinished statement.
    public private(set) var pending = ""
    private var state = State.normal

    public init() {}

    /// True when there is no unfinished statement (only whitespace).
    public var isEmpty: Bool { pending.allSatisfy(\.isWhitespace) }

    /// Appends one line and returns the statements it finished, each ending in `;`.
    public mutating func append(line: String) -> [String] {
        var finished: [String] = []
        let characters = Array(line + "\n")
        var index = 0
        var current = pending
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            current.append(character)
            switch state {
            case .normal:
                if character == "'" { state = .singleQuote }
                else if character == "\"" { state = .doubleQuote }
                else if character == "-" && next == "-" { state = .lineComment }
                else if character == "/" && next == "*" { state = .blockComment; current.append("*"); index += 1 }
                else if character == "$", let tag = Self.dollarTag(characters, at: index, after: current.dropLast().last) {
                    state = .dollarQuote(tag)
                    current.append(contentsOf: tag.dropFirst())
                    index += tag.count - 1
                } else if character == ";" {
                    let statement = current.trimmingWhitespace()
                    if statement != ";" { finished.append(statement) }
                    current = ""
                }
            case .singleQuote where character == "'", .doubleQuote where character == "\"":
                state = .normal
            case .lineComment where character == "\n":
                state = .normal
            case .blockComment where character == "*" && next == "/":
                current.append("/")
                index += 1
                state = .normal
            case .dollarQuote(let tag) where character == "$" && String(characters[index..<min(characters.count, index + tag.count)]) == tag:
                current.append(contentsOf: tag.dropFirst())
                index += tag.count - 1
                state = .normal
            default:
                break
            }
            index += 1
        }
        pending = current.allSatisfy(\.isWhitespace) ? "" : current
        return finished
    }

    /// Forgets the unfinished statement (Ctrl-C, `\r`).
    public mutating func clear() {
        pending = ""
        state = .normal
    }

    /// `$$` or `$tag$` starting at `index`, unless the `$` is part of an identifier or `$1`.
    private static func dollarTag(_ characters: [Character], at index: Int, after previous: Character?) -> String? {
        if let previous, previous.isLetter || previous.isNumber || previous == "_" { return nil }
        var end = index + 1
        while end < characters.count, characters[end].isLetter || characters[end] == "_" || (end > index + 1 && characters[end].isNumber) {
            end += 1
        }
        guard end < characters.count, characters[end] == "$" else { return nil }
        return String(characters[index...end])
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
