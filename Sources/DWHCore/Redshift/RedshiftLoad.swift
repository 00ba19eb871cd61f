import Foundation
import Postgres

/// Loading on Redshift: the cluster reads S3 itself with `COPY … FROM 's3://…'`.
///
/// The statements are a plain value built from dwh.cfg, so tests compare them without a
/// cluster. Staging is emptied and filled in one transaction (Redshift reads the whole
/// prefix each time); on failure the refused rows are read from `STL_LOAD_ERRORS`, or
/// `SYS_LOAD_ERROR_DETAIL` where that table is not available.
public struct RedshiftLoad: Equatable, Sendable {
    public struct Settings: Equatable, Sendable {
        public var logData: String
        public var songData: String
        public var logJSONPath: String
        public var iamRole: String
        public var region: String
        public var maxErrors: Int

        public init(logData: String, songData: String, logJSONPath: String, iamRole: String, region: String, maxErrors: Int) {
            self.logData = logData
            self.songData = songData
            self.logJSONPath = logJSONPath
            self.iamRole = iamRole
            self.region = region
            self.maxErrors = maxErrors
        }

        /// [S3] LOG_DATA, SONG_DATA, LOG_JSONPATH, [IAM_ROLE] ARN and [AWS] REGION; each missing
        /// key is named. `songs` and `events` (`--songs`, `--events`) take the place of
        /// SONG_DATA and LOG_DATA; they must be `s3://` locations, which the cluster reads.
        public init(config: ConfigFile?, maxErrors: Int, songs: String? = nil, events: String? = nil) throws {
            func value(_ section: String, _ key: String) throws -> String {
                guard let value = config?.value(section, key)?.value, !value.isEmpty else {
                    throw LoadError.missingSetting(section: section, key: key)
                }
                return value
            }
            for (flag, path) in [("--songs", songs), ("--events", events)] {
                if let path, !path.hasPrefix("s3://") { throw LoadError.notOnS3(flag: flag, path: path) }
            }
            self.init(logData: try events ?? value("S3", "LOG_DATA"), songData: try songs ?? value("S3", "SONG_DATA"),
                      logJSONPath: try value("S3", "LOG_JSONPATH"), iamRole: try value("IAM_ROLE", "ARN"),
                      region: try value("AWS", "REGION"), maxErrors: maxErrors)
        }
    }

    public let settings: Settings
    /// The statements in the order they run, all inside one transaction.
    public let statements: [(table: String, statement: SQLStatement)]

    public static func == (lhs: RedshiftLoad, rhs: RedshiftLoad) -> Bool {
        lhs.statements.map(\.statement) == rhs.statements.map(\.statement)
    }

    public init(_ settings: Settings) {
        self.settings = settings
        let events: [String: String] = ["source": settings.logData, "role": settings.iamRole, "region": settings.region,
                                         "jsonpaths": settings.logJSONPath]
        var songs = events
        songs["source"] = settings.songData
        songs["jsonpaths"] = nil
        statements = [
            ("staging_events", RedshiftSQL.clearEvents),
            ("staging_events", Self.fill(RedshiftSQL.copyEvents, events, maxErrors: settings.maxErrors)),
            ("staging_songs", RedshiftSQL.clearSongs),
            ("staging_songs", Self.fill(RedshiftSQL.copySongs, songs, maxErrors: settings.maxErrors)),
            // Staging no longer holds what the manifest records: the next transform rebuilds.
            ("dwh_loaded_files", RedshiftSQL.clearManifest),
            ("dwh_transform_removed", RedshiftSQL.clearRemoved),
        ]
    }

    /// Puts each value in its placeholder as a Redshift string literal (quotes and
    /// backslashes doubled); MAXERROR takes a bare number.
    static func fill(_ template: SQLStatement, _ values: [String: String], maxErrors: Int) -> SQLStatement {
        template.filling(values.mapValues(literal).merging(["max_errors": String(max(0, maxErrors))]) { $1 })
    }

    static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Runs the COPYs in one transaction; a refused load is reported with Redshift's own error rows.
    public func run(on connection: Connection) throws {
        try connection.transaction {
            for statement in statements {
                do {
                    try connection.execute(statement.statement)
                } catch let error as SQLError {
                    // The error tables can only be read once the failed transaction is over.
                    _ = try? connection.execute("ROLLBACK")
                    throw LoadError.redshiftCopyFailed(table: statement.table, error: error,
                                                       details: Self.loadErrors(connection))
                }
            }
        }
    }

    /// The rows Redshift refused in this session's last COPY; empty when neither table can be read.
    static func loadErrors(_ connection: Connection) -> [RedshiftLoadError] {
        for query in [RedshiftSQL.loadErrors, RedshiftSQL.loadErrorsServerless] {
            guard let result = try? connection.execute(query) else { continue }
            return (0..<result.rowCount).map { row in
                RedshiftLoadError(file: result[row, 0] ?? "", line: Int(result[row, 1] ?? "") ?? 0,
                                  column: result[row, 2] ?? "", reason: result[row, 3] ?? "")
            }
        }
        return []
    }
}

enum RedshiftSQL {
    static let clearEvents = statement("clear_events")
    static let clearSongs = statement("clear_songs")
    static let copyEvents = statement("copy_events")
    static let copySongs = statement("copy_songs")
    static let loadErrors = statement("load_errors")
    static let loadErrorsServerless = statement("load_errors_serverless")
    static let copyEventsManifest = statement("copy_events_manifest")
    static let copySongsManifest = statement("copy_songs_manifest")
    static let loadCommits = statement("load_commits")
    static let copyCount = statement("copy_count")
    static let tagEvents = statement("tag_events")
    static let tagSongs = statement("tag_songs")
    static let analyzeEvents = statement("analyze_events")
    static let analyzeSongs = statement("analyze_songs")
    static let deleteEventRows = statement("delete_event_rows")
    static let deleteSongRows = statement("delete_song_rows")
    static let rememberRemovedGroup = statement("remember_removed_group")
    static let forgetGroup = statement("forget_group")
    static let recordFiles = statement("record_files")
    static let recordFileRow = statement("record_file_row")
    static let recordedObjects = statement("recorded_objects")
    static let lastFileID = statement("last_file_id")
    static let recordedRows = statement("recorded_rows")
    static let lockManifest = statement("lock_manifest")
    static let untrackedRows = statement("untracked_rows")
    static let clearManifest = statement("clear_manifest")
    static let clearRemoved = statement("clear_removed")
    static let unload = statement("unload")
    static let unloadCount = statement("unload_count")

    private static let all = SQLStatements("Redshift/copy.sql", for: .redshift)

    private static func statement(_ name: String) -> SQLStatement { all[name] }
}
