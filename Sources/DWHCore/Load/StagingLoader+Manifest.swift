import Foundation
import Postgres

extension StagingLoader {
    /// The manifest as it is now, sorted by the bytes of its paths, in a temporary file
    /// (streamed with COPY: a big load's manifest holds a row per file). Only what `sources`
    /// can meet is read: the records of their tables, which a file's bytes are looked up
    /// among, and any record under their roots. Runs in a transaction.
    func spoolManifest(for sources: Sources) throws -> SpoolFile {
        let spool = try SpoolFile()
        let out = ByteBuffer(capacity: 1 << 18)
        let tables = Set(sources.map(\.table.name)).sorted(), roots = sources.compactMap(\.source.manifestRoot)
        try database("read the manifest") {
            try connection.execute(LoadSQL.scopeManifest, ["{" + tables.map(Self.arrayElement).joined(separator: ",") + "}",
                                                           "{" + roots.map(Self.arrayElement).joined(separator: ",") + "}"])
            try connection.copyOut(LoadSQL.readManifest) { chunk in
                out.append(chunk.bindMemory(to: UInt8.self))
                if out.count >= 1 << 18 { try spool.write(out) }
            }
        }
        try spool.write(out)
        return spool
    }

    /// Removes the staging rows and manifest rows of files loaded again since they changed
    /// (or gone, with `--prune`), and leaves the transformed ones' ids for the transform,
    /// which removes their star rows.
    func removeReplaced(_ fileIDs: [Int]) throws {
        guard !fileIDs.isEmpty else { return }
        let ids = "{" + fileIDs.map(String.init).joined(separator: ",") + "}"
        try connection.execute(LoadSQL.deleteEventRows, [ids])
        try connection.execute(LoadSQL.deleteSongRows, [ids])
        try connection.execute(LoadSQL.rememberRemoved, [ids])
        try connection.execute(LoadSQL.forgetFiles, [ids])
    }

    /// Whether a recorded local path still holds a regular file.
    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Moved files take their new paths (in two steps, so that two files may swap paths),
    /// touched files their new times; their rows, file ids and star rows stay.
    func recordMovesAndTouches(_ outcome: LoadOutcome) throws {
        let changes = outcome.moved.map { ($0.entry.fileID, $0.to) } + outcome.touched.map { ($0.fileID, $0.file) }
        guard !changes.isEmpty else { return }
        let ids = "{" + changes.map { String($0.0) }.joined(separator: ",") + "}"
        let paths = "{" + changes.map { Self.arrayElement($0.1.path) }.joined(separator: ",") + "}"
        let times = "{" + changes.map { String($0.1.modifiedMicros) }.joined(separator: ",") + "}"
        try connection.execute(LoadSQL.parkFiles, [ids])
        try connection.execute(LoadSQL.moveFiles, [ids, paths, times])
    }

    /// A text element of an array literal, quoted.
    static func arrayElement(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    func writeErrors(_ records: [BadRecord], runID: String, at time: String) throws {
        try CopyText.copy(records, LoadSQL.copyErrors.sql, into: connection) { record in
            [runID, record.file, String(record.line), record.field.map { String($0.prefix(200)) },
             String(record.reason.prefix(1000)), record.raw, time]
        }
    }
}

extension ManifestCursor {
    /// Reads the manifest spooled by `StagingLoader.spoolManifest` (COPY text of
    /// `read_manifest`'s columns).
    init(spool: SpoolFile) throws {
        try self.init(entries: {
            var lines = SpoolFile.LineReader(spool)
            return {
                while let line = try lines.next() {
                    let fields = CopyText.fields(line)
                    guard fields.count == 9 else { continue }
                    return ManifestEntry(fileID: Int(fields[0]) ?? 0, table: fields[1], path: fields[2],
                                         size: Int64(fields[3]) ?? 0, modifiedMicros: Int64(fields[4]) ?? 0,
                                         rows: Int(fields[5]) ?? 0, loadedAt: fields[6],
                                         etag: fields[7].isEmpty ? nil : fields[7], contentHash: fields[8])
                }
                return nil
            }
        })
    }
}
