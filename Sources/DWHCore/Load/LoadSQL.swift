import Foundation

/// The named statements of `Resources/Load/load.sql`: the SQL of a local load.
enum LoadSQL {
    static let lockManifest = statement("lock_manifest")
    static let scopeManifest = statement("scope_manifest")
    static let readManifest = statement("read_manifest")
    static let fullRefresh = statement("full_refresh")
    static let deleteEventRows = statement("delete_event_rows")
    static let deleteSongRows = statement("delete_song_rows")
    static let rememberRemoved = statement("remember_removed")
    static let forgetFiles = statement("forget_files")
    static let copyManifest = statement("copy_manifest")
    static let copyErrors = statement("copy_errors")
    static let lastFileID = statement("last_file_id")
    static let recordedUnder = statement("recorded_under")
    static let adoptPaths = statement("adopt_paths")
    static let parkFiles = statement("park_files")
    static let moveFiles = statement("move_files")
    static let now = statement("now")
    static let tableExists = statement("table_exists")

    private static let all = SQLStatements("Load/load.sql")

    private static func statement(_ name: String) -> SQLStatement { all[name] }
}
