import Foundation

/// Where initdb and pg_ctl live: `DWH_PG_BINDIR`, else the newest Debian
/// `/usr/lib/postgresql/N/bin`, else PATH.
struct ServerBinaries {
    var initdb: String
    var pgCtl: String

    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerBinaries {
        var candidates: [String] = []
        if let dir = environment["DWH_PG_BINDIR"], !dir.isEmpty { candidates.append(dir) }
        let debian = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "\(debian)/\($0)/bin" }
        for dir in candidates where FileManager.default.isExecutableFile(atPath: dir + "/pg_ctl") {
            return ServerBinaries(initdb: dir + "/initdb", pgCtl: dir + "/pg_ctl")
        }
        if let pgCtl = Shell.which("pg_ctl"), let initdb = Shell.which("initdb") {
            return ServerBinaries(initdb: initdb, pgCtl: pgCtl)
        }
        throw EmbeddedDatabaseError.serverNotInstalled
    }
}

/// Runs the server's programs as the right user: as ourselves normally, or through
/// `runuser` as an unprivileged account when we are root.
struct PrivilegeDrop {
    /// nil when no change of user is needed.
    var user: String?

    static func current() throws -> PrivilegeDrop {
        guard geteuid() == 0 else { return PrivilegeDrop(user: nil) }
        for name in ["postgres", "dwh"] where getpwnam(name) != nil {
            return PrivilegeDrop(user: name)
        }
        let output = try Shell.run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "dwh"])
        guard output.succeeded else { throw EmbeddedDatabaseError.cannotCreateUser(output: output.stderr) }
        return PrivilegeDrop(user: "dwh")
    }

    func run(_ program: String, _ arguments: [String]) throws -> ProcessOutput {
        guard let user else { return try Shell.run(program, arguments) }
        // Start from a folder the user can enter; the caller's may be private.
        return try Shell.run("/usr/sbin/runuser", ["-u", user, "--", "/usr/bin/env", "--chdir=/", program] + arguments)
    }

    /// Gives `path` to the server's user with `mode`.
    func own(_ path: String, mode: Int) throws {
        if let user, let account = getpwnam(user) {
            guard chown(path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    /// Fails with the first folder on the way to `path` that the server's user cannot enter.
    func checkReachable(_ path: String) throws {
        guard let user, let account = getpwnam(user) else { return }
        let uid = account.pointee.pw_uid
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            var info = stat()
            guard stat(prefix, &info) == 0 else { continue }
            let mode = info.st_mode
            let searchable = info.st_uid == uid ? mode & S_IXUSR != 0 : mode & S_IXOTH != 0
            if !searchable {
                throw EmbeddedDatabaseError.unreachable(user: user, path: path, blocking: prefix)
            }
        }
    }
}

enum FreePort {
    /// A TCP port on 127.0.0.1 that nothing listens on now, chosen by the kernel.
    static func find() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a listener could bind `port` now. SO_REUSEADDR, as PostgreSQL sets it,
    /// so that connections of our own server's last run in TIME_WAIT do not count.
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}
