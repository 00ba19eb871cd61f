import Foundation

/// Everything that stops a load, each with what the user needs to act on it.
public enum LoadError: Error, CustomStringConvertible {
    case sourceMissing(path: String)
    /// An S3 prefix with objects, none of them `*.json`: `holds` says what they are.
    case noJSONObjects(location: String, holds: String)
    case unreadable(path: String, reason: String)
    case recordTooLarge(path: String, line: Int, limit: Int)
    case tooManyErrors(count: Int, maxErrors: Int, first: [BadRecord])
    case noSources
    case overlappingSources(first: String, second: String)
    case pathTooLong(path: String, limit: Int)
    case missingSetting(section: String, key: String)
    case notOnS3(flag: String, path: String)
    case notMigrated(table: String)
    /// A statement failed: `error` is an `SQLError` (placed in its file) or a `PostgresError`.
    case database(step: String, error: Error)
    case redshiftCopyFailed(table: String, error: SQLError, details: [RedshiftLoadError])
    /// An object listed, then gone before Redshift's COPY read it.
    case objectVanished(url: String, table: String)
    /// A COPY manifest that S3 refused to store (or remove).
    case manifestUnwritable(location: String, reason: String)
    /// What STL_LOAD_COMMITS says a COPY loaded is not what dwh meant it to load.
    case loadCommitsDiffer(table: String, missing: [String], unexpected: [String], scanned: Int, copied: Int)
    /// Staging rows without a file id (a whole-prefix COPY's) met by an incremental load.
    case untrackedStagingRows(events: Int, songs: Int)

    public var description: String {
        switch self {
        case .sourceMissing(let path):
            return "\(path): no such file or folder"
        case .noJSONObjects(let location, let holds):
            return "\(location) holds no *.json object to load; it holds \(holds)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .recordTooLarge(let path, let line, let limit):
            return "\(path):\(line): a record is longer than \(limit / (1 << 20)) MiB; is this a JSON lines file?"
        case .tooManyErrors(let count, let maxErrors, let first):
            let listed = first.prefix(10).map { "  \($0)" }.joined(separator: "\n")
            return "load stopped: \(count) bad record\(count == 1 ? "" : "s"), more than --max-errors \(maxErrors); "
                + "nothing of this run was kept (the records are in dwh_load_errors)\n\(listed)"
        case .overlappingSources(let first, let second):
            return "\(first) and \(second) overlap: the same files would load into both staging tables; give each table its own folder"
        case .pathTooLong(let path, let limit):
            return "\(path): the path is longer than the \(limit) bytes the manifest keeps; move the file to a shorter path"
        case .noSources:
            return "nothing to load: give --songs and/or --events, or set [S3] SONG_DATA and LOG_DATA in dwh.cfg"
        case .missingSetting(let section, let key):
            return "dwh.cfg has no [\(section)] \(key); loading on Redshift needs it"
        case .notOnS3(let flag, let path):
            return "\(flag) \(path): Redshift loads with COPY from S3, which cannot read this machine's files; "
                + "give an s3:// location, or upload the files to S3 first"
        case .notMigrated(let table):
            return "table \(table) does not exist; run `dwh migrate` first"
        case .database(let step, let error):
            return "\(step): \(error)"
        case .redshiftCopyFailed(let table, let error, let details):
            let lines = details.map { "  \($0)" }.joined(separator: "\n")
            return "COPY \(table) failed: \(error)\(lines.isEmpty ? "" : "\n" + lines)"
        case .objectVanished(let url, let table):
            return "\(url): the object was listed, then deleted before Redshift's COPY into \(table) read it; "
                + "nothing of this run was kept, so load again to go on without it"
        case .manifestUnwritable(let location, let reason):
            return "cannot write the COPY manifest \(location): \(reason); dwh needs s3:PutObject and s3:DeleteObject "
                + "on [S3] STAGING_PREFIX (or next to UNLOAD_PREFIX)"
        case .loadCommitsDiffer(let table, let missing, let unexpected, let scanned, let copied):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("not loaded: " + missing.prefix(5).joined(separator: ", ")) }
            if !unexpected.isEmpty { parts.append("loaded but not meant: " + unexpected.prefix(5).joined(separator: ", ")) }
            if scanned != copied { parts.append("\(scanned) lines scanned for \(copied) rows") }
            return "COPY \(table): STL_LOAD_COMMITS differs from the manifest (\(parts.joined(separator: "; "))); "
                + "nothing of this run was kept"
        case .untrackedStagingRows(let events, let songs):
            let held = [(events, "staging_events"), (songs, "staging_songs")].filter { $0.0 > 0 }
                .map { "\($0.0) \($0.0 == 1 ? "row" : "rows") in \($0.1)" }.joined(separator: " and ")
            return "staging holds \(held) that a whole-prefix COPY loaded (no file id): an incremental load cannot tell "
                + "which objects they came from, so nothing was copied; run `dwh load --full-refresh` once to reload "
                + "staging through COPY manifests"
        }
    }
}
