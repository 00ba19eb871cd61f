import Foundation

/// The exit statuses of `dwh run` (and `dwh runs --freshness`), after sysexits(3), so that
/// cron, systemd or Airflow can tell "try later" from "fix the data" from "fix the settings".
public enum RunExit {
    public static let done: Int32 = 0
    public static let failure: Int32 = 1
    /// EX_DATAERR: a check of severity `error` failed, or bad records went over --max-errors.
    public static let dataError: Int32 = 65
    /// EX_TEMPFAIL: the lock is held, the day's input is not there yet, or the server stayed
    /// unreachable after the retries.
    public static let temporary: Int32 = 75
    /// EX_CONFIG: dwh.cfg or the flags are wrong.
    public static let config: Int32 = 78
}

/// Why a run (or a day of it) did not succeed; `exitCode` is what dwh exits with.
public enum RunError: Error, CustomStringConvertible {
    case config(key: String, reason: String)
    case inputMissing(day: RunDay, path: String)
    case lockHeld(RunLock.Holder)
    case unreachable(attempts: Int, reason: String)
    case checksFailed(day: RunDay, names: [String])
    case pendingMigrations(scripts: [String])
    case schema(String)
    /// A step failed for a reason of its own (a load or SQL error), kept as it was.
    case step(name: String, error: Error)

    public var description: String {
        switch self {
        case .config(let key, let reason):
            return "configuration: \(key): \(reason)"
        case .inputMissing(let day, let path):
            return "\(day): the day's events are not there yet: \(path) (exit 75: try again later, or --allow-empty)"
        case .lockHeld(let holder):
            return "another run holds the lock: \(holder) (exit 75; --wait waits for it)"
        case .unreachable(let attempts, let reason):
            return "the server stayed unreachable after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
        case .checksFailed(let day, let names):
            return "\(day): \(names.count) check\(names.count == 1 ? "" : "s") of severity error failed: "
                + names.joined(separator: ", ")
        case .pendingMigrations(let scripts):
            return "the schema is not current: \(scripts.count) pending migration\(scripts.count == 1 ? "" : "s") ("
                + scripts.joined(separator: ", ") + "); run `dwh migrate`, or `dwh run --migrate`"
        case .schema(let problem):
            return "the schema is not in a state to run on: \(problem)"
        case .step(let name, let error):
            return "\(name): \(error)"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .config: RunExit.config
        case .inputMissing, .lockHeld, .unreachable: RunExit.temporary
        case .checksFailed: RunExit.dataError
        case .pendingMigrations, .schema: RunExit.failure
        case .step(_, let error): Self.exitCode(for: error)
        }
    }

    /// The status for any error a step may throw.
    public static func exitCode(for error: Error) -> Int32 {
        switch error {
        case let error as RunError: return error.exitCode
        case LoadError.tooManyErrors: return RunExit.dataError
        case is ConfigError: return RunExit.config
        case let error where TransientFault.isTransient(error): return RunExit.temporary
        default: return RunExit.failure
        }
    }
}
