import Foundation
import Postgres

/// What Ctrl-C, SIGTERM and SIGHUP do, decided on a thread of its own: a signal handler
/// cannot safely run Swift, so the signals are blocked and a dedicated thread takes them
/// with `sigwait`.
///
/// - A command that changes the database (`load`, `transform`, `migrate`) registers its
///   connection with `cancelOnSignal`: any of the three signals asks the server to cancel
///   what it runs, then dwh exits with 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
///   The server rolls the transaction back, so the previous state stays.
/// - While a query runs (`cancelling(_:during:)`), Ctrl-C cancels it on the server and the
///   command goes on to report it; the REPL stays (`exitsWhenIdle = false`).
/// - Otherwise a signal ends the command with 128 + the signal, after removing its
///   unfinished files.
public final class Interrupts: @unchecked Sendable {
    public static let shared = Interrupts()

    static let signals = [SIGINT, SIGTERM, SIGHUP]

    private let lock = NSLock()
    private var canceller: Canceller?
    private var commandCanceller: Canceller?
    private var notice: String?
    private var temporaryFiles: Set<String> = []
    private var installed = false
    private var exitsWhenIdle = true
    private var ignoresInterrupt = false
    /// Ctrl-Cs taken while the command goes on (the REPL's), for `sleepUnlessInterrupted`.
    private var interruptions = 0
    /// The signal that is ending the process, once one is.
    private var ending: Int32?

    /// Takes over the signals for the process. Call on the main thread before other threads
    /// start, so that they inherit the blocked signals; child processes started later
    /// inherit them too, so start servers first (the REPL's editor gets a clean mask).
    public func install(exitsWhenIdle: Bool = true) {
        lock.withLock {
            self.exitsWhenIdle = exitsWhenIdle
            guard !installed else { return }
            installed = true
            var set = sigset_t()
            sigemptyset(&set)
            for number in Self.signals {
                // A shell starts background jobs with SIGINT ignored; an ignored signal never
                // reaches sigwait, and dwh must still stop when asked. An ignored SIGHUP is
                // nohup's doing, and stays ignored: the job is meant to outlive the terminal.
                if number == SIGHUP {
                    // Read without changing it: a hang-up in between must not end dwh.
                    var current = sigaction()
                    sigaction(number, nil, &current)
                    if let handler = current.__sigaction_handler.sa_handler,
                       unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
                }
                signal(number, SIG_DFL)
                sigaddset(&set, number)
            }
            pthread_sigmask(SIG_BLOCK, &set, nil)
            let waitSet = set
            let thread = Thread { [self] in
                var set = waitSet
                while true {
                    var number: Int32 = 0
                    guard sigwait(&set, &number) == 0 else { continue }
                    interrupted(number)
                }
            }
            thread.name = "dwh-interrupts"
            thread.start()
        }
    }

    /// From now on a signal cancels what `connection` runs on the server, prints `notice`
    /// and ends the process.
    public func cancelOnSignal(_ connection: Connection, notice: String) {
        let canceller = connection.canceller()
        lock.withLock {
            commandCanceller = canceller
            self.notice = notice
        }
    }

    /// Runs `body` (which runs a statement on `connection`) so that Ctrl-C cancels it.
    public func cancelling<T>(_ connection: Connection, during body: () throws -> T) rethrows -> T {
        let canceller = connection.canceller()
        lock.withLock { self.canceller = canceller }
        defer { lock.withLock { self.canceller = nil } }
        return try body()
    }

    /// While true, Ctrl-C is left to another program in the foreground (the pager), so
    /// that dwh neither ends under it, leaving it holding the terminal, nor stops the rows
    /// it is reading: quitting the pager does that.
    func setIgnoresInterrupt(_ ignores: Bool) {
        lock.withLock { ignoresInterrupt = ignores }
    }

    /// Whether a signal is ending the process: no new work should start.
    public var isEnding: Bool { lock.withLock { ending } != nil }

    /// Ends the process with 128 + the signal if one is ending it: what a command's error
    /// path calls first, so that a statement cancelled by Ctrl-C exits 130, not 1.
    public func exitIfEnding() {
        guard lock.withLock({ ending }) != nil else { return }
        // The signal thread is removing files and saying why; its exit ends this thread too.
        while true { pause() }
    }

    /// Asks the server to cancel, waiting a few seconds at most: the request opens a new
    /// connection, and a server that does not answer is often why the user pressed Ctrl-C.
    private static func cancel(_ canceller: Canceller) {
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            canceller.cancel()
            done.signal()
        }
        _ = done.wait(timeout: .now() + 3)
    }

    /// Waits `seconds`, or less if Ctrl-C comes first; true when it did (`\watch`).
    func sleepUnlessInterrupted(_ seconds: Double) -> Bool {
        let start = lock.withLock { interruptions }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if lock.withLock({ interruptions }) != start { return true }
            usleep(useconds_t(min(50_000, max(1, deadline.timeIntervalSinceNow * 1e6))))
        }
        return lock.withLock { interruptions } != start
    }

    func removeOnInterrupt(_ path: String) {
        lock.withLock { _ = temporaryFiles.insert(path) }
    }

    func forget(_ path: String) {
        lock.withLock { _ = temporaryFiles.remove(path) }
    }

    private func interrupted(_ number: Int32) {
        lock.lock()
        let statement = canceller, command = commandCanceller
        let files = temporaryFiles, exits = exitsWhenIdle, notice = self.notice, ignores = ignoresInterrupt
        lock.unlock()
        if number == SIGINT && ignores { return }
        if number == SIGINT && command == nil && (statement != nil || !exits) {
            // A query (or the REPL's prompt): stop the statement, and the command goes on.
            lock.withLock { interruptions += 1 }
            if let statement { Self.cancel(statement) }
            return
        }
        // Noted before the cancel: the statement then fails on the main thread, whose error
        // path (`exitIfEnding`) must end with this signal's status, not its own.
        lock.withLock { ending = number }
        if let canceller = statement ?? command { Self.cancel(canceller) }
        for file in files { unlink(file) }
        if let notice { FileHandle.standardError.write(Data("\n\(notice)\n".utf8)) }
        exit(128 + number)
    }
}
