import Foundation

/// A SQL file whose dialect blocks do not parse.
public enum SQLFileError: Error, CustomStringConvertible, Equatable {
    case badDirective(path: String, line: Int, text: String, reason: String)
    case unterminatedBlock(path: String, line: Int)

    public var description: String {
        switch self {
        case .badDirective(let path, let line, let text, let reason):
            return "\(path):\(line): `\(text.trimmingLeadingSpaces)` \(reason)"
        case .unterminatedBlock(let path, let line):
            return "\(path):\(line): dialect block has no `-- dwh:end`"
        }
    }
}
