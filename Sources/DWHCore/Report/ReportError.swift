/// What can go wrong defining, planning, running or writing a report.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case noDefinition(path: String)
    case badDefinition(file: String, line: Int, reason: String)
    case badEntry(file: String, line: Int, reason: String)
    case unknownOverride(String, reason: String)
    case notAnHour(label: String, column: String)
    /// `--fail-fast`: the first failing section, with the server's message.
    case sectionFailed(id: String, message: String)
    /// Without `--fail-fast`: the report was written, these sections failed.
    case sectionsFailed(ids: [String], path: String)

    public var description: String {
        switch self {
        case .noDefinition(let path):
            "no report definition at \(path); write one (see `dwh report --help`) or pass --definition FILE"
        case .badDefinition(let file, let line, let reason), .badEntry(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        case .unknownOverride(let key, let reason):
            "--param \(key): \(reason)"
        case .notAnHour(let label, let column):
            "an hours chart needs \(column) to be an hour 0–23, got \"\(label)\""
        case .sectionFailed(let id, let message):
            "\(id) failed, nothing written (--fail-fast):\n\(message)"
        case .sectionsFailed(let ids, let path):
            "wrote \(path), but \(ids.count) section\(ids.count == 1 ? "" : "s") failed: \(ids.joined(separator: ", "))"
        }
    }
}
