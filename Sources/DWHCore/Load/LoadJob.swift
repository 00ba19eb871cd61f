import Foundation

/// `dwh load` as one job, decided before it acts: where each staging table's files come
/// from, how they are loaded on this dialect, and the transform that follows. The command
/// only prints; tests run the same job.
///
/// - On PostgreSQL, dwh reads the files (a folder, a file or an `s3://` prefix) and streams
///   them in with COPY (`StagingLoader`).
/// - On Redshift, the cluster reads S3 itself (`RedshiftLoad`): `--songs` and `--events`
///   are used when they are `s3://` locations; a local path is refused, since the cluster
///   cannot read this machine's disk.
public struct LoadJob {
    public struct Request: Equatable, Sendable {
        public var songs: String?
        public var events: String?
        public var maxErrors: Int
        public var fullRefresh: Bool
        public var stagingOnly: Bool

        public init(songs: String? = nil, events: String? = nil, maxErrors: Int = 0, fullRefresh: Bool = false,
                    stagingOnly: Bool = false) {
            self.songs = songs
            self.events = events
            self.maxErrors = maxErrors
            self.fullRefresh = fullRefresh
            self.stagingOnly = stagingOnly
        }
    }

    /// How the staging tables are filled.
    public enum Method {
        case stream(StagingLoader.Sources)
        case redshiftCopy(RedshiftLoad)
        /// Only the new and changed objects, through COPY manifests ([S3] STAGING_PREFIX or
        /// UNLOAD_PREFIX set); `--full-refresh` empties staging and the manifest first.
        case redshiftIncremental(RedshiftLoad, RedshiftLoad.Incremental)
    }

    public let request: Request
    public let method: Method

    /// The transform to run after the load, or nil with `stagingOnly`. A Redshift load of
    /// whole prefixes replaces staging, so its transform rebuilds; one through COPY manifests
    /// is followed by an incremental one, as on PostgreSQL.
    public var transform: TransformOptions? {
        guard !request.stagingOnly else { return nil }
        if case .redshiftCopy = method { return TransformOptions(fullRefresh: true) }
        return TransformOptions(fullRefresh: request.fullRefresh)
    }

    /// Plans the job: the flags first, then [S3] SONG_DATA and LOG_DATA in dwh.cfg. `awsLog`
    /// receives a line per S3 request the load makes itself (`dwh load --verbose`).
    public init(_ request: Request, dialect: Dialect, config: ConfigFile?, awsLog: (@Sendable (String) -> Void)? = nil) throws {
        self.request = request
        let events = request.events ?? config?.value("S3", "LOG_DATA")?.value
        let songs = request.songs ?? config?.value("S3", "SONG_DATA")?.value
        switch dialect {
        case .redshift:
            let load = RedshiftLoad(try RedshiftLoad.Settings(config: config, maxErrors: request.maxErrors,
                                                              songs: request.songs, events: request.events))
            if var incremental = try RedshiftLoad.Incremental(config: config, fullRefresh: request.fullRefresh) {
                incremental.log = awsLog
                method = .redshiftIncremental(load, incremental)
            } else {
                method = .redshiftCopy(load)
            }
        case .postgres:
            var sources: StagingLoader.Sources = []
            for (table, path) in [(StagingTable.events, events), (.songs, songs)] {
                guard let path, !path.isEmpty else { continue }
                let source: LoadSource = path.hasPrefix("s3://")
                    ? try S3LoadSource(url: path, settings: AWSSettings.resolve(endpointFlag: nil, config: config), log: awsLog)
                    : LocalFileSource(path: path)
                sources.append((table, source))
            }
            guard !sources.isEmpty else { throw LoadError.noSources }
            method = .stream(sources)
        }
    }
}
