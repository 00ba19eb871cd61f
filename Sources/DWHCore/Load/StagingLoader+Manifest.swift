import Foundation
import Postgres

/// Streams the files of one table through one COPY, reporting progress as it goes.
struct FileStreamer {
    let items: [LoadPlan.Item]
    let sources: [String: LoadSource]
    let maxErrors: Int
    let progress: (LoadProgress) -> Void
    let filesTotal: Int
    let bytesTotal: Int64
    private let started = DispatchTime.now().uptimeNanoseconds
    private(set) var filesDone = 0
    private(set) var rows = 0
    private(set) var bytesRead: Int64 = 0
    private var badCount = 0

    init(items: [LoadPlan.Item], toLoad: [Int], sources: StagingLoader.Sources, maxErrors: Int,
         progress: @escaping (LoadProgress) -> Void) {
        self.items = items
        self.sources = Dictionary(sources.map { ($0.table.name, $0.source) }, uniquingKeysWith: { $1 })
        self.maxErrors = maxErrors
        self.progress = progress
        filesTotal = toLoad.count
        bytesTotal = toLoad.reduce(0) { $0 + items[$1].file.size }
    }

    mutating func copy(_ indices: [Int], table: StagingTable, into connection: Connection,
                       bad: (BadRecord) -> Void) throws -> [FileReadSummary] {
        let reader = RecordReader(table: table)
        let out = ByteBuffer()
        var summaries: [FileReadSummary] = []
        guard let source = sources[table.name] else { return summaries }
        let prefetcher = FilePrefetcher(source: source, count: indices.count) { [items] in items[indices[$0]].file }
        defer { prefetcher.stop() }
        try connection.copyIn(table.copyStatement) { writer in
            for index in indices {
                let item = items[index]
                let contents = try prefetcher.next()
                guard let fileID = item.fileID else { continue }
                let stream = try contents.map { MemoryStream($0) } ?? source.open(item.file)
                let base = (rows: rows, bytes: bytesRead)
                let summary = try reader.read(stream, path: item.file.path, fileID: fileID, into: out,
                                              flush: { buffer in
                    try writer.write(buffer.bytes)
                    buffer.removeAll()
                    report(rows: base.rows + reader.rowsSoFar, bytes: base.bytes + reader.bytesSoFar)
                }, bad: { record in
                    bad(record)
                    badCount += 1
                    if badCount > maxErrors {
                        throw LoadError.tooManyErrors(count: badCount, maxErrors: maxErrors, first: [record])
                    }
                })
                filesDone += 1
                rows += summary.rows
                bytesRead += summary.bytes
                summaries.append(summary)
                report(rows: rows, bytes: bytesRead)
            }
            try writer.write(out.bytes)
            out.removeAll()
        }
        return summaries
    }

    private func report(rows: Int, bytes: Int64) {
        progress(LoadProgress(filesDone: filesDone, filesTotal: filesTotal, rows: rows, bytesRead: bytes, bytesTotal: bytesTotal,
                              seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
    }
}

extension StagingLoader {
    /// Every manifest row (what `dwh load` compares the sources with), streamed.
    public func readManifest() throws -> [ManifestEntry] {
        var entries: [ManifestEntry] = []
        var pending: [UInt8] = []
        try database("read the manifest") {
            try connection.copyOut(LoadSQL.readManifest) { chunk in
                pending.append(contentsOf: chunk)
                var lineStart = 0
                while let newline = pending[lineStart...].firstIndex(of: 0x0A) {
                    let fields = CopyText.fields(pending[lineStart..<newline])
                    if fields.count == 8 {
                        entries.append(ManifestEntry(fileID: Int(fields[0]) ?? 0, table: fields[1], path: fields[2],
                                                     size: Int64(fields[3]) ?? 0, modifiedMicros: Int64(fields[4]) ?? 0,
                                                     rows: Int(fields[5]) ?? 0, loadedAt: fields[6],
                                                     etag: fields[7].isEmpty ? nil : fields[7]))
                    }
                    lineStart = newline + 1
                }
                pending.removeFirst(lineStart)
            }
        }
        return entries
    }

    /// Empties staging for a full refresh, or removes the rows and manifest rows of changed files.
    func removeReplaced(_ plan: LoadPlan) throws {
        if plan.fullRefresh {
            try connection.execute(LoadSQL.fullRefresh)
            return
        }
        let replaced = plan.replaced
        guard !replaced.isEmpty else { return }
        let ids = "{" + replaced.map { String($0.fileID) }.joined(separator: ",") + "}"
        try connection.execute(LoadSQL.deleteEventRows, [ids])
        try connection.execute(LoadSQL.deleteSongRows, [ids])
        try connection.execute(LoadSQL.forgetFiles, [ids])
    }

    func writeManifest(_ items: [LoadPlan.Item], _ loaded: [(index: Int, summary: FileReadSummary)],
                       runID: String, at time: String) throws {
        try CopyText.copy(loaded, LoadSQL.copyManifest, into: connection) { index, summary in
            let item = items[index]
            return [String(item.fileID ?? 0), item.table.name, item.file.path, String(summary.bytes),
             String(item.file.modifiedMicros), ContentHasher.hex(summary.hash), String(summary.rows), runID, time, item.file.etag]
        }
    }

    func writeErrors(_ records: [BadRecord], runID: String, at time: String) throws {
        try CopyText.copy(records, LoadSQL.copyErrors, into: connection) { record in
            [runID, record.file, String(record.line), record.field.map { String($0.prefix(200)) },
             String(record.reason.prefix(1000)), record.raw, time]
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
