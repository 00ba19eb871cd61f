/// The type of a staging column, as COPY will check it.
public enum ColumnType: Equatable, Sendable {
    /// Text of at most this many bytes (Redshift counts varchar length in bytes).
    case varchar(Int)
    case integer
    case bigint
    /// A bigint of milliseconds since 1970 that the transform turns into a timestamp: only
    /// times from year 1 to year 9999 (`ColumnType.epochMillisecondRange`), which PostgreSQL,
    /// Redshift and every tool reading the star schema can hold. A bigint beyond them would
    /// stop every later transform ("interval out of range"); it is a bad record instead.
    case epochMilliseconds
    case double

    /// 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999 UTC, in milliseconds since 1970.
    public static let epochMillisecondRange: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999
}

/// One staging column and the JSON key it is filled from.
public struct StagingColumn: Equatable, Sendable {
    public var name: String
    public var key: String
    public var type: ColumnType
    /// A record without a value here (missing or null) is a bad record.
    public var required: Bool

    public init(_ name: String, key: String, _ type: ColumnType, required: Bool = false) {
        self.name = name
        self.key = key
        self.type = type
        self.required = required
    }
}

/// A staging table as the loader sees it: its columns in table order (the order of
/// `migrations/0001_staging_tables.sql`, which Redshift's JSONPaths COPY relies on) and
/// the kind of file that fills it.
public struct StagingTable: Equatable, Sendable {
    public enum FileShape: Sendable {
        /// One JSON object per line; the last line may lack its newline.
        case jsonLines
        /// One object per file, pretty-printed or not (several concatenated are accepted).
        case objects
    }

    public var name: String
    public var columns: [StagingColumn]
    public var shape: FileShape
    /// The columns after the JSON ones that say where each row comes from: its file (so a
    /// changed file's rows can be replaced) and the line its record starts on (so a star
    /// row can name the one event it was made from).
    public static let sourceColumns = ["file_id", "line_number"]

    /// `COPY … FROM STDIN` for this table: the JSON columns, then the source columns.
    public func copyStatement(_ format: CopyFormat = .text) -> String {
        "COPY \(name) (\((columns.map(\.name) + Self.sourceColumns).joined(separator: ", "))) FROM STDIN"
            + (format == .binary ? " WITH (FORMAT binary)" : "")
    }

    /// The event logs, key for key as `log_json_path.json` lists them.
    public static let events = StagingTable(name: "staging_events", columns: [
        StagingColumn("artist", key: "artist", .varchar(1024)),
        StagingColumn("auth", key: "auth", .varchar(32)),
        StagingColumn("first_name", key: "firstName", .varchar(256)),
        StagingColumn("gender", key: "gender", .varchar(8)),
        StagingColumn("item_in_session", key: "itemInSession", .integer),
        StagingColumn("last_name", key: "lastName", .varchar(256)),
        StagingColumn("length", key: "length", .double),
        StagingColumn("level", key: "level", .varchar(16)),
        StagingColumn("location", key: "location", .varchar(1024)),
        StagingColumn("method", key: "method", .varchar(16)),
        StagingColumn("page", key: "page", .varchar(64), required: true),
        StagingColumn("registration", key: "registration", .double),
        StagingColumn("session_id", key: "sessionId", .integer),
        StagingColumn("song", key: "song", .varchar(1024)),
        StagingColumn("status", key: "status", .integer),
        StagingColumn("ts", key: "ts", .epochMilliseconds, required: true),
        StagingColumn("user_agent", key: "userAgent", .varchar(1024)),
        StagingColumn("user_id", key: "userId", .varchar(32)),
    ], shape: .jsonLines)

    /// The song metadata files, key for key as Redshift's `JSON 'auto'` matches them.
    public static let songs = StagingTable(name: "staging_songs", columns: [
        StagingColumn("num_songs", key: "num_songs", .integer),
        StagingColumn("artist_id", key: "artist_id", .varchar(32), required: true),
        StagingColumn("artist_latitude", key: "artist_latitude", .double),
        StagingColumn("artist_longitude", key: "artist_longitude", .double),
        StagingColumn("artist_location", key: "artist_location", .varchar(1024)),
        StagingColumn("artist_name", key: "artist_name", .varchar(1024)),
        StagingColumn("song_id", key: "song_id", .varchar(32), required: true),
        StagingColumn("title", key: "title", .varchar(1024)),
        StagingColumn("duration", key: "duration", .double),
        StagingColumn("year", key: "year", .integer),
    ], shape: .objects)
}
