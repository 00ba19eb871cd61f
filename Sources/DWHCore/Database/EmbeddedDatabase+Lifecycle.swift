import Foundation
import Postgres

extension EmbeddedDatabase {
    /// Initialises (first time), starts (if stopped) and returns the connection URL.
    /// Safe to call when the server is already running.
    @discardableResult
    public func start() throws -> String {
        let server = try ServerBinaries.locate()
        let runner = try PrivilegeDrop.current()
        // Several `dwh` started at once on a new home: one initialises and starts, the
        // others wait here and then find it running.
        let lock = try HomeLock(home)
        defer { lock.release() }
        // No password file means a first start that was killed: nothing could connect.
        if !isInitialized || (!FileManager.default.fileExists(atPath: passwordFile) && postmasterPID() == nil) {
            try initialize(server: server, runner: runner)
        }
        if case .running(_, let port) = try status(server: server, runner: runner) {
            try createDatabaseIfMissing(port: port)
            return url(port: port)
        }
        try removeStalePidFile()
        var port = self.port ?? FreePort.find()
        if !FreePort.isFree(port) {
            // Someone else took our port while we were stopped: move to a new one.
            port = FreePort.find()
        }
        try String(port).write(toFile: portFile, atomically: true, encoding: .utf8)
        try prepareDirectory(socketDirectory, owner: runner, mode: 0o755)
        // pg_ctl hands these to a shell: the socket folder is quoted, as the home may hold spaces.
        let socket = "'" + socketDirectory.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let options = "-p \(port) -k \(socket) -c listen_addresses=127.0.0.1"
        let output = try runner.run(server.pgCtl, ["start", "-w", "-t", "60", "-D", dataDirectory,
                                                   "-l", logFile, "-o", options])
        guard output.succeeded else {
            throw EmbeddedDatabaseError.startFailed(log: logFile, output: output.stderr + output.stdout, tail: logTail())
        }
        try createDatabaseIfMissing(port: port)
        return url(port: port)
    }

    /// Stops the server if it runs; returns whether it was running.
    @discardableResult
    public func stop() throws -> Bool {
        guard isInitialized else { return false }
        let server = try ServerBinaries.locate()
        let runner = try PrivilegeDrop.current()
        let lock = try HomeLock(home)
        defer { lock.release() }
        guard case .running = try status(server: server, runner: runner) else { return false }
        let output = try runner.run(server.pgCtl, ["stop", "-w", "-t", "60", "-m", "fast", "-D", dataDirectory])
        guard output.succeeded else {
            throw EmbeddedDatabaseError.stopFailed(output: output.stderr + output.stdout)
        }
        return true
    }

    public func status() throws -> Status {
        guard isInitialized else { return .notInitialized }
        return try status(server: try ServerBinaries.locate(), runner: try PrivilegeDrop.current())
    }

    func status(server: ServerBinaries, runner: PrivilegeDrop) throws -> Status {
        guard isInitialized else { return .notInitialized }
        let output = try runner.run(server.pgCtl, ["status", "-D", dataDirectory])
        guard output.succeeded, let pid = postmasterPID() else { return .stopped }
        return .running(pid: pid, port: port ?? 5432)
    }

    // MARK: Steps

    /// initdb writes into a folder of its own, and only a cluster whose password file is
    /// written is renamed into place: a run killed part-way leaves no data directory that
    /// nothing can connect to, and the next start simply initialises again.
    func initialize(server: ServerBinaries, runner: PrivilegeDrop) throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        try runner.checkReachable(home)
        try setAsideIncomplete()
        let staging = home + "/pgdata.init-\(getpid())"
        try prepareDirectory(staging, owner: runner, mode: 0o700)
        try prepareDirectory(logDirectory, owner: runner, mode: 0o755)

        let password = Secrets.randomPassword()
        // initdb reads the password from a file the server's user can read; it goes at once.
        let initialPassword = logDirectory + "/.initdb-password"
        try password.write(toFile: initialPassword, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: initialPassword) }
        try runner.own(initialPassword, mode: 0o600)

        let output = try runner.run(server.initdb, [
            "-D", staging, "-U", superuser, "--pwfile=\(initialPassword)",
            "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        ])
        guard output.succeeded else {
            try? FileManager.default.removeItem(atPath: staging)
            throw EmbeddedDatabaseError.initFailed(output: output.stderr + output.stdout)
        }
        // libpq's password file: any host, port and database, for our user only.
        try "*:*:*:\(superuser):\(password)\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile)
        guard rename(staging, dataDirectory) == 0 else {
            throw EmbeddedDatabaseError.initFailed(output: "cannot rename \(staging) to \(dataDirectory): \(String(cString: strerror(errno)))")
        }
    }

    /// What a killed first start left: initdb's folders (and its password file) are
    /// removed; a data directory without a password file to reach it (left by a dwh
    /// before this one) is kept, renamed `pgdata.incomplete-TIME`, and a new one is made.
    func setAsideIncomplete() throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: logDirectory + "/.initdb-password")
        for entry in (try? manager.contentsOfDirectory(atPath: home)) ?? [] where entry.hasPrefix("pgdata.init-") {
            // An initdb orphaned by the kill may still write there: what cannot go now goes next time.
            try? manager.removeItem(atPath: home + "/" + entry)
        }
        guard manager.fileExists(atPath: dataDirectory) else { return }
        guard manager.fileExists(atPath: dataDirectory + "/PG_VERSION") else {
            try manager.removeItem(atPath: dataDirectory)
            return
        }
        let aside = home + "/pgdata.incomplete-\(Int(Date().timeIntervalSince1970))"
        guard rename(dataDirectory, aside) == 0 else {
            throw EmbeddedDatabaseError.initFailed(output: "cannot move the incomplete \(dataDirectory) aside: \(String(cString: strerror(errno)))")
        }
    }

    func createDatabaseIfMissing(port: Int) throws {
        let admin = try Connection(url(port: port, database: "postgres"))
        let exists = try admin.execute("SELECT 1 FROM pg_database WHERE datname = $1", [databaseName])
        if exists.rowCount == 0 {
            try admin.execute("CREATE DATABASE \(try admin.escapeIdentifier(databaseName))")
        }
    }

    func prepareDirectory(_ path: String, owner runner: PrivilegeDrop, mode: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try runner.own(path, mode: mode)
    }

    /// A postmaster.pid whose process is gone, or is not a postgres, blocks a start.
    func removeStalePidFile() throws {
        let pidFile = dataDirectory + "/postmaster.pid"
        guard let pid = postmasterPID() else { return }
        let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if command != "postgres" && command != "postmaster" {
            try FileManager.default.removeItem(atPath: pidFile)
        }
    }

    func postmasterPID() -> Int? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return Int(first.trimmingCharacters(in: .whitespaces))
    }

    func logTail(lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// An exclusive lock on a home folder (flock on `.lock` inside it), held while the server
/// there is initialised, started or stopped.
struct HomeLock {
    let descriptor: Int32

    init(_ home: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        } catch {
            throw EmbeddedDatabaseError.cannotCreateHome(path: home, reason: EmbeddedDatabaseError.reason(error))
        }
        descriptor = open(home + "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EmbeddedDatabaseError.lockFailed(path: home + "/.lock", reason: String(cString: strerror(errno)))
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw EmbeddedDatabaseError.lockFailed(path: home + "/.lock", reason: reason)
            }
        }
    }

    func release() {
        close(descriptor)
    }
}
