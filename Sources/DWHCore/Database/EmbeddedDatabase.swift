import Foundation
import Postgres

/// The local PostgreSQL that dwh owns when no server is configured.
///
/// Everything lives under one home folder (`.dwh/`, or `DWH_HOME`): the data directory,
/// the server log, the chosen port and a password file. The server listens on
/// 127.0.0.1 only, on a port chosen free at first start, and on a socket in a folder of
/// its own. When dwh runs as root, PostgreSQL (which refuses root) runs as the
/// unprivileged `postgres` user, created as `dwh` if the system has no such user.
public struct EmbeddedDatabase: Sendable {
    public let home: String
    public let databaseName = "dwh"
    public let superuser = "dwh"

    public init(home: String) {
        self.home = home.hasSuffix("/") && home.count > 1 ? String(home.dropLast()) : home
    }

    /// `DWH_HOME`, else `.dwh` in the current folder, made absolute.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> EmbeddedDatabase {
        let raw = environment["DWH_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ".dwh"
        let absolute = raw.hasPrefix("/") ? raw : FileManager.default.currentDirectoryPath + "/" + raw
        return EmbeddedDatabase(home: URL(fileURLWithPath: absolute).standardizedFileURL.path)
    }

    public var dataDirectory: String { home + "/pgdata" }
    public var logDirectory: String { home + "/log" }
    public var logFile: String { logDirectory + "/postgresql.log" }
    public var passwordFile: String { home + "/pgpass" }
    var portFile: String { home + "/port" }

    /// The socket folder: inside the home when the socket path stays short enough for
    /// the kernel's 108-byte limit, otherwise a folder in /tmp named after the home.
    public var socketDirectory: String {
        let local = home + "/run"
        if local.utf8.count + "/.s.PGSQL.65535".utf8.count < 100 { return local }
        return "/tmp/dwh-" + String(StableHash.fnv1a(home), radix: 16)
    }

    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION")
    }

    /// The port saved at first start, if any.
    public var port: Int? {
        (try? String(contentsOfFile: portFile, encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The URL clients use. It names a password file instead of carrying the password
    /// (percent-encoded: the home may hold spaces, `#`, `?` or `%`).
    public func url(port: Int, database: String? = nil) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        let passfile = passwordFile.addingPercentEncoding(withAllowedCharacters: allowed) ?? passwordFile
        return "postgresql://\(superuser)@127.0.0.1:\(port)/\(database ?? databaseName)?passfile=\(passfile)"
    }

    public enum Status: Equatable, Sendable {
        case notInitialized
        case stopped
        case running(pid: Int, port: Int)
    }
}
