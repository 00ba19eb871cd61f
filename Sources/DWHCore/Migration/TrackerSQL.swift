import Foundation

/// The named statements of `Resources/Migration/tracker.sql`, the only SQL the migrator
/// writes itself.
enum TrackerSQL {
    static let create = statement("create")
    static let exists = statement("exists")
    static let select = statement("select")
    static let isApplied = statement("is_applied")
    static let insert = statement("insert")
    static let delete = statement("delete")
    static let updateChecksum = statement("update_checksum")
    static let tryLockPostgres = statement("try_lock_postgres")
    static let lockPostgres = statement("lock_postgres")
    static let unlockPostgres = statement("unlock_postgres")
    static let lockRedshift = statement("lock_redshift")
    static let createFailures = statement("create_failures")
    static let failuresExist = statement("failures_exist")
    static let selectFailures = statement("select_failures")
    static let insertFailure = statement("insert_failure")
    static let deleteFailure = statement("delete_failure")

    /// The advisory lock key: any fixed bigint, chosen so other tools are unlikely to share it.
    static let advisoryLockKey = "7243114905613960193"

    private static let all = parse(EmbeddedResource.text("Migration/tracker.sql"))

    private static func statement(_ name: String) -> String {
        guard let sql = all[name] else { fatalError("tracker.sql has no statement named \(name)") }
        return sql
    }

    /// Splits `-- name: x` sections; comment lines outside statements are dropped.
    static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var name: String?
        var body: [String] = []
        func flush() {
            if let name { result[name] = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
            body = []
        }
        for line in TextLines.split(text) {
            if line.hasPrefix("-- name:") {
                flush()
                name = line.dropFirst("-- name:".count).trimmingCharacters(in: .whitespaces)
            } else if !line.hasPrefix("--") {
                body.append(String(line))
            }
        }
        flush()
        return result
    }
}
