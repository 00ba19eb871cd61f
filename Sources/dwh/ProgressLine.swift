import DWHCore
import Foundation

/// Progress on stderr: a line redrawn in place on a terminal (at most five
/// times a second), a plain line every ten seconds otherwise, nothing when disabled.
final class ProgressLine {
    private let enabled: Bool
    private let terminal = isatty(STDERR_FILENO) == 1
    private let takesEscapes = Terminal.takesEscapes()
    private var lastShown = 0.0
    private var drawn = false
    private var width = 0

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Whether the line is redrawn in place (and so worth an ETA).
    var isLive: Bool { enabled && terminal }

    func show(_ progress: LoadProgress) {
        guard due(at: progress.seconds) else { return }
        let rate = Double(progress.bytesRead) / 1e6 / max(progress.seconds, 0.001)
        var line = String(format: "files %d", progress.filesDone)
        if let expected = progress.expected { line += "/\(expected.files)" }
        line += String(format: "  rows %d  %.0f MB/s", progress.rows, rate)
        if let expected = progress.expected, rate > 0 {
            let remaining = Double(expected.bytes - progress.bytesRead - progress.bytesSkipped) / 1e6 / rate
            line += String(format: "  ETA %.0f s", max(0, remaining))
        }
        draw(line)
    }

    /// Shows `line` if the last one was shown long enough before `seconds`.
    func show(_ line: String, at seconds: Double) {
        guard due(at: seconds) else { return }
        draw(line)
    }

    private func due(at seconds: Double) -> Bool {
        guard enabled, seconds - lastShown >= (terminal ? 0.2 : 10) else { return false }
        lastShown = seconds
        return true
    }

    private func draw(_ line: String) {
        let text = terminal ? Terminal.redraw(line, previousWidth: width, takesEscapes: takesEscapes) : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
        drawn = terminal
        width = DisplayWidth.of(line)
    }

    /// Clears the live line so the summary starts on a clean one.
    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data((Terminal.redraw("", previousWidth: width, takesEscapes: takesEscapes) + "\r").utf8))
    }
}
