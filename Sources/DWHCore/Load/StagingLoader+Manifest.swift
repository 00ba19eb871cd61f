import Foundation
import Postgres

extension StagingLoader {
    /// The manifest as it is now, sorted by the bytes of its paths, in a temporary file
    /// (streamed with COPY: a big load's manifest holds a row per file).
    func spoolManifest() throws -> SpoolFile {
        let spool = try SpoolFile()
        let out = ByteBuffer(capacity: 1 << 18)
        try database("read the manifest") {
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

/// One dwh_loaded_files row as a binary COPY tuple, in the column order of `copy_manifest`:
/// file_id, table_name, path, size_bytes, mtime_us, content_hash, rows_loaded, run_id,
/// loaded_at (microseconds since 2000-01-01, PostgreSQL's binary timestamp), etag.
struct ManifestRow {
    /// dwh_loaded_files.path is varchar(2048).
    static let maxPathBytes = 2048

    var fileID: Int
    var table: String
    var file: SourceFile
    var summary: FileReadSummary
    var runID: String
    var loadedAtMicros: Int64

    func append(to out: ByteBuffer) {
        out.append(bigEndian: UInt16(10))
        out.appendField(Int64(fileID))
        out.appendField(table)
        // A pipe or FIFO has no identity to compare: each load of one is a file of its own.
        out.appendField(file.size < 0 ? "\(file.path) @ run \(runID)" : file.path)
        out.appendField(summary.bytes)
        out.appendField(file.modifiedMicros)
        out.appendField(ContentHasher.hex(summary.hash))
        out.appendField(Int64(summary.rows))
        out.appendField(runID)
        out.appendField(loadedAtMicros)
        if let etag = file.etag { out.appendField(etag) } else { out.append(bigEndian: UInt32.max) }
    }
}

extension ByteBuffer {
    /// A binary COPY field: its length, then a bigint in network byte order.
    func appendField(_ value: Int64) {
        append(bigEndian: UInt32(8))
        append(bigEndian: UInt64(bitPattern: value))
    }

    /// A binary COPY field: its length, then the text's UTF-8 bytes.
    func appendField(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            append(bigEndian: UInt32(bytes.count))
            append(bytes)
        }
    }
}

/// COPY text format for the rows built from Swift strings (manifest, errors).
enum CopyText {
    static func append(_ fields: [String?], to out: ByteBuffer) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(0x09) }
            guard var field else { out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "N")); continue }
            field.withUTF8 { bytes in
                for byte in bytes {
                    switch byte {
                    case 0x5C: out.append(0x5C); out.append(0x5C)
                    case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                    case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                    case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                    case 0x00: out.append(0x3F)
                    default: out.append(byte)
                    }
                }
            }
        }
        out.append(0x0A)
    }

    /// The fields of one line of COPY text, unescaped (NULL reads as empty).
    static func fields(_ line: ArraySlice<UInt8>) -> [String] {
        var fields: [String] = []
        var current: [UInt8] = []
        var escaped = false
        for byte in line {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): current.append(0x09)
                case UInt8(ascii: "n"): current.append(0x0A)
                case UInt8(ascii: "r"): current.append(0x0D)
                case UInt8(ascii: "N"): break
                default: current.append(byte)
                }
                escaped = false
            } else if byte == 0x5C {
                escaped = true
            } else if byte == 0x09 {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }

    /// Streams `rows` into the COPY `sql` starts.
    static func copy<Row>(_ rows: [Row], _ sql: String, into connection: Connection, fields: (Row) -> [String?]) throws {
        guard !rows.isEmpty else { return }
        let out = ByteBuffer()
        try connection.copyIn(sql) { writer in
            for row in rows {
                append(fields(row), to: out)
                if out.count >= 1 << 18 { try writer.write(out.bytes); out.removeAll() }
            }
            try writer.write(out.bytes)
        }
    }
}
