import CLibPQ

/// The rows (or command status) a statement returned. Values are read lazily from
/// libpq's buffer, as text, so a large result costs no more than libpq already holds.
public final class QueryResult: @unchecked Sendable {
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    public struct Column: Sendable, Equatable {
        public var name: String
        /// The type's OID: see `PostgresType` for the ones dwh formats specially.
        public var typeOID: UInt32
    }

    public var rowCount: Int { Int(PQntuples(handle)) }
    public var columnCount: Int { Int(PQnfields(handle)) }

    public var columns: [Column] {
        (0..<Int32(columnCount)).map { index in
            Column(name: String(cString: PQfname(handle, index)), typeOID: PQftype(handle, index))
        }
    }

    /// The command tag, e.g. `INSERT 0 3` or `SELECT 10`.
    public var commandStatus: String {
        String(cString: PQcmdStatus(handle))
    }

    /// Rows affected by INSERT, UPDATE, DELETE, COPY, MERGE or SELECT; nil for other commands.
    public var affectedRows: Int? {
        Int(String(cString: PQcmdTuples(handle)))
    }

    /// The value at a row and column, nil for SQL NULL.
    public subscript(row: Int, column: Int) -> String? {
        let r = Int32(row), c = Int32(column)
        if PQgetisnull(handle, r, c) == 1 { return nil }
        return String(cString: PQgetvalue(handle, r, c))
    }

    /// The value's bytes in libpq's buffer, nil for SQL NULL, valid only inside `body`:
    /// for code that streams many values (CSV export) without making a String of each.
    public func withValueBytes<T>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws -> T) rethrows -> T {
        let r = Int32(row), c = Int32(column)
        if PQgetisnull(handle, r, c) == 1 { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: PQgetvalue(handle, r, c), count: Int(PQgetlength(handle, r, c))))
    }

    /// The value at a row and a named column, nil for SQL NULL or an unknown column.
    public subscript(row: Int, name: String) -> String? {
        let c = PQfnumber(handle, name)
        return c < 0 ? nil : self[row, Int(c)]
    }

    /// Every row as an array of optional strings: convenient for small results.
    public var rows: [[String?]] {
        (0..<rowCount).map { r in (0..<columnCount).map { c in self[r, c] } }
    }

    /// The first column of the first row: for `SELECT count(*)` and the like.
    public var scalar: String? {
        rowCount > 0 && columnCount > 0 ? self[0, 0] : nil
    }
}

/// Type OIDs dwh needs to recognise (from pg_type.dat; Redshift reports the same ones).
public enum PostgresType {
    public static let bool: UInt32 = 16
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let oid: UInt32 = 26
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let numeric: UInt32 = 1700

    /// Whether values of this type read as numbers (and so align right in a table).
    public static func isNumeric(_ oid: UInt32) -> Bool {
        [int8, int2, int4, Self.oid, float4, float8, numeric].contains(oid)
    }
}
