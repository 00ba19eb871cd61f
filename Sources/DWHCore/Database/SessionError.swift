import Foundation

/// What can go wrong opening a session on the target, or moving it to another with `\\c`.
public enum SessionError: Error, CustomStringConvertible {
    case cannotConnect(target: DatabaseTarget, reason: String)
    /// `\c` failed; the session keeps its connection, as psql does.
    case cannotReconnect(reason: String)

    public var description: String {
        switch self {
        case .cannotConnect(let target, let reason):
            let advice: String
            switch target.source {
            case .embedded:
                advice = "check `dwh db status` and the log in \(target.embedded?.logFile ?? ".dwh/log")"
            case .flag, .environment:
                advice = "is the database running and the URL right? check --database-url / DWH_DATABASE_URL"
            case .configFile(let path):
                advice = "is the cluster running and reachable? check [CLUSTER] in \(path), or `dwh cluster status`"
            case .libpqEnvironment:
                advice = "check PGHOST, PGPORT, PGUSER and PGDATABASE"
            }
            return "could not connect to \(target.summary) (from \(target.source.description)): "
                + "\(reason)\n\(advice)"
        case .cannotReconnect(let reason):
            return "\(reason)\nPrevious connection kept"
        }
    }
}
