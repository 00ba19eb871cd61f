import Foundation

/// The named statements of `Resources/Load/load.sql`, and the transform and check files.
enum LoadSQL {
    static let lockManifest = statement("lock_manifest")
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
    static let now = statement("now")
    static let tableExists = statement("table_exists")

    private static let all: [String: String] = TrackerSQL.parse(resource("load", in: "Load"))

    private static func statement(_ name: String) -> String {
        guard let sql = all[name] else { fatalError("Resources/Load/load.sql has no statement named \(name)") }
        return sql
    }

    /// The text of `Resources/<folder>/<name>.sql`; a missing file is a packaging bug.
    static func resource(_ name: String, in folder: String) -> String {
        EmbeddedResource.text("\(folder)/\(name).sql")
    }
}
