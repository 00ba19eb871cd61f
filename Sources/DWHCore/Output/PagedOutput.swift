import Foundation

/// How long results are shown on a terminal: through this pager once they would not fit
/// on one screen of `rows` lines and `columns` columns, as psql does.
public struct PagerSetting: Equatable, Sendable {
    public var command: String
    public var rows: Int
    public var columns: Int

    public init(command: String, rows: Int, columns: Int) {
        self.command = command
        self.rows = rows
        self.columns = columns
    }

    /// The pager for standard output, or nil when it is not a terminal or paging is off:
    /// `DWH_PAGER`, else `PAGER`, else `less -S` (long lines scroll sideways); an empty
    /// value turns paging off.
    public static func forStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> PagerSetting? {
        guard Terminal.isInteractive(STDOUT_FILENO) else { return nil }
        let command = (environment["DWH_PAGER"] ?? environment["PAGER"] ?? "less -S").trimmingWhitespace()
        guard !command.isEmpty else { return nil }
        return PagerSetting(command: command, rows: Terminal.height(environment: environment),
                            columns: Terminal.width(environment: environment))
    }
}

/// Standard output that turns into a pager's input once the output would not fit on the
/// screen: until then the bytes are held; if the output ends first, they are printed as
/// they are. The pager's quitting early (`q` in less) ends the output without an error.
final class PagedOutput: ByteSink {
    private let setting: PagerSetting
    private let standardOutput: BufferedOutput
    private var held: [UInt8] = []
    private var lines = 0, column = 0, widest = 0
    private var pager: (pid: pid_t, input: BufferedOutput)?
    /// SIGPIPE's disposition before the pager, while it is replaced (SIG_DFL is nil).
    private var savedSIGPIPE: (handler: sighandler_t?, saved: Bool) = (nil, false)
    /// The pager was closed before all the output reached it.
    private(set) var quit = false

    init(_ setting: PagerSetting, standardOutput: BufferedOutput) {
        self.setting = setting
        self.standardOutput = standardOutput
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if quit { throw OutputError.readerGone }
        if let pager { return try forward { try pager.input.write(bytes) } }
        held.append(contentsOf: bytes)
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines += 1
                column = 0
            } else if byte & 0xC0 != 0x80 {
                column += 1
                widest = max(widest, column)
            }
        }
        // A line is left for the footer, and one for the prompt after it.
        if lines > setting.rows - 2 || widest > setting.columns { try startPager() }
    }

    /// Ends the output: waits for the pager, or prints what was held.
    func finish() throws {
        guard let pager else {
            try standardOutput.write(held)
            held = []
            return try standardOutput.flush()
        }
        if !quit { try? forward { try pager.input.flush() } }
        close(pager.input.fileDescriptor)
        self.pager = nil
        // The person reads until they quit the pager.
        _ = Shell.wait(pager.pid)
        restoreSignals()
    }

    private func restoreSignals() {
        Interrupts.shared.setIgnoresInterrupt(false)
        if savedSIGPIPE.saved { signal(SIGPIPE, savedSIGPIPE.handler) }
        savedSIGPIPE = (nil, false)
    }

    private func startPager() throws {
        try standardOutput.flush()
        // From here until the pager has ended, Ctrl-C is the pager's (see Interrupts), and a
        // pager that quits early closes the pipe: an EPIPE to notice, not a signal to die of.
        Interrupts.shared.setIgnoresInterrupt(true)
        savedSIGPIPE = (signal(SIGPIPE, SIG_IGN), true)
        let started: (pid: pid_t, input: Int32)
        do { started = try Shell.startReading("/bin/sh", ["-c", setting.command]) } catch {
            restoreSignals()
            throw error
        }
        let input = BufferedOutput(fileDescriptor: started.input)
        pager = (started.pid, input)
        let bytes = held
        held = []
        try forward { try input.write(bytes) }
    }

    private func forward(_ body: () throws -> Void) throws {
        do { try body() } catch OutputError.readerGone {
            quit = true
            throw OutputError.readerGone
        }
    }
}
