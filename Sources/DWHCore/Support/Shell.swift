import Foundation

/// A finished child process: its exit status and what it printed.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var succeeded: Bool { status == 0 }
}

/// Runs programs with arguments (never through a shell), for pg_ctl, initdb and friends.
///
/// Built on posix_spawn and waitpid rather than Foundation's Process, whose reaping on
/// Linux can miss a child that exits while its own children live on (pg_ctl, runuser).
public enum Shell {
    private static let spawnLock = NSLock()

    /// Runs `executable` and waits; output is captured, not echoed.
    public static func run(_ executable: String, _ arguments: [String],
                           environment: [String: String]? = nil) throws -> ProcessOutput {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }

        var pid: pid_t = 0
        // A program another thread starts must not inherit these pipes: a server it leaves
        // running would hold them open, and this read would never end. So they are
        // close-on-exec (the child gets its ends through dup2, which clears the flag on the
        // copy), and made and handed over under one lock, with no spawn in between.
        let spawned: Int32 = spawnLock.withLock {
            guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { return errno }
            for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            return posix_spawn(&pid, executable, &actions, nil, argv, env)
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw ShellError.spawnFailed(executable, spawned)
        }
        let (out, err) = drain(outPipe[0], errPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ProcessOutput(status: exitCode, stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: err, as: UTF8.self))
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

public enum ShellError: Error, CustomStringConvertible {
    case spawnFailed(String, Int32)

    public var description: String {
        switch self {
        case .spawnFailed(let program, let code): "could not run \(program): \(String(cString: strerror(code)))"
        }
    }
}
