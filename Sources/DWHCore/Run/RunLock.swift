import Foundation
import Postgres

/// One `dwh run` at a time on a warehouse, across machines.
///
/// - PostgreSQL: a session-level advisory lock. The server releases it when the session
///   ends, however it ends (kill -9, a lost network, a server restart), so a crashed run
///   never blocks the next. A row of `dwh_run_lock` says who holds it (host, pid, since).
/// - Redshift has no advisory locks: there the row is the lock. It is taken in a transaction
///   that locks the table, and kept alive by a heartbeat (between steps and from a thread of
///   its own); a row whose heartbeat is older than `expiry` belongs to a run that died, and
///   the next run takes it over. Clocks of the machines are assumed to agree within minutes.
public final class RunLock: @unchecked Sendable {
    // @unchecked Sendable: `stopped` is read and written with `stopHeartbeat` locked; the rest is
    // used on the thread that made the lock, except `beat(on:)` with a connection of its own.
    /// Who holds the lock, as the run that finds it held says.
    public struct Holder: Equatable, Sendable, CustomStringConvertible {
        public var host: String
        public var pid: Int
        public var since: String

        public var description: String { "host \(host), pid \(pid), since \(since) UTC" }
    }

    public enum Kind: Equatable, Sendable {
        case advisory
        /// The lock row, taken over once its heartbeat is older than `expiry` seconds.
        case table(expiry: Double)
    }

    public let connection: Connection
    public let kind: Kind
    let host: String
    /// A key of its own: the migrator's lock is another.
    static let advisoryKey = "7243114905613960221"
    static let sql = Ledger.sql
    private var heartbeat: Thread?
    private let stopHeartbeat = NSCondition()
    private var stopped = false

    public init(connection: Connection, dialect: Dialect, host: String = ProcessInfo.processInfo.hostName) {
        self.connection = connection
        self.kind = dialect == .redshift ? .table(expiry: 600) : .advisory
        self.host = host
    }

    public init(connection: Connection, kind: Kind, host: String = ProcessInfo.processInfo.hostName) {
        self.connection = connection
        self.kind = kind
        self.host = host
    }

    /// Takes the lock, or throws `RunError.lockHeld` naming its holder. With `wait`,
    /// `waiting` is called once with the holder, then the call returns when the lock is ours.
    public func acquire(wait: Bool, waiting: (Holder?) -> Void = { _ in }) throws {
        var announced = false
        while true {
            if try tryAcquire() { return }
            let holder = try currentHolder()
            guard wait else { throw RunError.lockHeld(holder ?? Holder(host: "unknown", pid: 0, since: "unknown")) }
            if !announced { waiting(holder) }
            announced = true
            if kind == .advisory {
                try Interrupts.shared.cancelling(connection) { _ = try connection.execute(Self.sql["lock_postgres"], [Self.advisoryKey]) }
                try recordHolder()
                return
            }
            Thread.sleep(forTimeInterval: 5)
        }
    }

    private func tryAcquire() throws -> Bool {
        switch kind {
        case .advisory:
            guard try connection.execute(Self.sql["try_lock_postgres"], [Self.advisoryKey]).scalar == "t" else { return false }
            try recordHolder()
            return true
        case .table(let expiry):
            return try connection.transaction {
                try connection.execute(Self.sql["lock_table"])
                let cutoff = Ledger.timestamp(Date().addingTimeInterval(-expiry))
                if let row = try connection.execute(Self.sql["holder"], [cutoff]).rows.first, row[4] == "0" { return false }
                try connection.execute(Self.sql["clear_holder"])
                try connection.execute(Self.sql["set_holder"], [host, String(getpid()), Ledger.timestamp(Date())])
                return true
            }
        }
    }

    /// Says who holds the advisory lock: the row is written under the lock, in one transaction.
    private func recordHolder() throws {
        try connection.transaction {
            try connection.execute(Self.sql["clear_holder"])
            try connection.execute(Self.sql["set_holder"], [host, String(getpid()), Ledger.timestamp(Date())])
        }
    }

    public func currentHolder() throws -> Holder? {
        guard let row = try connection.execute(Self.sql["holder"], [Ledger.timestamp(Date())]).rows.first else { return nil }
        return Holder(host: row[0] ?? "", pid: Int(row[1] ?? "") ?? 0, since: row[2] ?? "")
    }

    /// Keeps a lock row alive (Redshift); nothing to do for an advisory lock.
    public func beat(on connection: Connection? = nil) throws {
        guard case .table = kind else { return }
        try (connection ?? self.connection).execute(Self.sql["heartbeat"], [host, String(getpid()), Ledger.timestamp(Date())])
    }

    /// For a lock row: a thread that beats every `interval` seconds on a connection of its
    /// own, so that a step longer than the expiry keeps the lock.
    public func startHeartbeat(interval: Double = 60, connect: @escaping @Sendable () throws -> Connection) {
        guard case .table = kind, heartbeat == nil else { return }
        let thread = Thread { [self] in
            let beating = try? connect()
            stopHeartbeat.lock()
            while !stopped {
                _ = stopHeartbeat.wait(until: Date(timeIntervalSinceNow: interval))
                if stopped { break }
                stopHeartbeat.unlock()
                if let beating { try? beat(on: beating) }
                stopHeartbeat.lock()
            }
            stopHeartbeat.unlock()
        }
        thread.name = "dwh-run-heartbeat"
        heartbeat = thread
        thread.start()
    }

    /// Gives the lock up (a session that ends gives up an advisory lock by itself).
    public func release() {
        stopHeartbeat.lock()
        stopped = true
        stopHeartbeat.broadcast()
        stopHeartbeat.unlock()
        _ = try? connection.execute(Self.sql["release"], [host, String(getpid())])
        if kind == .advisory { _ = try? connection.execute(Self.sql["unlock_postgres"], [Self.advisoryKey]) }
    }
}
