import CLibPQ

extension Connection {
    /// Streams rows into the server with `COPY … FROM STDIN`.
    ///
    /// `body` receives a writer; everything it writes goes to the server in large
    /// chunks. If `body` throws, the COPY is aborted with that error's text and nothing
    /// it wrote is kept. Returns the number of rows the server reports.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (CopyWriter) throws -> Void) throws -> Int {
        let start = try check(PQexec(handle, sql))
        guard PQresultStatus(start.handle) == PGRES_COPY_IN else {
            throw PostgresError(kind: .client, message: "statement did not start COPY FROM STDIN: \(sql)")
        }
        let writer = CopyWriter(connection: self)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(handle, "aborted by dwh")
            _ = try? finishCopy()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw PostgresError(result: nil, connection: handle)
        }
        let result = try finishCopy()
        return result.affectedRows ?? 0
    }

    /// Streams the output of `COPY … TO STDOUT` to `chunk`, one server message at a time.
    /// Returns the number of rows the server reports.
    @discardableResult
    public func copyOut(_ sql: String, _ chunk: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let start = try check(PQexec(handle, sql))
        guard PQresultStatus(start.handle) == PGRES_COPY_OUT else {
            throw PostgresError(kind: .client, message: "statement did not start COPY TO STDOUT: \(sql)")
        }
        var failure: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length > 0, let buffer {
                if failure == nil {
                    do { try chunk(UnsafeRawBufferPointer(start: buffer, count: Int(length))) } catch {
                        failure = error
                        canceller()?.cancel()
                    }
                }
                PQfreemem(buffer)
            } else if length == -1 {
                break
            } else {
                throw PostgresError(result: nil, connection: handle)
            }
        }
        let outcome = Result { try finishCopy() }
        if let failure { throw failure }
        return try outcome.get().affectedRows ?? 0
    }

    /// Collects results until libpq has none left; the last error, if any, is thrown.
    func finishCopy() throws -> QueryResult {
        var last: QueryResult?
        var error: Error?
        while let next = PQgetResult(handle) {
            do { last = try check(next) } catch let e { error = e }
        }
        if let error { throw error }
        guard let last else { throw PostgresError(result: nil, connection: handle) }
        return last
    }
}

/// Buffers COPY data and hands it to libpq in chunks of about 256 KiB.
public final class CopyWriter {
    private unowned let connection: Connection
    private var buffer: [UInt8] = []
    private let chunkSize = 1 << 18

    init(connection: Connection) {
        self.connection = connection
        buffer.reserveCapacity(chunkSize + (1 << 16))
    }

    /// Appends bytes (already in COPY text or CSV format) and sends when the buffer fills.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Sends a large block as it is, after whatever is buffered: no copy into the buffer.
    public func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= chunkSize / 4 else { return try write(bytes) }
        try flush()
        try put(bytes)
    }

    /// Sends whatever is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try put($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func put(_ bytes: UnsafeRawBufferPointer) throws {
        guard let start = bytes.baseAddress,
              PQputCopyData(connection.handle, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) == 1
        else {
            throw PostgresError(result: nil, connection: connection.handle)
        }
    }
}
