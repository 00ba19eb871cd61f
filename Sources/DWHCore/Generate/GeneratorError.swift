import Foundation

public enum GeneratorError: Error, CustomStringConvertible {
    case invalidOption(String)
    case cannotWrite(path: String, reason: String)
    case notEnoughSpace(path: String, needed: Int64, available: Int64)

    public var description: String {
        switch self {
        case .invalidOption(let message): return message
        case .cannotWrite(let path, let reason): return "\(path): cannot write: \(reason)"
        case .notEnoughSpace(let path, let needed, let available):
            return "\(path): these sizes need about \(needed / 1_000_000) MB and the disk has \(available / 1_000_000) MB free; "
                + "ask for fewer --songs or --events (nothing was written)"
        }
    }
}
