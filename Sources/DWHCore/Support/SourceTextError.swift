import Foundation

/// A text file dwh cannot read as text; `description` is the sentence the user reads.
public enum SourceTextError: Error, CustomStringConvertible, Equatable {
    case notUTF8(path: String, line: Int, column: Int)
    case badFileName(folder: String, shown: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notUTF8(let path, let line, let column):
            "\(path):\(line):\(column): not valid UTF-8 text (dwh reads SQL and settings as UTF-8); convert it, e.g. with `iconv -f LATIN1 -t UTF-8`"
        case .badFileName(let folder, let shown):
            "\(folder)/\(shown): the file name is not valid UTF-8; rename it"
        case .unreadable(let path, let reason):
            "\(path): cannot read it: \(reason)"
        }
    }
}
