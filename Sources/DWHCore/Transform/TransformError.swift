import Foundation

/// A transform that cannot run as bundled.
public enum TransformError: Error, CustomStringConvertible {
    case emptyStep(path: String)

    public var description: String {
        switch self {
        case .emptyStep(let path): return "\(path): no SQL statement for this dialect"
        }
    }
}
