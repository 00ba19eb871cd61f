import Foundation
import CLibPQ

/// What a connection string or URL says, parsed by libpq itself (so every form libpq
/// accepts is understood the same way), for display and for decisions made before
/// connecting.
public struct ConnectionOptions: Sendable, Equatable {
    /// Keyword to value, only the keywords the string set.
    public var values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    /// Parses `conninfo`; the error is libpq's own sentence.
    public init(parsing conninfo: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "invalid connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(kind: .client, message: message.trimmingTrailingNewlines())
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            }
            cursor += 1
        }
        self.values = values
    }

    public subscript(key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// A libpq keyword/value string with every value quoted as libpq requires.
    public var conninfo: String {
        values.keys.sorted().map { key in
            let value = values[key]!
                .replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(value)'"
        }.joined(separator: " ")
    }

    /// `user@host:port/dbname`, never the password: what error messages and logs show.
    public var summary: String {
        let host = values["host"] ?? values["hostaddr"] ?? "(default host)"
        let port = values["port"] ?? "5432"
        let database = values["dbname"] ?? values["user"] ?? "(default database)"
        let user = values["user"] ?? "(default user)"
        return "\(user)@\(host):\(port)/\(database)"
    }
}
