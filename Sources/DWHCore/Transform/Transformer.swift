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

/// Rows a transform wrote to one star table.
public struct TableChange: Equatable, Sendable {
    public var inserted = 0
    public var updated = 0
    public var deleted = 0

    mutating func add(_ rows: Int, kind: String) {
        switch kind {
        case "insert": inserted += rows
        case "update": updated += rows
        default: deleted += rows
        }
    }

    /// `+33333 ~852 -12`, the parts that are not zero.
    public var summary: String {
        [("+", inserted), ("~", updated), ("-", deleted)].filter { $0.1 > 0 }.map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }
}

/// What a transform did.
public struct TransformResult: Sendable {
    public var plan: TransformPlan
    /// Rows written per star table, from the statements' own counts: what the run cost,
    /// without counting whole tables afterwards (which would cost what history holds).
    public var changes: [String: TableChange]
    public var seconds: Double

    /// `songplays +33333, time +26120, users +12 ~852`, in the star schema's order.
    public var summary: String {
        let parts = Transformer.starTables.compactMap { table -> String? in
            guard let change = changes[table], !change.summary.isEmpty else { return nil }
            return "\(table) \(change.summary)"
        }
        return (parts.isEmpty ? "no star rows changed" : parts.joined(separator: ", "))
    }
}

/// Builds the star schema from staging with the SQL files of `Resources/Transform/`, in
/// one transaction that also records what has been transformed: a failure, a Ctrl-C or a
/// SIGKILL leaves the previous state, and a run after it gives the same result as one clean
/// run.
///
/// By default only files loaded since the last run are transformed (their plays appended,
/// their users, songs and artists upserted) and replaced files' star rows are replaced, so
/// a day's run costs what the day holds. Every songplay keeps its songplay_id. A full
/// rebuild (`TransformOptions.fullRefresh`, the first run, and on Redshift every run after a
/// load of whole prefixes, which gives staging no file ids) fills the tables without keys
/// and indexes (PostgreSQL) and builds those once at the end. On Redshift, after loads
/// through COPY manifests, a run is incremental as on PostgreSQL.
public struct Transformer {
    public let connection: Connection
    public let dialect: Dialect
    static let starTables = ["songplays", "time", "users", "songs", "artists", "tracks"]
    /// Applied to each statement before it is sent: tests run the Redshift rendering on
    /// PostgreSQL through it.
    var rewrite: (String) -> String = { $0 }

    public init(connection: Connection, dialect: Dialect) {
        self.connection = connection
        self.dialect = dialect
    }

    /// A step's SQL file, parsed (strictly) as built into dwh.
    public static func file(_ step: String) -> SQLFile {
        SQLResource.file("Transform/\(step).sql")
    }

    /// Runs the transform; `progress` is called after each statement.
    @discardableResult
    public func run(_ options: TransformOptions = TransformOptions(),
                    progress: (TransformProgress) -> Void = { _ in }) throws -> TransformResult {
        let started = DispatchTime.now().uptimeNanoseconds
        var changes: [String: TableChange] = [:]
        let plan = try connection.transaction {
            try execute("00_lock")
            let counts = try execute("01_backlog").rows.first ?? []
            let number = { (index: Int) in Int(counts.indices.contains(index) ? counts[index] ?? "" : "") ?? 0 }
            let backlog = TransformBacklog(newEventFiles: number(0), newSongFiles: number(1), removedEventFiles: number(2),
                                           removedSongFiles: number(3), anyTransformed: number(4) > 0,
                                           pendingPlayChanges: number(5) > 0)
            let plan = TransformPlan(backlog: backlog, fullRefresh: options.fullRefresh)
            for step in plan.steps {
                var rows = 0
                let last = try execute(step) { statement, result in
                    rows += result.affectedRows ?? 0
                    // A full rebuild's emptying of the tables is not news; what it inserts is.
                    if let (table, kind) = Self.target(of: statement), Self.starTables.contains(table),
                       !(plan.mode == .full && kind == "delete") {
                        changes[table, default: TableChange()].add(result.affectedRows ?? 0, kind: kind)
                    }
                    progress(TransformProgress(step: step, rows: rows,
                                               seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
                }
                if step == Self.namesStep { try repairNames(last.rows.compactMap { $0.first ?? nil }) }
            }
            return plan
        }
        return TransformResult(plan: plan, changes: changes,
                               seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }

    /// The table an INSERT, UPDATE or DELETE writes, and which of the three it is.
    static func target(of sql: String) -> (table: String, kind: String)? {
        let words = SQLTokens(sql).tokens.prefix(3)
        switch (words.first, words.dropFirst().first, words.dropFirst(2).first) {
        case ("insert", "into", let table?), ("delete", "from", let table?): return (table, words.first!)
        case ("update", let table?, _): return (table, "update")
        default: return nil
        }
    }

    /// Sends one step's statements one by one (Ctrl-C cancels the one running); a failure
    /// is placed in the step's file. Returns the last statement's result.
    @discardableResult
    func execute(_ step: String, each: (String, QueryResult) -> Void = { _, _ in }) throws -> QueryResult {
        let file = Self.file(step)
        let script = file.render(for: dialect)
        var last: QueryResult?
        for statement in script.statements {
            do {
                let result = try Interrupts.shared.cancelling(connection) { try connection.execute(rewrite(statement.sql)) }
                each(statement.sql, result)
                last = result
            } catch let error as PostgresError where error.kind == .server {
                throw script.place(error, of: statement, path: file.path, line: file.line)
            }
        }
        guard let last else { throw TransformError.emptyStep(path: file.path) }
        return last
    }
}
