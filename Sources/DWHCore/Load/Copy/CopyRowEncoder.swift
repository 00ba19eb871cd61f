import Foundation

/// Why one field of a record cannot go into its column.
struct FieldProblem: Equatable {
    var field: String
    var reason: String
}

/// The two ways COPY takes rows.
public enum CopyFormat: Sendable {
    /// Tab-separated text, `\N` for NULL (what `psql \copy` reads by default).
    case text
    /// PostgreSQL's binary tuples: a length before each value, numbers as machine values.
    /// The server stores them without parsing text (no float8in, no int4in), about 20 %
    /// faster for the event logs; what `dwh load` sends.
    case binary

    /// What a binary COPY stream starts with: signature, flags, header extension length.
    static let binaryHeader: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// What it ends with: a tuple of -1 fields.
    static let binaryTrailer: [UInt8] = [0xFF, 0xFF]
}

/// Turns a parsed record into one COPY row (text or binary), checking each value against
/// its column first, so COPY itself never fails on data: a value that would not fit is
/// reported here, naming the field, and the row is left out.
///
/// Values follow Redshift's `JSON 'auto'`: a number where text is expected becomes its
/// text as written, a numeric string where a number is expected its number; text is kept
/// byte for byte (COPY escapes for backslash, tab, newline and carriage return; `\N` is NULL).
final class CopyRowEncoder {
    let table: StagingTable
    let format: CopyFormat
    /// What the hot loop needs of each column, in plain memory: no struct holding strings
    /// is copied (retained and released) per row.
    private let columns: UnsafeMutableBufferPointer<Column>

    private struct Column {
        var type: ColumnType
        var required: Bool
        /// The parser slot it reads.
        var slot: Int
    }

    init(table: StagingTable, parserKeys: [[UInt8]], format: CopyFormat = .text) {
        self.table = table
        self.format = format
        columns = .allocate(capacity: table.columns.count)
        _ = columns.initialize(from: table.columns.map { column in
            Column(type: column.type, required: column.required, slot: parserKeys.firstIndex(of: Array(column.key.utf8))!)
        })
    }

    deinit { columns.deallocate() }

    /// Appends the row (with `fileID` and the record's first `line` as its last columns) to
    /// `out`, or leaves `out` as it was and returns the first problem.
    func encode(_ parser: FlatJSONParser, base: UnsafePointer<UInt8>, fileID: Int, line: Int,
                into out: ByteBuffer) -> FieldProblem? {
        let rowStart = out.count
        let scratch = UnsafePointer(parser.scratch)
        let slots = parser.slots
        let binary = format == .binary
        if binary { out.append(bigEndian: UInt16(columns.count + 2)) }
        for position in 0..<columns.count {
            let column = columns[position]
            let slot = slots[column.slot]
            let bytes = UnsafeBufferPointer(start: (slot.decoded ? scratch : base) + slot.start, count: slot.count)
            if let reason = append(slot, bytes, column.type, required: column.required, binary: binary, into: out) {
                out.count = rowStart
                return FieldProblem(field: table.columns[position].key, reason: reason)
            }
            if !binary { out.append(0x09) }
        }
        if binary {
            out.append(bigEndian: UInt32(8))
            out.append(bigEndian: UInt64(bitPattern: Int64(fileID)))
            out.append(bigEndian: UInt32(4))
            out.append(bigEndian: UInt32(truncatingIfNeeded: line))
        } else {
            out.append(decimal: fileID)
            out.append(0x09)
            out.append(decimal: line)
            out.append(0x0A)
        }
        return nil
    }

    /// Checks one value against its column and appends it in the encoder's format, or
    /// returns why it does not fit. One set of checks for both formats: they must refuse
    /// the same values.
    @inline(__always)
    private func append(_ slot: FieldSlot, _ bytes: UnsafeBufferPointer<UInt8>, _ type: ColumnType, required: Bool,
                        binary: Bool, into out: ByteBuffer) -> String? {
        switch slot.kind {
        case .missing, .null:
            if required { return slot.kind == .missing ? "required field is missing" : "required field is null" }
            if binary { out.append(bigEndian: UInt32.max) } else { out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "N")) }
            return nil
        case .bool:
            guard case .varchar = type else { return "true/false where \(type.label) is expected" }
        case .number, .string:
            break
        }
        switch type {
        case .varchar(let limit):
            if bytes.count > limit { return "\(bytes.count) bytes; the column holds at most \(limit)" }
            if binary {
                // Binary text goes as it is; only a NUL cannot be stored.
                if slot.decoded, let start = bytes.baseAddress, memchr(start, 0, bytes.count) != nil { return Self.nulInText }
                out.append(bigEndian: UInt32(bytes.count))
                out.append(bytes)
            } else if slot.decoded {
                return Self.appendEscaped(bytes, into: out)
            } else {
                // Without escapes, JSON text holds no backslash or control byte: copy as is.
                out.append(bytes)
            }
        case .integer, .bigint, .epochMilliseconds:
            let limit = type == .integer ? Int64(Int32.max) : Int64.max
            guard let value = Self.integer(bytes), value <= limit, value >= -limit - 1 else {
                return "\(Self.quoted(bytes)) is not \(type.label)"
            }
            if type == .epochMilliseconds, !ColumnType.epochMillisecondRange.contains(value) {
                return "\(value) is not a time dwh can store: milliseconds since 1970 must fall in the years 1 to 9999 "
                    + "(\(ColumnType.epochMillisecondRange.lowerBound) to \(ColumnType.epochMillisecondRange.upperBound))"
            }
            if binary && type == .integer {
                out.append(bigEndian: UInt32(4))
                out.append(bigEndian: UInt32(bitPattern: Int32(value)))
            } else if binary {
                out.append(bigEndian: UInt32(8))
                out.append(bigEndian: UInt64(bitPattern: value))
            } else if slot.kind == .number {
                out.append(bytes)
            } else {
                out.append(decimal: Int(value))
            }
        case .double:
            let checkSyntax = slot.kind == .string
            // Binary needs the value; text only needs to know float8 input will take it.
            let value = binary ? Self.double(bytes, checkSyntax: checkSyntax) : nil
            guard binary ? value != nil : Self.isFiniteDouble(bytes, checkSyntax: checkSyntax) else {
                return "\(Self.quoted(bytes)) is not a number PostgreSQL can store as double precision"
            }
            if let value {
                out.append(bigEndian: UInt32(8))
                out.append(bigEndian: value.bitPattern)
            } else {
                out.append(bytes)
            }
        }
        return nil
    }

    static let nulInText = "text holds a NUL character (\\u0000), which PostgreSQL cannot store"

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
            case 0x00: return nulInText
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
            return checkSyntax ? strtodValue(bytes) != nil : true
        }
        return strtodValue(bytes) != nil
    }

    /// The value of a JSON number (its syntax checked when it came as a string), nil when
    /// float8 input would refuse it. Up to 15 significant digits and a power of ten up to
    /// 22 it is one exact multiplication or division, correctly rounded (Clinger's fast
    /// path); anything else goes to strtod(3), as PostgreSQL's float8in does.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, checkSyntax: Bool) -> Double? {
        var index = 0, mantissa: UInt64 = 0, digits = 0, scale = 0
        let negative = !bytes.isEmpty && bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var sawDot = false, plain = index < bytes.count
        while index < bytes.count {
            let byte = bytes[index]
            if byte &- 0x30 < 10 {
                if mantissa == 0 && byte == 0x30 {
                    if sawDot { scale -= 1 }
                } else {
                    digits += 1
                    if digits > 15 { plain = false; break }
                    mantissa = mantissa &* 10 &+ UInt64(byte &- 0x30)
                    if sawDot { scale -= 1 }
                }
            } else if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                plain = false
                break
            }
            index += 1
        }
        if plain, bytes.last != UInt8(ascii: "."), scale >= -22 {
            let magnitude = scale == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[-scale]
            return negative ? -magnitude : magnitude
        }
        if checkSyntax {
            guard isFiniteDouble(bytes, checkSyntax: true) else { return nil }
        }
        return strtodValue(bytes)
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 } // exact up to 1e22
    }

    private static func strtodValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var text = Array(bytes)
        text.append(0)
        return text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                var end: UnsafeMutablePointer<CChar>?
                errno = 0
                let value = strtod(chars.baseAddress!, &end)
                let consumed = end.map { $0 - UnsafeMutablePointer(mutating: chars.baseAddress!) } ?? 0
                guard consumed == bytes.count, value.isFinite, !(errno == ERANGE && value == 0) else { return nil }
                return value
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
        case .bigint, .epochMilliseconds: "a bigint"
        case .double: "a double precision number"
        }
    }
}
