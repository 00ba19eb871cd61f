import Postgres

/// Rows to show, as plain values: what every formatter and the chart model read.
public struct ResultTable: Equatable, Sendable {
    public struct Column: Equatable, Sendable {
        public var name: String
        /// Numbers align right in a table, are bare in JSON, and can be charted.
        public var isNumeric: Bool
        public var isBoolean: Bool

        public init(name: String, isNumeric: Bool = false, isBoolean: Bool = false) {
            self.name = name
            self.isNumeric = isNumeric
            self.isBoolean = isBoolean
        }
    }

    public var columns: [Column]
    /// Text values as the server printed them; nil is SQL NULL.
    public var rows: [[String?]]

    public init(columns: [Column], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Copies a result's rows out of libpq's buffer.
    public init(_ result: QueryResult) {
        columns = result.columns.map {
            Column(name: $0.name, isNumeric: PostgresType.isNumeric($0.typeOID), isBoolean: $0.typeOID == PostgresType.bool)
        }
        rows = result.rows
    }
}

/// The output formats `--format` and `\format` accept.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json, markdown

    /// The rows rendered in this format, ending in a newline. The table format's footer
    /// (row count and time) is added by the caller, who knows the time.
    public func render(_ table: ResultTable, expanded: Bool = false) -> String {
        switch self {
        case .table: expanded ? TableRenderer.expanded(table) : TableRenderer.aligned(table)
        case .csv: CSVEncoder.document(table)
        case .json: JSONRenderer.render(table)
        case .markdown: MarkdownRenderer.render(table)
        }
    }
}
