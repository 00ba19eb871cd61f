import Foundation

/// A finished child process: its exit status and what it printed.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var succeeded: Bool { status == 0 }
}

/// Runs programs with arguments (never through a shell, except the pager's command line),
/// for pg_ctl, initdb and friends, the pager, and the tests' background processes.
///
/// Built on posix_spawn and waitpid rather than Foundation's Process, whose reaping on
/// Linux can miss a child that exits while its own children live on (pg_ctl, runuser).
///
/// Why not swiftlang/swift-subprocess (1.0.2, in the package mirror): it is cheap to build
/// (12.6 s more for a first debug build here), but its `run` is `async` and scopes a child
/// to a closure. Every caller here is synchronous: the commands, libpq's blocking calls,
/// the signal thread and the tests. Each spawn would need a bridge from synchronous code
/// into a Task, and the children that outlive a call (the test servers, the pager fed
/// while a query streams) fit its scoped model poorly. The three entry points below, over
/// one spawn function, are less code than those bridges.
public enum Shell {
    private static let spawnLock = NSLock()

    /// Runs `executable` and waits; output is captured, not echoed.
    public static func run(_ executable: String, _ arguments: [String],
                           environment: [String: String]? = nil) throws -> ProcessOutput {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        let pid = try spawn(executable, arguments, environment: environment) { actions in
            guard pipe(&outPipe) == 0 else { return errno }
            guard pipe(&errPipe) == 0 else { return errno }
            for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            return 0
        } parent: {
            for fd in [outPipe[1], errPipe[1]] where fd >= 0 { close(fd) }
        } failed: {
            for fd in [outPipe[0], errPipe[0]] where fd >= 0 { close(fd) }
        }
        let (out, err) = drain(outPipe[0], errPipe[0])
        return ProcessOutput(status: wait(pid), stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: err, as: UTF8.self))
    }

    /// Starts `executable` reading from a pipe whose write end is returned (the pager);
    /// its output goes where dwh's goes. `wait` collects it.
    public static func startReading(_ executable: String, _ arguments: [String]) throws -> (pid: pid_t, input: Int32) {
        var inPipe: [Int32] = [-1, -1]
        let pid = try spawn(executable, arguments, environment: nil, cleanSignals: true) { actions in
            guard pipe(&inPipe) == 0 else { return errno }
            for fd in inPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            return 0
        } parent: {
            if inPipe[0] >= 0 { close(inPipe[0]) }
        } failed: {
            if inPipe[1] >= 0 { close(inPipe[1]) }
        }
        return (pid, inPipe[1])
    }

    /// Starts `executable` without waiting: no input, its output (both streams) in
    /// `log` (emptied first). Returns its process id, for `wait` (or `kill`).
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             log: String = "/dev/null") throws -> pid_t {
        try spawn(executable, arguments, environment: environment) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            return 0
        } parent: {} failed: {}
    }

    /// Waits for a child started here; its exit status, or 128 + the signal that ended it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later), which Swift's
    /// Glibc module does not declare; nil on an older C library.
    private static let addCloseFrom: AddCloseFrom? = {
        #if os(Linux)
        // RTLD_DEFAULT is a null handle on glibc.
        return dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            .map { unsafeBitCast($0, to: AddCloseFrom.self) }
        #else
        return nil
        #endif
    }()

    /// posix_spawn with the child's descriptors set up by `prepare`, which makes pipes.
    /// `cleanSignals`: the child starts with no signal blocked and SIGINT and SIGPIPE at
    /// their defaults, whatever dwh does with them (a pager must see Ctrl-C).
    ///
    /// A program another thread starts must not inherit those pipes: a server it leaves
    /// running would hold them open, and a read of them would never end. So they are
    /// close-on-exec (the child gets its ends through dup2, which clears the flag on the
    /// copy), and made and handed over under one lock, with no spawn in between.
    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]?,
                              cleanSignals: Bool = false, prepare: (inout posix_spawn_file_actions_t) -> Int32,
                              parent: () -> Void, failed: () -> Void) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if cleanSignals {
            var none = sigset_t(), defaults = sigset_t()
            sigemptyset(&none)
            sigemptyset(&defaults)
            for number in [SIGINT, SIGPIPE, SIGTERM] { sigaddset(&defaults, number) }
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }

        var pid: pid_t = 0
        let spawned: Int32 = spawnLock.withLock {
            let prepared = prepare(&actions)
            guard prepared == 0 else { return prepared }
            // Nothing dwh was handed beyond 0, 1 and 2 reaches the child: a server started
            // from a shell that holds a lock file or a make job slot open would otherwise
            // hold it for as long as the server runs.
            _ = addCloseFrom?(&actions, 3)
            return posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        }
        parent()
        guard spawned == 0 else {
            failed()
            throw ShellError.spawnFailed(executable, spawned)
        }
        return pid
    }

    /// Reads two pipes to their ends together, so neither can fill and block the child.
    private static func drain(_ first: Int32, _ second: Int32) -> ([UInt8], [UInt8]) {
        var outputs: [[UInt8]] = [[], []]
        var fds = [pollfd(fd: first, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        var open = 2
        while open > 0 {
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { break }
            for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count > 0 {
                    outputs[index].append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    close(fds[index].fd)
                    fds[index].fd = -1
                    open -= 1
                }
            }
        }
        return (outputs[0], outputs[1])
    }

    /// The full path of `name` on PATH, or nil.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
