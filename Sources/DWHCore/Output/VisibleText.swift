/// Text made harmless for a terminal, shown the way psql's aligned output shows it: a C0
/// control character or DEL as `\x1B`, a C1 control character as `\u009B`. An escape
/// sequence in a value, a column name or a server's message would otherwise move the
/// cursor, clear the screen or retitle the window of whoever reads it. dwh's own control
/// sequences (the progress line's `ESC[K`) never pass through here.
public enum VisibleText {
    /// `text` with its control characters escaped, except those in `kept` (a message keeps
    /// its newlines and tabs).
    public static func escaped(_ text: String, keeping kept: Set<Unicode.Scalar> = []) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !kept.contains($0) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar), !kept.contains(scalar) else {
                result.append(scalar)
                continue
            }
            let digits = String(scalar.value, radix: 16, uppercase: true)
            let escape = scalar.value < 0x80
                ? "\\x" + String(repeating: "0", count: 2 - digits.count) + digits
                : "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            result.append(contentsOf: escape.unicodeScalars)
        }
        return String(result)
    }

    /// A message for standard error: control characters escaped, lines and tabs kept.
    public static func message(_ text: String) -> String {
        escaped(text, keeping: ["\n", "\t"])
    }

    /// C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
