import Foundation

/// What can go wrong reading dwh.cfg, a database URL or a setting a command needs.
public enum ConfigError: Error, CustomStringConvertible {
    case badDatabaseURL(source: String, reason: String)
    case missingSetting(section: String, key: String, purpose: String)
    /// A setting dwh cannot use; the value is shown, so never for a secret key.
    case badValue(path: String, line: Int, section: String, key: String, value: String, expected: String)
    case cannotSave(path: String, reason: String)
    case badLine(path: String, line: Int, text: String)
    case unreadable(path: String, reason: String)
    /// A dwh.cfg line that Python's configparser would refuse or read otherwise.
    case notAsConfigparser(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .badDatabaseURL(let source, let reason):
            "the database URL from \(source) is not valid: \(reason)"
        case .missingSetting(let section, let key, let purpose):
            "\(purpose) needs [\(section)] \(key) in dwh.cfg (or a flag)"
        case .badValue(let path, let line, let section, let key, let value, let expected):
            "\(path):\(line): [\(section)] \(key) = \(value) is not usable; expected \(expected)"
        case .cannotSave(let path, let reason):
            "could not save \(path): \(reason); the file is unchanged"
        case .badLine(let path, let line, _):
            // The line itself is not shown: it may hold a password.
            "\(path):\(line): not a [section], a key = value line or a comment; fix the line (nothing else was read)"
        case .unreadable(let path, let reason):
            "\(path): cannot read the settings: \(reason)"
        case .notAsConfigparser(let path, let line, let reason):
            "\(path):\(line): \(reason) (nothing else was read)"
        }
    }
}
