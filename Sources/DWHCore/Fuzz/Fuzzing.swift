import Foundation

/// Entry points for the fuzz harnesses in `fuzz/`: each takes any bytes and must return
/// without crashing, whatever they hold (a thrown error is a fine answer). `make fuzz` runs
/// each under libFuzzer with AddressSanitizer; a crash it finds becomes a regression test.
public enum Fuzzing {
    /// The parsers a harness can drive, by the name `make fuzz` uses.
    public static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "records": records, "config": config, "migration": migration, "saved-query": savedQuery, "report": report,
        "scanner": scanner,
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

    /// A migration file: its name-free parts, both sections for both dialects, the
    /// checksum, and the strict dialect blocks of bundled SQL files.
    public static func migration(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
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

    /// The SQL scanner and every view built on it, each checked against what it promises:
    /// spans that cover the text in order, statements that are slices of it, a mask of the
    /// same length with the newlines in place, a REPL buffer with no `;` left in code.
    public static func scanner(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let scanner = SQLScanner(text)
        let scalars = scanner.scalars
        var end = 0, utf8End = 0
        for (index, span) in scanner.spans.enumerated() {
            precondition(span.range.lowerBound == end && !span.range.isEmpty && span.utf8Range.lowerBound == utf8End, "a gap or an empty span")
            precondition(span.isTerminated || index == scanner.spans.count - 1, "an unterminated span before the end")
            precondition(!(span.isCode && index > 0 && scanner.spans[index - 1].isCode), "two runs of code in a row")
            (end, utf8End) = (span.range.upperBound, span.utf8Range.upperBound)
        }
        precondition(end == scalars.count && utf8End == text.utf8.count, "the spans do not reach the end")
        precondition(scanner.replacingCode { $0 } == text, "the spans do not give the text back")
        _ = scanner.codeWords
        _ = SQLTokens(scanner)
        _ = QueryText.copyDirection(text)
        _ = QueryText.onlyReads(text)
        _ = RedshiftExport.canUnload(text)
        _ = SQLScanner.replacingParameters(in: text) { "'\($0)'" }
        precondition(SQLScanner.replacingParameters(in: text) { _ in nil } == text, "parameters replaced by nothing")

        var last = 0
        let statements = SQLSplitter.split(text)
        for (index, statement) in statements.enumerated() {
            let length = statement.sql.unicodeScalars.count
            precondition(statement.offset >= last && statement.offset + length <= scalars.count, "statements out of order")
            precondition(SQLScanner.string(scalars[statement.offset..<statement.offset + length]) == statement.sql,
                         "a statement that is not a slice of the text")
            precondition(index == statements.count - 1 || statement.sql.hasSuffix(";"), "a statement cut before its ;")
            last = statement.offset + length
        }

        let mask = Array(SQLMask(text).text.unicodeScalars)
        precondition(mask.count == scalars.count && mask.allSatisfy(\.isASCII), "a mask of another length")
        precondition(zip(mask, scalars).allSatisfy { ($0 == "\n") == ($1 == "\n") }, "a mask that moves newlines")

        let lines = TextLines.split(text)
        let starts = SQLScanner.linesStartingInCode(lines)
        precondition(starts.count == lines.count && starts.first != false, "a line state per line")

        // Line by line, the buffer finishes what it finishes when given the text at once.
        var buffer = StatementBuffer(), whole = StatementBuffer()
        var finished: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            finished += buffer.append(line: String(line))
            let rest = SQLScanner(buffer.pending)
            precondition(!rest.codeSpans.contains { rest.text(of: $0).contains(";") }, "a ; left in the buffer")
        }
        // (Blank lines after a finished statement are dropped as they come: only the start differs.)
        precondition(finished == whole.append(line: text)
                     && buffer.pending.drop(while: \.isWhitespace) == whole.pending.drop(while: \.isWhitespace),
                     "the buffer depends on the lines")
        precondition(finished.allSatisfy { $0.hasSuffix(";") }, "a statement without its ;")
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
