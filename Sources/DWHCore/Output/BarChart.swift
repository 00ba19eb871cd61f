/// A horizontal bar chart of a label/number result, as a plain value: the terminal
/// renderer (`--chart`, `\chart`) and an HTML/SVG renderer draw the same bars from it,
/// so they cannot disagree.
public struct BarChart: Equatable, Sendable {
    public struct Bar: Equatable, Sendable {
        /// The label as shown, shortened to `labelWidth` columns with `…`.
        public var label: String
        /// The full label, for a tooltip or `<title>`.
        public var fullLabel: String
        public var value: Double
        /// The value as the server printed it.
        public var valueText: String
        /// Length relative to the longest bar, 0…1 (0 for zero and negative values).
        public var fraction: Double
    }

    /// The labels' column name and the values' column name.
    public var labelTitle: String
    public var valueTitle: String
    public var bars: [Bar]

    /// Labels come from the first non-numeric column (or row numbers when there is none),
    /// values from the last numeric column; NULL labels read `∅`, NULL values count as 0.
    /// - Parameter labelWidth: the widest a shown label may be, in terminal columns.
    public init(table: ResultTable, labelWidth: Int = 30) throws {
        guard let valueIndex = table.columns.lastIndex(where: \.isNumeric) else {
            throw ChartError.noNumericColumn(columns: table.columns.map(\.name))
        }
        let labelIndex = table.columns.indices.first { !table.columns[$0].isNumeric && $0 != valueIndex }
        labelTitle = labelIndex.map { table.columns[$0].name } ?? "#"
        valueTitle = table.columns[valueIndex].name
        let values = table.rows.map { row in row[valueIndex].flatMap(Double.init) ?? 0 }
        let largest = values.max() ?? 0
        bars = table.rows.enumerated().map { number, row in
            let full = labelIndex.map { row[$0] ?? TableRenderer.nullText } ?? String(number + 1)
            let oneLine = TableRenderer.cellText(full)
            let value = values[number]
            return Bar(label: DisplayWidth.truncate(oneLine, to: labelWidth), fullLabel: full, value: value,
                       valueText: row[valueIndex] ?? TableRenderer.nullText,
                       fraction: largest > 0 && value > 0 ? value / largest : 0)
        }
    }
}

public enum ChartError: Error, CustomStringConvertible, Equatable {
    case noNumericColumn(columns: [String])

    public var description: String {
        switch self {
        case .noNumericColumn(let columns):
            "nothing to chart: a chart needs a numeric column, these are \(columns.joined(separator: ", "))"
        }
    }
}
