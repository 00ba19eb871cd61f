import Foundation

/// Why one field of a record cannot go into its column.
struct FieldProblem: Equatable {
    var field: String
    var reason: String
}

/// Turns a parsed record into one line of COPY text format, checking each value against
/// its column first, so COPY itself never fails on data: a value that would not fit is
/// reported here, naming the field, and the row is left out.
///
/// Values follow Redshift's `JSON 'auto'`: a number where text is expected becomes its
/// text as written, a numeric string where a number is expected its number; text is kept
/// byte for byte (COPY escapes for backslash, tab, newline and carriage return; `\N` is NULL).
struct CopyRowEncoder {
    let table: StagingTable
    /// Per column, the parser slot it reads: kept apart from `table.columns` so the hot
    /// loop copies no struct holding strings.
    private let keyIndex: [Int]

    init(table: StagingTable, parserKeys: [[UInt8]]) {
        self.table = table
        keyIndex = table.columns.map { column in parserKeys.firstIndex(of: Array(column.key.utf8))! }
    }

    /// Appends the row (with `fileID` as its last column) to `out`, or leaves `out` as it
    /// was and returns the first problem.
    func encode(_ parser: FlatJSONParser, base: UnsafePointer<UInt8>, fileID: Int, into out: ByteBuffer) -> FieldProblem? {
        let rowStart = out.count
        let scratch = UnsafePointer(parser.scratch)
        let problem: FieldProblem? = table.columns.withUnsafeBufferPointer { columns in
            keyIndex.withUnsafeBufferPointer { keyIndex in
                for position in 0..<columns.count {
                    let slot = parser.slots[keyIndex[position]]
                    let bytes = UnsafeBufferPointer(start: (slot.decoded ? scratch : base) + slot.start, count: slot.count)
                    if let reason = append(slot, bytes, columns[position], into: out) {
                        return FieldProblem(field: columns[position].key, reason: reason)
                    }
                    out.append(0x09)
                }
                return nil
            }
        }
        if let problem {
            out.count = rowStart
            return problem
        }
        out.append(decimal: fileID)
        out.append(0x0A)
        return nil
    }

    @inline(__always)
    private func append(_ slot: FieldSlot, _ bytes: UnsafeBufferPointer<UInt8>, _ column: borrowing StagingColumn,
                        into out: ByteBuffer) -> String? {
        switch slot.kind {
        case .missing, .null:
            if column.required { return slot.kind == .missing ? "required field is missing" : "required field is null" }
            out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "N"))
            return nil
        case .bool:
            guard case .varchar = column.type else { return "true/false where \(column.type.label) is expected" }
            out.append(bytes)
            return nil
        case .number, .string:
            break
        }
        switch column.type {
        case .varchar(let limit):
            if bytes.count > limit { return "\(bytes.count) bytes; the column holds at most \(limit)" }
            if slot.decoded { return Self.appendEscaped(bytes, into: out) }
            // Without escapes, JSON text holds no backslash or control byte: copy as is.
            out.append(bytes)
        case .integer, .bigint:
            let limit = column.type == .integer ? Int64(Int32.max) : Int64.max
            guard let value = Self.integer(bytes), value <= limit, value >= -limit - 1 else {
                return "\(Self.quoted(bytes)) is not \(column.type.label)"
            }
            if slot.kind == .number { out.append(bytes) } else { out.append(decimal: Int(value)) }
        case .double:
            guard Self.isFiniteDouble(bytes, checkSyntax: slot.kind == .string) else {
                return "\(Self.quoted(bytes)) is not a number PostgreSQL can store as double precision"
            }
            out.append(bytes)
        }
        return nil
    }

    /// COPY text escaping; a NUL byte cannot be stored in text at all. Runs of bytes that
    /// need nothing are found eight at a time and copied whole.
    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) -> String? {
        guard let start = bytes.baseAddress else { return nil }
        out.reserve(bytes.count * 2)
        var runStart = 0, index = 0
        while index < bytes.count {
            if index + 8 <= bytes.count {
                let word = UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self)
                let mask = needsEscape(word)
                if mask == 0 { index += 8; continue }
                index += mask.trailingZeroBitCount >> 3
            }
            let byte = start[index]
            let escape: UInt8
            switch byte {
            case 0x5C: escape = 0x5C
            case 0x09: escape = UInt8(ascii: "t")
            case 0x0A: escape = UInt8(ascii: "n")
            case 0x0D: escape = UInt8(ascii: "r")
            case 0x00: return "text holds a NUL character (\\u0000), which PostgreSQL cannot store"
            default: index += 1; continue
            }
            out.append(UnsafeBufferPointer(start: start + runStart, count: index - runStart))
            out.append(0x5C)
            out.append(escape)
            index += 1
            runStart = index
        }
        out.append(UnsafeBufferPointer(start: start + runStart, count: bytes.count - runStart))
        return nil
    }

    /// Flags bytes of `word` that are a backslash or below 0x20 (the lowest flag is exact).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let backslash = word ^ (ones &* 0x5C)
        return ((backslash &- ones) & ~backslash & highs) | ((word &- ones &* 0x20) & ~word & highs)
    }

    /// The value of an integer written as `-?[0-9]+`, nil otherwise or on overflow.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(negative ? -Int64(digit) : Int64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        return value
    }

    /// True when PostgreSQL's float8 input accepts the text: a JSON number (checked when
    /// it came as a string) whose magnitude neither overflows nor underflows to zero.
    static func isFiniteDouble(_ bytes: UnsafeBufferPointer<UInt8>, checkSyntax: Bool) -> Bool {
        if checkSyntax {
            guard !bytes.isEmpty, bytes.allSatisfy({ $0 &- 0x30 < 10 || $0 == 0x2D || $0 == 0x2B || $0 == 0x2E || $0 | 0x20 == 0x65 }),
                  bytes.contains(where: { $0 &- 0x30 < 10 }) else { return false }
        }
        // Short numbers without an exponent are always in range; check the rest exactly.
        if bytes.count < 300 && !bytes.contains(where: { $0 | 0x20 == 0x65 }) {
            return checkSyntax ? strtodAccepts(bytes) : true
        }
        return strtodAccepts(bytes)
    }

    private static func strtodAccepts(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = Array(bytes)
        text.append(0)
        return text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                var end: UnsafeMutablePointer<CChar>?
                errno = 0
                let value = strtod(chars.baseAddress!, &end)
                let consumed = end.map { $0 - UnsafeMutablePointer(mutating: chars.baseAddress!) } ?? 0
                guard consumed == bytes.count, value.isFinite else { return false }
                return !(errno == ERANGE && value == 0)
            }
        }
    }

    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return "\"\(text)\(bytes.count > 40 ? "…" : "")\""
    }
}

extension ColumnType {
    var label: String {
        switch self {
        case .varchar(let limit): "text (varchar(\(limit)))"
        case .integer: "an integer"
        case .bigint: "a bigint"
        case .double: "a double precision number"
        }
    }
}
