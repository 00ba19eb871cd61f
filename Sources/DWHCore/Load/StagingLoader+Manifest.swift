import Foundation
import Postgres

/// Streams the files of one table through one COPY, reporting progress as it goes.
struct FileStreamer {
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

    init(plan: LoadPlan, sources: StagingLoader.Sources, maxErrors: Int, progress: @escaping (LoadProgress) -> Void) {
        self.sources = Dictionary(sources.map { ($0.table.name, $0.source) }, uniquingKeysWith: { $1 })
        self.maxErrors = maxErrors
        self.progress = progress
        filesTotal = plan.toLoad.count
        bytesTotal = plan.toLoad.reduce(0) { $0 + $1.file.size }
    }

    mutating func copy(_ items: [LoadPlan.Item], table: StagingTable, into connection: Connection,
                       bad: (BadRecord) -> Void) throws -> [FileReadSummary] {
        let reader = RecordReader(table: table)
        let out = ByteBuffer()
        var summaries: [FileReadSummary] = []
        try connection.copyIn(table.copyStatement) { writer in
            for item in items {
                guard let source = sources[table.name], let fileID = item.fileID else { continue }
                let base = (rows: rows, bytes: bytesRead)
                let summary = try reader.read(try source.open(item.file), path: item.file.path, fileID: fileID, into: out,
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
    /// Every manifest row (what `dwh load` compares the sources with).
    public func readManifest() throws -> [ManifestEntry] {
        let result = try database("read the manifest") { try connection.execute(LoadSQL.readManifest) }
        return (0..<result.rowCount).map { row in
            ManifestEntry(fileID: Int(result[row, 0] ?? "") ?? 0, table: result[row, 1] ?? "", path: result[row, 2] ?? "",
                          size: Int64(result[row, 3] ?? "") ?? 0, modifiedMicros: Int64(result[row, 4] ?? "") ?? 0,
                          contentHash: result[row, 5] ?? "", rows: Int(result[row, 6] ?? "") ?? 0,
                          loadedAt: result[row, 7] ?? "")
        }
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

    func writeManifest(_ loaded: [(item: LoadPlan.Item, summary: FileReadSummary)], runID: String, at time: String) throws {
        guard !loaded.isEmpty else { return }
        try connection.copyIn(LoadSQL.copyManifest) { writer in
            for (item, summary) in loaded {
                let fields: [String?] = [String(item.fileID ?? 0), item.table.name, item.file.path, String(summary.bytes),
                                         String(item.file.modifiedMicros), summary.hash, String(summary.rows), runID, time]
                try writer.write(CopyText.row(fields))
            }
        }
    }

    func writeErrors(_ records: [BadRecord], runID: String, at time: String) throws {
        guard !records.isEmpty else { return }
        try connection.copyIn(LoadSQL.copyErrors) { writer in
            for record in records {
                try writer.write(CopyText.row([runID, record.file, String(record.line), record.field.map { String($0.prefix(200)) },
                                               String(record.reason.prefix(1000)), record.raw, time]))
            }
        }
    }
}

/// COPY text format for the few rows built from Swift strings (manifest, errors).
enum CopyText {
    static func row(_ fields: [String?]) -> String {
        fields.map { field in
            guard let field else { return "\\N" }
            var escaped = ""
            escaped.reserveCapacity(field.utf8.count)
            for character in field.unicodeScalars {
                switch character {
                case "\\": escaped += "\\\\"
                case "\t": escaped += "\\t"
                case "\n": escaped += "\\n"
                case "\r": escaped += "\\r"
                case "\u{0}": escaped += "\u{FFFD}"
                default: escaped.unicodeScalars.append(character)
                }
            }
            return escaped
        }.joined(separator: "\t") + "\n"
    }
}
