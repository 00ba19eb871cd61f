import Foundation

public enum ShellError: Error, CustomStringConvertible {
    case spawnFailed(String, Int32)

    public var description: String {
        switch self {
        case .spawnFailed(let program, let code): "could not run \(program): \(String(cString: strerror(code)))"
        }
    }
}
