import Foundation

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
