import Foundation

/// How dwh signs in to a Redshift cluster without a stored password: the parameters of
/// `redshift:GetClusterCredentials`, read from `[CLUSTER]` (`AUTH = iam`) or asked for with
/// `--iam`. The password it brings back lives in memory only (`ClusterCredentialCache`).
public struct ClusterAuth: Sendable, Equatable, Hashable {
    public var clusterIdentifier: String
    /// The user without the `IAM:` prefix, which Redshift adds to the one it returns.
    public var dbUser: String
    public var dbName: String?
    /// How long the password is good for: 900 to 3600 seconds, as the API allows.
    public var durationSeconds: Int
    public var autoCreate: Bool
    public var dbGroups: [String]

    public static let durationRange = 900...3600
    public static let defaultDuration = 900

    public init(clusterIdentifier: String, dbUser: String, dbName: String? = nil,
                durationSeconds: Int = ClusterAuth.defaultDuration, autoCreate: Bool = false, dbGroups: [String] = []) {
        self.clusterIdentifier = clusterIdentifier
        self.dbUser = dbUser
        self.dbName = dbName
        self.durationSeconds = durationSeconds
        self.autoCreate = autoCreate
        self.dbGroups = dbGroups
    }

    /// Whether `[CLUSTER] AUTH` asks for IAM; `password` (or nothing) keeps the stored one.
    /// A value that is neither is an error naming the line.
    public static func wanted(config: ConfigFile?) throws -> Bool {
        guard let config, let found = config.value("CLUSTER", "AUTH"), !found.value.isEmpty else { return false }
        switch found.value.lowercased() {
        case "iam": return true
        case "password": return false
        default:
            throw ConfigError.badValue(path: config.path, line: found.line, section: "CLUSTER", key: "AUTH",
                                       value: found.value, expected: "iam or password")
        }
    }

    /// The request for the database `options` names (host, user, dbname), completed from
    /// `[CLUSTER]`: the cluster from CLUSTER_IDENTIFIER, else `[DWH] CLUSTER_IDENTIFIER`,
    /// else the first label of a Redshift host name. A serverless WORKGROUP is refused.
    public static func resolve(config: ConfigFile?, user: String?, database: String?, host: String,
                               source: String) throws -> ClusterAuth {
        func setting(_ section: String, _ key: String) -> (value: String, line: Int)? {
            config?.value(section, key).flatMap { $0.value.isEmpty ? nil : $0 }
        }
        let path = config?.path ?? "dwh.cfg"
        if let workgroup = setting("CLUSTER", "WORKGROUP") {
            throw ConfigError.badValue(path: path, line: workgroup.line, section: "CLUSTER", key: "WORKGROUP",
                                       value: workgroup.value, expected: "no workgroup: IAM authentication for "
                                        + "Redshift Serverless (redshift-serverless:GetCredentials) is not supported yet; "
                                        + "use a provisioned cluster or AUTH = password")
        }
        guard let user, !user.isEmpty else {
            throw ConfigError.missingSetting(section: "CLUSTER", key: "DB_USER", purpose: "IAM authentication (from \(source))")
        }
        let identifier = setting("CLUSTER", "CLUSTER_IDENTIFIER")?.value ?? setting("DWH", "CLUSTER_IDENTIFIER")?.value
            ?? (Dialect.isRedshiftHost(host) ? host.split(separator: ".").first.map(String.init) : nil)
        guard let identifier else {
            throw ConfigError.missingSetting(section: "CLUSTER", key: "CLUSTER_IDENTIFIER",
                                             purpose: "IAM authentication against \(host) (not a Redshift host name)")
        }
        var auth = ClusterAuth(clusterIdentifier: identifier, dbUser: user, dbName: database)
        if let found = setting("CLUSTER", "DURATION_SECONDS") {
            guard let seconds = Int(found.value), durationRange.contains(seconds) else {
                throw ConfigError.badValue(path: path, line: found.line, section: "CLUSTER", key: "DURATION_SECONDS",
                                           value: found.value, expected: "a whole number of seconds from 900 to 3600")
            }
            auth.durationSeconds = seconds
        }
        if let found = setting("CLUSTER", "AUTO_CREATE") {
            switch found.value.lowercased() {
            case "true", "yes", "on", "1": auth.autoCreate = true
            case "false", "no", "off", "0": auth.autoCreate = false
            default:
                throw ConfigError.badValue(path: path, line: found.line, section: "CLUSTER", key: "AUTO_CREATE",
                                           value: found.value, expected: "true or false")
            }
        }
        if let found = setting("CLUSTER", "DB_GROUPS") {
            auth.dbGroups = found.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        return auth
    }

    /// The Query-protocol parameters of GetClusterCredentials.
    public var parameters: [(String, String)] {
        var parameters = [("ClusterIdentifier", clusterIdentifier), ("DbUser", dbUser),
                          ("DurationSeconds", String(durationSeconds))]
        if let dbName { parameters.append(("DbName", dbName)) }
        if autoCreate { parameters.append(("AutoCreate", "true")) }
        for (index, group) in dbGroups.enumerated() { parameters.append(("DbGroups.DbGroup.\(index + 1)", group)) }
        return parameters
    }
}
