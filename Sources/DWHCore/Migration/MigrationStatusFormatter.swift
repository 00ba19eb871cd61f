import Foundation

/// `dwh migrate status` output: an aligned table for people, JSON for scripts.
public enum MigrationStatusFormatter {
    public static func table(_ status: MigrationStatus) -> String {
        let header = ["VERSION", "STATE", "APPLIED AT (UTC)", "MS", "SCRIPT"]
        let rows = status.entries.map { entry in
            [String(entry.version), entry.state.rawValue, entry.appliedAt ?? "", entry.executionMs.map(String.init) ?? "", entry.script]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { column, value in
                column == row.count - 1 ? value : value.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    public static func json(_ status: MigrationStatus) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(status.entries), as: UTF8.self)
    }
}
