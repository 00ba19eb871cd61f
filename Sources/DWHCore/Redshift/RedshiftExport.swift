import Foundation
import Postgres

/// A large export on Redshift, the way Redshift users make one: the cluster writes the
/// rows to S3 itself (`UNLOAD … FORMAT CSV HEADER PARALLEL OFF`), then dwh streams the
/// objects down into the output and deletes them. Rows never pass through the leader
/// node's cursor, whose FETCH is limited to 1,000 rows a call on a single-node cluster.
///
/// UNLOAD's MANIFEST names the objects it wrote, so dwh reads and deletes exactly those,
/// with no listing of the bucket. The statement is a plain value, so tests compare it
/// without a cluster. UNLOAD takes its
/// query as a string, which cannot hold bind parameters: each `$n` is replaced by its value
/// as a quoted Redshift literal, and the query is then quoted as a whole.
public struct RedshiftExport: Equatable, Sendable {
    /// [S3] UNLOAD_PREFIX (a writable `s3://bucket/prefix/`), [IAM_ROLE] ARN, and the AWS
    /// settings dwh reads the objects with.
    public struct Settings: Sendable {
        public var prefix: S3Location
        public var iamRole: String
        public var aws: AWSSettings

        public init(prefix: S3Location, iamRole: String, aws: AWSSettings) {
            self.prefix = prefix
            self.iamRole = iamRole
            self.aws = aws
        }

        /// The settings from dwh.cfg, or nil when [S3] UNLOAD_PREFIX is not set (exports then
        /// stream through the connection).
        public static func from(config: ConfigFile?) throws -> Settings? {
            guard let prefix = config?.value("S3", "UNLOAD_PREFIX")?.value, !prefix.isEmpty else { return nil }
            guard let role = config?.value("IAM_ROLE", "ARN")?.value, !role.isEmpty else {
                throw LoadError.missingSetting(section: "IAM_ROLE", key: "ARN")
            }
            return Settings(prefix: try S3Location(parsing: prefix), iamRole: role,
                            aws: try AWSSettings.resolve(endpointFlag: nil, config: config))
        }
    }

    /// Where this run's objects go: a folder of its own under the prefix.
    public let folder: S3Location
    public let statement: String

    public init(query: String, parameters: [String], prefix: S3Location, iamRole: String,
                runID: String = UUID().uuidString.lowercased()) {
        let base = prefix.key.isEmpty || prefix.key.hasSuffix("/") ? prefix.key : prefix.key + "/"
        folder = S3Location(bucket: prefix.bucket, key: base + "dwh-export-\(runID)/")
        let inlined = Self.inline(parameters, into: QueryText.stripped(query))
        statement = SQLScanner.fillingPlaceholders(in: RedshiftSQL.unload.sql, [
            "query": RedshiftLoad.literal(inlined),
            "target": RedshiftLoad.literal("s3://\(folder.bucket)/\(folder.key)part_"),
            "role": RedshiftLoad.literal(iamRole),
        ])
    }

    /// Whether UNLOAD can take `query`: not with a LIMIT in its outer SELECT, which UNLOAD
    /// refuses ("Unloading data to Amazon S3" in the Redshift developer guide).
    public static func canUnload(_ query: String) -> Bool {
        var depth = 0
        for token in SQLTokens(query).tokens {
            if token == "(" { depth += 1 } else if token == ")" { depth -= 1 } else if depth == 0 && token == "limit" { return false }
        }
        return true
    }

    /// `$1`, `$2`, … outside strings, quoted names and comments, replaced by their values as
    /// quoted literals (a cast after one, `$1::int`, still applies).
    static func inline(_ values: [String], into sql: String) -> String {
        SQLScanner.replacingParameters(in: sql) { number in
            values.indices.contains(number - 1) ? RedshiftLoad.literal(values[number - 1]) : nil
        }
    }

    /// Runs the UNLOAD, then streams the objects it wrote into `output` and deletes them,
    /// also when something fails. Returns the rows unloaded.
    public func run(on connection: Connection, settings: Settings, to output: ByteSink) throws -> Int {
        let client = try AWSClient(settings: settings.aws)
        defer { removeObjects(client) }
        try Interrupts.shared.cancelling(connection) { try connection.execute(statement) }
        let rows = Int(try connection.execute(RedshiftSQL.unloadCount).scalar ?? "") ?? 0
        try download(client, to: output)
        return rows
    }

    /// The manifest UNLOAD writes beside the parts: `<prefix>manifest`.
    var manifest: S3Location { S3Location(bucket: folder.bucket, key: folder.key + "part_manifest") }

    /// The objects the manifest lists, in its order; none when there is no manifest.
    func parts(_ client: AWSClient) throws -> [S3Location] {
        var body: [UInt8] = []
        try client.getObject(manifest) { body.append(contentsOf: $0) }
        struct Manifest: Decodable {
            struct Entry: Decodable { let url: String }
            let entries: [Entry]
        }
        do {
            return try JSONDecoder().decode(Manifest.self, from: Data(body)).entries.map { try S3Location(parsing: $0.url) }
        } catch {
            throw AWSError.unreadableResponse(service: "s3", action: "UNLOAD manifest \(manifest)", status: 200)
        }
    }

    /// Streams the parts into `output` in the manifest's order, the header once: every part
    /// UNLOAD writes starts with it.
    func download(_ client: AWSClient, to output: ByteSink) throws {
        for (index, part) in try parts(client).enumerated() {
            var skippingHeader = index > 0
            try client.getObject(part) { chunk in
                guard skippingHeader else { return try output.write(chunk) }
                guard let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) else { return }
                skippingHeader = false
                try output.write(UnsafeRawBufferPointer(rebasing: chunk[(newline + 1)...]))
            }
        }
    }

    /// Deletes what the run left in S3; a failure here leaves objects to remove by hand,
    /// never a failed export.
    func removeObjects(_ client: AWSClient) {
        for part in (try? parts(client)) ?? [] { try? client.deleteObject(part) }
        try? client.deleteObject(manifest)
        // An UNLOAD that failed part-way wrote parts and no manifest: the run's folder is
        // its own, so whatever is left in it goes too.
        for object in (try? client.allObjects(folder)) ?? [] {
            try? client.deleteObject(S3Location(bucket: folder.bucket, key: object.key))
        }
    }
}
