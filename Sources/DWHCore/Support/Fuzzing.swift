import Foundation

/// Entry points for the fuzz harnesses in `fuzz/`: each takes any bytes and must return
/// without crashing, whatever they hold (a thrown error is a fine answer). `make fuzz` runs
/// each under libFuzzer with AddressSanitizer; a crash it finds becomes a regression test.
public enum Fuzzing {
    /// The parsers a harness can drive, by the name `make fuzz` uses.
    public static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "records": records, "config": config, "migration": migration, "saved-query": savedQuery, "report": report,
    ]

    /// The JSON record reader, for both staging tables, in both COPY formats, with a small
    /// buffer and reads cut at a size the input chooses, so records cross buffer ends.
    public static func records(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let data = Array(bytes.dropFirst())
        let chunk = Int(first % 31) + 1
        for table in [StagingTable.events, .songs] {
            for format in [CopyFormat.text, .binary] {
                let reader = RecordReader(table: table, format: format, bufferSize: 64)
                let out = ByteBuffer()
                var bad = 0
                _ = try? reader.read(ChunkedStream(data, chunk: chunk), path: "fuzz.json", fileID: 1, into: out, flushBytes: 128,
                                     flush: { $0.count = 0 }, bad: { _ in bad += 1 })
            }
        }
    }

    /// dwh.cfg: parsing, the schema's warnings and the effective settings with secrets masked.
    public static func config(_ bytes: [UInt8]) {
        guard let file = try? ConfigFile(path: "fuzz.cfg", text: String(decoding: bytes, as: UTF8.self)) else { return }
        _ = ConfigSchema.warnings(for: file)
        _ = file.entries.map { ConfigSchema.isSecret(section: $0.section, key: $0.key) }
        var copy = file
        copy.set("CLUSTER", "HOST", "h")
        _ = copy.text
    }

    /// A migration file: its name-free parts, both sections for both dialects, the SQL
    /// splitter, the checksum, and the strict dialect blocks of bundled SQL files.
    public static func migration(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = SQLSplitter.split(text)
        _ = SQLTokens(text)
        _ = QueryText.copyDirection(text)
        if let file = try? SQLFile(path: "fuzz.sql", contents: text) {
            for dialect in [Dialect.postgres, .redshift] { _ = file.render(for: dialect).statements }
        }
        guard let file = try? MigrationFile(fileName: "0001_fuzz.sql", displayPath: "fuzz", contents: text) else { return }
        for dialect in [Dialect.postgres, .redshift] {
            for direction in [MigrationFile.Direction.up, .down] {
                let script = file.render(direction, for: dialect)
                for statement in script.statements { _ = script.fileLocation(ofOffset: statement.offset + statement.sql.unicodeScalars.count) }
            }
            _ = file.checksum(for: dialect)
        }
    }

    /// A saved query's header and body, and its parameters' checks on a value.
    public static func savedQuery(_ bytes: [UInt8]) {
        guard let query = try? SavedQuery(text: String(decoding: bytes, as: UTF8.self), file: "fuzz.sql") else { return }
        for parameter in query.parameters { _ = parameter.normalize(parameter.defaultValue ?? "2018-11-01") }
    }

    /// `report.txt`.
    public static func report(_ bytes: [UInt8]) {
        _ = try? ReportDefinition(text: String(decoding: bytes, as: UTF8.self), file: "report.txt")
    }
}

/// Bytes read back `chunk` at a time, so that records cross buffer ends.
final class ChunkedStream: ByteStream {
    private let bytes: [UInt8]
    private let chunk: Int
    private var offset = 0

    init(_ bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        self.chunk = chunk
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, chunk, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }
}
