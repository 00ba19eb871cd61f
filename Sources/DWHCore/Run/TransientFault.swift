import Curl
import Foundation
import Postgres

/// Which failures of a step are worth trying again after a pause: the connection lost or
/// refused, the server shutting down or starting, a serialization failure or deadlock, a
/// table lock held past the lock timeout, an
/// AWS 5xx or throttling answer. A SQL error, bad data or a failed check is never transient:
/// it fails the same way the next time.
public enum TransientFault {
    /// SQLSTATE classes and codes that say "try again": 08 connection exception, 57P01
    /// admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 40001 serialization
    /// failure, 40P01 deadlock detected, 53300 too many connections, 55P03 a table lock not
    /// granted within the run's lock timeout (another session held it).
    static let states: Set<String> = ["57P01", "57P02", "57P03", "40001", "40P01", "53300", "55P03"]

    public static func isTransient(_ error: Error) -> Bool {
        switch error {
        case let error as PostgresError:
            if error.kind == .connection { return true }
            guard let state = error.sqlState else { return false }
            // 08P01 is a protocol violation: dwh's own mistake, the same the next time.
            return (state.hasPrefix("08") && state != "08P01") || states.contains(state)
        case let error as SQLError:
            return isTransient(error.error)
        case is SessionError:
            return true
        case LoadError.database(_, let inner):
            return isTransient(inner)
        case LoadError.redshiftCopyFailed(_, let inner, _):
            return isTransient(inner)
        case CheckError.query(_, let inner, _, _):
            return isTransient(inner)
        case RunError.step(_, let inner):
            return isTransient(inner)
        case let error as HTTPError:
            return error.isTransient
        case AWSError.api(_, _, let status, let code, _, _, _):
            return status >= 500 || AWSError.throttlingCodes.contains(code)
        case AWSError.transport:
            return true
        default:
            return false
        }
    }
}
