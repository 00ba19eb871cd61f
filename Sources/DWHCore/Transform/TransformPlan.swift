/// What a transform has to do, counted from the manifest under the transform's lock.
public struct TransformBacklog: Equatable, Sendable {
    /// Files loaded but not transformed yet.
    public var newEventFiles = 0
    public var newSongFiles = 0
    /// Transformed files that a load has replaced since: their star rows must go.
    public var removedEventFiles = 0
    public var removedSongFiles = 0
    /// Whether any file in the manifest has been transformed.
    public var anyTransformed = false
    /// Whether changes of plays wait for the listener tables (`dwh_pending_play_changes`),
    /// left by an earlier dwh, whose runs put the listener tables off to their last day.
    public var pendingPlayChanges = false

    public init(newEventFiles: Int = 0, newSongFiles: Int = 0, removedEventFiles: Int = 0, removedSongFiles: Int = 0,
                anyTransformed: Bool = false, pendingPlayChanges: Bool = false) {
        self.newEventFiles = newEventFiles
        self.newSongFiles = newSongFiles
        self.removedEventFiles = removedEventFiles
        self.removedSongFiles = removedSongFiles
        self.anyTransformed = anyTransformed
        self.pendingPlayChanges = pendingPlayChanges
    }
}

/// How a transform runs and which SQL files of `Resources/Transform/` it runs, in order:
/// decided before any star row changes, so tests compare plans without a database.
public struct TransformPlan: Equatable, Sendable {
    public enum Mode: String, Sendable {
        /// Nothing new, nothing removed: the star schema is current.
        case upToDate = "up to date"
        /// Only the new files' rows become star rows; removed files' rows go.
        case incremental
        /// Everything is rebuilt from staging.
        case full = "full rebuild"
    }

    public var mode: Mode
    public var backlog: TransformBacklog
    public var steps: [String]

    /// The same on both dialects: on Redshift, staging rows carry file ids only when the
    /// incremental load (a COPY manifest) put them there, and the whole-prefix load, which
    /// leaves none, empties the manifest, so that nothing counts as transformed and the next
    /// transform rebuilds.
    public init(backlog: TransformBacklog, fullRefresh: Bool) {
        self.backlog = backlog
        // Nothing transformed yet (first run, `load --full-refresh`, an upgrade, a whole-prefix
        // COPY on Redshift): nothing to add a batch to.
        if fullRefresh || !backlog.anyTransformed {
            mode = .full
            steps = ["10_full_prepare", "30_songs", "40_users", "50_time", "55_new_tracks", "56_full_track_matches", "57_tracks",
                     "60_songplays", "65_listeners", "90_full_finish", "99_finish"]
            return
        }
        let newEvents = backlog.newEventFiles > 0, removedEvents = backlog.removedEventFiles > 0
        let songsChanged = backlog.newSongFiles > 0 || backlog.removedSongFiles > 0
        let playsChanged = newEvents || removedEvents
        let listeners = playsChanged || backlog.pendingPlayChanges
        guard playsChanged || songsChanged || listeners else {
            mode = .upToDate
            steps = []
            return
        }
        mode = .incremental
        guard playsChanged || songsChanged else {
            steps = ["65_listeners"]
            return
        }
        steps = ["11_batch"]
        if removedEvents { steps.append("20_remove") }
        if songsChanged { steps += ["30_songs", "31_song_changes"] }
        if playsChanged { steps.append("40_users") }
        if newEvents { steps += ["50_time", "55_new_tracks", "57_tracks", "60_songplays"] }
        if listeners { steps.append("65_listeners") }
        steps.append("99_finish")
    }
}
