/// Estimated widths of chart text, in SVG user units, for laying labels out without a
/// browser. The estimates are those of DejaVu Sans (the widest of the fonts the report's
/// stylesheet names) rounded up, so text measured here takes at most that room anywhere.
public enum TextMetrics {
    /// The font-size multiple that a line of text takes vertically: ascent above the
    /// baseline and descent below it.
    public static let ascent = 0.95
    public static let descent = 0.3

    public static func width(_ text: String, fontSize: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + advance($1) } * fontSize
    }

    /// `text` cut so that it fits `maxWidth`, ending in `…` when something was cut.
    public static func shorten(_ text: String, toFit maxWidth: Double, fontSize: Double) -> String {
        guard width(text, fontSize: fontSize) > maxWidth else { return text }
        let room = maxWidth - width("…", fontSize: fontSize)
        var result = ""
        var used = 0.0
        for character in text {
            let size = width(String(character), fontSize: fontSize)
            if used + size > room { break }
            result.append(character)
            used += size
        }
        return result + "…"
    }

    /// One scalar's advance as a fraction of the font size.
    static func advance(_ scalar: Unicode.Scalar) -> Double {
        switch DisplayWidth.of(scalar) {
        case 0: return 0
        case 2: return 1.05
        default: break
        }
        guard scalar.isASCII else { return scalar == "…" ? 1.0 : 0.8 }
        switch Character(scalar) {
        case "i", "j", "l", "I", ".", ",", ":", ";", "'", "|", "!", "`": return 0.33
        case "f", "t", "r", " ", "(", ")", "[", "]", "{", "}", "/", "\\", "-", "\"": return 0.47
        case "m", "w", "M", "W", "@", "%": return 1.0
        case "A"..."Z", "&", "#": return 0.8
        default: return 0.66
        }
    }
}
