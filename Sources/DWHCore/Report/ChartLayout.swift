/// Where every bar and every piece of text of a chart goes, in SVG user units: a plain
/// value drawn from the shared `BarChart` model, so tests can check the geometry (no two
/// text boxes overlap, everything inside the view box) without a browser. The SVG scales
/// with its view box, so a layout that holds at one width holds at every width.
public struct ChartLayout: Equatable, Sendable {
    /// How a report draws a query's rows.
    public enum Kind: String, CaseIterable, Sendable {
        /// Horizontal bars, a label above each and its number on it (top songs, locations).
        case bars
        /// Vertical columns in row order (a weekday profile).
        case columns
        /// Vertical columns for the hours 0–23, missing hours drawn as zero.
        case hours
        /// Vertical columns in row order for a trend over many rows (plays per day), labels
        /// drawn smaller or on every few columns, never cut.
        case trend
        /// One bar split by share, with a legend (paid vs free).
        case share
        /// No chart: the table alone.
        case none
    }

    public struct Box: Equatable, Sendable {
        public var x, y, width, height: Double

        public func overlaps(_ other: Box) -> Bool {
            x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
        }

        public func isInside(width outerWidth: Double, height outerHeight: Double) -> Bool {
            x >= -0.01 && y >= -0.01 && x + width <= outerWidth + 0.01 && y + height <= outerHeight + 0.01
        }
    }

    public struct Text: Equatable, Sendable {
        public enum Anchor: String, Sendable { case start, middle, end }
        public enum Role: String, Sendable { case label, value, legend }

        public var text: String
        public var x, y: Double
        public var anchor: Anchor
        public var fontSize: Double
        public var role: Role
        /// Read bottom to top (numbers above narrow columns).
        public var rotated = false
        /// Drawn light, on a bar.
        public var inverse = false

        /// The room the text takes, estimated with `TextMetrics`.
        public var box: Box {
            let length = TextMetrics.width(text, fontSize: fontSize)
            let start: Double = switch anchor {
            case .start: 0
            case .middle: -length / 2
            case .end: -length
            }
            let above = TextMetrics.ascent * fontSize, below = TextMetrics.descent * fontSize
            if rotated { return Box(x: x - above, y: y - start - length, width: above + below, height: length) }
            return Box(x: x + start, y: y - above, width: length, height: above + below)
        }
    }

    /// One row of the result: its bar (or column, or segment), the texts that belong to it,
    /// and the full label and value for the tooltip.
    public struct Item: Equatable, Sendable {
        public var title: String
        public var bar: Box
        public var value: Double
        public var colorIndex: Int
        public var texts: [Text]
        /// A legend swatch (share charts), not a bar.
        public var swatch: Box?
    }

    public var kind: Kind
    public var width: Double
    public var height: Double
    /// What the chart shows, for its accessible name: `plays by location`.
    public var title: String
    public var items: [Item]

    public var texts: [Text] { items.flatMap(\.texts) }

    /// Pairs of texts whose boxes overlap, and texts reaching outside the view box: both
    /// empty for every layout this type makes.
    public var collisions: [String] {
        let all = texts
        var found: [String] = []
        for (index, text) in all.enumerated() {
            if !text.box.isInside(width: width, height: height) { found.append("\"\(text.text)\" leaves the chart") }
            for other in all[(index + 1)...] where text.box.overlaps(other.box) {
                found.append("\"\(text.text)\" overlaps \"\(other.text)\"")
            }
        }
        return found
    }

    /// The layout of `chart` drawn as `kind`; nil for `.none` and for a result with no rows.
    public static func make(_ kind: Kind, chart: BarChart) throws -> ChartLayout? {
        guard kind != .none, !chart.bars.isEmpty else { return nil }
        let title = "\(chart.valueTitle) by \(chart.labelTitle)"
        switch kind {
        case .bars: return bars(chart, title: title)
        case .columns: return chart.bars.count > maxColumns ? bars(chart, title: title) : columns(chart.bars, kind: kind, title: title)
        case .hours: return columns(try hourSlots(chart), kind: kind, title: title)
        case .trend: return columns(chart.bars, kind: kind, title: title)
        case .share: return share(chart, title: title)
        case .none: return nil
        }
    }

    /// The width of every chart's view box: about a phone's width, so text drawn at
    /// 11–12 units stays readable there; the stylesheet caps how large it grows.
    public static let viewWidth = 360.0
    static let maxColumns = 28

    /// The hours 0–23, each with its row's bar or an empty one.
    static func hourSlots(_ chart: BarChart) throws -> [BarChart.Bar] {
        var slots = (0..<24).map { hour in
            BarChart.Bar(label: String(hour), fullLabel: String(hour), value: 0, valueText: "0", fraction: 0)
        }
        for bar in chart.bars {
            guard let hour = Int(bar.fullLabel), (0..<24).contains(hour) else {
                throw ReportError.notAnHour(label: bar.fullLabel, column: chart.labelTitle)
            }
            slots[hour] = bar
        }
        return slots
    }
}
