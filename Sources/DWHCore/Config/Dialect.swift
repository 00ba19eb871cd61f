/// The two SQL dialects dwh speaks.
public enum Dialect: String, Sendable, CaseIterable, Codable {
    case postgres
    case redshift

    /// Whether a host name is an Amazon Redshift endpoint.
    public static func isRedshiftHost(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered.hasSuffix(".redshift.amazonaws.com") || lowered.hasSuffix(".redshift-serverless.amazonaws.com")
            || lowered.hasSuffix(".redshift.amazonaws.com.cn")
    }

    /// The dialect a `SELECT version()` string reveals.
    public static func fromVersion(_ version: String) -> Dialect {
        version.localizedCaseInsensitiveContains("redshift") ? .redshift : .postgres
    }
}
