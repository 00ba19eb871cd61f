import Foundation
import Postgres

/// What Ctrl-C does, decided on a thread of its own: a signal handler cannot safely run
/// Swift, so SIGINT is blocked and a dedicated thread takes it with `sigwait`.
///
/// While a statement runs (`cancelling(_:during:)`), Ctrl-C asks the server to cancel it
/// and the statement fails with "canceling statement due to user request". Otherwise a
/// command exits with status 130 after removing its unfinished files, unless it is the
/// REPL, which stays (`exitsWhenIdle = false`).
public final class Interrupts: @unchecked Sendable {
    public static let shared = Interrupts()

    private let lock = NSLock()
    private var canceller: Canceller?
    private var temporaryFiles: Set<String> = []
    private var installed = false
    private var exitsWhenIdle = true

    /// Takes over SIGINT for the process. Call on the main thread before other threads
    /// start, so that they inherit the blocked signal; child processes started later
    /// inherit it too, so start servers first (the REPL's editor gets a clean mask).
    public func install(exitsWhenIdle: Bool = true) {
        lock.withLock {
            self.exitsWhenIdle = exitsWhenIdle
            guard !installed else { return }
            installed = true
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            let waitSet = set
            let thread = Thread { [self] in
                var set = waitSet
                while true {
                    var signal: Int32 = 0
                    guard sigwait(&set, &signal) == 0 else { continue }
                    interrupted()
                }
            }
            thread.name = "dwh-interrupts"
            thread.start()
        }
    }

    /// Runs `body` (which runs a statement on `connection`) so that Ctrl-C cancels it.
    public func cancelling<T>(_ connection: Connection, during body: () throws -> T) rethrows -> T {
        let canceller = connection.canceller()
        lock.withLock { self.canceller = canceller }
        defer { lock.withLock { self.canceller = nil } }
        return try body()
    }

    func removeOnInterrupt(_ path: String) {
        lock.withLock { _ = temporaryFiles.insert(path) }
    }

    func forget(_ path: String) {
        lock.withLock { _ = temporaryFiles.remove(path) }
    }

    private func interrupted() {
        lock.lock()
        if let canceller {
            lock.unlock()
            canceller.cancel()
            return
        }
        let files = temporaryFiles
        let exits = exitsWhenIdle
        lock.unlock()
        guard exits else { return }
        for file in files { unlink(file) }
        exit(130)
    }
}
