/// Display names for logged names that were encoded more than once: UTF-8 whose bytes were
/// read as Latin-1 or Windows-1252 and encoded as UTF-8 again, once, twice or three times
/// (`BjÃ\u{83}Â¶rk`, as the Sparkify logs have it, is `Björk` after that happened twice).
///
/// One level is undone when every character of the text is ASCII or is the reading of one
/// byte (U+0080…U+00FF for Latin-1, or one of Windows-1252's 27 characters for 0x80…0x9F),
/// at least one is not ASCII, the text does not mix the two readings (a C1 control
/// character that only Latin-1 gives beside a character that only Windows-1252 gives), and
/// those bytes are valid UTF-8. Levels are undone while that holds, at most three. The
/// repair stands only if its result holds no control character; otherwise, and whenever
/// no level can be undone, the name is left as logged. So a real `Ã` stays (`SÃO PAULO`:
/// `Ã` then `O` is not UTF-8), and so do correct names (`Björk`: the byte F6 alone is not
/// UTF-8) and any name with a character beyond one byte's reading (`日本語`).
///
/// dwh runs this when the transform first sees a name (Redshift has no `convert_from`, and
/// one rule in Swift serves both dialects); staging keeps the bytes as logged.
public enum NameRepair {
    /// The repaired name, or nil when `name` is left as it is.
    public static func repair(_ name: String) -> String? {
        var text = name
        var levels = 0
        while levels < 3, let undone = undoOneLevel(text) {
            text = undone
            levels += 1
        }
        guard levels > 0, !text.unicodeScalars.contains(where: isControl) else { return nil }
        return text
    }

    /// The text one encoding earlier, or nil when it is not the re-encoding of UTF-8.
    static func undoOneLevel(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var nonASCII = false, latin1Only = false, windowsOnly = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                bytes.append(UInt8(value))
                continue
            }
            nonASCII = true
            if value <= 0xFF {
                // 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no Windows-1252 character: both
                // readings pass them through as C1 controls.
                if value < 0xA0 && ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(value) { latin1Only = true }
                bytes.append(UInt8(value))
            } else if let byte = windows1252[value] {
                windowsOnly = true
                bytes.append(byte)
            } else {
                return nil
            }
        }
        guard nonASCII, !(latin1Only && windowsOnly) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Windows-1252's characters for the bytes 0x80…0x9F that it defines.
    static let windows1252: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E,
        0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97,
        0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}
