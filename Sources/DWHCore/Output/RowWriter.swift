/// Rows rendered in an output format as they arrive, memory flat whatever their number:
/// what `dwh sql`, `dwh query run` and the REPL print through, and what the one-shot
/// renderers (`TableRenderer`, `JSONRenderer`, `MarkdownRenderer`) use on a whole table.
///
/// The table measures its column widths over the first `widthSample` rows and keeps
/// them, as psql does with FETCH_COUNT: a wider value later pushes its own line out
/// rather than re-laying rows already shown. A result that fits in the sample is laid out
/// exactly as if it had been measured whole.
public final class RowWriter: RowObserver {
    public static let widthSample = 1000

    public let format: OutputFormat
    /// One block per row; with `autoExpandWidth`, decided once the widths are known.
    public private(set) var expanded: Bool
    /// `\x auto`: a table wider than this many columns is shown expanded instead.
    private let autoExpandWidth: Int?
    /// How NULL shows in a table (`\pset null`).
    private let nullText: String
    private let sink: ByteSink
    private let widthSample: Int
    private var columns: [ResultTable.Column] = []
    /// The table's rows until their widths are known.
    private var held: [[String?]] = []
    private var widths: [Int]?
    /// The rows while there are no more than `widthSample`, for `\chart` in the REPL.
    private var sample: [[String?]]? = []
    private var bytes: [UInt8] = []
    public private(set) var rowCount = 0

    public init(format: OutputFormat, expanded: Bool = false, autoExpandWidth: Int? = nil,
                nullText: String = TableRenderer.nullText, to sink: ByteSink, widthSample: Int = RowWriter.widthSample) {
        self.format = format
        self.expanded = expanded
        self.autoExpandWidth = expanded ? nil : autoExpandWidth
        self.nullText = nullText
        self.sink = sink
        self.widthSample = max(1, widthSample)
        bytes.reserveCapacity(1 << 16)
    }

    /// A whole table in one format, as a String (reports, tests, small results).
    public static func render(_ table: ResultTable, format: OutputFormat, expanded: Bool = false) -> String {
        let memory = MemorySink()
        let writer = RowWriter(format: format, expanded: expanded, to: memory, widthSample: Int.max)
        // Writing to memory cannot fail.
        try? writer.begin(table.columns)
        for row in table.rows { try? writer.row(row) }
        try? writer.end()
        return memory.text
    }

    /// The rows seen, if there were no more than `widthSample` of them.
    public var smallResult: ResultTable? {
        sample.map { ResultTable(columns: columns, rows: $0) }
    }

    /// A result's rows begin.
    public func begin(_ columns: [ResultTable.Column]) throws {
        self.columns = columns
        if autoExpandWidth != nil { expanded = false }
        held = []
        widths = nil
        sample = []
        rowCount = 0
        switch format {
        case .csv:
            CSVEncoder.appendRow(columns.map { Optional($0.name) }, to: &bytes)
        case .json:
            append("[")
        case .markdown:
            append("| " + columns.map { MarkdownRenderer.cell($0.name) }.joined(separator: " | ") + " |\n")
            append("|" + columns.map { $0.isNumeric ? " ---: |" : " --- |" }.joined() + "\n")
        case .table:
            break
        }
    }

    public func row(_ values: [String?]) throws {
        rowCount += 1
        if sample != nil {
            if rowCount <= widthSample { sample?.append(values) } else { sample = nil }
        }
        switch format {
        case .csv:
            CSVEncoder.appendRow(values, to: &bytes)
        case .json:
            appendJSON(values)
        case .markdown:
            append("| ")
            for (index, value) in values.enumerated() {
                if index > 0 { append(" | ") }
                append(MarkdownRenderer.cell(value ?? ""))
            }
            append(" |\n")
        case .table where expanded:
            appendRecord(values, number: rowCount)
        case .table:
            guard let widths else {
                held.append(values)
                if held.count >= widthSample { layOut() }
                break
            }
            appendLine(values.map(cellText), widths: widths)
        }
        if bytes.count >= 1 << 16 { try flush() }
    }

    /// The result's rows have all been written.
    public func end() throws {
        switch format {
        case .json:
            append(rowCount == 0 ? "]\n" : "\n]\n")
        case .table where !expanded && widths == nil:
            layOut()
        default:
            break
        }
        try flush()
    }

    private func flush() throws {
        guard !bytes.isEmpty else { return }
        try sink.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    private func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    // MARK: The table

    /// Measures the held rows, then writes the header, the rule and the rows.
    private func layOut() {
        let cells = held.map { $0.map(cellText) }
        let names = columns.map { TableRenderer.cellText($0.name) }
        var widths = names.map(DisplayWidth.of)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        // ` a │ b`: a space before the first cell, three between cells.
        if let limit = autoExpandWidth, 1 + widths.reduce(0, +) + 3 * max(0, widths.count - 1) > limit {
            expanded = true
            for (index, row) in held.enumerated() { appendRecord(row, number: index + 1) }
            held = []
            return
        }
        held = []
        self.widths = widths
        appendLine(names, widths: widths)
        append(widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: "┼") + "\n")
        for row in cells { appendLine(row, widths: widths) }
    }

    /// ` a │ b`, numbers right-aligned, trailing spaces dropped.
    private func appendLine(_ cells: [String], widths: [Int]) {
        bytes.append(space)
        for (index, cell) in cells.enumerated() {
            if index > 0 { append(" │ ") }
            let padding = max(0, (index < widths.count ? widths[index] : 0) - DisplayWidth.of(cell))
            if index < columns.count && columns[index].isNumeric {
                bytes.append(contentsOf: repeatElement(space, count: padding))
                append(cell)
            } else {
                append(cell)
                bytes.append(contentsOf: repeatElement(space, count: padding))
            }
        }
        while bytes.last == space { bytes.removeLast() }
        bytes.append(newline)
    }

    /// `-[ RECORD n ]---`, then `name │ value` a line per column.
    private func appendRecord(_ values: [String?], number: Int) {
        let names = columns.map { TableRenderer.cellText($0.name) }
        let nameWidth = names.map(DisplayWidth.of).max() ?? 0
        append("-[ RECORD \(number) ]" + String(repeating: "-", count: max(3, nameWidth)) + "\n")
        for (index, value) in values.enumerated() {
            append(DisplayWidth.pad(names[index], to: nameWidth) + " │ " + cellText(value) + "\n")
        }
    }

    private func cellText(_ value: String?) -> String {
        value == nil ? nullText : TableRenderer.cellText(value)
    }

    // MARK: JSON

    private func appendJSON(_ values: [String?]) {
        append(rowCount == 1 ? "\n  {" : ",\n  {")
        for (index, value) in values.enumerated() {
            if index > 0 { append(", ") }
            JSONRenderer.appendQuoted(columns[index].name.utf8, to: &bytes)
            append(": ")
            guard let value else {
                append("null")
                continue
            }
            let column = columns[index]
            if column.isBoolean {
                append(value == "t" ? "true" : "false")
            } else if column.isNumeric, let number = Double(value), number.isFinite {
                append(value)
            } else {
                JSONRenderer.appendQuoted(value.utf8, to: &bytes)
            }
        }
        append("}")
    }

    private let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n")
}

/// What follows a result's rows as they arrive: a `RowWriter`, or the REPL's kept result
/// (`KeptResult`), fed beside the one that shows them.
public protocol RowObserver: AnyObject {
    func begin(_ columns: [ResultTable.Column]) throws
    func row(_ values: [String?]) throws
    func end() throws
}
