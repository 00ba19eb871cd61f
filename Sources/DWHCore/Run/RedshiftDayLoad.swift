import Foundation

/// What a day of `dwh run` copies on Redshift, where the cluster reads S3 itself:
///
/// - With a folder for COPY manifests ([S3] STAGING_PREFIX or UNLOAD_PREFIX): the day's
///   object alone (`[RUN] EVENTS` rendered for the day, an `s3://` key), and the new and
///   changed objects of `[RUN] SONGS` (else [S3] SONG_DATA) on the run's first day, each
///   exactly once (`RedshiftLoad.runIncremental`).
/// - Without one: [S3] LOG_DATA and SONG_DATA whole, as `dwh load` copies them there. That
///   load empties the manifest, so the day's transform rebuilds from staging; both are
///   correct, but only the first (whose transform is incremental) costs what the day holds.
///
/// A value, so that tests compare what a day would copy without a cluster.
enum RedshiftDayLoad {
    case incremental(RedshiftLoad, RedshiftLoad.Incremental, songs: Bool)
    case whole(RedshiftLoad)

    /// `events`: the day's rendered `[RUN] EVENTS`; `songs`: the step's songs (nil on the
    /// days after a run's first).
    init(events: String, songs: String?, settings: RunSettings, config: ConfigFile?, maxErrors: Int) throws {
        guard let incremental = try RedshiftLoad.Incremental(config: config) else {
            self = .whole(RedshiftLoad(try RedshiftLoad.Settings(config: config, maxErrors: maxErrors)))
            return
        }
        guard events.hasPrefix("s3://") else {
            throw RunError.config(key: "[RUN] EVENTS", reason: "the cluster copies the day's file from S3, so it must be an "
                + "s3:// template on Redshift, not \(events)")
        }
        if let folder = settings.songs, !folder.hasPrefix("s3://") {
            throw RunError.config(key: "[RUN] SONGS", reason: "the cluster copies the song files from S3, so it must be an "
                + "s3:// prefix on Redshift, not \(folder)")
        }
        let load = RedshiftLoad(try RedshiftLoad.Settings(config: config, maxErrors: maxErrors, songs: settings.songs, events: events))
        self = .incremental(load, incremental, songs: songs != nil)
    }
}
