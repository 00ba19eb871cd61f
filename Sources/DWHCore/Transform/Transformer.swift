import Foundation
import Postgres

/// How `dwh transform` runs.
public struct TransformOptions: Equatable, Sendable {
    /// Rebuild everything from staging, even when only some files are new.
    public var fullRefresh: Bool

    public init(fullRefresh: Bool = false) {
        self.fullRefresh = fullRefresh
    }
}

/// Where a running transform is, for a progress line.
public struct TransformProgress: Sendable {
    /// `60_songplays`
    public var step: String
    /// Rows written by the step's statements so far.
    public var rows: Int
    public var seconds: Double
}

/// What a transform did.
public struct TransformResult: Sendable {
    public var plan: TransformPlan
    /// Rows in each staging and star table afterwards.
    public var counts: [(table: String, rows: Int)]
    public var seconds: Double
}

/// Builds the star schema from staging with the SQL files of `Resources/Transform/`, in
/// one transaction that also records what has been transformed: a failure, a Ctrl-C or a
/// SIGKILL leaves the previous state, and a run after it gives the same result as one clean
/// run.
///
/// By default only files loaded since the last run are transformed (their plays appended,
/// their users, songs and artists upserted) and replaced files' star rows are replaced, so
/// a day's run costs what the day holds. Every songplay keeps its songplay_id. A full
/// rebuild (`TransformOptions.fullRefresh`, the first run, and every run on Redshift, whose
/// loads replace staging whole) fills the tables without keys and indexes and builds those
/// once at the end.
public struct Transformer {
    public let connection: Connection
    public let dialect: Dialect

    public init(connection: Connection, dialect: Dialect) {
        self.connection = connection
        self.dialect = dialect
    }

    /// A step's SQL file, parsed (strictly) from the bundle.
    public static func file(_ step: String) throws -> SQLFile {
        let path = "Transform/\(step).sql"
        return try SQLFile(path: path, contents: BundledResource.text(path))
    }

    /// Runs the transform; `progress` is called after each statement.
    @discardableResult
    public func run(_ options: TransformOptions = TransformOptions(),
                    progress: (TransformProgress) -> Void = { _ in }) throws -> TransformResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let plan = try connection.transaction {
            try execute("00_lock")
            let counts = try execute("01_backlog").rows.first ?? []
            let number = { (index: Int) in Int(counts.indices.contains(index) ? counts[index] ?? "" : "") ?? 0 }
            let backlog = TransformBacklog(newEventFiles: number(0), newSongFiles: number(1), removedEventFiles: number(2),
                                           removedSongFiles: number(3), anyTransformed: number(4) > 0)
            let plan = TransformPlan(backlog: backlog, fullRefresh: options.fullRefresh, dialect: dialect)
            for step in plan.steps {
                var rows = 0
                try execute(step) { result in
                    rows += result.affectedRows ?? 0
                    progress(TransformProgress(step: step, rows: rows,
                                               seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
                }
            }
            return plan
        }
        return TransformResult(plan: plan, counts: try Self.rowCounts(connection),
                               seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }

    /// Sends one step's statements one by one (Ctrl-C cancels the one running); a failure
    /// is placed in the step's file. Returns the last statement's result.
    @discardableResult
    func execute(_ step: String, each: (QueryResult) -> Void = { _ in }) throws -> QueryResult {
        let file = try Self.file(step)
        let script = file.render(for: dialect)
        var last: QueryResult?
        for statement in script.statements {
            do {
                let result = try Interrupts.shared.cancelling(connection) { try connection.execute(statement.sql) }
                each(result)
                last = result
            } catch let error as PostgresError where error.kind == .server {
                throw script.place(error, of: statement, path: file.path, line: file.line)
            }
        }
        guard let last else { throw TransformError.emptyStep(path: file.path) }
        return last
    }

    /// Rows in each staging and star table, in a fixed order.
    public static func rowCounts(_ connection: Connection) throws -> [(table: String, rows: Int)] {
        let result = try connection.execute(LoadSQL.rowCounts)
        return (0..<result.rowCount).map { (result[$0, 0] ?? "", Int(result[$0, 1] ?? "") ?? 0) }
    }
}

/// A transform that cannot run as bundled.
public enum TransformError: Error, CustomStringConvertible {
    case emptyStep(path: String)

    public var description: String {
        switch self {
        case .emptyStep(let path): return "\(path): no SQL statement for this dialect"
        }
    }
}
