import Foundation

/// A temporary Redshift user (`IAM:name`, or `IAMA:name` when AutoCreate made it) with its
/// password and expiry. Held in memory only; its description never shows the password.
public struct ClusterCredentials: Sendable, CustomStringConvertible {
    public let user: String
    /// Only for libpq's conninfo; never printed, logged or saved.
    let password: String
    public let expiration: Date

    init(user: String, password: String, expiration: Date) {
        self.user = user
        self.password = password
        self.expiration = expiration
    }

    public var description: String { "\(user) (temporary credentials)" }

    /// AWS writes `2026-12-04T15:10:00Z`, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        // Some emulators leave out the zone; AWS times are UTC.
        return formatter.date(from: text + "Z")
    }
}

/// Temporary credentials kept for the life of the process, one set per request: a new
/// connection reuses them while they are good and asks AWS again once they have expired
/// (a minute early, so that a connection is never opened with a password about to lapse).
/// The clock is injected so tests can move time on.
public final class ClusterCredentialCache: @unchecked Sendable {
    /// The one every `Session` of this process uses.
    public static let shared = ClusterCredentialCache()

    /// How long before the expiry the credentials count as expired.
    public static let margin: TimeInterval = 60

    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var entries: [ClusterAuth: ClusterCredentials] = [:]
    /// How many times AWS was asked, for tests and `--verbose`.
    public private(set) var fetches = 0

    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Credentials for `auth`: the kept ones while good, else fresh ones from `client`.
    public func credentials(for auth: ClusterAuth, client: () throws -> AWSClient) throws -> ClusterCredentials {
        lock.lock()
        defer { lock.unlock() }
        if let kept = entries[auth], kept.expiration.timeIntervalSince(clock()) > Self.margin { return kept }
        let fresh = try client().clusterCredentials(auth)
        fetches += 1
        entries[auth] = fresh
        return fresh
    }

    /// Forgets the credentials for `auth`, after the database refused them.
    public func forget(_ auth: ClusterAuth) {
        lock.lock()
        defer { lock.unlock() }
        entries[auth] = nil
    }
}
