import Foundation
import Postgres

/// Builds the star schema from staging with the SQL files of `Resources/Transform/`, in
/// name order, all in one transaction. One source serves both dialects: lines between
/// `-- dwh:postgres` (or `-- dwh:redshift`) and `-- dwh:end` run on that dialect only.
public struct Transformer {
    public struct Step: Equatable, Sendable {
        /// `Transform/02_artists.sql`
        public var file: String
        public var sql: String
    }

    public let connection: Connection
    public let dialect: Dialect

    public init(connection: Connection, dialect: Dialect) {
        self.connection = connection
        self.dialect = dialect
    }

    /// The statements the transform runs on `dialect`, file by file.
    public static func script(for dialect: Dialect) -> [Step] {
        guard let folder = Bundle.module.url(forResource: "Transform", withExtension: nil, subdirectory: "Resources"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            fatalError("Resources/Transform is missing from the dwh bundle")
        }
        return names.filter { $0.hasSuffix(".sql") }.sorted().map { name in
            let stem = String(name.dropLast(4))
            return Step(file: "Transform/\(name)", sql: render(LoadSQL.resource(stem, in: "Transform"), for: dialect))
        }
    }

    /// Keeps shared lines and `dialect`'s blocks; drops the other dialect's blocks and the markers.
    static func render(_ text: String, for dialect: Dialect) -> String {
        var block: Dialect?
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            switch line.trimmingCharacters(in: .whitespaces) {
            case "-- dwh:postgres": block = .postgres
            case "-- dwh:redshift": block = .redshift
            case "-- dwh:end": block = nil
            default: if block == nil || block == dialect { kept.append(line) }
            }
        }
        return kept.joined(separator: "\n")
    }

    /// Runs the whole transform; returns the rows per star table afterwards.
    @discardableResult
    public func run() throws -> [(table: String, rows: Int)] {
        try connection.transaction {
            for step in Self.script(for: dialect) {
                do {
                    try connection.execute(step.sql)
                } catch let error as PostgresError {
                    throw LoadError.transformFailed(file: step.file, message: error.headline)
                }
            }
        }
        return try Self.rowCounts(connection)
    }

    /// Rows in each staging and star table, in a fixed order.
    public static func rowCounts(_ connection: Connection) throws -> [(table: String, rows: Int)] {
        let result = try connection.execute(LoadSQL.rowCounts)
        return (0..<result.rowCount).map { (result[$0, 0] ?? "", Int(result[$0, 1] ?? "") ?? 0) }
    }
}
