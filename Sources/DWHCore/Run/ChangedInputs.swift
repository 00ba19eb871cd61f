import Foundation
import Postgres

/// The days that succeeded but whose events file is no longer the one their success loaded:
/// another size, time or ETag than `dwh_loaded_files` records for its path, or a file now
/// where the day ran empty. They are run again without `--rerun`; the loader then replaces
/// the old file's rows (or, for a file only touched, records its new time), so the day ends
/// with the rows one clean run of the new file gives. A file that is gone changes nothing:
/// its rows stay, as `dwh load` keeps them.
///
/// Only sizes, times and ETags are compared (a stat or a listing per day, no read), so a
/// catch-up over a year of done days stays cheap.
struct ChangedInputs {
    static let sql = SQLStatements("Run/ledger.sql")

    /// What the manifest records of each staging_events file, by path.
    let recorded: [String: (size: Int64, modifiedMicros: Int64, etag: String?)]

    init(connection: Connection) throws {
        var recorded: [String: (Int64, Int64, String?)] = [:]
        if try connection.execute(Self.sql["manifest_exists"]).scalar != "0" {
            for row in try connection.execute(Self.sql["recorded_events"]).rows {
                guard let path = row[0] else { continue }
                recorded[path] = (Int64(row[1] ?? "") ?? -1, Int64(row[2] ?? "") ?? 0, row[3] ?? nil)
            }
        }
        self.recorded = recorded
    }

    /// Why the events file at `path` (listed by `source`) is not what its day's success
    /// loaded; nil when it is, or when it is not there.
    func change(path: String, source: LoadSource) -> String? {
        guard let file = (try? source.listFiles())?.first else { return nil }
        guard let before = recorded[file.path] else {
            return "its events file \(path) is there now, and was not when it succeeded"
        }
        if file.size != before.size { return "its events file \(path) changed (\(before.size) bytes then, \(file.size) now)" }
        if let etag = file.etag { return etag == before.etag ? nil : "its events file \(path) changed (another ETag)" }
        return file.modifiedMicros == before.modifiedMicros ? nil : "its events file \(path) was modified since it succeeded"
    }
}
