import Foundation
import Postgres

/// Which database a command talks to, and why.
public struct DatabaseTarget: Sendable {
    public enum Source: Sendable, Equatable {
        case flag
        case environment
        case configFile(path: String)
        case libpqEnvironment
        case embedded(home: String)

        public var description: String {
            switch self {
            case .flag: "--database-url"
            case .environment: "DWH_DATABASE_URL"
            case .configFile(let path): "\(path) [CLUSTER]"
            case .libpqEnvironment: "PG* environment variables"
            case .embedded(let home): "embedded PostgreSQL in \(home)"
            }
        }
    }

    /// The connection string handed to libpq (may hold a password: never print it).
    public var conninfo: String
    public var source: Source
    /// The dialect known before connecting (from the host name); `Session` confirms it.
    public var dialect: Dialect
    public var embedded: EmbeddedDatabase?
    /// Set for IAM authentication: the conninfo then holds no password, and `Session` adds
    /// the temporary one from GetClusterCredentials, signed with `aws`.
    public var auth: ClusterAuth?
    public var aws: AWSSettings?

    /// What error messages show: user, host, port and database, never the password.
    public var summary: String {
        if let embedded {
            let port = embedded.port.map(String.init) ?? "(port chosen at first start)"
            return "\(embedded.superuser)@127.0.0.1:\(port)/\(embedded.databaseName)"
        }
        return (try? ConnectionOptions(parsing: conninfo).summary) ?? Secrets.redactConnectionString(conninfo)
    }

    /// Picks the database by precedence: `--database-url`, `DWH_DATABASE_URL`, `dwh.cfg`
    /// `[CLUSTER]`, libpq's `PGHOST`/`PGSERVICE`, then the embedded PostgreSQL.
    /// With `iam` (or `[CLUSTER] AUTH = iam` for the dwh.cfg target) the password comes
    /// from GetClusterCredentials instead (`ClusterAuth`).
    public static func resolve(flag: String?, config: ConfigFile?,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               iam: Bool = false) throws -> DatabaseTarget {
        var target = try resolvePlain(flag: flag, config: config, environment: environment)
        let fromFile: Bool
        if case .configFile = target.source { fromFile = true } else { fromFile = false }
        let asked = try fromFile && ClusterAuth.wanted(config: config)
        guard iam || asked else { return target }
        guard !target.conninfo.isEmpty, var options = try? ConnectionOptions(parsing: target.conninfo) else {
            throw ConfigError.missingSetting(section: "CLUSTER", key: "HOST",
                                             purpose: "IAM authentication (--iam or AUTH = iam)")
        }
        let host = options["host"] ?? ""
        target.auth = try ClusterAuth.resolve(config: config, user: options["user"], database: options["dbname"],
                                              host: host, source: target.source.description)
        target.aws = try AWSSettings.resolve(endpointFlag: nil, config: config, environment: environment)
        // The temporary password crosses the network only over TLS: sslmode=require (or a
        // stricter mode given) for every host but this machine's own (127.0.0.0/8, ::1,
        // localhost or a socket directory), where the test PostgreSQL has no SSL.
        options["password"] = nil
        if !Self.isLocal(host) && !["require", "verify-ca", "verify-full"].contains(options["sslmode"] ?? "") {
            options["sslmode"] = "require"
        }
        target.conninfo = options.conninfo
        return target
    }

    /// A host whose connections never leave the machine.
    static func isLocal(_ host: String) -> Bool {
        host.hasPrefix("/") || host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func resolvePlain(flag: String?, config: ConfigFile?, environment: [String: String]) throws -> DatabaseTarget {
        if let flag, !flag.isEmpty {
            return try fromURL(flag, source: .flag, environment: environment)
        }
        if let url = environment["DWH_DATABASE_URL"], !url.isEmpty {
            return try fromURL(url, source: .environment, environment: environment)
        }
        if let config, let host = config.value("CLUSTER", "HOST")?.value, !host.isEmpty {
            var options = ConnectionOptions(values: ["host": host])
            options["dbname"] = config.value("CLUSTER", "DB_NAME")?.value
            options["user"] = config.value("CLUSTER", "DB_USER")?.value
            options["password"] = config.value("CLUSTER", "DB_PASSWORD")?.value
            options["port"] = config.value("CLUSTER", "DB_PORT")?.value
            options.values = options.values.filter { !$0.value.isEmpty }
            return finish(options, source: .configFile(path: config.path), environment: environment)
        }
        if environment["PGHOST"] != nil || environment["PGSERVICE"] != nil {
            let host = environment["PGHOST"] ?? ""
            return DatabaseTarget(conninfo: "", source: .libpqEnvironment,
                                  dialect: Dialect.isRedshiftHost(host) ? .redshift : .postgres)
        }
        let embedded = EmbeddedDatabase.fromEnvironment(environment)
        return DatabaseTarget(conninfo: "", source: .embedded(home: embedded.home), dialect: .postgres, embedded: embedded)
    }

    static func fromURL(_ url: String, source: Source, environment: [String: String]) throws -> DatabaseTarget {
        if Secrets.hasAmbiguousPassword(url) {
            throw ConfigError.badDatabaseURL(source: source.description, reason: "its password holds a raw `/` or `@`, "
                + "which ends the user part early (libpq would read the rest as host, port or database); percent-encode "
                + "them: %2F, %40")
        }
        let options: ConnectionOptions
        do {
            options = try ConnectionOptions(parsing: url)
        } catch let error as PostgresError {
            throw ConfigError.badDatabaseURL(source: source.description,
                                             reason: Secrets.redact(error.message, passwordOf: url))
        }
        return finish(options, source: source, environment: environment)
    }

    /// A Redshift host gets `sslmode=require` unless the URL or PGSSLMODE chose otherwise.
    static func finish(_ options: ConnectionOptions, source: Source, environment: [String: String]) -> DatabaseTarget {
        var options = options
        let redshift = Dialect.isRedshiftHost(options["host"] ?? "")
        if redshift && options["sslmode"] == nil && environment["PGSSLMODE"] == nil {
            options["sslmode"] = "require"
        }
        if redshift && options["port"] == nil { options["port"] = "5439" }
        return DatabaseTarget(conninfo: options.conninfo, source: source, dialect: redshift ? .redshift : .postgres)
    }
}
