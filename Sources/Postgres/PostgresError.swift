import Foundation
import CLibPQ

/// An error from libpq or the server, with every field the server sent.
///
/// `description` is one line a person can read; tools that show source context (the
/// migrator, the REPL) use `position` to place a caret under the offending text.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The connection could not be made or was lost.
        case connection
        /// The server rejected a statement.
        case server
        /// libpq itself failed (out of memory, protocol trouble, COPY misuse).
        case client
    }

    public var kind: Kind
    public var severity: String?
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character offset into the statement that failed, when the server gave one.
    public var position: Int?
    public var context: String?

    public init(kind: Kind, message: String, sqlState: String? = nil, severity: String? = nil,
                detail: String? = nil, hint: String? = nil, position: Int? = nil, context: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.severity = severity
        self.detail = detail
        self.hint = hint
        self.position = position
        self.context = context
    }

    /// `ERROR 42P01 relation "x" does not exist`, as the migrator and REPL print it.
    public var headline: String {
        var parts: [String] = []
        parts.append(severity ?? "ERROR")
        if let sqlState { parts.append(sqlState) }
        parts.append(message)
        return parts.joined(separator: " ")
    }

    public var description: String {
        var text = kind == .server ? headline : message
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }

    init(result: OpaquePointer?, connection: OpaquePointer?) {
        func field(_ code: Int32) -> String? {
            guard let result, let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        let primary = field(dwh_pg_diag_message_primary())
        let fallback = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) }
            ?? connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0) }
            ?? "unknown error"
        let state = field(dwh_pg_diag_sqlstate())
        let lost = connection.map { PQstatus($0) != CONNECTION_OK } ?? false
        self.init(
            kind: primary != nil ? .server : (lost ? .connection : .client),
            message: (primary ?? fallback).trimmingTrailingNewlines(),
            sqlState: state,
            severity: field(dwh_pg_diag_severity()),
            detail: field(dwh_pg_diag_message_detail()),
            hint: field(dwh_pg_diag_message_hint()),
            position: field(dwh_pg_diag_statement_position()).flatMap { Int($0) },
            context: field(dwh_pg_diag_context())
        )
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
