/// What one dwh command works from, read once when it starts: the settings file and its
/// warnings, and the database the flag, the environment or the file names. A command prints
/// the warnings once and opens one session from its context; whatever else it needs from
/// dwh.cfg later (UNLOAD, S3, the load's sources) comes from `config`, never from a second
/// read that would print the warnings again.
public struct CommandContext: Sendable {
    /// The settings file's path, as given (`dwh.cfg` by default).
    public let configPath: String
    /// The parsed settings file; nil when there is none.
    public let config: ConfigFile?
    /// What is odd about the file (an unknown key or section, a section twice, a file
    /// others can read), one sentence each, for the command to print once.
    public let warnings: [String]
    /// `--database-url`, which beats DWH_DATABASE_URL and dwh.cfg.
    public let databaseURL: String?
    /// `--iam`: sign in with GetClusterCredentials whatever `[CLUSTER] AUTH` says.
    public let iam: Bool

    public init(configPath: String, databaseURL: String? = nil, iam: Bool = false) throws {
        self.configPath = configPath
        self.databaseURL = databaseURL
        self.iam = iam
        let config = try ConfigFile.load(configPath)
        self.config = config
        warnings = config.map { ConfigSchema.warnings(for: $0) + [ConfigSchema.permissionWarning(for: $0)].compactMap { $0 } } ?? []
    }

    /// The database the command works on.
    public func target() throws -> DatabaseTarget {
        try DatabaseTarget.resolve(flag: databaseURL, config: config, iam: iam)
    }

    /// Connects to the target (starting the embedded server when it is the target).
    public func openSession() throws -> Session {
        try Session(target: target())
    }

    /// How a result written as `format` on `dialect` leaves the database: the UNLOAD
    /// settings when it goes through S3 (CSV on Redshift with [S3] UNLOAD_PREFIX set), nil
    /// when it streams through the connection. Whether the query itself can be unloaded
    /// (no outer LIMIT) is `RedshiftExport.canUnload`, decided when it runs.
    public func unload(dialect: Dialect, format: OutputFormat) throws -> RedshiftExport.Settings? {
        guard dialect == .redshift, format == .csv else { return nil }
        return try RedshiftExport.Settings.from(config: config)
    }
}
