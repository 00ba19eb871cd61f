import CLibPQ

extension Connection {
    /// What a streamed statement sends, in order: for each statement that returns rows,
    /// `columns`, then its rows one at a time, then `end`; for a command, only `end`.
    public enum StreamEvent {
        case columns([QueryResult.Column])
        /// One row, at index 0 of the result; valid only during the call.
        case row(QueryResult)
        /// A statement finished: its command tag (`SELECT 3`, `CREATE TABLE`) and count.
        case end(commandStatus: String, affectedRows: Int?)
    }

    /// Runs `sql` and hands over each row as the server sends it (libpq's single-row
    /// mode), so a result of any size costs the memory of one row. Several statements
    /// may be given when there are no parameters; with parameters, one.
    ///
    /// If the server fails part-way, the rows already handed over stay handed over and
    /// the error is thrown. If `body` throws, the statement is cancelled on the server
    /// (`cancelOnError`), or else run to its end with nothing more handed over, so that
    /// what it changes is not undone; either way the connection is left ready for the next
    /// statement, and `body`'s error is rethrown.
    public func stream(_ sql: String, parameters: [String?]? = nil, cancelOnError: Bool = true,
                       _ body: (StreamEvent) throws -> Void) throws {
        let sent: Int32
        if let parameters {
            sent = withParameters(parameters) { count, values in
                PQsendQueryParams(handle, sql, count, nil, values, nil, nil, 0)
            }
        } else {
            sent = PQsendQuery(handle, sql)
        }
        guard sent == 1 else { throw PostgresError(result: nil, connection: handle) }
        _ = PQsetSingleRowMode(handle)

        // The body's error, and the server's: a server error other than the cancel asked
        // for here wins, since it says the statement itself failed.
        var bodyFailure: Error?
        var serverFailure: Error?
        var cancelled = false
        var inRows = false
        func deliver(_ event: StreamEvent) {
            guard bodyFailure == nil else { return }
            do { try body(event) } catch {
                bodyFailure = error
                if cancelOnError {
                    cancelled = true
                    canceller()?.cancel()
                }
            }
        }
        while let next = PQgetResult(handle) {
            let result = QueryResult(handle: next)
            switch PQresultStatus(next) {
            case PGRES_SINGLE_TUPLE:
                if !inRows {
                    inRows = true
                    deliver(.columns(result.columns))
                }
                deliver(.row(result))
            case PGRES_TUPLES_OK:
                if !inRows { deliver(.columns(result.columns)) }
                inRows = false
                deliver(.end(commandStatus: result.commandStatus, affectedRows: result.affectedRows))
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                deliver(.end(commandStatus: result.commandStatus, affectedRows: result.affectedRows))
            case PGRES_COPY_OUT, PGRES_COPY_IN:
                // Only copyIn and copyOut carry COPY data: stop it, drain, and say so.
                do { _ = try refusingCopy(result) } catch { if serverFailure == nil { serverFailure = error } }
                continue
            default:
                let error = PostgresError(result: next, connection: handle)
                if serverFailure == nil && !(cancelled && error.sqlState == "57014") { serverFailure = error }
            }
        }
        if let serverFailure { throw serverFailure }
        if let bodyFailure { throw bodyFailure }
    }
}
