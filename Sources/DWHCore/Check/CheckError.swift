import Foundation

/// A check of the project that cannot be read or run.
public enum CheckError: Error, CustomStringConvertible {
    case badFile(file: String, reason: String)
    case query(check: String, error: Error, sql: String, source: SQLSource)

    public var description: String {
        switch self {
        case .badFile(let file, let reason): "\(file): \(reason)"
        case .query(let check, let error, let sql, let source): "check \(check): " + QueryText.report(error, sql: sql, source: source)
        }
    }
}
