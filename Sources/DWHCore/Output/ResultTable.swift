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

        /// A server's column: numbers and booleans are known by their type.
        public init(_ column: QueryResult.Column) {
            self.init(name: column.name, isNumeric: PostgresType.isNumeric(column.typeOID),
                      isBoolean: column.typeOID == PostgresType.bool)
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
        columns = result.columns.map(Column.init)
        rows = result.rows
    }
}

/// The output formats `--format` and `\format` accept.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json, markdown

    /// The rows rendered in this format, ending in a newline. The table format's footer
    /// (row count and time) is added by the caller, who knows the time.
    public func render(_ table: ResultTable, expanded: Bool = false) -> String {
        RowWriter.render(table, format: self, expanded: expanded)
    }
}
