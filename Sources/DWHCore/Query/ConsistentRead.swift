import Foundation
import Postgres

/// Several queries that make one deliverable (a report and its CSV files, the checks) read
/// one snapshot of the database: a REPEATABLE READ READ ONLY transaction, so that a load or
/// transform committing meanwhile is either wholly in what they read or not at all, and
/// nothing they run can write.
///
/// A query that fails inside it is undone to a savepoint on PostgreSQL, so the others still
/// read the same snapshot. Redshift has no savepoints: there a failure ends the transaction
/// and the queries after it read a new snapshot.
public struct ConsistentRead {
    let connection: Connection
    let dialect: Dialect
    /// Whether this read opened the transaction (not when the caller had one open already).
    let owns: Bool

    private static let sql = SQLStatements("Query/snapshot.sql")

    /// Runs `body` in one snapshot; inside a transaction already open, in that one.
    public static func run<T>(_ connection: Connection, dialect: Dialect, _ body: (ConsistentRead) throws -> T) throws -> T {
        guard connection.transactionState == .idle else {
            return try body(ConsistentRead(connection: connection, dialect: dialect, owns: false))
        }
        try connection.execute(sql["begin"])
        do {
            let value = try body(ConsistentRead(connection: connection, dialect: dialect, owns: true))
            try connection.execute(sql["end"])
            return value
        } catch {
            if connection.transactionState != .idle { _ = try? connection.execute(sql["rollback"]) }
            throw error
        }
    }

    /// Runs one query whose failure leaves the snapshot usable for the next (see above).
    /// On PostgreSQL a savepoint works in any open transaction, a caller's too (the report
    /// reads its summary and sections in one); on Redshift only an owned read can begin again.
    public func attempt<T>(_ body: () throws -> T) throws -> T {
        if dialect == .postgres {
            try connection.execute(Self.sql["savepoint"])
            do {
                let value = try body()
                try connection.execute(Self.sql["release"])
                return value
            } catch {
                _ = try? connection.execute(Self.sql["rollback_to"])
                throw error
            }
        }
        guard owns else { return try body() }
        do {
            return try body()
        } catch {
            if connection.transactionState == .failed {
                _ = try? connection.execute(Self.sql["rollback"])
                try connection.execute(Self.sql["begin"])
            }
            throw error
        }
    }
}
