import Foundation

/// A record the loader left out: where it is, which field, why, and the start of its text.
public struct BadRecord: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var field: String?
    public var reason: String
    /// The record's text, cut to `rawLimit` bytes.
    public var raw: String

    static let rawLimit = 500

    public var description: String {
        "\(file):\(line): \(field.map { "field \($0): " } ?? "")\(reason)"
    }
}
