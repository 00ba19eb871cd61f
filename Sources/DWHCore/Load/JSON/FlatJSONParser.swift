import Foundation

/// What one field of the record being parsed held.
public enum JSONValueKind: UInt8, Sendable {
    case missing, null, string, number, bool
}

/// One field's value: where its bytes are (in the input, or in the parser's scratch
/// buffer once escapes were decoded) and, for numbers, whether they are written as integers.
struct FieldSlot {
    var kind: JSONValueKind = .missing
    var decoded = false
    var integral = false
    var start = 0
    var count = 0
}

/// How parsing one object ended. Plain values only (no String): the parser returns one
/// per value, and a payload that needs releasing would cost on every one of them.
enum ParseOutcome: Equatable {
    /// A whole object; the next byte to read is at `end`.
    case complete(end: Int)
    /// The input ended inside the object and more may come.
    case incomplete
    /// Not valid JSON (or not a flat object): `reason` at `offset`, in `field` when known.
    case malformed(reason: MalformedJSON, offset: Int, field: FieldReference?)
}

/// Why a record is not JSON the loader takes.
enum MalformedJSON: Equatable, CustomStringConvertible {
    case expectedCommaOrEnd, expectedKey, expectedColon, expectedValue, nestedValue
    case numberWithoutDigits, numberWithoutFraction, numberWithoutExponent
    case controlCharacter(UInt8), invalidUTF8, unknownEscape(UInt8), shortUnicodeEscape, unpairedSurrogate(UInt16)

    var description: String {
        switch self {
        case .expectedCommaOrEnd: "expected ',' or '}' after a value"
        case .expectedKey: "expected a quoted key"
        case .expectedColon: "expected ':' after a key"
        case .expectedValue: "expected a value"
        case .nestedValue: "holds an object or array where a single value is expected"
        case .numberWithoutDigits: "a number needs digits"
        case .numberWithoutFraction: "a number needs digits after '.'"
        case .numberWithoutExponent: "a number needs digits in its exponent"
        case .controlCharacter(let byte): "a string holds a raw control character (byte 0x\(String(byte, radix: 16)))"
        case .invalidUTF8: "invalid UTF-8"
        case .unknownEscape(let byte): "unknown escape '\\\(Character(UnicodeScalar(byte)))'"
        case .shortUnicodeEscape: "\\u needs four hex digits"
        case .unpairedSurrogate(let unit): "unpaired surrogate \\u\(String(unit, radix: 16))"
        }
    }
}

/// The field a malformed value is in: one of the parser's keys, or a key's bytes in the input.
enum FieldReference: Equatable {
    case known(Int)
    case raw(start: Int, count: Int)
}

/// A parser for flat JSON objects (string, number, boolean and null values) over raw
/// bytes, filling one slot per known key without building strings or dictionaries.
///
/// Written for the Sparkify files: Foundation's JSON parsers run at a fraction of the
/// speed PostgreSQL ingests rows, so the load would wait on them. Keys not in `keys` are
/// skipped (nested values included); a nested value in a known key is an error.
final class FlatJSONParser {
    let keys: [[UInt8]]
    private let keyBytes: UnsafeMutablePointer<UInt8>
    private let keyRanges: UnsafeMutableBufferPointer<(start: Int, count: Int)>
    let slots: UnsafeMutableBufferPointer<FieldSlot>
    private(set) var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    var scratchCount = 0
    /// Newlines inside the last object parsed (pretty-printed files span lines).
    private(set) var newlines = 0
    private var guess = 0

    init(keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
        // The keys again, packed in one block, for comparisons that touch no Swift array.
        let packed = self.keys.flatMap { $0 }
        keyBytes = .allocate(capacity: max(1, packed.count))
        keyBytes.initialize(from: packed, count: packed.count)
        keyRanges = .allocate(capacity: keys.count)
        var offset = 0
        for (index, key) in self.keys.enumerated() {
            keyRanges[index] = (offset, key.count)
            offset += key.count
        }
        slots = .allocate(capacity: keys.count)
        slots.initialize(repeating: FieldSlot())
        scratchCapacity = 1 << 16
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit {
        keyBytes.deallocate()
        keyRanges.deallocate()
        slots.deallocate()
        scratch.deallocate()
    }

    /// Parses the object starting at `start` (which holds `{`) in `base[..<end]`.
    func parse(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> ParseOutcome {
        for index in slots.indices { slots[index].kind = .missing }
        scratchCount = 0
        newlines = 0
        guess = 0
        var position = start + 1
        var first = true
        var previousField: FieldReference?
        while true {
            guard skipSpace(base, &position, end) else { return .incomplete }
            if base[position] == UInt8(ascii: "}") { return .complete(end: position + 1) }
            if !first {
                guard base[position] == UInt8(ascii: ",") else {
                    return .malformed(reason: .expectedCommaOrEnd, offset: position, field: previousField)
                }
                position += 1
                guard skipSpace(base, &position, end) else { return .incomplete }
            }
            first = false
            guard base[position] == UInt8(ascii: "\"") else {
                return .malformed(reason: .expectedKey, offset: position, field: nil)
            }
            let keyStart = position + 1
            var keySlot = FieldSlot()
            switch scanString(base, &position, end, into: &keySlot) {
            case .incomplete: return .incomplete
            case .malformed(let reason, let offset, _): return .malformed(reason: reason, offset: offset, field: nil)
            case .complete: break
            }
            let index = fieldIndex(keySlot.decoded ? UnsafePointer(scratch) + keySlot.start : base + keyStart, keySlot.count)
            if keySlot.decoded { scratchCount = keySlot.start }
            guard skipSpace(base, &position, end) else { return .incomplete }
            guard base[position] == UInt8(ascii: ":") else {
                return .malformed(reason: .expectedColon, offset: position, field: index.map(FieldReference.known))
            }
            position += 1
            guard skipSpace(base, &position, end) else { return .incomplete }
            var slot = FieldSlot()
            let outcome = scanValue(base, &position, end, into: &slot, known: index != nil)
            switch outcome {
            case .complete: break
            case .incomplete: return .incomplete
            case .malformed(let reason, let offset, _):
                return .malformed(reason: reason, offset: offset,
                                  field: index.map(FieldReference.known) ?? .raw(start: keyStart, count: keySlot.decoded ? 0 : keySlot.count))
            }
            if let index { slots[index] = slot }
            previousField = index.map(FieldReference.known) ?? .raw(start: keyStart, count: keySlot.decoded ? 0 : keySlot.count)
        }
    }

    /// The name of a field a malformed value is in (`base` is the input parsed).
    func name(of field: FieldReference, in base: UnsafePointer<UInt8>) -> String {
        switch field {
        case .known(let index): String(decoding: keys[index], as: UTF8.self)
        case .raw(let start, let count): String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
        }
    }

    /// The index of a key, trying first the one after the last match (keys usually come
    /// in the same order on every line).
    private func fieldIndex(_ key: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        let n = keyRanges.count
        var candidate = guess
        for _ in 0..<n {
            if candidate == n { candidate = 0 }
            let range = keyRanges[candidate]
            if range.count == count && memcmp(keyBytes + range.start, key, count) == 0 {
                guess = candidate + 1
                return candidate
            }
            candidate += 1
        }
        return nil
    }

    /// Moves past whitespace; false when the input ends first.
    @inline(__always)
    private func skipSpace(_ base: UnsafePointer<UInt8>, _ position: inout Int, _ end: Int) -> Bool {
        while position < end {
            switch base[position] {
            case 0x20, 0x09, 0x0D: position += 1
            case 0x0A: newlines += 1; position += 1
            default: return true
            }
        }
        return false
    }

    private func scanValue(_ base: UnsafePointer<UInt8>, _ position: inout Int, _ end: Int,
                           into slot: inout FieldSlot, known: Bool) -> ParseOutcome {
        switch base[position] {
        case UInt8(ascii: "\""):
            slot.kind = .string
            return scanString(base, &position, end, into: &slot)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            slot.kind = .number
            return scanNumber(base, &position, end, into: &slot)
        case UInt8(ascii: "n"):
            slot.kind = .null
            return scanLiteral("null", base, &position, end, into: &slot)
        case UInt8(ascii: "t"):
            slot.kind = .bool
            return scanLiteral("true", base, &position, end, into: &slot)
        case UInt8(ascii: "f"):
            slot.kind = .bool
            return scanLiteral("false", base, &position, end, into: &slot)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if known {
                return .malformed(reason: .nestedValue, offset: position, field: nil)
            }
            return skipNested(base, &position, end)
        default:
            return .malformed(reason: .expectedValue, offset: position, field: nil)
        }
    }

    private func scanLiteral(_ word: StaticString, _ base: UnsafePointer<UInt8>, _ position: inout Int, _ end: Int,
                             into slot: inout FieldSlot) -> ParseOutcome {
        let length = word.utf8CodeUnitCount
        if position + length > end {
            let available = end - position
            return memcmp(base + position, word.utf8Start, available) == 0 ? .incomplete
                : .malformed(reason: .expectedValue, offset: position, field: nil)
        }
        guard memcmp(base + position, word.utf8Start, length) == 0 else {
            return .malformed(reason: .expectedValue, offset: position, field: nil)
        }
        slot.start = position
        slot.count = length
        position += length
        return .complete(end: position)
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private func scanNumber(_ base: UnsafePointer<UInt8>, _ position: inout Int, _ end: Int,
                            into slot: inout FieldSlot) -> ParseOutcome {
        let start = position
        var p = position
        @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
        if base[p] == UInt8(ascii: "-") { p += 1 }
        guard p < end else { return .incomplete }
        guard isDigit(base[p]) else { return .malformed(reason: .numberWithoutDigits, offset: p, field: nil) }
        if base[p] == UInt8(ascii: "0") { p += 1 } else { while p < end && isDigit(base[p]) { p += 1 } }
        var integral = true
        if p < end && base[p] == UInt8(ascii: ".") {
            integral = false
            p += 1
            let digits = p
            while p < end && isDigit(base[p]) { p += 1 }
            if p == end { return .incomplete }
            if p == digits { return .malformed(reason: .numberWithoutFraction, offset: p, field: nil) }
        }
        if p < end && (base[p] | 0x20) == UInt8(ascii: "e") {
            integral = false
            p += 1
            if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
            let digits = p
            while p < end && isDigit(base[p]) { p += 1 }
            if p == end { return .incomplete }
            if p == digits { return .malformed(reason: .numberWithoutExponent, offset: p, field: nil) }
        }
        // A number is only known to be whole once a byte that cannot continue it follows.
        guard p < end else { return .incomplete }
        slot.start = start
        slot.count = p - start
        slot.integral = integral
        position = p
        return .complete(end: p)
    }

    /// Skips an object or array in a key nobody asked for.
    private func skipNested(_ base: UnsafePointer<UInt8>, _ position: inout Int, _ end: Int) -> ParseOutcome {
        var depth = 0
        var p = position
        while p < end {
            switch base[p] {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; p += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                p += 1
                if depth == 0 { position = p; return .complete(end: p) }
            case UInt8(ascii: "\""):
                var ignored = FieldSlot()
                let saved = scratchCount
                let outcome = scanString(base, &p, end, into: &ignored)
                scratchCount = saved
                if case .complete = outcome { continue }
                return outcome
            case 0x0A: newlines += 1; p += 1
            default: p += 1
            }
        }
        return .incomplete
    }

    /// Makes room for `extra` more bytes of decoded text.
    @inline(__always)
    func reserveScratch(_ extra: Int) {
        guard scratchCount + extra > scratchCapacity else { return }
        var capacity = scratchCapacity * 2
        while capacity < scratchCount + extra { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: scratch, count: scratchCount)
        scratch.deallocate()
        scratch = grown
        scratchCapacity = capacity
    }
}
