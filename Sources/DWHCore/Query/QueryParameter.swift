import Foundation

/// One typed parameter a saved query declares in its header:
/// `-- param: limit int = 10` is bound as `$1` when it is the first one declared.
public struct QueryParameter: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case int, numeric, text, timestamp, date, bool

        /// What a value of this kind looks like, for the error that refuses one.
        var expectation: String {
            switch self {
            case .int: "an integer"
            case .numeric: "a number"
            case .text: "text"
            case .timestamp: "a timestamp (2018-11-01 or 2018-11-01 08:00)"
            case .date: "a date (2018-11-01)"
            case .bool: "true or false"
            }
        }
    }

    public var name: String
    public var kind: Kind
    /// The value used when the caller gives none; nil means the caller must give one.
    public var defaultValue: String?
    /// For a parameter declared as `by agent|browser|os`: the only text values allowed.
    public var choices: [String]?

    public init(name: String, kind: Kind, defaultValue: String?, choices: [String]? = nil) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.choices = choices
    }

    /// The type as declared: `int`, or `agent|browser|os` for choices.
    public var typeName: String {
        choices?.joined(separator: "|") ?? kind.rawValue
    }

    /// `limit int = 10`, as `dwh query list` shows it.
    public var signature: String {
        "\(name) \(typeName)" + (defaultValue.map { " = \($0)" } ?? "")
    }

    /// The value in the form the server will be sent, or nil when it does not parse as
    /// this parameter's type. Checked before any query runs.
    public func normalize(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .text:
            guard let choices else { return value }
            return choices.contains(trimmed) ? trimmed : nil
        case .int:
            return Int64(trimmed).map(String.init)
        case .numeric:
            guard let number = Double(trimmed), number.isFinite,
                  trimmed.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return trimmed
        case .bool:
            switch trimmed.lowercased() {
            case "true", "t", "yes", "y", "on", "1": return "true"
            case "false", "f", "no", "n", "off", "0": return "false"
            default: return nil
            }
        case .date:
            return Self.parseDate(trimmed, formats: ["yyyy-MM-dd"]).map { _ in trimmed }
        case .timestamp:
            let formats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
                           "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"]
            return Self.parseDate(trimmed, formats: formats).map { _ in trimmed }
        }
    }

    private static func parseDate(_ text: String, formats: [String]) -> Date? {
        // A date is ASCII; and Foundation's DateFormatter traps on text with a combining
        // character (found by make fuzz), so nothing else reaches it.
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let formatter = UTCDate.formatter("")
        formatter.isLenient = false
        for format in formats {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

extension QueryParameter {
    /// Splits `limit=5` style assignments (`--param`, `\\run`) into a dictionary; a name
    /// given twice is an error rather than a silent choice of one value.
    public static func assignments(_ texts: [String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for text in texts {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { throw QueryError.badAssignment(text) }
            let name = String(text[..<equals]), value = String(text[text.index(after: equals)...])
            if let first = values[name] { throw QueryError.repeatedAssignment(name: name, first: first, second: value) }
            values[name] = value
        }
        return values
    }
}
