import Foundation
import CLibPQ

/// One libpq connection. Not shared between threads; `canceller()` is what another
/// thread (or a signal handler's helper) uses to stop a running statement.
public final class Connection {
    let handle: OpaquePointer
    private let noticeBox: NoticeBox

    /// Connects with a libpq connection string or `postgresql://` URL.
    ///
    /// The error names what was tried (host, port, database, user) and never the password.
    public init(_ conninfo: String) throws {
        let handle = PQconnectdb(conninfo)
        guard let handle else {
            throw PostgresError(kind: .client, message: "out of memory while connecting")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines()
            PQfinish(handle)
            throw PostgresError(kind: .connection, message: message)
        }
        self.handle = handle
        self.noticeBox = NoticeBox()
        // Notices go to `onNotice`, one at a time, never into a list that nothing empties;
        // without a handler they are dropped rather than printed by libpq.
        PQsetNoticeReceiver(handle, { context, result in
            guard let context, let result else { return }
            let box = Unmanaged<NoticeBox>.fromOpaque(context).takeUnretainedValue()
            guard let handler = box.handler else { return }
            let severity = PQresultErrorField(result, dwh_pg_diag_severity()).map { String(cString: $0) } ?? "NOTICE"
            let message = PQresultErrorField(result, dwh_pg_diag_message_primary()).map { String(cString: $0) } ?? ""
            // As libpq (and so psql) prints them: two spaces after the severity.
            handler("\(severity):  \(message)")
        }, Unmanaged.passUnretained(noticeBox).toOpaque())
    }

    deinit {
        PQfinish(handle)
    }

    // MARK: Facts about the connection

    public var host: String { PQhost(handle).map { String(cString: $0) } ?? "" }
    public var port: String { PQport(handle).map { String(cString: $0) } ?? "" }
    public var database: String { PQdb(handle).map { String(cString: $0) } ?? "" }
    public var user: String { PQuser(handle).map { String(cString: $0) } ?? "" }
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    public enum TransactionState: Sendable {
        case idle, active, inTransaction, failed, unknown
    }

    public var transactionState: TransactionState {
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: .idle
        case PQTRANS_ACTIVE: .active
        case PQTRANS_INTRANS: .inTransaction
        case PQTRANS_INERROR: .failed
        default: .unknown
        }
    }

    /// A server setting the server reports on its own, such as `server_version`.
    public func parameterStatus(_ name: String) -> String? {
        PQparameterStatus(handle, name).map { String(cString: $0) }
    }

    /// Called with each notice the server sends (`NOTICE: table "x" does not exist,
    /// skipping`, RAISE NOTICE); nil drops them.
    public var onNotice: ((String) -> Void)? {
        get { noticeBox.handler }
        set { noticeBox.handler = newValue }
    }

    /// Re-establishes a lost connection with the same parameters.
    public func reset() throws {
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(result: nil, connection: handle)
        }
    }

    // MARK: Statements

    /// Runs one or more statements with no parameters; returns the last one's result.
    @discardableResult
    public func execute(_ sql: String) throws -> QueryResult {
        try refusingCopy(check(PQexec(handle, sql)))
    }

    /// Runs one statement with text parameters bound by the server (`$1`, `$2`, …).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?]) throws -> QueryResult {
        let result = withParameters(parameters) { count, values in
            PQexecParams(handle, sql, count, nil, values, nil, nil, 0)
        }
        return try refusingCopy(check(result))
    }

    /// Text parameters as the C strings libpq's `…Params` functions take, NULL for nil.
    func withParameters<T>(_ parameters: [String?], _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        var cStrings: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } } + [nil]
        defer { cStrings.forEach { free($0) } }
        return cStrings.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { values in
                body(Int32(parameters.count), values)
            }
        }
    }

    /// A statement given to `execute` that starts a COPY (whose data only `copyIn` and
    /// `copyOut` stream) is stopped and reported, and the connection is ready for the next
    /// statement: a result in COPY state has no columns to read.
    func refusingCopy(_ result: QueryResult) throws -> QueryResult {
        let direction: String
        switch PQresultStatus(result.handle) {
        case PGRES_COPY_OUT:
            direction = "COPY … TO STDOUT sends rows as a stream"
            canceller()?.cancel()
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(handle, &buffer, 0) > 0 { PQfreemem(buffer) }
        case PGRES_COPY_IN:
            direction = "COPY … FROM STDIN reads rows from the client"
            _ = PQputCopyEnd(handle, "dwh does not send COPY data here")
        default:
            return result
        }
        while let next = PQgetResult(handle) { PQclear(next) }
        throw PostgresError(kind: .client, message: "\(direction), which this statement cannot be run with; "
            + "send it alone, or use COPY with a file on the server")
    }

    /// Runs `body` inside BEGIN … COMMIT, rolling back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if isConnected { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    /// A value another thread can use to cancel the statement now running here.
    public func canceller() -> Canceller? {
        PQgetCancel(handle).map(Canceller.init)
    }

    // MARK: Quoting, for the rare identifiers that cannot be bound

    /// `name` as a quoted identifier. libpq refuses text that is not valid in the
    /// connection's encoding (and fails when out of memory): that is an error, never the
    /// name unquoted.
    public func escapeIdentifier(_ name: String) throws -> String {
        try escape(name, what: "name", PQescapeIdentifier)
    }

    /// `text` as a quoted string literal (`'it''s'`, or `E'…'` where a backslash needs
    /// it), for the REPL's `:'name'` variables; refused as `escapeIdentifier` is.
    public func escapeLiteral(_ text: String) throws -> String {
        try escape(text, what: "value", PQescapeLiteral)
    }

    private func escape(_ text: String, what: String,
                        _ quote: (OpaquePointer?, UnsafePointer<CChar>?, Int) -> UnsafeMutablePointer<CChar>?) throws -> String {
        guard let escaped = quote(handle, text, text.utf8.count) else {
            throw PostgresError(kind: .client, message: "cannot quote the \(what) \(text.debugDescription): "
                + String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines())
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    func check(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else {
            throw PostgresError(result: nil, connection: handle)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT:
            return QueryResult(handle: result)
        default:
            let error = PostgresError(result: result, connection: handle)
            PQclear(result)
            throw error
        }
    }
}

private final class NoticeBox {
    var handler: ((String) -> Void)?
}

/// Cancels the statement running on a connection, from any thread.
public final class Canceller: @unchecked Sendable {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQfreeCancel(handle)
    }

    /// Asks the server to cancel; returns false if the request could not be sent.
    @discardableResult
    public func cancel() -> Bool {
        var buffer = [CChar](repeating: 0, count: 256)
        return PQcancel(handle, &buffer, Int32(buffer.count)) == 1
    }
}
