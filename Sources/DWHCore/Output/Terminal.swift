import Foundation

/// Facts about the terminal the output goes to.
public enum Terminal {
    /// Whether `descriptor` is a terminal (not a pipe or a file).
    public static func isInteractive(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }

    /// Whether the terminal takes escape sequences: not one that says it is dumb
    /// (`TERM=dumb`, or no TERM at all), which shows `ESC[K` as garbage.
    public static func takesEscapes(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let term = environment["TERM"], !term.isEmpty else { return false }
        return term != "dumb"
    }

    /// What redraws a status line in place: `\r`, then `ESC[K` to clear what was there; on a
    /// terminal without escapes, spaces over what the last line (`previousWidth` columns)
    /// left, so nothing but `\r` and text reaches it.
    public static func redraw(_ line: String, previousWidth: Int, takesEscapes: Bool) -> String {
        guard !takesEscapes else { return "\r\u{1B}[K" + line }
        return "\r" + line + String(repeating: " ", count: max(0, previousWidth - DisplayWidth.of(line)))
    }

    /// The terminal's width in columns: `COLUMNS`, else the window size, else 80.
    public static func width(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// The terminal's height in lines: `LINES`, else the window size, else 24.
    public static func height(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let lines = environment["LINES"].flatMap(Int.init), lines > 0 { return lines }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        return 24
    }
}
