/// Draws a `BarChart` with block characters, eighths for the fractional end, e.g.
///
/// ```
/// San Francisco-Oakland-Haywa… │████████████████████████ 691
/// Portland-South Portland, ME  │████████████▋            665
/// ```
public enum TerminalChart {
    private static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// - Parameter width: the whole line's width in columns (the terminal's width).
    public static func render(_ chart: BarChart, width: Int = 80) -> String {
        guard !chart.bars.isEmpty else { return "(nothing to chart)\n" }
        let labelTitle = TableRenderer.cellText(chart.labelTitle), valueTitle = TableRenderer.cellText(chart.valueTitle)
        let labelWidth = (chart.bars.map(\.label) + [labelTitle]).map(DisplayWidth.of).max() ?? 0
        let valueWidth = chart.bars.map { DisplayWidth.of($0.valueText) }.max() ?? 0
        let barWidth = max(10, width - labelWidth - valueWidth - 3)
        var output = DisplayWidth.pad(labelTitle, to: labelWidth) + " │ " + valueTitle + "\n"
        for bar in chart.bars {
            output += DisplayWidth.pad(bar.label, to: labelWidth) + " │"
            output += blocks(bar.fraction, width: barWidth)
            output += " " + DisplayWidth.pad(bar.valueText, to: valueWidth, right: true) + "\n"
        }
        return output
    }

    /// A bar `fraction` of `width` columns long, padded with spaces to `width`.
    static func blocks(_ fraction: Double, width: Int) -> String {
        let eighthsLong = Int((fraction * Double(width * 8)).rounded())
        let full = eighthsLong / 8
        let partial = eighths[eighthsLong % 8]
        let used = full + (partial.isEmpty ? 0 : 1)
        return String(repeating: "█", count: full) + partial + String(repeating: " ", count: max(0, width - used))
    }
}
