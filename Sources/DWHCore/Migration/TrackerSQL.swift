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
    static let setLockTimeout = statement("set_lock_timeout")
    static let lockHolders = statement("lock_holders")
    static let createFailures = statement("create_failures")
    static let failuresExist = statement("failures_exist")
    static let selectFailures = statement("select_failures")
    static let insertFailure = statement("insert_failure")
    static let deleteFailure = statement("delete_failure")

    /// The advisory lock key: any fixed bigint, chosen so other tools are unlikely to share it.
    static let advisoryLockKey = "7243114905613960193"

    private static let all = SQLStatements("Migration/tracker.sql")

    private static func statement(_ name: String) -> SQLStatement { all[name] }
}
