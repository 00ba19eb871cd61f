/// The three shapes a report chart takes. Each places its texts in room reserved for them
/// (a line above each bar, a band above and below the columns, a legend line per share),
/// shortening labels to fit, so nothing can overlap whatever the data.
extension ChartLayout {
    static let labelSize = 12.0
    static let valueSize = 11.0
    static let padding = 4.0

    /// A label line, then the bar with its number inside (when it fits) or after it.
    static func bars(_ chart: BarChart, title: String) -> ChartLayout {
        let width = viewWidth
        let rowHeight = 40.0, barHeight = 16.0
        let items = chart.bars.enumerated().map { index, bar -> Item in
            let top = Double(index) * rowHeight
            let label = Text(text: TextMetrics.shorten(bar.fullLabel.oneLine, toFit: width, fontSize: labelSize),
                             x: 0, y: top + 13, anchor: .start, fontSize: labelSize, role: .label)
            let valueWidth = TextMetrics.width(bar.valueText, fontSize: valueSize)
            let length = bar.fraction * width
            let box = Box(x: 0, y: top + 18, width: length, height: barHeight)
            let baseline = box.y + 12
            var value = Text(text: bar.valueText, x: length + padding, y: baseline, anchor: .start, fontSize: valueSize, role: .value)
            if length >= valueWidth + 2 * padding {
                value.x = length - padding
                value.anchor = .end
                value.inverse = true
            } else if value.x + valueWidth > width {
                value.x = width
                value.anchor = .end
            }
            return Item(title: "\(bar.fullLabel): \(bar.valueText)", bar: box, value: bar.value, colorIndex: 0,
                        texts: [label, value])
        }
        return ChartLayout(kind: .bars, width: width, height: Double(chart.bars.count) * rowHeight, title: title, items: items)
    }

    /// Columns growing up from a baseline, numbers above them (upright when they fit the
    /// column's slot, else read bottom to top), labels below. Hours are drawn smaller or on
    /// every few columns; a trend has no numbers (its tooltips and table do) and a label
    /// every few columns, from the column's left edge; other labels go on two staggered
    /// lines when one line is too narrow for them (`Wednesday` under seven columns), and
    /// are shortened only past that. No label reaches past the chart's edges.
    static func columns(_ bars: [BarChart.Bar], kind: Kind, title: String) -> ChartLayout {
        let width = viewWidth
        let slot = width / Double(bars.count)
        let valueSize = min(Self.valueSize, (slot - 2) / (TextMetrics.ascent + TextMetrics.descent))
        let widest = bars.map { TextMetrics.width($0.valueText, fontSize: valueSize) }.max() ?? 0
        let upright = widest <= slot - 2
        let trend = kind == .trend
        let valueRoom = trend ? padding : upright ? valueSize * (TextMetrics.ascent + TextMetrics.descent) + padding : widest + 2 * padding
        let plotHeight = 150.0
        let baseline = valueRoom + plotHeight
        let widestLabel = bars.map { TextMetrics.width($0.fullLabel.oneLine, fontSize: 1) }.max() ?? 0
        let axisSize = kind == .hours ? max(8, min(11, (slot - 2) / max(widestLabel, 0.1))) : 11
        let step = kind == .columns ? 1 : max(1, Int(((widestLabel * axisSize + 2) / slot).rounded(.up)))
        let staggered = kind == .columns && widestLabel * axisSize > slot - 2
        let lineHeight = (TextMetrics.ascent + TextMetrics.descent) * axisSize + 1
        let items = bars.enumerated().map { index, bar -> Item in
            let center = (Double(index) + 0.5) * slot
            let columnWidth = slot * 0.72
            let columnHeight = bar.fraction * plotHeight
            let box = Box(x: center - columnWidth / 2, y: baseline - columnHeight, width: columnWidth, height: columnHeight)
            var value = Text(text: bar.valueText, x: center, y: box.y - padding, anchor: .middle, fontSize: valueSize, role: .value)
            if !upright {
                value.rotated = true
                value.anchor = .start
                value.x = center + (TextMetrics.ascent - TextMetrics.descent) / 2 * valueSize
            }
            var texts = trend ? [] : [value]
            if index % step == 0 {
                let label = bar.fullLabel.oneLine
                let y = baseline + 3 + TextMetrics.ascent * axisSize + (staggered && index % 2 == 1 ? lineHeight : 0)
                let room = Double(staggered ? 2 : step) * slot - 2
                if trend {
                    let start = Double(index) * slot + 1
                    if start + TextMetrics.width(label, fontSize: axisSize) <= width {
                        texts.append(Text(text: label, x: start, y: y, anchor: .start, fontSize: axisSize, role: .label))
                    }
                } else {
                    let low = max(0, center - room / 2), high = min(width, center + room / 2)
                    texts.append(Text(text: TextMetrics.shorten(label, toFit: high - low, fontSize: axisSize),
                                      x: (low + high) / 2, y: y, anchor: .middle, fontSize: axisSize, role: .label))
                }
            }
            return Item(title: "\(bar.fullLabel): \(bar.valueText)", bar: box, value: bar.value, colorIndex: 0, texts: texts)
        }
        let height = baseline + 3 + lineHeight * (staggered ? 2 : 1)
        return ChartLayout(kind: kind, width: width, height: height, title: title, items: items)
    }

    /// One bar split by each row's share of the total, then a legend line per row with
    /// its number and percentage; the percentage is also written on segments wide enough.
    static func share(_ chart: BarChart, title: String) -> ChartLayout {
        let width = viewWidth
        let barHeight = 28.0, lineHeight = 22.0, swatchSize = 12.0
        let total = chart.bars.reduce(0) { $0 + max(0, $1.value) }
        var offset = 0.0
        let items = chart.bars.enumerated().map { index, bar -> Item in
            let share = total > 0 ? max(0, bar.value) / total : 0
            let percent = formatPercent(share)
            let segment = Box(x: offset, y: 0, width: share * width, height: barHeight)
            offset += segment.width
            let top = barHeight + 12 + Double(index) * lineHeight
            let swatch = Box(x: 0, y: top, width: swatchSize, height: swatchSize)
            let legend = "\(bar.fullLabel.oneLine): \(bar.valueText) (\(percent))"
            var texts = [Text(text: TextMetrics.shorten(legend, toFit: width - swatchSize - 6, fontSize: labelSize),
                              x: swatchSize + 6, y: top + 10.5, anchor: .start, fontSize: labelSize, role: .legend)]
            if TextMetrics.width(percent, fontSize: valueSize) <= segment.width - 2 * padding {
                texts.append(Text(text: percent, x: segment.x + segment.width / 2, y: 18.5, anchor: .middle,
                                  fontSize: valueSize, role: .value, inverse: true))
            }
            return Item(title: "\(bar.fullLabel): \(bar.valueText) (\(percent))", bar: segment, value: bar.value,
                        colorIndex: index, texts: texts, swatch: swatch)
        }
        let height = barHeight + 12 + Double(chart.bars.count) * lineHeight
        return ChartLayout(kind: .share, width: width, height: height, title: title, items: items)
    }

    static func formatPercent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }
}

extension String {
    /// Line breaks and tabs as spaces: a chart label is one line.
    var oneLine: String {
        String(unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
    }
}
