import Foundation

/// What can go wrong making, starting, stopping or reaching the local PostgreSQL (`dwh db`).
public enum EmbeddedDatabaseError: Error, CustomStringConvertible {
    case serverNotInstalled
    case initFailed(output: String)
    case startFailed(log: String, output: String, tail: String)
    case stopFailed(output: String)
    case unreachable(user: String, path: String, blocking: String)
    case cannotCreateUser(output: String)
    case lockFailed(path: String, reason: String)
    /// The home folder (`.dwh/` or DWH_HOME) cannot be made, as in a folder the user may not write.
    case cannotCreateHome(path: String, reason: String)

    public var description: String {
        switch self {
        case .lockFailed(let path, let reason):
            "cannot lock \(path): \(reason)"
        case .cannotCreateHome(let path, let reason):
            "cannot create the local database's folder \(path): \(reason); run dwh in a folder you may write to, "
                + "or set DWH_HOME to one"
        case .serverNotInstalled:
            "PostgreSQL server programs (initdb, pg_ctl) were not found; install them with `make deps` (Debian's postgresql-15), or set DWH_PG_BINDIR"
        case .initFailed(let output):
            "initdb failed:\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .startFailed(let log, let output, let tail):
            "the local PostgreSQL did not start (log: \(log)):\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))\n\(tail)"
        case .stopFailed(let output):
            "pg_ctl stop failed:\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .unreachable(let user, let path, let blocking):
            "PostgreSQL runs as the unprivileged user \(user), who cannot reach \(path): \(blocking) is not searchable by others; set DWH_HOME to a folder every parent of which others may enter (for example /var/lib/dwh)"
        case .cannotCreateUser(let output):
            "could not create an unprivileged user for PostgreSQL: \(output)"
        }
    }
}

extension EmbeddedDatabaseError {
    /// The system's reason behind a Foundation file error (`Permission denied`), not the
    /// NSError's dump.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = (nsError.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }),
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}
