import Foundation

/// The least-privilege IAM policy for one analyst of the cluster (`dwh cluster policy`):
/// the Redshift and S3 actions dwh itself calls with the user's credentials, on exactly the
/// resources dwh.cfg names. COPY and UNLOAD run as [IAM_ROLE] ARN, not as the user, so the
/// cluster role's own S3 access is not part of it.
public struct ClusterPolicy: Sendable, Equatable {
    public struct Statement: Sendable, Equatable {
        public var sid: String
        public var actions: [String]
        public var resources: [String]
        /// `StringLike` on `s3:prefix`, for ListBucket.
        public var prefixes: [String]
    }

    public var statements: [Statement]

    /// Reads [CLUSTER], [DWH], [S3] and the `s3://` ones of [RUN] EVENTS and SONGS. The
    /// account comes from `account`, else from [IAM_ROLE] ARN, else `*`; a bad `s3://` value
    /// is an error naming its line.
    public init(config: ConfigFile, region: String, account: String? = nil) throws {
        func setting(_ section: String, _ key: String) -> String? {
            config.value(section, key).flatMap { $0.value.isEmpty ? nil : $0.value }
        }
        let account = account ?? setting("IAM_ROLE", "ARN").flatMap(Self.account(ofARN:)) ?? "*"
        let defaults = ClusterSettings()
        let cluster = setting("CLUSTER", "CLUSTER_IDENTIFIER") ?? setting("DWH", "CLUSTER_IDENTIFIER")
            ?? setting("CLUSTER", "HOST").flatMap { Dialect.isRedshiftHost($0) ? $0.split(separator: ".").first.map(String.init) : nil }
            ?? defaults.identifier
        let user = setting("CLUSTER", "DB_USER") ?? setting("DWH", "DB_USER") ?? defaults.masterUsername
        let database = setting("CLUSTER", "DB_NAME") ?? setting("DWH", "DB_NAME") ?? defaults.databaseName
        let groups = (setting("CLUSTER", "DB_GROUPS") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let autoCreate = ["true", "yes", "on", "1"].contains(setting("CLUSTER", "AUTO_CREATE")?.lowercased() ?? "")

        let partition = Self.partition(region: region)
        let base = "arn:\(partition):redshift:\(region):\(account)"
        let userARN = "\(base):dbuser:\(cluster)/\(user)"
        let groupARNs = groups.map { "\(base):dbgroup:\(cluster)/\($0)" }
        var statements = [Statement(sid: "GetClusterCredentials", actions: ["redshift:GetClusterCredentials"],
                                    resources: [userARN, "\(base):dbname:\(cluster)/\(database)"] + groupARNs, prefixes: [])]
        if autoCreate {
            statements.append(Statement(sid: "CreateClusterUser", actions: ["redshift:CreateClusterUser"],
                                        resources: [userARN], prefixes: []))
        }
        if !groupARNs.isEmpty {
            statements.append(Statement(sid: "JoinGroup", actions: ["redshift:JoinGroup"], resources: groupARNs, prefixes: []))
        }
        statements.append(Statement(sid: "DescribeCluster", actions: ["redshift:DescribeClusters"],
                                    resources: ["\(base):cluster:\(cluster)"], prefixes: []))

        func location(_ key: String, in section: String = "S3") throws -> S3Location? {
            guard let found = config.value(section, key), !found.value.isEmpty else { return nil }
            // [RUN] values may be local paths; a template is read up to its first placeholder.
            if section == "RUN" && !found.value.hasPrefix("s3://") { return nil }
            let text = String(found.value.prefix { $0 != "{" })
            do { return try S3Location(parsing: text) } catch {
                throw ConfigError.badValue(path: config.path, line: found.line, section: section, key: key,
                                           value: found.value, expected: "an s3://bucket/prefix location")
            }
        }
        // What the load and the export read, list, write and delete (RedshiftLoad+Incremental,
        // RedshiftExport, S3LoadSource): reads under the data, writes under the staging folder.
        var listed: [S3Location] = []
        var read: [S3Location] = []
        var written: [S3Location] = []
        var deleted: [S3Location] = []
        for (section, key) in [("S3", "LOG_DATA"), ("S3", "SONG_DATA"), ("RUN", "EVENTS"), ("RUN", "SONGS")] {
            if let data = try location(key, in: section) { listed.append(data); read.append(data) }
        }
        if let unload = try location("UNLOAD_PREFIX") {
            listed.append(unload); read.append(unload); deleted.append(unload)
        }
        if let folder = RedshiftCopyManifest.folder(config: config), let staging = try? S3Location(parsing: folder) {
            written.append(staging); deleted.append(staging)
        }
        for bucket in Self.unique(listed.map(\.bucket)) {
            // dwh lists a folder by its prefix without the last `/` (S3LoadSource).
            let prefixes = Self.unique(listed.filter { $0.bucket == bucket }
                .map { $0.key.hasSuffix("/") ? String($0.key.dropLast()) : $0.key })
            statements.append(Statement(sid: "List\(statements.count)", actions: ["s3:ListBucket"],
                                        resources: ["arn:\(partition):s3:::\(bucket)"],
                                        prefixes: prefixes.contains("") ? [] : prefixes.map { $0 + "*" }))
        }
        for (sid, action, locations) in [("Read", "s3:GetObject", read), ("Write", "s3:PutObject", written),
                                         ("Delete", "s3:DeleteObject", deleted)] where !locations.isEmpty {
            statements.append(Statement(sid: sid, actions: [action],
                                        resources: Self.unique(locations.map { "arn:\(partition):s3:::\($0.bucket)/\($0.key)*" }),
                                        prefixes: []))
        }
        self.statements = statements
    }

    /// The ARN partition of a region: `aws-cn` in China, `aws-us-gov` in GovCloud, else `aws`.
    static func partition(region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }

    /// The account of an ARN like `arn:aws:iam::123456789012:role/x`.
    static func account(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[4].count == 12, parts[4].allSatisfy(\.isNumber) else { return nil }
        return String(parts[4])
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// The policy document, pretty-printed with sorted keys.
    public var json: String {
        let document: [String: Any] = [
            "Version": "2012-10-17",
            "Statement": statements.map { statement -> [String: Any] in
                var entry: [String: Any] = ["Sid": statement.sid, "Effect": "Allow",
                                            "Action": statement.actions, "Resource": statement.resources]
                if !statement.prefixes.isEmpty {
                    entry["Condition"] = ["StringLike": ["s3:prefix": statement.prefixes]]
                }
                return entry
            },
        ]
        // Strings, arrays and dictionaries always encode.
        let data = (try? JSONSerialization.data(withJSONObject: document,
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
