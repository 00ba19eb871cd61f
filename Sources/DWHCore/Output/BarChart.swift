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

    /// Labels come from the first non-numeric column (the first column when all are
    /// numeric, as in hour/plays), values from the first numeric column after it
    /// (`plays` in location/plays/listeners); NULL labels read `∅`, NULL values count as 0.
    /// - Parameters:
    ///   - labelWidth: the widest a shown label may be, in terminal columns.
    ///   - labelColumn, valueColumn: columns to use instead (the report's definition names
    ///     them); the label column may be numeric.
    public init(table: ResultTable, labelWidth: Int = 30, labelColumn: String? = nil, valueColumn: String? = nil) throws {
        let columns = table.columns
        let names = columns.map(\.name)
        func index(of name: String) throws -> Int {
            guard let index = names.firstIndex(of: name) else { throw ChartError.noSuchColumn(name, columns: names) }
            return index
        }
        let firstText = columns.indices.first { !columns[$0].isNumeric }
        let labelIndex: Int? = try labelColumn.map(index) ?? firstText ?? (columns.count > 1 ? 0 : nil)
        let after = (labelIndex ?? -1) + 1
        let defaultValue = columns.indices.first(where: { $0 >= after && columns[$0].isNumeric })
            ?? columns.indices.first(where: { $0 != labelIndex && columns[$0].isNumeric })
        guard let valueIndex = try valueColumn.map(index) ?? defaultValue, columns[valueIndex].isNumeric else {
            throw ChartError.noNumericColumn(columns: names)
        }
        labelTitle = labelIndex.map { columns[$0].name } ?? "#"
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
