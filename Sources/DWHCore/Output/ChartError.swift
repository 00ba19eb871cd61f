public enum ChartError: Error, CustomStringConvertible, Equatable {
    case noNumericColumn(columns: [String])
    case noSuchColumn(String, columns: [String])

    public var description: String {
        switch self {
        case .noNumericColumn(let columns):
            "nothing to chart: a chart needs a numeric column, these are \(columns.joined(separator: ", "))"
        case .noSuchColumn(let name, let columns):
            "cannot chart column \(name): the columns are \(columns.joined(separator: ", "))"
        }
    }
}
