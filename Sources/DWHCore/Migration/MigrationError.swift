import Postgres

/// Everything that can stop a migration command; `description` is what the user reads.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case folderMissing(path: String)
    /// No folder was named and there is none where dwh looked: outside a project.
    case noFolder(searched: [String])
    case folderEmpty(path: String)
    case badFileName(path: String)
    case versionTooLarge(path: String)
    case nameTooLong(length: Int, limit: Int)
    case duplicateVersion(version: Int64, paths: [String])
    case missingUpSection(path: String)
    case emptyUpSection(path: String)
    case statementBeforeUp(path: String, line: Int)
    case badDirective(path: String, line: Int, text: String, reason: String)
    case unterminatedBlock(path: String, line: Int)
    case dialectsDiffer(path: String, differences: [String])
    case outOfOrder(pending: [String], highestApplied: Int64)
    case drifted(paths: [String])
    case missingFromDisk(versions: [Int64])
    case unknownVersion(Int64)
    case notReversible(path: String)
    case nothingApplied
    case fileExists(path: String)
    case badName(String)
    /// A change that asks first, asked where nobody can answer.
    case confirmationNeeded(command: String)
    /// A statement the server rejected, placed in its file.
    case statementFailed(path: String, line: Int, column: Int, sourceLine: String, error: PostgresError)
    /// A migration outside a transaction failed at a statement; those before it stayed.
    case partlyApplied(version: Int64, cause: String)
    /// Migrations that failed part-way earlier and are not repaired.
    case failedPartWay([String])
    /// COMMIT, ROLLBACK, BEGIN or END in a migration that runs in a transaction.
    case transactionControl(path: String, line: Int, statement: String)
    /// The connection went while a migration ran (at `line`, when it was a statement of the file).
    case connectionLost(path: String, line: Int?, transactional: Bool, reason: String)
    /// A statement waited longer than the lock timeout for a lock another session holds.
    case lockTimeout(cause: String, seconds: Int, holders: [String])
    /// A server error outside any file (the tracker, the lock).
    case database(PostgresError)

    public var description: String {
        switch self {
        case .folderMissing(let path):
            return "\(path): no such migrations folder (give --migrations-dir or DWH_MIGRATIONS_DIR, or create one with `dwh migrate new NAME`)"
        case .noFolder(let searched):
            return "no migrations/ folder found (looked in \(searched.joined(separator: ", "))); "
                + ProjectError.initHint + ", or give --migrations-dir or DWH_MIGRATIONS_DIR"
        case .folderEmpty(let path):
            return "\(path): no migration files (NNNN_description.sql) in this folder"
        case .partlyApplied(let version, let cause):
            return cause + "\nversion \(version) runs outside a transaction, so the statements before this one stayed. "
                + "Undo them or finish the work by hand, then run `dwh migrate repair` to clear the failure; "
                + "the next `dwh migrate` runs the file again"
        case .failedPartWay(let failures):
            return "a migration failed part-way and is not repaired:\n  " + failures.joined(separator: "\n  ")
                + "\nUndo or finish its work by hand, then run `dwh migrate repair`; nothing else runs until then"
        case .nameTooLong(let length, let limit):
            return "a migration name of \(length) characters is too long for a file name; use at most \(limit)"
        case .versionTooLarge(let path):
            return "\(path): the version number is too large (at most \(Int64.max))"
        case .badFileName(let path):
            return "\(path): a migration file is named NNNN_description.sql (a version number, an underscore, letters, digits, _ or -)"
        case .duplicateVersion(let version, let paths):
            return "\(paths.joined(separator: ", ")): version \(version) is used by more than one file"
        case .missingUpSection(let path):
            return "\(path): no `-- migrate:up` line; a migration has `-- migrate:up` and `-- migrate:down` sections"
        case .emptyUpSection(let path):
            return "\(path): the `-- migrate:up` section has no SQL"
        case .statementBeforeUp(let path, let line):
            return "\(path):\(line): SQL before `-- migrate:up`; only comments may come first"
        case .badDirective(let path, let line, let text, let reason):
            return "\(path):\(line): `\(text.trimmingLeadingSpaces)` \(reason)"
        case .unterminatedBlock(let path, let line):
            return "\(path):\(line): dialect block has no `-- dwh:end` before the section ends"
        case .dialectsDiffer(let path, let differences):
            return "\(path): the PostgreSQL and Redshift blocks build different schemas:\n  "
                + differences.joined(separator: "\n  ")
        case .outOfOrder(let pending, let highest):
            return "\(pending.joined(separator: ", ")): pending but older than version \(highest), which is applied; "
                + "apply anyway with --allow-out-of-order"
        case .drifted(let paths):
            return "\(paths.joined(separator: ", ")): changed since applied (checksum differs); "
                + "revert the edit, or record it with `dwh migrate repair`"
        case .missingFromDisk(let versions):
            return "version \(versions.map(String.init).joined(separator: ", ")) applied but no file on disk; "
                + "restore the file, or forget it with `dwh migrate repair`"
        case .unknownVersion(let version):
            return "version \(version): no migration file with that version"
        case .notReversible(let path):
            return "\(path): no SQL in `-- migrate:down`; this migration cannot be reverted"
        case .nothingApplied:
            return "no applied migration to revert"
        case .fileExists(let path):
            return "\(path): already exists"
        case .badName(let name):
            return "`\(name)`: a migration name needs at least one letter or digit"
        case .confirmationNeeded(let command):
            return "not asking, since input is not a terminal: run `\(command) --yes` to make these changes"
        case .statementFailed(let path, let line, let column, let sourceLine, let error):
            return SQLError(path: path, line: line, column: column, sourceLine: sourceLine, error: error).description
        case .transactionControl(let path, let line, let statement):
            return "\(path):\(line): \(statement) in a migration that runs in a transaction would end it part-way "
                + "(what ran before would stay while the version shows as pending); nothing was run. Remove it: "
                + "dwh runs each file in one transaction. Or mark the file `-- dwh:no-transaction`"
        case .connectionLost(let path, let line, let transactional, let reason):
            let place = line.map { "\(path):\($0)" } ?? path
            let firstLine = reason.split(separator: "\n").first.map(String.init) ?? reason
            let outcome = transactional
                ? "It ran in a transaction, which the server rolls back: nothing of it was kept. Run `dwh migrate` again once the server answers"
                : "It runs outside a transaction, so the statements before this one may have stayed; `dwh migrate status` shows it as failed part-way: "
                    + "check its work, then `dwh migrate repair`"
            return "\(place): the connection to the server was lost while this migration ran (\(firstLine)). " + outcome
        case .lockTimeout(let cause, let seconds, let holders):
            let who = holders.isEmpty ? "no session holds a lock on a table this file names (the wait was for a row or another object)"
                : "held by:\n  " + holders.joined(separator: "\n  ")
            return cause + "\nthe migration waited \(seconds) s for a lock and was rolled back; \(who)\n"
                + "End that session's work (or wait for it), then run `dwh migrate` again; --lock-timeout SECONDS sets another limit (0 waits for ever)"
        case .database(let error):
            return error.description
        }
    }

    public static func == (lhs: MigrationError, rhs: MigrationError) -> Bool {
        lhs.description == rhs.description
    }
}
