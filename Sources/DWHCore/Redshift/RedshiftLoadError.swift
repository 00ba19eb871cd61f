/// One row of Redshift's load-error log (`STL_LOAD_ERRORS` / `SYS_LOAD_ERROR_DETAIL`).
public struct RedshiftLoadError: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: String
    public var reason: String

    public init(file: String, line: Int, column: String, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "\(file):\(line): column \(column): \(reason)" }
}
