import Foundation

extension FlatJSONParser {
    /// Scans the string whose opening quote is at `position`. A string without escapes is
    /// left where it is; one with escapes is decoded into `scratch`, code point by code
    /// point: `\u00c3\u00a9` becomes the bytes of U+00C3 U+00A9, exactly as written.
    func scanString(_ base: UnsafePointer<UInt8>, _ position: inout Int, _ end: Int,
                    into slot: inout FieldSlot) -> ParseOutcome {
        let contentStart = position + 1
        var p = contentStart
        while true {
            // Eight bytes at a time while none is a quote, a backslash, a control byte or non-ASCII.
            while p + 8 <= end {
                let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                let mask = Self.specialBytes(word)
                if mask != 0 { p += mask.trailingZeroBitCount >> 3; break }
                p += 8
            }
            guard p < end else { return .incomplete }
            let byte = base[p]
            if byte == UInt8(ascii: "\"") {
                slot.start = contentStart
                slot.count = p - contentStart
                position = p + 1
                return .complete(end: position)
            } else if byte == UInt8(ascii: "\\") {
                return decodeEscaped(base, from: contentStart, escape: p, &position, end, into: &slot)
            } else if byte < 0x20 {
                return .malformed(reason: .controlCharacter(byte), offset: p, field: nil)
            } else if byte >= 0x80 {
                switch Self.utf8Length(base + p, end - p) {
                case .some(0): return .incomplete
                case .some(let length): p += length
                case .none: return .malformed(reason: .invalidUTF8, offset: p, field: nil)
                }
            } else {
                p += 1
            }
        }
    }

    /// Flags (in the top bit of each byte) the bytes of `word` that end the fast path.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let quote = zeroBytes(word ^ (ones &* 0x22))
        let backslash = zeroBytes(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control | (word & highs)
    }

    /// The length of the UTF-8 sequence at `p`: nil when invalid, 0 when cut off by the end.
    static func utf8Length(_ p: UnsafePointer<UInt8>, _ available: Int) -> Int? {
        let lead = p[0]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        for index in 1..<length {
            guard index < available else { return 0 }
            let byte = p[index]
            if index == 1 { guard byte >= low && byte <= high else { return nil } }
            else { guard byte & 0xC0 == 0x80 else { return nil } }
        }
        return length
    }

    private func decodeEscaped(_ base: UnsafePointer<UInt8>, from contentStart: Int, escape: Int, _ position: inout Int,
                               _ end: Int, into slot: inout FieldSlot) -> ParseOutcome {
        let scratchStart = scratchCount
        reserveScratch(escape - contentStart + 64)
        (scratch + scratchCount).update(from: base + contentStart, count: escape - contentStart)
        scratchCount += escape - contentStart
        var p = escape
        while true {
            // Copy the run of plain bytes up to the next quote, backslash, control or non-ASCII byte.
            var stop = p
            while stop + 8 <= end {
                let mask = Self.specialBytes(UnsafeRawPointer(base + stop).loadUnaligned(as: UInt64.self))
                if mask != 0 { stop += mask.trailingZeroBitCount >> 3; break }
                stop += 8
            }
            while stop < end, base[stop] >= 0x20, base[stop] < 0x80, base[stop] != 0x22, base[stop] != 0x5C { stop += 1 }
            if stop > p {
                reserveScratch(stop - p)
                (scratch + scratchCount).update(from: base + p, count: stop - p)
                scratchCount += stop - p
                p = stop
            }
            guard p < end else { scratchCount = scratchStart; return .incomplete }
            let byte = base[p]
            if byte == UInt8(ascii: "\"") {
                slot.decoded = true
                slot.start = scratchStart
                slot.count = scratchCount - scratchStart
                position = p + 1
                return .complete(end: position)
            }
            reserveScratch(4)
            if byte == UInt8(ascii: "\\") {
                guard p + 1 < end else { scratchCount = scratchStart; return .incomplete }
                let escaped: UInt8
                switch base[p + 1] {
                case UInt8(ascii: "\""): escaped = 0x22
                case UInt8(ascii: "\\"): escaped = 0x5C
                case UInt8(ascii: "/"): escaped = 0x2F
                case UInt8(ascii: "b"): escaped = 0x08
                case UInt8(ascii: "f"): escaped = 0x0C
                case UInt8(ascii: "n"): escaped = 0x0A
                case UInt8(ascii: "r"): escaped = 0x0D
                case UInt8(ascii: "t"): escaped = 0x09
                case UInt8(ascii: "u"):
                    switch decodeUnicodeEscape(base, &p, end) {
                    case .complete: continue
                    case let other: scratchCount = scratchStart; return other
                    }
                default:
                    scratchCount = scratchStart
                    return .malformed(reason: .unknownEscape(base[p + 1]), offset: p, field: nil)
                }
                scratch[scratchCount] = escaped
                scratchCount += 1
                p += 2
            } else if byte < 0x20 {
                scratchCount = scratchStart
                return .malformed(reason: .controlCharacter(byte), offset: p, field: nil)
            } else if byte >= 0x80 {
                switch Self.utf8Length(base + p, end - p) {
                case .some(0): scratchCount = scratchStart; return .incomplete
                case .some(let length):
                    (scratch + scratchCount).update(from: base + p, count: length)
                    scratchCount += length
                    p += length
                case .none:
                    scratchCount = scratchStart
                    return .malformed(reason: .invalidUTF8, offset: p, field: nil)
                }
            } else {
                scratch[scratchCount] = byte
                scratchCount += 1
                p += 1
            }
        }
    }

    /// Decodes `\uXXXX` (and the low half of a surrogate pair after it) at `p` into scratch.
    private func decodeUnicodeEscape(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int) -> ParseOutcome {
        guard p + 6 <= end else { return .incomplete }
        guard let unit = Self.hex4(base + p + 2) else {
            return .malformed(reason: .shortUnicodeEscape, offset: p, field: nil)
        }
        var scalar = UInt32(unit)
        var length = 6
        if (0xD800...0xDBFF).contains(unit) {
            guard p + 12 <= end else { return .incomplete }
            guard base[p + 6] == UInt8(ascii: "\\"), base[p + 7] == UInt8(ascii: "u"),
                  let low = Self.hex4(base + p + 8), (0xDC00...0xDFFF).contains(low) else {
                return .malformed(reason: .unpairedSurrogate(unit), offset: p, field: nil)
            }
            scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            length = 12
        } else if (0xDC00...0xDFFF).contains(unit) {
            return .malformed(reason: .unpairedSurrogate(unit), offset: p, field: nil)
        }
        appendUTF8(scalar)
        p += length
        return .complete(end: p)
    }

    private func appendUTF8(_ scalar: UInt32) {
        let out = scratch + scratchCount
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar); scratchCount += 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | scalar >> 6); out[1] = UInt8(0x80 | scalar & 0x3F); scratchCount += 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | scalar >> 12); out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F); scratchCount += 3
        default:
            out[0] = UInt8(0xF0 | scalar >> 18); out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(0x80 | scalar >> 6 & 0x3F); out[3] = UInt8(0x80 | scalar & 0x3F); scratchCount += 4
        }
    }

    private static func hex4(_ p: UnsafePointer<UInt8>) -> UInt16? {
        var value: UInt16 = 0
        for index in 0..<4 {
            let byte = p[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 0x57
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 0x37
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
