import Foundation

/// Opens text, or a file, in the user's editor (`$VISUAL`, `$EDITOR`, else `vi`) on the
/// terminal, and returns what was saved.
enum ExternalEditor {
    static func edit(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let path = NSTemporaryDirectory() + "dwh-edit-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sql"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        try open(path, environment: environment)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Runs the editor on `path` itself and waits for it.
    static func open(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let editor = environment["VISUAL"] ?? environment["EDITOR"] ?? "vi"
        // Through the shell, as other tools do, so EDITOR may carry arguments ("code -w").
        let arguments = ["/bin/sh", "-c", "\(editor) \"$1\"", "sh", path]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, argv, environ)
        guard spawned == 0 else { throw ShellError.spawnFailed(editor, spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}
