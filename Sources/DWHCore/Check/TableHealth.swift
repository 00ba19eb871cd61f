import Foundation
import Postgres

/// The tables' upkeep on Redshift, reported by `dwh check` and each day of `dwh run` as a
/// warning, never a failure: a table whose rows are more than 20 % unsorted or deleted (a
/// load appends unsorted rows, a transform's DELETE leaves ghosts until VACUUM) gets the
/// `VACUUM` to run; one whose statistics are more than 10 % off (`stats_off`, Redshift's
/// own `analyze_threshold_percent` default) gets the `ANALYZE`. It reads SVV_TABLE_INFO, a
/// catalog view, so it costs nothing that grows with the data. PostgreSQL has autovacuum,
/// and nothing is reported there.
public enum TableHealth {
    public static let unsortedLimit = 20.0
    public static let deletedLimit = 20.0
    public static let statsOffLimit = 10.0
    static let name = "tables sorted, vacuumed and analysed (SVV_TABLE_INFO)"

    /// One warning naming each drifted table and its statement; none on PostgreSQL.
    /// SVV_TABLE_INFO is shown to superusers, or to users granted SELECT on it: without
    /// that, the warning says how to grant it. Run it outside a transaction, since a refused
    /// query would end one.
    public static func run(_ connection: Connection, dialect: Dialect) throws -> [CheckResult] {
        guard dialect == .redshift else { return [] }
        let sql = SQLStatements("Check/table_health.sql", for: dialect)
        let rows: [[String?]]
        do {
            let schema = try connection.execute(sql["schema"]).scalar ?? "public"
            rows = try connection.execute(sql["drifted"], [schema, String(unsortedLimit), String(deletedLimit),
                                                           String(statsOffLimit)]).rows
        } catch let error as SQLError where error.error.sqlState == "42501" {
            return [CheckResult(name: name, severity: .warn, violations: 1, sample: [
                "not checked: SVV_TABLE_INFO is shown to superusers only; "
                    + "a superuser can run GRANT SELECT ON svv_table_info TO <this user>",
            ])]
        }
        return [CheckResult(name: name, severity: .warn, violations: rows.count, sample: rows.map(advice))]
    }

    /// `songplays: 34.50 % unsorted, 0.00 % deleted, stats 2.00 % off (1204332 rows): run VACUUM "songplays";`
    static func advice(_ row: [String?]) -> String {
        let table = row[0] ?? "?"
        let unsorted = Double(row[1] ?? "") ?? 0, deleted = Double(row[2] ?? "") ?? 0, statsOff = Double(row[3] ?? "") ?? 0
        var fixes: [String] = []
        if unsorted > unsortedLimit || deleted > deletedLimit { fixes.append("VACUUM \(identifier(table));") }
        if statsOff > statsOffLimit { fixes.append("ANALYZE \(identifier(table));") }
        let figures = String(format: "%.2f %% unsorted, %.2f %% deleted, stats %.2f %% off", unsorted, deleted, statsOff)
        return "\(table): \(figures) (\(row[4] ?? "?") rows): run " + fixes.joined(separator: " ")
    }

    /// A table name in double quotes (a quote doubled), so that a copied statement runs
    /// whatever the name holds, `time` (a reserved word) among them.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
