import Foundation
import Postgres

/// An open connection to the target database, with its dialect confirmed.
public final class Session {
    /// Replaced by `reconnect` (`\c DB` in the REPL), never otherwise.
    public private(set) var connection: Connection
    public let target: DatabaseTarget
    public let dialect: Dialect
    /// What the connection was opened with, for `reconnect`.
    private var conninfo: String

    /// Seconds to wait for a server to answer, unless the URL or PGCONNECT_TIMEOUT says:
    /// one that accepts the connection and never answers is an error, not a hang.
    public static let defaultConnectTimeout = 10

    /// Connects to `target`, starting the embedded PostgreSQL first when it is the target.
    public init(target: DatabaseTarget, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var conninfo = target.conninfo
        if let embedded = target.embedded {
            conninfo = try embedded.start()
        }
        conninfo = try Self.signedIn(conninfo, target: target)
        let given = Self.withTimeout(conninfo, environment: environment)
        self.conninfo = given
        do {
            connection = try Connection(given)
        } catch let error as PostgresError {
            throw SessionError.cannotConnect(target: target, reason: Secrets.redact(error.message, passwordOf: given))
        }
        self.target = target
        if target.dialect == .redshift {
            dialect = .redshift
        } else {
            let version = (try? connection.execute("SELECT version()"))?.scalar ?? ""
            dialect = Dialect.fromVersion(version)
        }
        prepare(connection)
    }

    private func prepare(_ connection: Connection) {
        if dialect == .postgres {
            // Keep notices like "relation already exists, skipping" out of the user's way.
            _ = try? connection.execute("SET client_min_messages = warning")
        }
    }

    /// Connects to another database of the same server (as psql's `\c DB [USER]`), keeping
    /// everything else the connection was opened with. When that fails, the connection in
    /// use stays, and the error says why.
    public func reconnect(database: String?, user: String?) throws {
        var options = try ConnectionOptions(parsing: conninfo)
        if target.auth != nil {
            // Temporary credentials may have lapsed since: ask again (the cache knows).
            options = try ConnectionOptions(parsing: Self.signedIn(target.conninfo, target: target))
        }
        if let database { options["dbname"] = database }
        if let user { options["user"] = user }
        let fresh: Connection
        do {
            fresh = try Connection(options.conninfo)
        } catch let error as PostgresError {
            throw SessionError.cannotReconnect(reason: Secrets.redact(error.message, passwordOf: options.conninfo))
        }
        fresh.onNotice = connection.onNotice
        prepare(fresh)
        connection = fresh
        conninfo = options.conninfo
    }
}

extension Session {
    /// Hands the server's NOTICEs and WARNINGs to `handler` (`dwh sql` and `dwh migrate`
    /// print them on stderr, as psql does): the level the session began with, which kept
    /// notices away, goes back to the server's own setting.
    public func showNotices(_ handler: @escaping (String) -> Void) {
        connection.onNotice = handler
        if dialect == .postgres { _ = try? connection.execute("RESET client_min_messages") }
    }

    /// `text` with this session's password hidden, whichever it is: the configured one, or
    /// the temporary one of IAM authentication, which the target never holds.
    public func redact(_ text: String) -> String {
        Secrets.redact(text, passwordOf: conninfo)
    }

    /// `conninfo` with the temporary user and password of IAM authentication, the kept ones
    /// while they are good, else fresh ones; unchanged without IAM authentication.
    static func signedIn(_ conninfo: String, target: DatabaseTarget,
                         cache: ClusterCredentialCache = .shared) throws -> String {
        guard let auth = target.auth, let aws = target.aws else { return conninfo }
        let credentials = try cache.credentials(for: auth) { try AWSClient(settings: aws) }
        var options = try ConnectionOptions(parsing: conninfo)
        options["user"] = credentials.user
        options["password"] = credentials.password
        return options.conninfo
    }

    /// `conninfo` with `connect_timeout` set to the default when nothing else sets it.
    static func withTimeout(_ conninfo: String, environment: [String: String]) -> String {
        guard environment["PGCONNECT_TIMEOUT"] == nil, var options = try? ConnectionOptions(parsing: conninfo),
              options["connect_timeout"] == nil else { return conninfo }
        options["connect_timeout"] = String(defaultConnectTimeout)
        return options.conninfo
    }
}
