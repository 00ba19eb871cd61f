import Foundation

public enum OutputError: Error, CustomStringConvertible, Equatable {
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    /// What read the output (a pager, `head`) closed it: the reader has seen enough.
    case readerGone

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason): "cannot write \(path): \(reason)"
        case .writeFailed(let path, let reason): "writing \(path) failed: \(reason)"
        case .readerGone: "the output was closed before the rows ended"
        }
    }
}
